// Scenario 3: rate limits enforced by the fakes — Pax8's 1,000 calls a minute (scaled to a
// 15-second window), NewStore's per-second tenant limit answered with 429 + Retry-After.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const c = require('../lib/contenders.cjs');

export const title = 'Rate limits';

function casesFor(quick) {
	return [
		{
			name: 'Pax8, node defaults',
			vendor: 'pax8',
			items: quick ? 300 : 500,
			// 1,000 calls a minute, as 250 per 15 s sliding window: the same rate, a shorter run.
			fake: { rateLimit: { limit: 250, windowMs: 15_000, retryAfter: true } },
			allowedPerSecond: 250 / 15,
			options: {},
			describe:
				'Fake: at most 250 calls in any 15 s (= Pax8\'s 1,000 a minute, scaled), 429 with Retry-After beyond. Node: default Options (client-side limit 1,000 calls a minute with a burst of 10, Concurrency 5, Max Retries 3).',
		},
		{
			name: 'Pax8, no client-side limit',
			vendor: 'pax8',
			// Without pacing the node takes a whole window at once: a run of whole windows (2 × 250
			// + 1) measures the rate, not where in a window the run happens to end.
			items: quick ? 251 : 501,
			fake: { rateLimit: { limit: 250, windowMs: 15_000, retryAfter: true } },
			allowedPerSecond: 250 / 15,
			options: { rateLimit: 0 },
			describe:
				'As above, but Options → Rate Limit 0: the node relies on the 429 answers and their Retry-After alone (501 items: two full windows and one call, so the run spans whole windows).',
		},
		{
			name: 'NewStore, node defaults, tenant limit 100/s',
			vendor: 'newstore',
			items: quick ? 500 : 1000,
			fake: { rateLimit: 100 },
			allowedPerSecond: 100,
			options: {},
			describe:
				'Fake: 100 calls a second per tenant (a NewStore development tenant), 429 with Retry-After: 1 beyond. Node: default Options (client-side limit 100 a second, Concurrency 5, Max Retries 3).',
		},
		{
			name: 'NewStore, node defaults, tenant limit 20/s',
			vendor: 'newstore',
			items: quick ? 200 : 400,
			fake: { rateLimit: 20 },
			allowedPerSecond: 20,
			options: {},
			describe:
				'Fake: 20 calls a second (a tenant limit below the node\'s default), 429 with Retry-After: 1 beyond. Node: default Options (client-side limit 100 a second — above the fake\'s, so the node meets 429s and waits as Retry-After says; Concurrency 5, Max Retries 3).',
		},
		{
			name: 'NewStore, Rate Limit 20/s, tenant limit 20/s',
			vendor: 'newstore',
			items: quick ? 200 : 400,
			fake: { rateLimit: 20 },
			allowedPerSecond: 20,
			options: { rateLimit: 20 },
			describe: 'As above, with Options → Rate Limit set to the tenant\'s 20 a second.',
		},
	];
}

export async function run(ctx) {
	const cases = [];
	for (const k of casesFor(ctx.quick)) {
		const records = Math.min(k.items, 1000);
		const fake = await ctx.startFake(k.vendor, c.fakeOptions(k.vendor, records, k.fake));
		try {
			const kind = k.vendor === 'pax8' ? 'pax8.subscriptions' : 'newstore.profiles';
			const ids = await fake.call('ids', { kind, limit: k.items });
			const sample = await ctx.measure({ kind: 'ratelimit', vendor: k.vendor, info: fake.info, ids, options: k.options }, [fake], { timeoutMs: 900_000 });
			const seconds = sample.wallMs / 1000;
			// API calls admitted by the fake per second of the run (token requests are not limited).
			const admitted = sample.fake.apiRequests - sample.fake.rateLimited;
			const throughput = sample.succeeded / seconds;
			cases.push({
				name: k.name,
				vendor: k.vendor,
				setup: k.describe,
				items: k.items,
				allowedPerSecond: k.allowedPerSecond,
				wallMs: sample.wallMs,
				succeeded: sample.succeeded,
				failed: sample.failed,
				firstError: sample.firstError,
				requests: sample.fake.requests,
				admitted,
				rateLimited: sample.fake.rateLimited,
				throughputPerSecond: throughput,
				throughputRatio: throughput / k.allowedPerSecond,
				sample,
			});
			ctx.log(`rate-limit ${k.name}: ${sample.succeeded}/${k.items} ok, ${sample.failed} failed, ${sample.fake.rateLimited} × 429, ${throughput.toFixed(1)}/s of ${k.allowedPerSecond.toFixed(1)}/s allowed`);
		} finally {
			await fake.close();
		}
	}
	return {
		cases,
		goals: cases.flatMap((k) => [
			{ goal: `${k.name}: zero failed items`, met: k.failed === 0, factor: k.failed },
			{ goal: `${k.name}: throughput ≥ 90 % of the allowed ${k.allowedPerSecond.toFixed(1)}/s`, met: k.throughputRatio >= 0.9, factor: k.throughputRatio },
		]),
	};
}
