// Shared setup of the end-to-end tests against a real n8n (scripts/lib/n8n.mjs) and the fake
// vendor APIs (scripts/lib/fakes.mjs): free ports, temporary user folders, Redis for queue mode,
// and cleanup of every process started here, by pid, even when a test file dies half-way; and the
// scaffolding of the trigger checks, with the vendor's part given as hooks (see "triggers" below).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { demoCredentials, startFakes } from '../../../scripts/lib/fakes.mjs';
import { N8nClient, installPackage, startN8n } from '../../../scripts/lib/n8n.mjs';
import { ROOT } from '../../../scripts/lib/runtime.mjs';
import {
	activateWorkflow,
	deactivateWorkflow,
	ensureCredentials,
	executionError,
	importWorkflows,
	listExecutions,
	nodeOutput,
	pointCredentials,
	readExamples,
	runWorkflow,
	waitForExecution,
} from '../../../scripts/lib/workflows.mjs';

export const log = (message) => process.stderr.write(`[e2e] ${message}\n`);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const KEEP = process.env.E2E_KEEP === '1';

// ------------------------------------------------------------------------------ cleanup

/** Process groups started by this test process: killed hard if the process exits before stop(). */
const groups = new Set();
process.on('exit', () => {
	for (const pid of groups) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {}
	}
});

const tempDirs = new Set();
/** A fresh folder under the OS temp dir, removed by cleanupTempDirs() (kept with E2E_KEEP=1). */
export function tempDir(prefix) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${prefix}-`));
	tempDirs.add(dir);
	return dir;
}

export function cleanupTempDirs() {
	if (KEEP) {
		for (const dir of tempDirs) log(`kept ${dir}`);
		return;
	}
	for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
	tempDirs.clear();
}

/** A TCP port nobody listens on right now. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Measures an async step and logs how long it took. */
export async function timed(label, step) {
	const started = Date.now();
	try {
		return await step();
	} finally {
		log(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}
}

// ------------------------------------------------------------------------------ n8n

/**
 * Starts `n8n start` or `n8n worker` for a test: free task-runner broker port (main and worker
 * each run one), short shutdown, the node:test marker removed from the environment. The
 * process group is stopped by pid in stop() or, at the latest, when the test process exits.
 */
export async function startTestN8n({ userFolder, command = 'start', env = {}, install = true }) {
	const port = await freePort();
	const n8n = await startN8n({
		userFolder,
		port,
		command,
		install,
		env: {
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			NODE_TEST_CONTEXT: undefined,
			...env,
		},
	});
	groups.add(n8n.process.pid);
	const stop = n8n.stop;
	n8n.stop = async () => {
		await stop();
		groups.delete(n8n.process.pid);
	};
	return n8n;
}

/** Installs the packed package once and copies it to more user folders (as a persisted ~/.n8n/nodes). */
export function installPackageInto(...userFolders) {
	const [first, ...rest] = userFolders;
	installPackage(first);
	for (const folder of rest) {
		fs.cpSync(path.join(first, '.n8n', 'nodes'), path.join(folder, '.n8n', 'nodes'), {
			recursive: true,
		});
	}
}

/**
 * Owner login, the demo credentials for `fakes` and every example workflow imported with its
 * credentials pointed at them. Answers `{ client, credentials, examples }` where
 * examples maps file name → `{ workflow, id }`.
 */
export async function prepareInstance(n8n, fakes) {
	const client = await new N8nClient(n8n.url).setupOwner();
	const credentials = await ensureCredentials(client, demoCredentials(fakes));
	const examples = new Map();
	const files = readExamples();
	const imported = await importWorkflows(
		client,
		files.map(({ workflow }) => pointCredentials(workflow, credentials)),
	);
	files.forEach(({ file, workflow }, i) => examples.set(file, { workflow, id: imported[i].id }));
	return { client, credentials, examples };
}

/** One instance of the regular (single-process) mode with its own fakes. */
export async function startRegularStack() {
	const fakes = await startFakes();
	const userFolder = tempDir('regular');
	let n8n;
	let prepared;
	try {
		n8n = await timed('n8n start (regular, incl. package install)', () =>
			startTestN8n({ userFolder }),
		);
		prepared = await prepareInstance(n8n, fakes);
	} catch (error) {
		// Nothing may keep the test process alive after a failed start (e.g. n8n's port taken).
		await n8n?.stop().catch(() => undefined);
		await fakes.close();
		throw error;
	}
	return {
		fakes,
		n8n,
		userFolder,
		...prepared,
		async stop() {
			await n8n.stop();
			await fakes.close();
		},
	};
}

// ------------------------------------------------------------------------------ examples

/**
 * Runs one scripted run of an example (see vendors.mjs) in an instance: its `prepare` may change
 * the workflow (imported as a copy then) and note what to expect; it runs from its Manual Trigger
 * unless the run has its own `execute`; the execution must succeed and pass `check`. Answers
 * `{ executionId, output, data }`.
 */
export async function runExample(instance, file, run) {
	// Imported here, not at the top: vendors.mjs imports the vendor modules, which import this one.
	const { exampleSpec } = await import('./vendors.mjs');
	const spec = exampleSpec(file);
	const example = instance.examples.get(file);
	let workflowId = example.id;
	let expect;
	if (run.prepare) {
		const prepared =
			(await run.prepare({ workflow: structuredClone(example.workflow), fakes: instance.fakes })) ??
			{};
		expect = prepared.expect;
		if (prepared.workflow) {
			const copy = pointCredentials(
				{ ...prepared.workflow, name: `${example.workflow.name} [${run.label}]` },
				instance.credentials,
			);
			[{ id: workflowId }] = await importWorkflows(instance.client, [copy]);
		}
	}
	// A run may start the workflow its own way (e.g. publish it and deliver an event).
	const result = run.execute
		? await run.execute({ instance, workflowId, fakes: instance.fakes, expect })
		: await runWorkflow(instance.client, workflowId);
	assert.equal(
		result.status,
		'success',
		`examples/${file} (${run.label}) failed: ${executionError(result.data)}`,
	);
	const output = nodeOutput(result.data, spec.outputNode);
	assert.ok(output, `examples/${file} (${run.label}): node "${spec.outputNode}" did not run`);
	await run.check({ output, data: result.data, fakes: instance.fakes, expect });
	return { executionId: result.executionId, output, data: result.data };
}

/** Every fake's spec violations (must stay empty). */
export function violations(fakes) {
	return Object.entries(fakes)
		.filter(([, fake]) => fake && Array.isArray(fake.violations))
		.flatMap(([name, fake]) => fake.violations.map((v) => ({ fake: name, ...v })));
}

// ------------------------------------------------------------------------------ triggers
//
// The scaffolding of the trigger checks (package-in-n8n.test.mjs "trigger nodes", and the trigger
// examples' `execute`): a workflow "<trigger> → No Op" published in n8n, the registration the
// trigger makes at the fake, deliveries, the executions they start, unpublishing, the registration
// gone, publishing again. What is the vendor's comes in a trigger description (a vendor module's
// TRIGGER):
//
//   name: the trigger node's name in the test workflows ('Pax8 Trigger')
//   nodeType: how the node's type name ends ('.pax8Trigger'), to find it in an example
//   vendor: the key of the vendor's fake in `fakes`
//   credential: { type, name } the demo credential (scripts/lib/fakes.mjs demoCredentials())
//   registrations(fake, url) → the fake's registrations (webhooks, integrations) for `url`, any state
//   live(registration) → whether it is the one deliveries go to (active, running)
//   probe?(url, registration) → whether n8n already takes deliveries for it (n8n 2.41.1 saves a
//          trigger's static data after the publish call has answered); a delivery that starts nothing
//   removed(fake, url) → whether unpublishing has removed (or stopped) the registration for `url`
//   deliveries(fake) → the fake's log of deliveries ({ url, headers, body, status, … })
//   ours(delivery, registration, url) → whether a delivery (of the log, or of the answer of the
//          fake's emit) went to that registration

/** Polls `probe` until it answers a truthy value (answered) or fails after `timeoutMs`. */
export async function until(what, probe, { timeoutMs = 15_000, intervalMs = 250 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(intervalMs);
	}
}

/** The fake's requests after index `from` matching method and path (a string or RegExp). */
export const callsSince = (fake, from, method, path) =>
	fake.requests
		.slice(from)
		.filter(
			(r) =>
				r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
		);

/**
 * The URL n8n serves a webhook node of `instance` at (path "webhook"): the production one, or with
 * `test` the one of listening in the editor.
 */
export const webhookUrl = (instance, node, { test = false } = {}) =>
	`${instance.client.url}/${test ? 'webhook-test' : 'webhook'}/${node.webhookId}/webhook`;

/** POSTs a delivery to `url`: JSON (a string body is sent as is, e.g. malformed JSON), `headers` added. */
export const postDelivery = (url, headers, body) =>
	fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});

/** Sends a logged delivery of a fake again, exactly (headers and body) to where it went. */
export const resend = (delivery) =>
	fetch(delivery.url, {
		method: 'POST',
		headers: delivery.headers,
		body: JSON.stringify(delivery.body),
	});

/** "<trigger> → No Op" with the demo credential, imported into the stack's n8n. */
export async function importTriggerWorkflow(stack, node, trigger, label, parameters) {
	const workflow = {
		name: `E2E: ${trigger.name} (${label}) ${Date.now()}`,
		nodes: [
			{
				id: randomUUID(),
				name: trigger.name,
				type: node.type,
				typeVersion: Array.isArray(node.version) ? node.version.at(-1) : node.version,
				position: [0, 0],
				// The editor gives every webhook node an id; its production URL is built from it.
				webhookId: randomUUID(),
				parameters,
				credentials: { [trigger.credential.type]: { id: null, name: trigger.credential.name } },
			},
			{
				id: randomUUID(),
				name: 'No Op',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { [trigger.name]: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const [{ id }] = await importWorkflows(stack.client, [
		pointCredentials(workflow, stack.credentials),
	]);
	return { id, workflow };
}

/**
 * Finished executions of a workflow, oldest first: `{ executionId, status, execution, data, mode,
 * output }` with the output of `nodeName`.
 */
export async function finishedExecutions(client, workflowId, nodeName) {
	const summaries = (await listExecutions(client, workflowId)).sort(
		(a, b) => Number(a.id) - Number(b.id),
	);
	const out = [];
	for (const summary of summaries) {
		const result = await waitForExecution(client, summary.id, { timeoutMs: 30_000 });
		out.push({ ...result, mode: summary.mode, output: nodeOutput(result.data, nodeName) });
	}
	return out;
}

/** Waits until the workflow has `count` executions, then a moment for stragglers; answers them finished. */
export async function executionsAfter(
	client,
	workflowId,
	nodeName,
	count,
	what,
	timeoutMs = 15_000,
) {
	await until(what, async () => (await listExecutions(client, workflowId)).length >= count, {
		timeoutMs,
	});
	await sleep(1500);
	return await finishedExecutions(client, workflowId, nodeName);
}

/** Workflows a check publishes; close() unpublishes those still published, whatever happened. */
export function publications(client) {
	const active = new Set();
	return {
		async publish(id) {
			await activateWorkflow(client, id);
			active.add(id);
		},
		async unpublish(id) {
			await deactivateWorkflow(client, id);
			active.delete(id);
		},
		async close() {
			for (const id of active) await deactivateWorkflow(client, id).catch(() => {});
			active.clear();
		},
	};
}

/** After publishing: the trigger's live registration for `url`, once n8n takes deliveries for it. */
export async function listening(trigger, fake, url) {
	const registration = await until(`a live registration at the fake for ${url}`, () =>
		trigger.registrations(fake, url).find(trigger.live),
	);
	if (trigger.probe)
		await until('n8n to take deliveries for the registration', () =>
			trigger.probe(url, registration),
		);
	return registration;
}

/**
 * A webhook trigger in a running n8n. The steps, with the scenario's hooks for what the vendor adds
 * (each gets `ctx`: { stack, fake, t, id, workflow, url, registration, delivered, execution,
 * prepared, from (the fake's request index before the last publish or unpublish), previous }):
 *
 * 1. publish: exactly one live registration for n8n's production URL, `registered(ctx)`; no execution;
 * 2. the event of the filter, `event`: `prepare?(ctx)` → ctx.prepared, `emit(ctx)` → the fake's
 *    emit answer: delivered once and accepted; exactly one execution (webhook mode, success) whose
 *    output `check(ctx)` checks (ctx.execution.output), and which reaches No Op;
 * 3. deliveries n8n refuses with 401: one without credentials and `refused(ctx)` → [[label, headers,
 *    body?]] (body: the accepted delivery's unless given);
 * 4. `ignored?(ctx)` → { runs?, message, check?(executions) }: more deliveries (outside the filter,
 *    malformed, repeated…) of which `runs` start an execution; then no execution beyond those;
 * 5. unpublish: the registration removed (stopped), `unpublished(ctx)`; the fake delivers the event
 *    no more; n8n answers the accepted delivery 404;
 * 6. with `republished(ctx)` (ctx.previous: the first registration): publish again, exactly one
 *    registration, `republished(ctx)`; the event runs once more (as in 2); unpublish (as in 5).
 */
export async function checkWebhookTrigger({
	stack,
	node,
	t,
	trigger,
	label,
	parameters,
	...scenario
}) {
	const { client } = stack;
	const fake = stack.fakes[trigger.vendor];
	const { id, workflow } = await importTriggerWorkflow(stack, node, trigger, label, parameters);
	const url = webhookUrl(stack, workflow.nodes[0]);
	const ctx = { stack, fake, t, id, workflow, url };
	ctx.sent = (answer) =>
		answer.filter((d) => trigger.ours(d, ctx.registration, url)).map((d) => d.status);
	const executions = () => finishedExecutions(client, id, trigger.name);
	const published = publications(client);

	const publish = async (what) => {
		ctx.from = fake.requests.length;
		const started = Date.now();
		await published.publish(id);
		ctx.registration = await listening(trigger, fake, url);
		t.diagnostic(`${what} → registration at the fake, n8n listening: ${Date.now() - started} ms`);
		assert.equal(
			trigger.registrations(fake, url).length,
			1,
			'exactly one registration for the URL',
		);
	};
	const unpublish = async () => {
		ctx.from = fake.requests.length;
		const started = Date.now();
		await published.unpublish(id);
		await until('the registration to be removed (stopped)', () => trigger.removed(fake, url));
		t.diagnostic(`unpublish → registration removed (stopped): ${Date.now() - started} ms`);
	};
	/** The event, accepted once, puts out what it must in the `count`-th execution. */
	const runEvent = async (count) => {
		ctx.prepared = await scenario.event.prepare?.(ctx);
		const started = Date.now();
		assert.deepEqual(ctx.sent(await scenario.event.emit(ctx)), [200], 'one delivery, accepted');
		ctx.delivered = trigger
			.deliveries(fake)
			.filter((d) => trigger.ours(d, ctx.registration, url))
			.at(-1);
		const list = await executionsAfter(client, id, trigger.name, count, 'the execution');
		t.diagnostic(`delivery → finished execution: ${Date.now() - started} ms`);
		assert.equal(list.length, count, count === 1 ? 'exactly one execution' : 'one more execution');
		ctx.execution = list.at(-1);
		assert.equal(ctx.execution.status, 'success');
		assert.equal(ctx.execution.mode, 'webhook');
		await scenario.event.check(ctx);
		assert.deepEqual(
			nodeOutput(ctx.execution.data, 'No Op'),
			ctx.execution.output,
			'the items reach the next node',
		);
	};

	try {
		await publish('publish');
		await scenario.registered(ctx);
		assert.deepEqual(await executions(), [], 'publishing ran nothing');

		await runEvent(1);

		for (const [what, headers, body] of [['no credentials', {}], ...scenario.refused(ctx)]) {
			const response = await postDelivery(url, headers, body ?? ctx.delivered.body);
			assert.equal(response.status, 401, `a delivery with ${what} is refused`);
		}
		const ignored = (await scenario.ignored?.(ctx)) ?? {};
		const runs = 1 + (ignored.runs ?? 0);
		if (ignored.runs)
			await executionsAfter(
				client,
				id,
				trigger.name,
				runs,
				'the executions of accepted deliveries',
			);
		await sleep(1500);
		const list = await executions();
		assert.equal(
			list.length,
			runs,
			ignored.message ?? 'the refused deliveries started no execution',
		);
		await ignored.check?.(list);

		await unpublish();
		await scenario.unpublished(ctx);
		assert.deepEqual(
			ctx.sent(await scenario.event.emit(ctx)),
			[],
			'the vendor has nothing to deliver to any more',
		);
		assert.equal((await resend(ctx.delivered)).status, 404, 'n8n no longer listens');

		if (scenario.republished) {
			ctx.previous = ctx.registration;
			await publish('publish again');
			await scenario.republished(ctx);
			await runEvent(runs + 1);
			await unpublish();
		}
	} finally {
		await published.close();
	}
}

/**
 * A trigger example's run (vendors.mjs `execute`): the example published; the fake sends the event
 * of `emit(fake, expect)` to it once, which is accepted and starts exactly one execution, answered;
 * unpublished afterwards, the registration removed. Notes `expect.url` and `expect.registration`.
 */
export const publishAndDeliver =
	(trigger, emit) =>
	async ({ instance, workflowId, fakes, expect }) => {
		const fake = fakes[trigger.vendor];
		const { workflow } = [...instance.examples.values()].find((e) => e.id === workflowId);
		const node = workflow.nodes.find((n) => n.type.endsWith(trigger.nodeType));
		const url = webhookUrl(instance, node);
		expect.url = url;
		await activateWorkflow(instance.client, workflowId);
		try {
			expect.registration = await listening(trigger, fake, url);
			const deliveries = (await emit(fake, expect)).filter((d) =>
				trigger.ours(d, expect.registration, url),
			);
			assert.deepEqual(
				deliveries.map((d) => d.status),
				[200],
				'the vendor delivered the event once',
			);
			const executions = await executionsAfter(
				instance.client,
				workflowId,
				node.name,
				1,
				'the execution of the event',
			);
			assert.equal(executions.length, 1, 'exactly one execution');
			return executions[0];
		} finally {
			await deactivateWorkflow(instance.client, workflowId);
			await until('the registration to be removed (stopped)', () => trigger.removed(fake, url));
		}
	};

/** Waits for the next poll after request index `from`: a call of `pollCalls(from)` the fake answered. */
export const nextPoll = (pollCalls, from) =>
	until('the next scheduled poll', () => pollCalls(from).find((r) => r.status !== null), {
		timeoutMs: 65_000,
		intervalMs: 500,
	});

/**
 * Imports and publishes a polling trigger (through `publisher`, see publications()); answers once
 * the poll n8n makes when publishing (its activation test, after the REST call has answered) is
 * done: `{ id, workflow, from, firstPoll, publishMs }`, `from` the fake's request index before.
 * Records that exist then are the starting point.
 */
export async function publishPolling({
	stack,
	node,
	trigger,
	label,
	parameters,
	pollCalls,
	publisher,
}) {
	const fake = stack.fakes[trigger.vendor];
	const { id, workflow } = await importTriggerWorkflow(stack, node, trigger, label, parameters);
	const from = fake.requests.length;
	const started = Date.now();
	await publisher.publish(id);
	const firstPoll = await until('the poll n8n makes when publishing', () =>
		pollCalls(from).find((r) => r.status !== null),
	);
	await sleep(500);
	return { id, workflow, from, firstPoll, publishMs: firstPoll.ts - started };
}

/**
 * A polling trigger at n8n's shortest interval (every minute, at a random second): publishing
 * polls once and emits nothing; the next scheduled poll emits exactly the record `add()` made
 * meanwhile (one execution, trigger mode, reaching No Op); the one after it starts nothing. `check`
 * has publishPolling's stack, node, trigger, label, parameters and pollCalls (`pollCalls(from)` →
 * the fake's requests of a poll after index `from`), `t`, and the hooks `published?(polling)`
 * (publishPolling's answer) to check after publishing, `add()` → the new record (with an id), and
 * `alongside?({ publish })` to publish more first (publish takes what differs: label, parameters,
 * pollCalls) answering what to run at the end. Takes one to two minutes.
 */
export async function checkPollingTrigger(check) {
	const { stack, t, trigger, pollCalls, add, alongside } = check;
	const fake = stack.fakes[trigger.vendor];
	const publisher = publications(stack.client);
	const publish = (what) => publishPolling({ ...check, ...what, publisher });
	try {
		const atEnd = await alongside?.({ publish });
		const polling = await publish({});
		t.diagnostic(
			`POST /rest/workflows/${polling.id}/activate → first poll: ${polling.publishMs} ms`,
		);
		await check.published?.(polling);
		assert.deepEqual(
			await finishedExecutions(stack.client, polling.id, trigger.name),
			[],
			'publishing emitted nothing',
		);

		const record = await add();
		let started = Date.now();
		await nextPoll(pollCalls, fake.requests.length);
		const list = await executionsAfter(
			stack.client,
			polling.id,
			trigger.name,
			1,
			'the execution of that poll',
			30_000,
		);
		t.diagnostic(`new record → execution: ${Date.now() - started} ms`);
		assert.equal(list.length, 1, 'one execution');
		const [execution] = list;
		assert.equal(execution.status, 'success');
		assert.equal(execution.mode, 'trigger');
		assert.deepEqual(
			execution.output.map((r) => r.id),
			[record.id],
			'exactly the new record',
		);
		assert.deepEqual(
			nodeOutput(execution.data, 'No Op').map((r) => r.id),
			[record.id],
			'it reaches the next node',
		);

		// The poll after that (a minute later) must not emit it again.
		started = Date.now();
		await nextPoll(pollCalls, fake.requests.length);
		await sleep(2000);
		t.diagnostic(`next poll after ${Date.now() - started - 2000} ms`);
		assert.deepEqual(
			(await listExecutions(stack.client, polling.id)).map((e) => String(e.id)),
			[execution.executionId],
			'the later poll started no execution',
		);

		await atEnd?.();
	} finally {
		await publisher.close();
	}
}

// ------------------------------------------------------------------------------ package manifest

/**
 * What package.json promises n8n: each node (type name, Tool variant, trigger or not) and
 * credential, read from the built classes in dist/.
 */
export function packageManifest() {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const require = createRequire(path.join(ROOT, 'package.json'));
	/** The one class a dist file exports, instantiated; a failure is kept for the tests to report. */
	const instantiate = (file) => {
		try {
			const exported = require(path.join(ROOT, file));
			const classes = Object.values(exported).filter((value) => typeof value === 'function');
			if (classes.length !== 1) throw new Error(`exports ${classes.length} classes, expected 1`);
			return { className: classes[0].name, instance: new classes[0]() };
		} catch (error) {
			return { error: `${file} cannot be loaded (npm run build?): ${error.message}` };
		}
	};
	const nodes = (pkg.n8n?.nodes ?? []).map((file) => {
		const { className, instance, error } = instantiate(file);
		if (error)
			return { file, name: path.basename(file, '.node.js'), type: file, error, credentials: [] };
		const base = instance.description;
		// A versioned node keeps the full description per version.
		const current = instance.nodeVersions
			? instance.nodeVersions[base.defaultVersion].description
			: base;
		const type = `${pkg.name}.${base.name}`;
		const trigger =
			typeof instance.trigger === 'function' ||
			typeof instance.poll === 'function' ||
			typeof instance.webhook === 'function' ||
			(current.group ?? []).includes('trigger');
		return {
			file,
			className,
			name: base.name,
			type,
			displayName: current.displayName,
			version: current.version,
			credentials: (current.credentials ?? []).map((c) => c.name),
			usableAsTool: Boolean(current.usableAsTool),
			trigger,
		};
	});
	const credentials = (pkg.n8n?.credentials ?? []).map((file) => {
		const { className, instance, error } = instantiate(file);
		if (error) return { file, name: path.basename(file, '.credentials.js'), error };
		return {
			file,
			className,
			name: instance.name,
			displayName: instance.displayName,
			hasTest: Boolean(instance.test),
		};
	});
	return { name: pkg.name, version: pkg.version, nodes, credentials };
}

// ------------------------------------------------------------------------------ redis

/** Debian's redis-server on a free port, in-memory only; stop() ends it by pid. */
export async function startRedis() {
	const port = await freePort();
	const dir = tempDir('redis');
	const child = spawn(
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--protected-mode',
			'no',
		],
		{ stdio: ['ignore', 'pipe', 'pipe'], detached: true },
	);
	groups.add(child.pid);
	let output = '';
	let exited = false;
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	child.on('error', (error) => {
		exited = true;
		output += `\n${error.message}`;
	});
	child.on('exit', () => (exited = true));
	const stop = async () => {
		if (!exited) {
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {}
			for (let i = 0; i < 50 && !exited; i++) await sleep(100);
			if (!exited) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {}
			}
		}
		groups.delete(child.pid);
	};
	const started = Date.now();
	while (!/Ready to accept connections/i.test(output)) {
		if (exited)
			throw new Error(
				`redis-server did not start (is the Debian package redis-server installed?):\n${output}`,
			);
		if (Date.now() - started > 15_000) {
			await stop();
			throw new Error(`redis-server not ready in 15 s:\n${output}`);
		}
		await sleep(50);
	}
	return { host: '127.0.0.1', port, pid: child.pid, stop, logs: () => output };
}

export { startFakes };
