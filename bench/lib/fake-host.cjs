'use strict';
/**
 * Runs one fake vendor server in its own process, so that its CPU and memory never count
 * against the contender being measured. Controlled over IPC by the orchestrator:
 *   { cmd: 'start', vendor, options }  → { url, apiUrl, tokenUrl, tenant, ids }
 *   { cmd: 'reset' }                   → clears the request log (and the fake's rate window)
 *   { cmd: 'stats' }                   → requests seen since the last reset
 *   { cmd: 'log' }                     → those requests: { ts, status, path }
 *   { cmd: 'set', key, value }         → changes a mutable fake setting (latencyMs, rateLimit)
 *   { cmd: 'close' }                   → stops the server and exits
 */
const path = require('node:path');

const FAKES = path.resolve(__dirname, '../../test/fakes');
let fake;
let vendor;
let cpuAtReset = process.cpuUsage();

function idsOf(kind, limit) {
	const state = fake.state;
	if (kind === 'pax8.subscriptions') return [...state.subscriptions.keys()].slice(0, limit);
	if (kind === 'newstore.profiles') return [...state.profiles.keys()].slice(0, limit);
	if (kind === 'connect.usage') {
		// A usage product, a contract to report under, one of the product's MPNs and an asset of it.
		const product = fake.ids.usageProducts[0];
		const item = state.items.get(product).find((i) => i.mpn);
		let asset;
		for (const candidate of state.assets.values()) {
			if (candidate.product.id === product) {
				asset = candidate.id;
				break;
			}
		}
		return { product, contract: fake.ids.contracts[0], mpn: item.mpn, asset };
	}
	throw new Error(`unknown id kind ${kind}`);
}

async function start({ vendor: name, options }) {
	vendor = name;
	const started = Date.now();
	if (name === 'pax8') fake = await require(path.join(FAKES, 'pax8.cjs')).startFakePax8(options);
	else if (name === 'connect') fake = await require(path.join(FAKES, 'connect.cjs')).startFakeConnect(options);
	else if (name === 'newstore') fake = await require(path.join(FAKES, 'newstore.cjs')).startFakeNewStore(options);
	else throw new Error(`unknown vendor ${name}`);
	return {
		url: fake.url,
		apiUrl: fake.apiUrl,
		tokenUrl: fake.tokenUrl,
		tenant: fake.tenant,
		seededMs: Date.now() - started,
	};
}

function stats() {
	const requests = fake.requests;
	const isToken = (r) => r.path.endsWith('/token');
	const byStatus = {};
	for (const r of requests) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
	return {
		vendor,
		requests: requests.length,
		apiRequests: requests.filter((r) => !isToken(r)).length,
		tokenRequests: requests.filter(isToken).length,
		rateLimited: requests.filter((r) => r.status === 429).length,
		byStatus,
		violations: fake.violations.length,
		firstTs: requests[0]?.ts,
		lastTs: requests.at(-1)?.ts,
		rssMB: Math.round(process.memoryUsage().rss / 1e6),
		// CPU the fake itself spent since the last reset (it runs on its own core when one is free).
		cpuMs: Math.round((process.cpuUsage(cpuAtReset).user + process.cpuUsage(cpuAtReset).system) / 1000),
	};
}

process.on('message', async (message) => {
	const reply = (body) => process.send({ id: message.id, ...body });
	try {
		if (message.cmd === 'start') reply({ result: await start(message) });
		else if (message.cmd === 'ids') reply({ result: idsOf(message.kind, message.limit) });
		else if (message.cmd === 'reset') {
			fake.reset();
			cpuAtReset = process.cpuUsage();
			reply({ result: true });
		} else if (message.cmd === 'stats') reply({ result: stats() });
		else if (message.cmd === 'log') reply({ result: fake.requests.map((r) => ({ ts: r.ts, status: r.status, path: r.path })) });
		else if (message.cmd === 'set') {
			fake[message.key] = message.value;
			reply({ result: true });
		} else if (message.cmd === 'close') {
			if (fake) await fake.close();
			reply({ result: true });
			process.disconnect();
			process.exit(0);
		} else throw new Error(`unknown command ${message.cmd}`);
	} catch (error) {
		reply({ error: error.stack ?? String(error) });
	}
});
// The orchestrator went away: do not outlive it.
process.on('disconnect', () => process.exit(0));
