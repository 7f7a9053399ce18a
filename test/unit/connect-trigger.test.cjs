'use strict';
// The CloudBlue Connect Trigger through n8n-core's PollContext, HookContext and WebhookContext,
// against the fake Connect: polling emits each request once; webhook mode registers per product,
// accepts only deliveries signed with its secret, and removes its registration.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { setup, ok, h } = require('./connect-helpers.cjs');

let env;
test.before(async () => {
	env = await setup();
});
test.after(async () => env.fake.close());
test.afterEach(() => assert.deepEqual(env.fake.violations.splice(0), []));

const product = () => env.fake.ids.products[0];
/** A product the polling tests leave alone, for the webhook test. */
const hooked = () => env.fake.ids.products[2];
const trigger = (parameters) =>
	h.triggerWorkflow({ type: 'cloudBlueConnectTrigger', parameters: { options: {}, ...parameters }, credentials: { cloudBlueConnectApi: env.credential } });
const poll = (t, mode = 'trigger') => h.poll(t, { credentialsHelper: env.helper, mode });
const ids = (result) => (result ? result[0].map((i) => i.json.id) : []);

test('polling: no flood on activation, each new request exactly once, even with equal timestamps', async () => {
	const t = trigger({ mode: 'polling', event: 'fulfillmentRequest', products: product(), statuses: ['pending'], types: [] });
	assert.equal(await poll(t), null, 'first activation emits nothing');
	assert.equal(await poll(t), null);
	const at = new Date(Date.now() + 60_000).toISOString();
	const added = [1, 2, 3].map(() => env.fake.addRequest({ productId: product(), created: at }).id);
	assert.deepEqual(ids(await poll(t)).sort(), [...added].sort());
	assert.equal(await poll(t), null, 'not again');
	// One more with the very same timestamp, and one of another product (filtered out).
	const late = env.fake.addRequest({ productId: product(), created: at }).id;
	env.fake.addRequest({ productId: env.fake.ids.products[1], created: at });
	assert.deepEqual(ids(await poll(t)), [late]);
	assert.equal(await poll(t), null);
});

test('polling: a manual run returns a sample and leaves the cursor alone', async () => {
	const t = trigger({ mode: 'polling', event: 'fulfillmentRequest', products: product(), statuses: ['pending'], types: [], options: { simplify: true } });
	assert.equal(await poll(t), null);
	const state = JSON.stringify(t.workflow.staticData);
	const sample = await poll(t, 'manual');
	assert.equal(sample[0].length, 1);
	assert.ok(sample[0][0].json.id.startsWith('PR-') && 'params' in sample[0][0].json, 'simplified');
	assert.equal(JSON.stringify(t.workflow.staticData), state);
});

test('polling: requests needing migration can be skipped', async () => {
	const t = trigger({ mode: 'polling', event: 'fulfillmentRequest', products: product(), statuses: ['pending'], types: [], options: { skipMigration: true } });
	await poll(t);
	const at = new Date(Date.now() + 120_000).toISOString();
	const migrating = env.fake.addRequest({ productId: product(), created: at, params: { migration_info: '{"legacy":"X-1"}' } }).id;
	const normal = env.fake.addRequest({ productId: product(), created: at }).id;
	const emitted = ids(await poll(t));
	assert.ok(emitted.includes(normal) && !emitted.includes(migrating));
});

test('polling: usage file status changes', async () => {
	const t = trigger({ mode: 'polling', event: 'usageFileStatus', products: '', statuses: ['pending'] });
	assert.equal(await poll(t), null);
	const ready = [...env.fake.state.usageFiles.values()].find((f) => f.status === 'ready');
	ok(await env.run({ resource: 'usageFile', operation: 'submit', usageFileId: { __rl: true, mode: 'id', value: ready.id } }));
	const result = await poll(t);
	assert.deepEqual(ids(result), [ready.id]);
	assert.equal(result[0][0].json.status, 'pending');
	assert.equal(await poll(t), null);
});

test('webhook: register per product, signed deliveries start runs, forged or expired ones get 401, delete removes', async () => {
	// A tiny receiver standing in for n8n's webhook endpoint: it hands each delivery to the node.
	let t;
	const outcomes = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c) => (raw += c));
		req.on('end', async () => {
			const result = await h.deliver(t, { credentialsHelper: env.helper, headers: req.headers, body: JSON.parse(raw || '{}') });
			outcomes.push(result);
			res.writeHead(result.status).end();
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${server.address().port}/webhook`;
	try {
		t = trigger({ mode: 'webhook', event: 'fulfillmentRequest', products: `${hooked()}, ${env.fake.ids.products[3]}`, statuses: ['pending'], types: [] });
		const hook = (method) => h.webhookMethod(t, method, { credentialsHelper: env.helper, webhookBaseUrl: base });
		assert.equal(await hook('checkExists'), false);
		assert.equal(await hook('create'), true);
		const url = h.webhookUrl(t, base);
		const registered = [...env.fake.state.webhooks.values()].filter((w) => w.external_url === url);
		assert.equal(registered.length, 2, 'one registration per product');
		assert.ok(registered.every((w) => w.active && w.object_class === 'fulfillment_request' && w.jwt_secret.startsWith('JWT-')));
		assert.equal(await hook('checkExists'), true);

		const created = env.fake.addRequest({ productId: hooked(), created: new Date(Date.now() + 180_000).toISOString() }).id;
		const [delivery] = (await env.fake.emit('fulfillment_request', hooked())).filter((d) => d.url === url);
		assert.equal(delivery.status, 200);
		const first = outcomes.at(-1);
		assert.deepEqual(
			first.workflowData[0].map((i) => i.json.id),
			[created],
			'only what changed after registration: requests pending before it are not replayed',
		);

		// Forged: right shape, wrong secret. Missing header. Expired token.
		const forged = env.fake.signJwt('JWT-not-the-secret', { iat: Math.floor(Date.now() / 1000) });
		assert.equal((await h.deliver(t, { credentialsHelper: env.helper, headers: { Authentication: `Bearer ${forged}` }, body: {} })).status, 401);
		assert.equal((await h.deliver(t, { credentialsHelper: env.helper, headers: {}, body: {} })).status, 401);
		const secret = Object.values(t.workflow.staticData).find((v) => v?.webhookSecret)?.webhookSecret;
		assert.ok(secret);
		const expired = env.fake.signJwt(secret, { iat: 1, exp: 2 });
		assert.equal((await h.deliver(t, { credentialsHelper: env.helper, headers: { Authentication: `Bearer ${expired}` }, body: {} })).status, 401);
		// A later delivery says the previous one succeeded after the request: nothing is emitted again.
		const valid = env.fake.signJwt(secret, { iat: Math.floor(Date.now() / 1000) });
		const later = await h.deliver(t, {
			credentialsHelper: env.helper,
			headers: { Authentication: `Bearer ${valid}` },
			body: { object_class: 'fulfillment_requests', product_id: hooked(), last_success_at: new Date(Date.now() + 240_000).toISOString() },
		});
		assert.equal(later.status, 200);
		assert.deepEqual(later.workflowData[0], []);

		assert.equal(await hook('delete'), true);
		assert.equal([...env.fake.state.webhooks.values()].filter((w) => w.external_url === url).length, 0);
		assert.equal(await hook('checkExists'), false);
		assert.equal(await hook('delete'), true, 'deleting again is harmless');
	} finally {
		server.close();
	}
});

test('webhook mode without products is refused with a clear message', async () => {
	const t = trigger({ mode: 'webhook', event: 'fulfillmentRequest', products: '', statuses: ['pending'], types: [] });
	await assert.rejects(h.webhookMethod(t, 'create', { credentialsHelper: env.helper, webhookBaseUrl: 'http://127.0.0.1:1/webhook' }), /Product IDs" is required in webhook mode/);
});
