'use strict';
/**
 * One measurement in a fresh process (started by bench/run.mjs with --expose-gc). Protocol over
 * IPC: the parent sends { type: 'job', job }; the worker loads everything and warms up, sends
 * { type: 'ready' }; the parent resets the fake's request log and sends { type: 'go' }; the
 * worker measures once and sends { type: 'result', result } (or { type: 'error' }).
 *
 * Memory: peak RSS is the process's maxRSS (getrusage); heap is sampled every 5 ms while the
 * measured part runs, plus once at its end; "retained" is the heap still in use after a full
 * GC while the output is referenced, minus the baseline taken after the warm-up.
 */
const http = require('node:http');
const path = require('node:path');
const v8 = require('node:v8');
const { performance } = require('node:perf_hooks');

const c = require('./contenders.cjs');

const ROOT = path.resolve(__dirname, '../..');
const gc = typeof global.gc === 'function' ? () => (global.gc(), global.gc()) : () => {};

let h; // the test harness (loads n8n-core and dist/)
const harness = () => (h ??= require(path.join(ROOT, 'test/harness/index.cjs')));

function credentials(vendor, info, id) {
	const store = new (harness().CredentialStore)();
	const { type, data } = c.credentialFor(vendor, info);
	const ref = store.add(id, type, data);
	const helper = new (harness().TestCredentialsHelper)(store);
	return { store, helper, credentials: { [type]: ref } };
}

function assertRun(result, what) {
	const error = result.error ?? result.run?.data?.resultData?.error;
	if (result.status !== 'success' || error) {
		throw new Error(`${what} failed: ${error?.message ?? result.status} ${error?.description ?? ''}`);
	}
}

async function runOurs(vendor, info, parameters, { items, id = 'bench-1', creds } = {}) {
	const cred = creds ?? credentials(vendor, info, id);
	const result = await harness().runNode({
		type: c.NODE_TYPE[vendor],
		parameters,
		credentials: cred.credentials,
		credentialsHelper: cred.helper,
		...(items ? { items } : {}),
	});
	return { result, cred };
}

/** The output items of a workflow's `output` node; a failed run throws. */
function outputOf(run, output, what) {
	const error = run.data.resultData.error;
	if (run.status !== 'success' || error) throw new Error(`${what} failed: ${error?.message ?? run.status} ${error?.description ?? ''}`);
	return run.data.resultData.runData[output][0].data.main[0];
}

async function runHttpNode(vendor, info, options) {
	c.loadBaseNodes(harness());
	const { nodes, connections, output } = c.httpWorkflow(vendor, info, options);
	const helper = new (harness().TestCredentialsHelper)(new (harness().CredentialStore)());
	const run = await harness().runWorkflow({ nodes, connections, credentialsHelper: helper });
	return outputOf(run, output, 'HTTP Request workflow');
}

async function runHelperLoop(vendor, info, options, id, { items, creds } = {}) {
	c.loadHelperLoop(harness());
	const cred = creds ?? credentials(vendor, info, id);
	const { nodes, connections, output } = c.helperLoopWorkflow(vendor, info, cred.credentials, options);
	const run = await harness().runWorkflow({ nodes, connections, credentialsHelper: cred.helper, ...(items ? { startItems: items } : {}) });
	return outputOf(run, output, 'helper loop');
}

// ---------------------------------------------------------------------------------- jobs

/** Each job: `prepare()` (warm-up, not measured) then `measure()` answering details. */
const JOBS = {
	/** Scenario 1: Return All through one contender. */
	list(job) {
		const { vendor, contender, info, expected } = job;
		const pages = 2;
		const warmLimit = Math.min(expected, pages * c.PAGE_SIZE[vendor]);
		// full: the measured run (and `warmRuns` unmeasured ones before it); warm: two full pages
		// (JIT warm-up); tiny: one record, last, so
		// that what the HTTP stack keeps of the last response is small in the baseline.
		const limits = { warm: { maxPages: pages }, tiny: { maxPages: 1, pageSize: 1 } };
		const once = async (mode) => {
			if (contender === 'floor') return await c.floor(vendor, info, limits[mode] ?? {});
			if (contender === 'httpNode') return await runHttpNode(vendor, info, limits[mode] ?? {});
			if (contender === 'n8nLoop') return await runHelperLoop(vendor, info, limits[mode] ?? {}, mode);
			// A fresh credential (and so a token request) for the measured run, like the others.
			const paging = mode === 'full' ? {} : { returnAll: false, limit: mode === 'warm' ? warmLimit : 1 };
			const { result } = await runOurs(vendor, info, c.ourListParameters(vendor, paging), { id: mode });
			assertRun(result, 'our node');
			return result.items;
		};
		return {
			// Nothing of the warm-up may stay referenced (it would count in the baseline).
			prepare: async () => {
				await once('warm');
				// Small listings are dominated by JIT warm-up: a running n8n has done them before.
				for (let i = 0; i < (job.warmRuns ?? 0); i++) await once('full');
				await once('tiny');
			},
			measure: async (keep) => {
				const records = keep(await once('full'));
				if (records.length !== expected) throw new Error(`${contender} returned ${records.length} records, expected ${expected}`);
				return { records: records.length };
			},
		};
	},

	/** Scenario 2: N input items, one record each, at a given concurrency. */
	fanout(job) {
		const { info, ids, concurrency } = job;
		if (job.contender === 'floor' || job.contender === 'floorNewConnection') {
			// Reference: a plain client with `concurrency` keep-alive connections, results in order
			// (floorNewConnection: a new connection for every request, as n8n's request helper does).
			const run = async (list) => {
				const agent = new http.Agent({ keepAlive: job.contender === 'floor', maxSockets: concurrency });
				try {
					const token = await c.pax8Token(agent, info);
					const out = new Array(list.length);
					let next = 0;
					const lane = async () => {
						while (next < list.length) {
							const index = next++;
							const response = await c.requestJson(agent, `${info.url}/v1/subscriptions/${list[index]}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
							if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
							out[index] = response.body;
						}
					};
					await Promise.all(Array.from({ length: concurrency }, lane));
					return out;
				} finally {
					agent.destroy();
				}
			};
			return {
				prepare: async () => {
					await run(ids.slice(0, 20 * concurrency));
				},
				measure: async (keep) => {
					const out = keep(await run(ids));
					return { items: out.length, orderOk: out.every((record, i) => record.id === ids[i]), pairedOk: true };
				},
			};
		}
		// Our node, or (n8nLoop) the same fan-out as a bare node, each GET through n8n's request helper.
		const parameters = {
			resource: 'subscription',
			operation: 'get',
			subscriptionId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			simplify: false,
			options: { concurrency, rateLimit: 0 },
		};
		const items = ids.map((id) => ({ json: { id } }));
		const id = job.contender === 'n8nLoop' ? 'fanout-loop' : 'fanout';
		const cred = credentials('pax8', info, id);
		const run = async (list) => {
			if (job.contender === 'n8nLoop') return await runHelperLoop('pax8', info, { fanOut: { concurrency } }, id, { items: list, creds: cred });
			const { result } = await runOurs('pax8', info, parameters, { items: list, creds: cred });
			assertRun(result, 'fan-out');
			return result.items;
		};
		return {
			// About one second of the same work (20 rounds of `concurrency` items): JIT warm-up.
			prepare: async () => {
				await run(items.slice(0, Math.min(20 * concurrency, items.length)));
			},
			measure: async (keep) => {
				const out = keep(await run(items));
				const orderOk = out.length === ids.length && out.every((item, i) => item.json.id === ids[i]);
				const pairedOk = out.every((item, i) => item.pairedItem?.item === i);
				return { items: out.length, orderOk, pairedOk };
			},
		};
	},

	/** Scenario 3: per-item calls against a rate-limited fake; failures become error items. */
	ratelimit(job) {
		const { vendor, info, ids, options } = job;
		const parameters =
			vendor === 'pax8'
				? { resource: 'subscription', operation: 'get', subscriptionId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, simplify: false, options }
				: { resource: 'customerProfile', operation: 'get', profilesPath: '/customer/profiles', profileId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, simplify: false, options };
		const items = ids.map((id) => ({ json: { id } }));
		return {
			// No warm-up requests (they would use up the rate window being measured); load n8n only.
			prepare: async () => {
				harness();
			},
			measure: async (keep) => {
				const cred = credentials(vendor, info, `ratelimit-${vendor}`);
				const result = await harness().runNode({
					type: c.NODE_TYPE[vendor],
					parameters,
					credentials: cred.credentials,
					credentialsHelper: cred.helper,
					items,
					continueOnFail: true,
				});
				const out = keep(result.items);
				const failed = out.filter((item) => item.json.error !== undefined);
				return {
					items: out.length,
					succeeded: out.length - failed.length,
					failed: failed.length,
					firstError: failed[0]?.json.error,
					status: result.status,
				};
			},
		};
	},

	/** Scenario 4: token requests for N items spread over several executions of one credential. */
	tokens(job) {
		const { vendor, info, ids, executions } = job;
		const parameters =
			vendor === 'pax8'
				? { resource: 'subscription', operation: 'get', subscriptionId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, simplify: true, options: { rateLimit: 0 } }
				: { resource: 'customerProfile', operation: 'get', profilesPath: '/customer/profiles', profileId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, simplify: true, options: { rateLimit: 0 } };
		return {
			// No warm-up requests (the token count is measured); load n8n only.
			prepare: async () => {
				harness();
			},
			measure: async () => {
				// One stored credential, as n8n's database holds it across executions.
				const cred = credentials(vendor, info, `tokens-${vendor}`);
				const perExecution = [];
				let failed = 0;
				for (let e = 0; e < executions; e++) {
					const slice = ids.slice(Math.floor((e * ids.length) / executions), Math.floor(((e + 1) * ids.length) / executions));
					const started = performance.now();
					const { result } = await runOurs(vendor, info, parameters, { items: slice.map((id) => ({ json: { id } })), creds: cred });
					assertRun(result, `execution ${e + 1}`);
					failed += slice.length - result.items.length;
					perExecution.push({ items: slice.length, ms: Math.round(performance.now() - started), preAuthCallsSoFar: cred.helper.preAuthCalls });
				}
				return { items: ids.length, executions, failed, preAuthCalls: cred.helper.preAuthCalls, perExecution };
			},
		};
	},

	/** Scenario 5: a Connect usage file from N records (workbook alone, or the whole operation). */
	usage(job) {
		const { size, mode, info, target } = job;
		const records = (n) =>
			Array.from({ length: n }, (_, i) => {
				const day = String((i % 28) + 1).padStart(2, '0');
				return {
					item_search_criteria: 'item.mpn',
					item_search_value: target.mpn,
					quantity: (i % 97) + 1,
					start_time_utc: `2025-05-${day} 00:00:00`,
					end_time_utc: `2025-05-${day} 23:59:59`,
					asset_search_criteria: 'asset.id',
					asset_search_value: target.asset,
					record_note: `usage line ${i}`,
				};
			});
		if (mode === 'build') {
			const wb = require(path.join(ROOT, 'dist/nodes/CloudBlueConnect/usage/workbook.js'));
			const build = (rows) => {
				const prepared = wb.prepareUsageRecords(rows, { schema: 'QT', categories: [], usageFileId: 'UF-2025-05-0001-0001' });
				if (prepared.problems.length) throw new Error(`records not valid: ${JSON.stringify(prepared.problems.slice(0, 3))}`);
				return wb.buildUsageWorkbook(prepared.rows, [], 'sdk');
			};
			let input;
			return {
				prepare: async () => {
					build(records(200));
					input = records(size);
				},
				measure: async (keep) => {
					const workbook = keep(build(input));
					return { records: size, workbookBytes: workbook.length };
				},
			};
		}
		const parameters = {
			resource: 'usageFile',
			operation: 'createFromRecords',
			productId: { __rl: true, mode: 'id', value: target.product },
			contractId: target.contract,
			name: `bench ${size}`,
			periodFrom: '2025-05-01',
			periodTo: '2025-05-31',
			currency: 'USD',
			submit: false,
			usageOptions: { schema: 'QT' },
			options: {},
		};
		let items;
		return {
			prepare: async () => {
				items = records(200).map((json) => ({ json }));
				const { result } = await runOurs('connect', info, parameters, { items, id: 'usage' });
				assertRun(result, 'warm-up');
				items = records(size).map((json) => ({ json }));
			},
			measure: async (keep) => {
				const { result } = await runOurs('connect', info, parameters, { items, id: 'usage' });
				assertRun(result, 'usage file');
				const [file] = keep(result.items);
				return { records: size, uploaded: file.json.recordsUploaded, fileStatus: file.json.status };
			},
		};
	},
};

// ------------------------------------------------------------------------------ protocol

function heapUsed() {
	return v8.getHeapStatistics().used_heap_size;
}

/**
 * BENCH_PROFILE_DIR: a CPU profile of the measured part only (not the warm-up) is written there
 * as <kind>-<vendor>-<contender>-<pid>.cpuprofile (open it in Chrome DevTools). Profiling slows
 * the run: the times of such a run are not results.
 */
async function startProfiler() {
	const dir = process.env.BENCH_PROFILE_DIR;
	if (!dir) return undefined;
	const inspector = require('node:inspector/promises');
	const session = new inspector.Session();
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.setSamplingInterval', { interval: 200 });
	await session.post('Profiler.start');
	return {
		async stop(job) {
			const { profile } = await session.post('Profiler.stop');
			const name = [job.kind, job.vendor, job.contender, process.pid].filter(Boolean).join('-');
			require('node:fs').mkdirSync(dir, { recursive: true });
			require('node:fs').writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
			session.disconnect();
		},
	};
}

async function main(job) {
	const started = performance.now();
	// A/B experiments: how many requests of one listing collect() may have in flight.
	if (job.pagesAhead !== undefined) require(path.join(ROOT, 'dist/nodes/shared/pagination.js')).PAGES_AHEAD = job.pagesAhead;
	const impl = JOBS[job.kind](job);
	await impl.prepare();
	const setupMs = performance.now() - started;
	gc();
	const baseline = { rss: process.memoryUsage.rss(), heap: heapUsed() };
	process.send({ type: 'ready' });
	await new Promise((resolve) => process.once('message', resolve));

	let peakHeap = baseline.heap;
	const sampler = setInterval(() => {
		const used = heapUsed();
		if (used > peakHeap) peakHeap = used;
	}, 5);
	let kept;
	const keep = (value) => (kept = value);
	const profiler = await startProfiler();
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	const details = await impl.measure(keep);
	const wallMs = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	await profiler?.stop(job);
	clearInterval(sampler);
	peakHeap = Math.max(peakHeap, heapUsed());
	gc();
	const retainedHeap = heapUsed() - baseline.heap;
	const result = {
		wallMs,
		// CPU this process spent on the measured part (less sensitive to other load than wall time).
		cpuMs: (cpu.user + cpu.system) / 1000,
		setupMs,
		...details,
		memory: {
			peakRssBytes: process.resourceUsage().maxRSS * 1024,
			baselineRssBytes: baseline.rss,
			peakHeapBytes: peakHeap,
			baselineHeapBytes: baseline.heap,
			retainedHeapBytes: retainedHeap,
		},
	};
	kept = undefined;
	return result;
}

process.once('message', (message) => {
	main(message.job).then(
		(result) => process.send({ type: 'result', result }, () => process.exit(0)),
		(error) => process.send({ type: 'error', error: error.stack ?? String(error) }, () => process.exit(1)),
	);
});
process.on('disconnect', () => process.exit(0));
