'use strict';
// Fault matrix (issue 8): for every vendor, 500 mixed operations — reads (Get, Get Many with
// Return All over several pages) and writes (idempotent and not) — run as several n8n executions
// at once, each with many items, continueOnFail on and Concurrency 8, while the vendor's fake
// answers with seeded faults: 5xx 20 % (half of them after the request was processed), dropped
// connections 5 % (half after), slow answers 5 %, 429 with Retry-After 3 % and without 2 %, the
// token endpoint at a quarter of those rates, and every token expiring three times mid-run.
// Afterwards, against the fakes' final state: every read returned the fake's data; every
// idempotent write landed once and succeeded; every non-idempotent write landed at most once
// (once if reported done) and a failed one says so clearly on its own item, with the note to
// check before re-running when it may have landed; one output item per input, in order, paired.
const test = require('node:test');
const assert = require('node:assert/strict');
const pax8 = require('./pax8-helpers.cjs');
const connect = require('./connect-helpers.cjs');
const newstore = require('./newstore-helpers.cjs');
const { RATES, runMatrix, report } = require('./fault-matrix-lib.cjs');
const { COUNTS: PAX8_COUNTS, pax8Cases } = require('./fault-matrix-pax8.cjs');
const { COUNTS: CONNECT_COUNTS, connectCases } = require('./fault-matrix-connect.cjs');
const { PROFILES, prepare, newStoreCases } = require('./fault-matrix-newstore.cjs');

/**
 * Max Retries 6 for every vendor, Backoff Factor 0.01 s (waits of 0.01 s × 2^n, jittered for Pax8
 * and Connect) so that the run takes seconds; a Retry-After still makes the node wait as long.
 */
const MAX_RETRIES = 6;
/** A fixed seed (FAULT_MATRIX_SEED overrides it, to explore others). */
const SEED = Number(process.env.FAULT_MATRIX_SEED ?? 31);
const options = (extra) => (overrides) => ({ concurrency: 8, maxRetries: MAX_RETRIES, ...extra, ...(overrides ?? {}) });
const chaos = (tokenPath) => ({ seed: SEED, rates: RATES, scale: tokenPath ? [{ path: tokenPath, factor: 0.25 }] : [] });

function finish(t, summary) {
	t.diagnostic(`seed ${SEED}`);
	for (const line of report(summary).split('\n')) t.diagnostic(line);
	assert.deepEqual(summary.problems, [], `${summary.vendor}: every invariant holds`);
	assert.equal(summary.operations, 500);
	assert.equal(summary.tally.duplicates, 0);
	if (summary.tokens) {
		// One renewal per running execution and expiry (executions do not share a session), plus
		// token requests the token endpoint's own faults made necessary: not one per item.
		const executions = Object.keys(summary.cases).length;
		for (const [i, n] of summary.tokens.phases.entries()) {
			assert.ok(n <= 2 * executions, `${summary.vendor}: ${n} token requests ${i ? `after expiry ${i}` : 'before the first expiry'} for ${executions} executions`);
		}
	}
}

test('fault matrix: 500 operations per vendor under seeded faults', { concurrency: true }, async (t) => {
	// All fakes up (Connect's spec takes a moment to load) before any faults start.
	const [p, c, n] = await Promise.all([
		pax8.setup({ counts: PAX8_COUNTS }),
		connect.setup({ counts: CONNECT_COUNTS }),
		newstore.setup({ profiles: PROFILES }),
	]);
	try {
		// Usage workbooks need an item MPN and an asset of the usage product; listed notes need notes.
		const product = c.fake.ids.usageProducts[0];
		const items = connect.ok(await c.run({ resource: 'product', operation: 'getItems', productId: connect.rl(product), returnAll: true }));
		const [asset] = connect.ok(await c.run({ resource: 'asset', operation: 'getAll', returnAll: false, limit: 1, filters: { product } }));
		await prepare(n.run, n.fake);
		const runs = {
			Pax8: () =>
				runMatrix({
					env: p,
					vendor: 'Pax8',
					cases: pax8Cases(p.fake, options({ rateLimit: 0, backoffFactor: 0.01 })),
					maxRetries: MAX_RETRIES,
					chaos: chaos('/v1/token'),
					// a 401: the node fetches a new token (one request at a time) and repeats the call
					expire: () => p.fake.expireTokens(),
					expireAfterRequests: [150, 500, 850],
					tokens: () => ({ requested: p.fake.requests.filter((r) => r.path === '/v1/token').length, issued: p.fake.tokenRequests }),
				}),
			'CloudBlue Connect': () =>
				// a static API key: no token to expire
				runMatrix({
					env: c,
					vendor: 'CloudBlue Connect',
					cases: connectCases(c.fake, options({ backoffFactor: 0.01 }), { mpn: items.find((i) => i.mpn).mpn, assetId: asset.id }),
					maxRetries: MAX_RETRIES,
					chaos: chaos(),
				}),
			NewStore: () =>
				runMatrix({
					env: n,
					vendor: 'NewStore',
					cases: newStoreCases(n.fake, options({ rateLimit: 0, backoffFactor: 0.01 })),
					maxRetries: MAX_RETRIES,
					chaos: chaos(/\/protocol\/openid-connect\/token$/),
					// a JSON 403: the node fetches a new token (one request at a time) and repeats the call
					expire: () => n.fake.expireTokens(),
					expireAfterRequests: [150, 450, 750],
					tokens: () => ({ requested: newstore.tokenRequests(n.fake).length, issued: n.fake.state.tokenRequests }),
				}),
		};
		// The three vendors at once, each in its own subtest.
		await Promise.all(Object.entries(runs).map(([vendor, run]) => t.test(vendor, async (t) => finish(t, await run()))));
	} finally {
		await Promise.all([p.fake.close(), c.fake.close(), n.fake.close()]);
	}
});
