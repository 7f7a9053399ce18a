// Shared setup of the end-to-end tests against a real n8n (scripts/lib/n8n.mjs) and the fake
// vendor APIs (scripts/lib/fakes.mjs): free ports, temporary user folders, Redis for queue mode,
// and cleanup of every process started here, by pid, even when a test file dies half-way.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { demoCredentials, startFakes } from '../../../scripts/lib/fakes.mjs';
import { N8nClient, installPackage, startN8n } from '../../../scripts/lib/n8n.mjs';
import { ROOT } from '../../../scripts/lib/runtime.mjs';
import {
	ensureCredentials,
	executionError,
	importWorkflows,
	nodeOutput,
	pointCredentials,
	readExamples,
	runWorkflow,
} from '../../../scripts/lib/workflows.mjs';
import { exampleSpec } from './vendors.mjs';

const log = (message) => process.stderr.write(`[e2e] ${message}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
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
	const n8n = await timed('n8n start (regular, incl. package install)', () =>
		startTestN8n({ userFolder }),
	);
	const prepared = await prepareInstance(n8n, fakes);
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
