// Child processes of a benchmark run: fake vendor servers (bench/lib/fake-host.cjs) and
// measurement workers (bench/lib/worker.cjs). Every child is tracked and stopped by its pid.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const children = new Set();

/** Stops every child still running (on exit or failure), each by its own pid. */
export function stopAll() {
	for (const child of children) {
		try {
			process.kill(child.pid, 'SIGKILL');
		} catch {}
	}
	children.clear();
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		stopAll();
		process.exit(130);
	});
}

function track(child) {
	children.add(child);
	child.on('exit', () => children.delete(child));
	return child;
}

/** The Node binary and flags every child runs with. */
export const runtime = { node: process.execPath, heapMB: 8192 };

/** Starts a fake vendor in its own process; answers `{ info, call(cmd, extra), close() }`. */
export async function startFake(vendor, options) {
	const child = track(
		fork(path.join(HERE, 'fake-host.cjs'), [], {
			execPath: runtime.node,
			execArgv: [`--max-old-space-size=${runtime.heapMB}`],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		}),
	);
	let nextId = 0;
	const pending = new Map();
	child.on('message', (message) => {
		const waiter = pending.get(message.id);
		if (!waiter) return;
		pending.delete(message.id);
		if (message.error) waiter.reject(new Error(`fake ${vendor}: ${message.error}`));
		else waiter.resolve(message.result);
	});
	child.on('exit', (code) => {
		for (const waiter of pending.values()) waiter.reject(new Error(`fake ${vendor} exited (${code})`));
		pending.clear();
	});
	const call = (cmd, extra = {}) =>
		new Promise((resolve, reject) => {
			const id = ++nextId;
			pending.set(id, { resolve, reject });
			child.send({ id, cmd, ...extra });
		});
	const info = await call('start', { vendor, options });
	return {
		info,
		pid: child.pid,
		call,
		async close() {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			await call('close').catch(() => undefined);
			await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
			if (child.exitCode === null) process.kill(child.pid, 'SIGKILL');
		},
	};
}

/**
 * Runs one measurement in a fresh worker process. `fakes` are reset once the worker has warmed
 * up (so only measured requests are counted) and their request statistics are added.
 */
export async function measure(job, fakes = [], { timeoutMs = 600_000 } = {}) {
	const child = track(
		fork(path.join(HERE, 'worker.cjs'), [], {
			execPath: runtime.node,
			// BENCH_WORKER_FLAGS: extra Node flags for workers, e.g. "--cpu-prof --cpu-prof-dir=bench/tmp/prof".
			execArgv: ['--expose-gc', `--max-old-space-size=${runtime.heapMB}`, ...(process.env.BENCH_WORKER_FLAGS?.split(/\s+/).filter(Boolean) ?? [])],
			// n8n-core prints its instance-settings notice on stdout; results come over IPC.
			stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
			env: { ...process.env, N8N_LOG_LEVEL: process.env.BENCH_N8N_LOG_LEVEL ?? 'info' },
		}),
	);
	let answered = false;
	const outcome = new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			process.kill(child.pid, 'SIGKILL');
			reject(new Error(`worker ${job.kind} timed out after ${timeoutMs} ms`));
		}, timeoutMs);
		child.on('message', async (message) => {
			try {
				if (message.type === 'ready') {
					for (const fake of fakes) await fake.call('reset');
					child.send({ type: 'go' });
				} else if (message.type === 'result') {
					answered = true;
					clearTimeout(timer);
					const stats = [];
					for (const fake of fakes) stats.push(await fake.call('stats'));
					resolve({ ...message.result, fake: stats.length === 1 ? stats[0] : stats });
				} else if (message.type === 'error') {
					answered = true;
					clearTimeout(timer);
					reject(new Error(`worker ${job.kind}/${job.contender ?? ''}: ${message.error}`));
				}
			} catch (error) {
				clearTimeout(timer);
				reject(error);
			}
		});
		child.on('exit', (code, signal) => {
			// The result may still be completing (fake statistics are read after it arrives).
			if (answered) return;
			clearTimeout(timer);
			reject(new Error(`worker ${job.kind} exited (${code ?? signal}) without a result`));
		});
	});
	child.send({ type: 'job', job });
	try {
		return await outcome;
	} finally {
		if (child.exitCode === null && child.signalCode === null) {
			await Promise.race([new Promise((resolve) => child.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 2000))]);
			if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
		}
	}
}
