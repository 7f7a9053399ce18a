'use strict';
// What the fault matrix found, each pinned down on its own: token requests that fail are retried
// (the API request was never sent, so writes too); a write that may have landed says so and names
// the vendor; NewStore's concurrent token renewal never sends an empty token and renews once per
// execution; a token that expires again after a counted retry is renewed again. And the fakes'
// chaos mode itself: seeded, reproducible, counted.
const test = require('node:test');
const assert = require('node:assert/strict');
const pax8 = require('./pax8-helpers.cjs');
const newstore = require('./newstore-helpers.cjs');
const { startFakeServer } = require('../fakes/common.cjs');

const CHECK = /may already have been processed: check the result in Pax8 before running it again/;
const company = (name) => ({ resource: 'company', operation: 'create', name, phone: '555', website: 'https://x.example', street: 's', city: 'c', postalCode: '1', country: 'US' });

test('Pax8: a token request answered 503 or dropped is retried, for a read and for a create (never sent)', async () => {
	const env = await pax8.setup();
	try {
		const id = pax8.all(env.fake.state.companies)[0].id;
		env.fake.expireTokens();
		env.fake.inject({ method: 'POST', path: '/v1/token', status: 503 });
		env.fake.inject({ method: 'POST', path: '/v1/token', drop: true });
		const [got] = pax8.ok(await env.run({ resource: 'company', operation: 'get', companyId: pax8.rl(id), simplify: false }));
		assert.equal(got.id, id);
		env.fake.expireTokens();
		env.fake.inject({ method: 'POST', path: '/v1/token', status: 502 });
		const before = pax8.all(env.fake.state.companies).length;
		const [created] = pax8.ok(await env.run(company('Token Retry Ltd')));
		assert.equal(created.name, 'Token Retry Ltd');
		assert.equal(pax8.all(env.fake.state.companies).length, before + 1, 'created once');
		// with no retries left: the credential's message, the trace says no token, no "check" note
		env.fake.expireTokens();
		env.fake.inject({ method: 'POST', path: '/v1/token', status: 503 });
		const failed = await env.run({ ...company('Never Sent Ltd'), options: { maxRetries: 0 } });
		assert.match(failed.error.message, /^Pax8 did not issue an access token \(HTTP 503.*\)\. The token service is unavailable or busy/);
		// the expired token's 401 first (the renewal is not a counted retry), then the failed renewal
		assert.match(failed.error.description, /#1 POST .*\/v1\/companies → HTTP 401 .*\n#2 POST .*\/v1\/companies → no token \(HTTP 503 from the token URL\)/);
		assert.doesNotMatch(failed.error.description, /#3 /);
		assert.doesNotMatch(failed.error.description, CHECK);
		assert.equal(pax8.all(env.fake.state.companies).length, before + 1);
	} finally {
		await env.fake.close();
	}
});

test('Pax8: a create that may have landed names the vendor and status (5xx) or the network failure (drop), and says to check', async () => {
	const env = await pax8.setup();
	try {
		env.fake.inject({ method: 'POST', path: '/v1/companies', status: 502, afterHandler: true, body: { type: 'BAD_GATEWAY', message: 'Bad Gateway', status: 502 } });
		const gateway = await env.run(company('Five Hundred Ltd'), { continueOnFail: true });
		assert.equal(gateway.items[0].json.error, 'Pax8 answered HTTP 502: Bad Gateway');
		assert.equal(gateway.items[0].json.httpCode, '502');
		assert.match(gateway.items[0].json.description, CHECK);
		env.fake.inject({ method: 'POST', path: '/v1/companies', drop: true, afterHandler: true });
		const dropped = await env.run(company('Dropped Ltd'), { continueOnFail: true });
		// not n8n's generic "…You can retry the request immediately…"
		assert.equal(dropped.items[0].json.error, 'Pax8 could not be reached (ECONNRESET)');
		assert.match(dropped.items[0].json.description, CHECK);
		// a 429 first, then a 503: still a write that may have landed
		env.fake.inject({ method: 'POST', path: '/v1/companies', status: 429, headers: { 'Retry-After': '0' } });
		env.fake.inject({ method: 'POST', path: '/v1/companies', status: 503, afterHandler: true });
		const late = await env.run(company('Late Ltd'), { continueOnFail: true });
		assert.match(late.items[0].json.description, /#1 POST .* → HTTP 429[\s\S]*#2 POST .* → HTTP 503/);
		assert.match(late.items[0].json.description, CHECK);
		for (const name of ['Five Hundred Ltd', 'Dropped Ltd', 'Late Ltd']) {
			assert.equal(pax8.all(env.fake.state.companies).filter((c) => c.name === name).length, 1, `${name} exists once`);
		}
		// a read that fails for good: no "check" note (nothing to check)
		env.fake.inject({ method: 'GET', path: '/v1/products', status: 500, times: 2 });
		const read = await env.run({ resource: 'product', operation: 'getAll', returnAll: false, limit: 1, options: { maxRetries: 1 } }, { continueOnFail: true });
		assert.equal(read.items[0].json.error, 'Pax8 answered HTTP 500: Internal Server Error');
		assert.doesNotMatch(read.items[0].json.description, CHECK);
		assert.deepEqual(env.fake.violations, []);
	} finally {
		await env.fake.close();
	}
});

const profiles = (env, n) => [...env.fake.state.profiles.values()].slice(0, n).map((p) => ({ json: { id: p.id } }));
const profileGet = (options = {}) => ({ resource: 'customerProfile', operation: 'get', profileId: newstore.rl('={{ $json.id }}'), options: { concurrency: 8, backoffFactor: 0.01, ...options } });

test('NewStore: tokens expiring while items run: one renewal per expiry, never a request without a token', async () => {
	const env = await newstore.setup({ latencyMs: 5, profiles: 300 });
	try {
		newstore.ok(await env.run(profileGet(), { items: profiles(env, 1) }));
		const tokensBefore = newstore.tokenRequests(env.fake).length;
		const apiBefore = newstore.apiRequests(env.fake).length;
		// expire while requests are on their way, twice
		let expiries = 0;
		const timer = setInterval(() => {
			const sent = newstore.apiRequests(env.fake).length - apiBefore;
			if ((expiries === 0 && sent >= 20) || (expiries === 1 && sent >= 150)) {
				expiries++;
				env.fake.expireTokens();
			}
		}, 1);
		const out = newstore.ok(await env.run(profileGet({ concurrency: 10 }), { items: profiles(env, 300) }));
		clearInterval(timer);
		assert.equal(expiries, 2);
		assert.equal(out.length, 300);
		const sent = newstore.apiRequests(env.fake).slice(apiBefore);
		assert.deepEqual(sent.filter((r) => !/^Bearer \S+$/.test(r.headers.authorization)).length, 0, 'every request carries a token');
		assert.equal(newstore.tokenRequests(env.fake).length - tokensBefore, 2, 'one renewal per expiry');
	} finally {
		await env.fake.close();
	}
});

test('NewStore: a renewal failing at the token URL is retried; a token expiring again after a retry is renewed again', async () => {
	const env = await newstore.setup();
	try {
		const [one] = profiles(env, 1);
		newstore.ok(await env.run(profileGet(), { items: [one] }));
		// 403 (expired) → renewal: the token URL answers 503 once → renewal again → 200
		env.fake.expireTokens();
		env.fake.inject({ path: '/auth/realms', status: 503 });
		const [got] = newstore.ok(await env.run(profileGet(), { items: [one] }));
		assert.equal(got.id, one.json.id);
		// 403 → renewal → 503 (a counted retry) → meanwhile the new token expires → 403 → renewal → 200
		env.fake.expireTokens();
		env.fake.inject({ method: 'GET', path: '/customer/profiles/', status: 503, times: 2 });
		const expireLater = setInterval(() => {
			if (newstore.apiRequests(env.fake).filter((r) => r.status === 503).length >= 2) {
				clearInterval(expireLater);
				env.fake.expireTokens();
			}
		}, 1);
		const result = await env.run(profileGet({ backoffFactor: 0.2 }), { items: [one] });
		clearInterval(expireLater);
		assert.equal(result.error?.message, undefined, result.error?.description);
		// a refusal of the repeat right after a renewal is final (a credential NewStore refuses)
		env.fake.expireTokens();
		const refused = newstore.apiRequests(env.fake).length;
		env.fake.inject({ method: 'GET', path: '/customer/profiles/', status: 403, body: { message: 'The access token is expired or invalid.' }, times: 5 });
		const failed = await env.run(profileGet(), { items: [one] });
		assert.equal(failed.error.httpCode, '403');
		assert.equal(newstore.apiRequests(env.fake).length - refused, 2, 'the call and one repeat');
	} finally {
		await env.fake.close();
	}
});

test('chaos mode: seeded faults, the same for the same requests whatever their order, counted by kind', async () => {
	const fake = await startFakeServer({ handle: async () => ({ status: 200, body: { ok: true } }), errorBody: (status) => ({ status }) });
	try {
		const send = async (path) => {
			try {
				return (await fetch(`${fake.url}${path}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status;
			} catch {
				return 'dropped';
			}
		};
		const paths = Array.from({ length: 200 }, (_, i) => `/items/${i}`);
		const rates = { error5xx: 0.2, drop: 0.05, slow: 0.05, r429: 0.03, r429NoRetryAfter: 0.02 };
		fake.chaos({ seed: 42, rates, slowMs: 10, exclude: ['/items/7'] });
		const first = [];
		for (const path of paths) first.push(await send(path));
		const stats = { ...fake.chaosStats };
		fake.chaos({ seed: 42, rates, slowMs: 10, exclude: ['/items/7'] });
		const second = await Promise.all([...paths].reverse().map(send));
		assert.deepEqual(second.reverse(), first, 'same request, same fault, in any order');
		assert.equal(stats.requests, 200);
		assert.equal(stats.faulted, stats.error5xx + stats.drop + stats.r429 + stats.r429NoRetryAfter + stats.slow);
		assert.equal(first.filter((s) => s >= 500).length, stats.error5xx);
		assert.equal(first.filter((s) => s === 'dropped').length, stats.drop);
		assert.equal(first.filter((s) => s === 429).length, stats.r429 + stats.r429NoRetryAfter);
		assert.ok(stats.error5xx > 20 && stats.error5xx < 60, `about 20 % 5xx: ${stats.error5xx}`);
		assert.ok(stats.error5xxAfterHandler > 0 && stats.error5xxAfterHandler < stats.error5xx, 'some after the handler ran');
		assert.equal(first[7], 200, 'excluded path');
		// a repeat of a request is a new draw; null stops the faults
		fake.chaos(null);
		assert.deepEqual(await Promise.all(paths.slice(0, 20).map(send)), paths.slice(0, 20).map(() => 200));
	} finally {
		await fake.close();
	}
});
