// Queue mode: Redis (Debian's redis-server, started here), an n8n main with EXECUTIONS_MODE=queue
// and manual executions offloaded to workers, and one `n8n worker` on the same user folder
// (SQLite database, encryption key, installed package). Every example run must execute on the
// worker (its log names the execution) and give the output a regular-mode n8n gives against a
// fake with the same seed. A trigger example is published on the main, which receives the
// event on its webhook and enqueues the execution for the worker.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { readExamples } from '../../scripts/lib/workflows.mjs';
import {
	cleanupTempDirs,
	installPackageInto,
	prepareInstance,
	runExample,
	startFakes,
	startRedis,
	startTestN8n,
	tempDir,
	timed,
	violations,
} from './lib/harness.mjs';
import { exampleSpec } from './lib/vendors.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until an n8n process has logged a line matching `pattern` (or fails after `timeoutMs`). */
async function waitForLog(n8n, pattern, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	while (!pattern.test(n8n.logs())) {
		if (Date.now() > deadline)
			assert.fail(`no log line ${pattern} in:\n${n8n.logs().slice(-3000)}`);
		await sleep(100);
	}
}

let redis;
let queue; // { fakes, main, worker, client, credentials, examples }
let regular; // { fakes, n8n, client, credentials, examples }
const stops = [];

before(async () => {
	redis = await startRedis();
	stops.push(() => redis.stop());
	const queueFakes = await startFakes();
	const regularFakes = await startFakes();
	stops.push(
		() => queueFakes.close(),
		() => regularFakes.close(),
	);

	const queueFolder = tempDir('queue');
	const regularFolder = tempDir('queue-regular');
	await timed('package install (once, copied to the second user folder)', () =>
		installPackageInto(queueFolder, regularFolder),
	);

	const queueEnv = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// Manual runs (the editor's "Execute workflow") go to the workers too.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// The proof that the worker ran an execution is its info-level log line.
		N8N_LOG_LEVEL: 'info',
	};
	// The main migrates the database first; the regular instance starts meanwhile.
	const [main, regularN8n] = await timed('n8n main (queue) and n8n (regular) start', () =>
		Promise.all([
			startTestN8n({ userFolder: queueFolder, install: false, env: queueEnv }).then((n8n) => {
				stops.push(() => n8n.stop());
				return n8n;
			}),
			startTestN8n({ userFolder: regularFolder, install: false }).then((n8n) => {
				stops.push(() => n8n.stop());
				return n8n;
			}),
		]),
	);
	const worker = await timed('n8n worker start', () =>
		startTestN8n({ userFolder: queueFolder, command: 'worker', install: false, env: queueEnv }),
	);
	stops.push(() => worker.stop());

	queue = { fakes: queueFakes, main, worker, ...(await prepareInstance(main, queueFakes)) };
	regular = {
		fakes: regularFakes,
		n8n: regularN8n,
		...(await prepareInstance(regularN8n, regularFakes)),
	};
});

after(async () => {
	// Worker first (it holds jobs), then the mains, Redis and the fakes.
	for (const stop of stops.reverse()) {
		try {
			await stop();
		} catch (error) {
			process.stderr.write(`[e2e] cleanup: ${error.message}\n`);
		}
	}
	cleanupTempDirs();
});

test('every example runs on the worker, with the output of regular mode', async (t) => {
	for (const { file } of readExamples()) {
		const spec = exampleSpec(file);
		assert.ok(spec, `no check for examples/${file}: add one to test/e2e/lib/vendors.mjs`);
		for (const run of spec.runs) {
			await t.test(`${file}: ${run.label}`, async (tt) => {
				const inRegular = await runExample(regular, file, run);
				const started = Date.now();
				const inQueue = await runExample(queue, file, run);
				tt.diagnostic(`queue-mode execution ${inQueue.executionId}: ${Date.now() - started} ms`);

				const id = inQueue.executionId;
				// The logs may trail the execution's status in the database by a moment.
				await waitForLog(
					queue.worker,
					new RegExp(`Worker finished execution ${id} \\(job \\d+\\)`),
				);
				const workerLog = queue.worker.logs();
				const mainLog = queue.main.logs();
				assert.match(
					mainLog,
					new RegExp(`Enqueued execution ${id} \\(job \\d+\\)`),
					'the main put the execution in the queue',
				);
				assert.match(
					workerLog,
					new RegExp(`Worker started execution ${id} \\(job \\d+\\)`),
					'the worker ran it',
				);
				assert.doesNotMatch(
					mainLog,
					/Worker (started|finished) execution/,
					'the main ran nothing itself',
				);

				if (run.comparable)
					assert.deepEqual(inQueue.output, inRegular.output, 'same output as in regular mode');
			});
		}
	}
	assert.deepEqual(violations(queue.fakes), []);
	assert.deepEqual(violations(regular.fakes), []);
});
