'use strict';
// NewStore credential and transport rules: one token per credential while it is valid, a new
// one shortly before it expires or once when NewStore refuses it as expired (403 with JSON);
// never a blind retry of a 403 (an HTML 403 is NewStore's IP block, a scope 403 names the
// scope); Retry-After, backoff factor and the statuses retried; no secret in any output.
const test = require('node:test');
const assert = require('node:assert/strict');
const { setup, rl, ok, apiRequests, tokenRequests, SECRET, CLIENT_ID, h } = require('./newstore-helpers.cjs');

const stock = (env) => {
	const [key] = [...env.fake.state.stock.keys()];
	const [productId, fulfillmentNodeId] = key.split('|');
	return { resource: 'inventory', operation: 'getStockInsights', productId, fulfillmentNodeId };
};
const items = (n) => Array.from({ length: n }, (_, i) => ({ json: { i } }));

test('credential Test: a token and one call; wrong secret, unknown tenant and refused token fail clearly without the secret', async () => {
	const env = await setup();
	try {
		const data = env.store.get('newstore-1').data;
		const good = await h.testCredential('newStoreApi', { ...data });
		assert.equal(good.status, 'OK', good.message);
		assert.ok(apiRequests(env.fake).some((r) => r.path === '/api/v1/org/integrations/eventstream'));
		const wrong = await h.testCredential('newStoreApi', { ...data, clientSecret: 'nope-SECRET-XYZ' });
		assert.equal(wrong.status, 'Error');
		assert.match(wrong.message, /did not issue an access token \(HTTP 401, invalid_client/);
		assert.ok(!wrong.message.includes('nope-SECRET-XYZ'));
		const realm = await h.testCredential('newStoreApi', { ...data, tokenUrl: env.fake.tokenUrl.replace('/realms/acme/', '/realms/nobody/') });
		assert.match(realm.message, /HTTP 404.*The tenant is not known to NewStore/);
		const token = await h.testCredential('newStoreApi', { ...data, authentication: 'accessToken', accessToken: 'not-a-token' });
		assert.equal(token.status, 'Error');
	} finally {
		await env.fake.close();
	}
});

test('one token for many items and executions; a stored token near expiry is renewed before it is used', async () => {
	const env = await setup({ tokenTtlSeconds: 3600 });
	try {
		ok(await env.run({ ...stock(env), options: { concurrency: 5 } }, { items: items(12) }));
		ok(await env.run({ ...stock(env), options: { concurrency: 5 } }, { items: items(12) }));
		assert.equal(tokenRequests(env.fake).length, 1);
		const stored = env.store.get('newstore-1').data;
		assert.ok(stored.sessionToken && stored.sessionExpiresAt > Date.now() + 3_000_000, 'token and expiry kept with the credential');
		// 30 s left: inside the one-minute margin, so the next run fetches a new token first.
		stored.sessionExpiresAt = Date.now() + 30_000;
		ok(await env.run({ ...stock(env), options: { concurrency: 5 } }, { items: items(8) }));
		assert.equal(tokenRequests(env.fake).length, 2, 'exactly one renewal for 8 parallel items');
		assert.equal(apiRequests(env.fake).filter((r) => r.status === 403).length, 0);
	} finally {
		await env.fake.close();
	}
});

test('a token NewStore refuses as expired (JSON 403) is renewed once and the call repeated; a second refusal is reported', async () => {
	const env = await setup();
	try {
		ok(await env.run(stock(env)));
		env.fake.expireTokens();
		const [insight] = ok(await env.run({ ...stock(env), options: { concurrency: 4 } }, { items: items(6) }));
		assert.ok(insight.product_id);
		assert.equal(tokenRequests(env.fake).length, 2, 'one renewal although several items were refused');
		// Expire again and let every token request fail: the refusal is reported, not retried forever.
		env.fake.expireTokens();
		env.fake.inject({ path: '/auth/realms', status: 503, times: 5 });
		const failed = await env.run({ ...stock(env), options: { maxRetries: 0 } });
		assert.ok(failed.error, 'fails');
		assert.ok(apiRequests(env.fake).filter((r) => r.status === 403).length <= 3);
	} finally {
		await env.fake.close();
	}
});

test('an IP block (HTML 403) fails at once: one request, no retry, no token renewal, a five-minute message', async () => {
	const env = await setup();
	try {
		ok(await env.run(stock(env)));
		const tokensBefore = tokenRequests(env.fake).length;
		const before = apiRequests(env.fake).length;
		env.fake.blockIp(60_000);
		const result = await env.run({ ...stock(env), options: { maxRetries: 5 } });
		env.fake.blockIp(0);
		assert.match(result.error.message, /blocked this client for about five minutes/);
		assert.match(result.error.description, /Wait five minutes/);
		assert.equal(apiRequests(env.fake).length - before, 1, 'sent once');
		assert.equal(tokenRequests(env.fake).length, tokensBefore, 'no token renewal');
	} finally {
		await env.fake.close();
	}
});

test('a 403 for a missing scope names the scope and is not retried', async () => {
	const env = await setup({ clients: { scoped: { secret: 'scoped-secret', scopes: ['customer:profile:read'] } } }, { clientId: 'scoped', clientSecret: 'scoped-secret', scope: 'customer:profile:read' });
	try {
		const [someone] = [...env.fake.state.profiles.values()];
		ok(await env.run({ resource: 'customerProfile', operation: 'get', profilesPath: '/customer/profiles', profileId: rl(someone.id) }));
		const before = apiRequests(env.fake).length;
		const tokens = tokenRequests(env.fake).length;
		const result = await env.run({ resource: 'customerProfile', operation: 'requestDeletion', profilesPath: '/customer/profiles', profileId: rl(someone.id) });
		assert.match(result.error.message, /lacks the scope "customer:profile:write"/);
		assert.match(result.error.description, /Add the scope "customer:profile:write"/);
		assert.equal(apiRequests(env.fake).length - before, 1);
		assert.equal(tokenRequests(env.fake).length, tokens);
		assert.equal(tokenRequests(env.fake)[0].body.scope, 'customer:profile:read');
	} finally {
		await env.fake.close();
	}
});

test('an access token is used as given and never renewed', async () => {
	const env = await setup();
	try {
		const response = await fetch(env.fake.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET }).toString(),
		});
		const { access_token: token } = await response.json();
		const data = env.store.get('newstore-1').data;
		Object.assign(data, { authentication: 'accessToken', accessToken: `Bearer ${token}` });
		const tokens = tokenRequests(env.fake).length;
		ok(await env.run(stock(env)));
		env.fake.expireTokens();
		const refused = await env.run(stock(env));
		assert.equal(refused.error.httpCode, '403');
		assert.match(refused.error.description, /Access Token is used as given/);
		assert.equal(tokenRequests(env.fake).length, tokens, 'no token requests');
	} finally {
		await env.fake.close();
	}
});

test('429 with Retry-After is waited out, for writes too; a backoff factor paces 5xx retries of reads only', async () => {
	const env = await setup();
	try {
		const order = [...env.fake.state.orders.values()][0];
		env.fake.inject({ method: 'POST', path: `/v0/d/orders/${order.id}/notes`, status: 429, headers: { 'retry-after': '1' }, times: 1 });
		const started = Date.now();
		ok(await env.run({ resource: 'orderNote', operation: 'create', orderId: order.id, text: 'after 429', source: 'n8n', sourceType: 'integration', tags: '' }));
		assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
		assert.equal(apiRequests(env.fake).filter((r) => r.method === 'POST' && r.path.endsWith('/notes')).length, 2);
		// A write answered 503 may have been processed: not repeated.
		env.fake.inject({ method: 'POST', path: `/v0/d/orders/${order.id}/notes`, status: 503, times: 1 });
		const failed = await env.run({ resource: 'orderNote', operation: 'create', orderId: order.id, text: 'after 503', source: 'n8n', sourceType: 'integration', tags: '', options: { backoffFactor: 0.01 } });
		assert.equal(failed.error.httpCode, '503');
		assert.equal(apiRequests(env.fake).filter((r) => r.method === 'POST' && r.path.endsWith('/notes')).length, 3);
		// A read: retried on the listed statuses only.
		env.fake.inject({ path: '/v0/stock', status: 502, times: 2 });
		ok(await env.run({ ...stock(env), options: { backoffFactor: 0.01 } }));
		env.fake.inject({ path: '/v0/stock', status: 502, times: 1 });
		const unlisted = await env.run({ ...stock(env), options: { backoffFactor: 0.01, retryOnStatuses: '500, 503' } });
		assert.equal(unlisted.error.httpCode, '502');
		const bad = await env.run({ ...stock(env), options: { retryOnStatuses: '500, teapot' } });
		assert.match(bad.error.message, /Retry On Statuses" must list HTTP error statuses .*"teapot"/);
	} finally {
		await env.fake.close();
	}
});

test('Return All of a profile search stops at the 10,000 ceiling with a hint', async () => {
	const env = await setup({ profiles: 10_120 });
	try {
		const result = await env.run({ resource: 'customerProfile', operation: 'getAll', profilesPath: '/customer/profiles', returnAll: true, simplify: true, options: { rateLimit: 0 } });
		const output = ok(result);
		assert.equal(output.length, 10_000);
		const pages = apiRequests(env.fake).filter((r) => r.path === '/customer/profiles');
		assert.equal(pages.length, 20);
		assert.ok(pages.every((r) => Number(r.query.offset) + Number(r.query.count) <= 10_000));
		const hints = result.run.data.resultData.runData.Node[0].hints ?? [];
		assert.ok(hints.some((hint) => /at most the first 10,000 profiles/.test(hint.message)), JSON.stringify(hints));
	} finally {
		await env.fake.close();
	}
});

test('no secret appears in outputs, errors or logs of succeeding and failing runs', async () => {
	const env = await setup();
	try {
		h.logLines.splice(0);
		const runs = [
			await env.run(stock(env)),
			await env.run({ resource: 'eventStream', operation: 'create', id: 'leak-check', callbackUrl: 'https://example.com/h', apiKey: 'CALLBACK-KEY-777', additionalFields: {} }),
			await env.run({ resource: 'eventStream', operation: 'getAll', returnAll: true }),
			await env.run({ ...stock(env), productId: 'has space' }),
		];
		env.fake.blockIp(10_000);
		runs.push(await env.run(stock(env)));
		env.fake.blockIp(0);
		env.fake.expireTokens();
		env.fake.inject({ path: '/auth/realms', status: 401, body: { error: 'invalid_client' }, times: 3 });
		runs.push(await env.run(stock(env)));
		const tokens = [...env.fake.state.tokens.keys()];
		const secrets = [SECRET, 'CALLBACK-KEY-777', ...tokens];
		const text = JSON.stringify(runs.map((r) => ({ items: r.items, error: r.error && { message: r.error.message, description: r.error.description, context: r.error.context } }))) + JSON.stringify(h.logLines);
		for (const secret of secrets) assert.ok(!text.includes(secret), `leaked ${secret.slice(0, 6)}…`);
	} finally {
		await env.fake.close();
	}
});
