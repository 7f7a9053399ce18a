// Scenario 2: fan-out — N input items each fetching one Pax8 subscription, the fake adding a
// fixed latency to every answer, at several concurrency settings; vs. the bound N × latency ÷ c.
import { createRequire } from 'node:module';

import { summary } from '../lib/stats.mjs';

const require = createRequire(import.meta.url);
const c = require('../lib/contenders.cjs');

export const title = 'Fan-out';
const ITEMS = 1000;
const LATENCY_MS = 50;

export async function run(ctx) {
	const concurrencies = ctx.quick ? [5, 20] : [1, 5, 10, 20];
	const fake = await ctx.startFake('pax8', c.fakeOptions('pax8', ITEMS, { latencyMs: LATENCY_MS }));
	const cases = [];
	try {
		const ids = await fake.call('ids', { kind: 'pax8.subscriptions', limit: ITEMS });
		for (const concurrency of concurrencies) {
			const reps = ctx.quick ? 1 : concurrency === 1 ? 2 : 3;
			const samples = [];
			for (let rep = 0; rep < reps; rep++) {
				const sample = await ctx.measure({ kind: 'fanout', info: fake.info, ids, concurrency }, [fake]);
				samples.push({ rep, ...sample });
				ctx.log(`fan-out c=${concurrency} rep ${rep + 1}/${reps}: ${sample.wallMs.toFixed(0)} ms, ${sample.fake.requests} requests, order ${sample.orderOk}, pairedItem ${sample.pairedOk}`);
			}
			const boundMs = (ITEMS * LATENCY_MS) / concurrency;
			const wallMs = summary(samples.map((s) => s.wallMs));
			// Reference: what a plain client with as many keep-alive connections gets from this fake
			// here (not at c = 1, where it only repeats the fake's per-request time for 50 s).
			const reference = concurrency > 1 ? await ctx.measure({ kind: 'fanout', contender: 'floor', info: fake.info, ids, concurrency }, [fake]) : undefined;
			const fresh = concurrency > 1 ? await ctx.measure({ kind: 'fanout', contender: 'floorNewConnection', info: fake.info, ids, concurrency }, [fake]) : undefined;
			if (reference) ctx.log(`fan-out c=${concurrency} plain client: ${reference.wallMs.toFixed(0)} ms, with a new connection per request ${fresh.wallMs.toFixed(0)} ms`);
			// Reference: the same fan-out as a bare node in n8n, each GET through n8n's request helper.
			const n8nLoop = await ctx.measure({ kind: 'fanout', contender: 'n8nLoop', info: fake.info, ids, concurrency }, [fake]);
			ctx.log(`fan-out c=${concurrency} n8n helper loop: ${n8nLoop.wallMs.toFixed(0)} ms`);
			cases.push({
				concurrency,
				items: ITEMS,
				latencyMs: LATENCY_MS,
				boundMs,
				repetitions: reps,
				wallMs,
				ratioToBound: wallMs.median / boundMs,
				requests: summary(samples.map((s) => s.fake.requests)),
				orderOk: samples.every((s) => s.orderOk),
				pairedItemOk: samples.every((s) => s.pairedOk),
				peakRssMB: summary(samples.map((s) => s.memory.peakRssBytes / 1e6)),
				fakeCpuMsPerRequest: summary(samples.map((s) => s.fake.cpuMs / s.fake.requests)),
				n8nLoop: { wallMs: summary([n8nLoop.wallMs]), ratioToBound: n8nLoop.wallMs / boundMs, orderOk: n8nLoop.orderOk, sample: n8nLoop },
				floorNewConnection: fresh && { wallMs: summary([fresh.wallMs]), ratioToBound: fresh.wallMs / boundMs, sample: fresh },
				floor: reference && { wallMs: summary([reference.wallMs]), ratioToBound: reference.wallMs / boundMs, fakeCpuMsPerRequest: reference.fake.cpuMs / reference.fake.requests, sample: reference },
				samples,
			});
		}
	} finally {
		await fake.close();
	}
	return {
		setup: `${ITEMS} input items → Pax8 "Subscription → Get" by ID ({{ $json.id }}) each; the fake answers every request after ${LATENCY_MS} ms; Options → Concurrency c, Rate Limit 0 (no client-side limit: the fake enforces none). The token is already stored (as after an earlier execution), so every request is one record.`,
		n8nLoopSetup: "a bare node in the same engine (bench/lib/contenders.cjs HelperLoop) sending the same GETs through n8n's httpRequestWithAuthentication with this package's credential, c at once, output in input order (1 run per concurrency): the least any node pays inside n8n, where a new connection is opened for every request.",
		floorSetup: 'one process, the same ids in the same order over `c` node:http keep-alive connections, results kept in input order (1 run per concurrency above 1). It shows what the fake and this machine allow: the fake spends CPU on every request (OpenAPI validation, JSON), so even a plain client exceeds the bound as c grows. "New connection": the same plain client opening a new connection for every request, as n8n\'s request helper does (a new agent per request).',
		cases,
		goals: cases.map((k) => ({
			goal: `concurrency ${k.concurrency}: time ≤ 1.2 × bound (${k.boundMs.toLocaleString('en-US')} ms), output order and pairedItem intact`,
			met: k.ratioToBound <= 1.2 && k.orderOk && k.pairedItemOk,
			factor: k.ratioToBound,
		})),
	};
}
