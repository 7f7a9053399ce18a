'use strict';
// Token reuse and refresh, retries, 429 with Retry-After, writes never duplicated,
// continue-on-fail pairing, bad input rejected before sending, secrets never shown.
const test = require('node:test');
const assert = require('node:assert/strict');
const { setup, all, rl, ok, apiRequests, SECRET, h } = require('./pax8-helpers.cjs');

let env;
test.before(async () => {
	env = await setup();
});
test.after(async () => env.fake.close());
test.afterEach(() => {
	env.fake.reset();
	assert.deepEqual(env.fake.violations, []);
});

const companyIds = () => all(env.fake.state.companies).map((c) => c.id);
const items = (n, f = (i) => ({ i })) => Array.from({ length: n }, (_, i) => ({ json: f(i) }));

test('credential Test: good secrets pass, a wrong secret fails clearly without showing it', async () => {
	const good = await h.testCredential('pax8Api', { clientId: 'n8n-client', clientSecret: SECRET, tokenUrl: `${env.fake.url}/v1/token`, baseUrl: env.fake.url });
	assert.equal(good.status, 'OK', good.message);
	const bad = await h.testCredential('pax8Api', { clientId: 'n8n-client', clientSecret: 'wrong-secret-123', tokenUrl: `${env.fake.url}/v1/token`, baseUrl: env.fake.url });
	assert.equal(bad.status, 'Error');
	assert.match(bad.message, /did not issue an access token \(HTTP 401/);
	assert.doesNotMatch(bad.message, /wrong-secret-123/);
});

test('one token for many items and for a second execution', async () => {
	const tokensBefore = env.fake.tokenRequests;
	const companies = companyIds().slice(0, 12);
	const first = ok(
		await env.run(
			{ resource: 'company', operation: 'get', companyId: rl('={{ $json.id }}'), options: { concurrency: 6 } },
			{ items: companies.map((id) => ({ json: { id } })) },
		),
	);
	assert.equal(first.length, 12);
	ok(await env.run({ resource: 'company', operation: 'get', companyId: rl(companies[0]) }));
	assert.ok(env.fake.tokenRequests - tokensBefore <= 1, `token requests: ${env.fake.tokenRequests - tokensBefore}`);
});

test('an expired token is refreshed once on 401 and the call succeeds', async () => {
	ok(await env.run({ resource: 'company', operation: 'get', companyId: rl(companyIds()[0]) }));
	env.fake.expireTokens();
	const tokensBefore = env.fake.tokenRequests;
	const [company] = ok(await env.run({ resource: 'company', operation: 'get', companyId: rl(companyIds()[0]), simplify: false }));
	assert.equal(company.id, companyIds()[0]);
	assert.equal(env.fake.tokenRequests - tokensBefore, 1);
	assert.ok(env.helper.store.updates.length > 0, 'the new token is stored with the credential');
});

const tokenCalls = () => env.fake.requests.filter((r) => r.path === '/v1/token').length;
const stored = () => env.store.get('pax8-1').data;
const getCompanies = (ids, options = {}) =>
	env.run({ resource: 'company', operation: 'get', companyId: rl('={{ $json.id }}'), options: { concurrency: 8, ...options } }, { items: ids.map((id) => ({ json: { id } })) });
/** Resolves once `check()` holds (polled), or fails after `ms`. */
async function until(check, ms = 5000) {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

test('the token expiry (expires_in, 24 h) is kept with the credential; 30 s before it, one renewal serves 8 parallel items', async () => {
	ok(await env.run({ resource: 'company', operation: 'get', companyId: rl(companyIds()[0]) }));
	assert.ok(stored().accessToken, 'token kept with the credential');
	assert.ok(stored().expiresAt > Date.now() + 86_000_000, `expiry from expires_in 86400: ${stored().expiresAt - Date.now()} ms left`);
	const old = stored().accessToken;
	// 30 s left: inside the one-minute margin, so the next run fetches a new token first.
	stored().expiresAt = Date.now() + 30_000;
	const before = tokenCalls();
	assert.equal(ok(await getCompanies(companyIds().slice(0, 8))).length, 8);
	assert.equal(tokenCalls() - before, 1, 'exactly one token request for 8 parallel items');
	assert.equal(apiRequests(env.fake).filter((r) => r.status === 401).length, 0, 'the old token was not sent');
	assert.notEqual(stored().accessToken, old, 'the new token is stored with the credential');
	assert.ok(stored().expiresAt > Date.now() + 86_000_000, 'with its new expiry');
	// A token stored without an expiry (saved before the field existed) is used until Pax8 refuses it.
	stored().expiresAt = 0;
	const quiet = tokenCalls();
	assert.equal(ok(await getCompanies(companyIds().slice(0, 4))).length, 4);
	assert.equal(tokenCalls(), quiet, 'no token request');
});

test('a token Pax8 refuses mid-run (401) is renewed once for all the items in flight, and each call repeated once', async () => {
	ok(await env.run({ resource: 'company', operation: 'get', companyId: rl(companyIds()[0]) }));
	const ids = companyIds().slice(0, 8);
	const sent = () => env.fake.requests.filter((r) => r.path.startsWith('/v1/companies/')).length;
	const start = sent();
	// Each item's call waits 300 ms at the fake; the token is revoked while items 1–7 wait there.
	env.fake.inject({ method: 'GET', path: '/v1/companies/', times: 8, delayMs: 300 });
	const before = tokenCalls();
	const running = getCompanies(ids);
	await until(() => sent() - start >= 8);
	env.fake.expireTokens();
	const out = ok(await running);
	assert.deepEqual(out.map((c) => c.id), ids);
	const refused = apiRequests(env.fake).filter((r) => r.status === 401).length;
	assert.equal(refused, 7, 'the seven calls in flight were refused');
	assert.equal(tokenCalls() - before, 1, `one renewal for ${refused} refused calls`);
	assert.equal(sent() - start, 8 + 7, 'each refused call repeated once');
});

test('a second 401 after the renewal is reported at once: one renewal, two attempts, a clear message', async () => {
	ok(await env.run({ resource: 'company', operation: 'get', companyId: rl(companyIds()[0]) }));
	const id = companyIds()[1];
	const refusal = { type: 'UNAUTHORIZED', message: 'Access token is invalid or has expired', instance: `/public/v1/companies/${id}`, status: 401 };
	env.fake.inject({ method: 'GET', path: `/v1/companies/${id}`, times: 2, status: 401, body: refusal, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
	const before = tokenCalls();
	const result = await env.run({ resource: 'company', operation: 'get', companyId: rl(id) });
	assert.equal(result.status, 'error');
	assert.equal(result.error.httpCode, '401');
	assert.equal(result.error.message, 'Access token is invalid or has expired');
	assert.match(result.error.description, /also a newly fetched one: check the Client ID, Client Secret and Audience/);
	assert.match(result.error.description, /#1 GET .* → HTTP 401[^]*#2 GET .* → HTTP 401/);
	assert.doesNotMatch(result.error.description, /#3 /);
	assert.equal(tokenCalls() - before, 1, 'one renewal, no loop');
	assert.equal(env.fake.requests.filter((r) => r.path === `/v1/companies/${id}`).length, 2);
	assert.ok(!JSON.stringify(result.error).includes(SECRET));
	for (const token of env.fake.issuedTokens) assert.ok(!JSON.stringify({ m: result.error.message, d: result.error.description }).includes(token));
});

test('a token answer without expires_in is given a one-hour lifetime; expires_in is honoured', async () => {
	const { Pax8Api } = require('../../dist/credentials/Pax8Api.credentials.js');
	const answer = (body) => ({ helpers: { httpRequest: async () => ({ statusCode: 200, headers: {}, body }) } });
	const credentials = { clientId: 'id', clientSecret: SECRET, audience: 'https://api.pax8.com', tokenUrl: 'https://pax8.invalid/v1/token' };
	const now = Date.now();
	const bare = await new Pax8Api().preAuthentication.call(answer({ access_token: 'abc' }), credentials);
	assert.equal(bare.accessToken, 'abc');
	assert.ok(Math.abs(bare.expiresAt - (now + 3_600_000)) < 5000, `one hour: ${bare.expiresAt - now}`);
	const documented = await new Pax8Api().preAuthentication.call(answer({ access_token: 'abc', expires_in: 86400 }), credentials);
	assert.ok(Math.abs(documented.expiresAt - (now + 86_400_000)) < 5000);
});

test('429 with Retry-After is honoured and the read succeeds', async () => {
	env.fake.inject({ method: 'GET', path: '/v1/companies', times: 2, status: 429, headers: { 'Retry-After': '1' }, body: { type: 'TOO_MANY_REQUESTS', message: 'Too many requests', status: 429 } });
	const started = Date.now();
	const out = ok(await env.run({ resource: 'company', operation: 'getAll', returnAll: false, limit: 3 }));
	assert.equal(out.length, 3);
	assert.ok(Date.now() - started >= 1900, 'waited Retry-After twice');
	assert.equal(env.fake.requests.filter((r) => r.status === 429).length, 2);
});

test('a create that reaches Pax8 but answers 500 is not sent again', async () => {
	const before = all(env.fake.state.companies).length;
	env.fake.inject({ method: 'POST', path: '/v1/companies', times: 1, status: 500, afterHandler: true, body: { type: 'INTERNAL_SERVER_ERROR', message: 'Internal error', status: 500 } });
	const result = await env.run({
		resource: 'company',
		operation: 'create',
		name: 'Once Only Ltd',
		phone: '555',
		website: 'https://once.example',
		street: 's',
		city: 'c',
		postalCode: '1',
		country: 'US',
	});
	assert.equal(result.status, 'error');
	assert.equal(result.error.httpCode, '500');
	assert.equal(env.fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/companies').length, 1, 'sent once');
	assert.equal(all(env.fake.state.companies).length, before + 1, 'exactly one company exists');
});

test('a create answered 429 was not processed and is retried', async () => {
	const before = all(env.fake.state.companies).length;
	env.fake.inject({ method: 'POST', path: '/v1/companies', times: 1, status: 429, headers: { 'Retry-After': '0' }, body: { type: 'TOO_MANY_REQUESTS', message: 'slow down', status: 429 } });
	ok(await env.run({ resource: 'company', operation: 'create', name: 'Retry Ltd', phone: '555', website: 'https://r.example', street: 's', city: 'c', postalCode: '1', country: 'US' }));
	assert.equal(all(env.fake.state.companies).length, before + 1);
});

test('reads survive a dropped connection and a 503', async () => {
	env.fake.inject({ method: 'GET', path: '/v1/products', times: 1, drop: true });
	env.fake.inject({ method: 'GET', path: '/v1/products', times: 1, status: 503, body: { type: 'INTERNAL_SERVER_ERROR', message: 'unavailable', status: 503 } });
	const out = ok(await env.run({ resource: 'product', operation: 'getAll', returnAll: false, limit: 2 }));
	assert.equal(out.length, 2);
});

test('continueOnFail: one error item per failed input, in order, correctly paired', async () => {
	const good = companyIds()[0];
	const result = await env.run(
		{ resource: 'company', operation: 'get', companyId: rl('={{ $json.id }}'), simplify: true },
		{
			continueOnFail: true,
			items: [{ json: { id: good } }, { json: { id: 'not-a-uuid' } }, { json: { id: '00000000-0000-4000-8000-000000000000' } }, { json: { id: good } }],
		},
	);
	assert.equal(result.status, 'success');
	assert.deepEqual(result.items.map((i) => i.pairedItem.item), [0, 1, 2, 3]);
	assert.equal(result.items[0].json.id, good);
	assert.match(result.items[1].json.error, /Parameter "Company" must be a UUID.*\[item 1\]/);
	assert.equal(result.items[2].json.httpCode, '404');
	assert.match(result.items[2].json.error, /not found/i);
	assert.match(result.items[2].json.description, /Requests sent:\n#1 GET .*\/v1\/companies\/00000000-0000-4000-8000-000000000000 → HTTP 404/);
	assert.equal(result.items[3].json.id, good);
});

test('bad input fails before any request, naming the parameter and item', async () => {
	const cases = [
		[{ resource: 'company', operation: 'get', companyId: rl('={{ "abc" }}') }, /Parameter "Company" must be a UUID.*\[item 0\]/],
		[{ resource: 'company', operation: 'create', name: 'X', phone: '1', website: 'w', street: 's', city: 'c', postalCode: '1', country: 'USA' }, /Parameter "Country Code" must be a two-letter/],
		[{ resource: 'company', operation: 'create', name: '={{ "  " }}', phone: '1', website: 'w', street: 's', city: 'c', postalCode: '1', country: 'US' }, /Parameter "Name" is required/],
		[{ resource: 'company', operation: 'create', name: 'X', phone: '1', website: 'w', street: 's', city: 'c', postalCode: '1', country: 'US', additionalFields: { contacts: '[{oops' } }, /Parameter "Contacts \(JSON\) \(in Additional Fields\)" is not valid JSON/],
		[{ resource: 'company', operation: 'update', companyId: rl(companyIds()[0]), updateFields: {} }, /Parameter "Update Fields" needs at least one field/],
		[{ resource: 'contact', operation: 'create', companyId: rl(companyIds()[0]), firstName: 'a', lastName: 'b', email: 'not-an-email', phone: '1' }, /Parameter "Email" must be an email address/],
		[{ resource: 'subscription', operation: 'update', subscriptionId: rl(all(env.fake.state.subscriptions)[0].id), updateFields: { provisioningDetails: '[{"key":"a","values":["b"]}]' } }, /at least one of Quantity, Price, Billing Term or Start Date/],
		[{ resource: 'order', operation: 'create', companyId: rl(companyIds()[0]), lineItemsInput: 'json', lineItemsJson: '{"not":"a list"}' }, /Parameter "Line Items \(JSON\)" must be a JSON list/],
		[{ resource: 'order', operation: 'create', companyId: rl(companyIds()[0]), lineItemsInput: 'json', lineItemsJson: '[{"productId":"x","quantity":1,"billingTerm":"Monthly"}]' }, /must be a UUID/],
		[{ resource: 'order', operation: 'create', companyId: rl(companyIds()[0]), lineItemsInput: 'fields', lineItems: {} }, /Parameter "Line Items" needs at least one line item/],
		[{ resource: 'invoice', operation: 'getAll', returnAll: true, filters: { invoiceDate: 'last tuesday' } }, /Parameter "Invoice Date \(in Filters\)" must be a date/],
		[{ resource: 'usageSummary', operation: 'getLines', usageSummaryId: '00000000-0000-4000-8000-000000000000', usageDate: '={{ null }}' }, /Parameter "Usage Date" is required/],
	];
	for (const [parameters, message] of cases) {
		const before = apiRequests(env.fake).length;
		const result = await env.run(parameters);
		assert.equal(result.status, 'error', `${JSON.stringify(parameters)} should fail`);
		assert.match(result.error.message, message);
		assert.equal(result.error.name, 'NodeOperationError');
		assert.equal(apiRequests(env.fake).length, before, `no request sent for ${parameters.operation}`);
	}
});

test('output keeps input order with concurrency, every item paired', async () => {
	env.fake.latencyMs = 20;
	try {
		const ids = companyIds().slice(0, 20);
		const result = await env.run(
			{ resource: 'company', operation: 'get', companyId: rl('={{ $json.id }}'), simplify: true, options: { concurrency: 8 } },
			{ items: ids.map((id) => ({ json: { id } })) },
		);
		const out = ok(result);
		assert.deepEqual(out.map((c) => c.id), ids);
		assert.deepEqual(result.items.map((i) => i.pairedItem.item), ids.map((_, i) => i));
	} finally {
		env.fake.latencyMs = 0;
	}
});

test('Get Many pairs every record with its input item', async () => {
	const result = await env.run({ resource: 'product', operation: 'getAll', returnAll: false, limit: 3 }, { items: items(2) });
	assert.deepEqual(result.items.map((i) => i.pairedItem.item), [0, 0, 0, 1, 1, 1]);
});

test('secrets appear nowhere: outputs, errors, logs', async () => {
	env.fake.expireTokens();
	const runs = [
		await env.run({ resource: 'company', operation: 'get', companyId: rl('00000000-0000-4000-8000-000000000000') }, { continueOnFail: true }),
		await env.run({ resource: 'company', operation: 'get', companyId: rl('00000000-0000-4000-8000-000000000000') }),
		await env.run({ resource: 'company', operation: 'getAll', returnAll: false, limit: 1 }),
	];
	const tokens = [...env.fake.issuedTokens];
	assert.ok(tokens.length > 0);
	const text = JSON.stringify(runs.map((r) => ({ items: r.items, error: r.error && { message: r.error.message, description: r.error.description, context: r.error.context, errorResponse: r.error.errorResponse } }))) + JSON.stringify(h.logLines);
	assert.ok(!text.includes(SECRET), 'client secret leaked');
	for (const token of tokens) assert.ok(!text.includes(token), 'access token leaked');
});

test('Options → Backoff Factor and Retry On Statuses: defaults are the Pax8 policy; set, they change the waits and what is retried', async () => {
	const { Pax8 } = require('../../dist/nodes/Pax8/Pax8.node.js');
	const options = new Pax8().description.properties.find((p) => p.name === 'options').options;
	assert.equal(options.find((o) => o.name === 'backoffFactor').default, 1);
	assert.equal(options.find((o) => o.name === 'retryOnStatuses').default, '408, 429, 500, 502, 503, 504');
	const unavailable = { type: 'INTERNAL_SERVER_ERROR', message: 'Service unavailable', status: 503 };
	env.fake.inject({ method: 'GET', path: '/v1/products', times: 2, status: 503, body: unavailable });
	const started = Date.now();
	assert.equal(ok(await env.run({ resource: 'product', operation: 'getAll', returnAll: false, limit: 1, options: { backoffFactor: 0.01 } })).length, 1);
	assert.ok(Date.now() - started < 1000, `two retries 0.01 s apart, not 1 s: ${Date.now() - started} ms`);
	env.fake.inject({ method: 'GET', path: '/v1/products', times: 1, status: 503, body: unavailable });
	const unlisted = await env.run({ resource: 'product', operation: 'getAll', returnAll: false, limit: 1, options: { retryOnStatuses: '500, 502' } });
	assert.equal(unlisted.error?.httpCode, '503', 'a status not listed is not retried');
	assert.doesNotMatch(unlisted.error.description, /#2 /);
});

test('Max Retries 0: a 503 fails at once with a one-attempt trace', async () => {
	env.fake.inject({ method: 'GET', path: '/v1/products', times: 1, status: 503, body: { type: 'INTERNAL_SERVER_ERROR', message: 'Service unavailable', status: 503 } });
	const result = await env.run({ resource: 'product', operation: 'getAll', returnAll: false, limit: 1, options: { maxRetries: 0 } });
	assert.equal(result.status, 'error');
	assert.equal(result.error.message, 'Pax8 answered HTTP 503: Service unavailable', 'a passing failure names the vendor and status');
	assert.match(result.error.description, /#1 GET .* → HTTP 503/);
	assert.doesNotMatch(result.error.description, /#2 /);
});

test('client-side rate limit is shared by concurrent executions: no 429 from a strict server', async () => {
	// The fake allows 12 calls in any second; the node is limited to 120 a minute (burst 10,
	// then paced), so two executions of 8 items at once never exceed the server's window.
	env.fake.rateLimit = { limit: 12, windowMs: 1000, retryAfter: true };
	try {
		const ids = companyIds().slice(0, 8).map((id) => ({ json: { id } }));
		const params = { resource: 'company', operation: 'get', companyId: rl('={{ $json.id }}'), options: { concurrency: 8, rateLimit: 120, maxRetries: 0 } };
		const runs = await Promise.all([env.run(params, { items: ids }), env.run(params, { items: ids })]);
		for (const result of runs) assert.equal(ok(result).length, 8);
		assert.equal(env.fake.requests.filter((r) => r.status === 429).length, 0, 'no 429s');
	} finally {
		env.fake.rateLimit = null;
	}
});
