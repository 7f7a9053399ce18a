'use strict';
// Hostile deliveries against the three triggers, through n8n-core's WebhookContext: forged,
// missing, expired and replayed authentication start nothing; oversized and malformed bodies get
// a 4xx; repeated activation and deactivation leave exactly one (or zero) registrations.
const test = require('node:test');
const assert = require('node:assert/strict');
const connectEnv = require('./connect-helpers.cjs');
const pax8Env = require('./pax8-helpers.cjs');
const newstoreEnv = require('./newstore-helpers.cjs');
const { h } = require('./vendor-helpers.cjs');

const BASE = 'http://127.0.0.1:9/webhook';
const big = () => ({ padding: 'x'.repeat(1024 * 1024 + 10) });
let connect, pax8, newstore;

test.before(async () => {
	[connect, pax8, newstore] = await Promise.all([connectEnv.setup(), pax8Env.setup(), newstoreEnv.setup()]);
});
test.after(async () => Promise.all([connect.fake.close(), pax8.fake.close(), newstore.fake.close()]));

/** Activates and deactivates `cycles` times, counting registrations after each step. */
async function cycle(t, env, count, cycles = 4) {
	const hook = (method) => h.webhookMethod(t, method, { credentialsHelper: env.helper, webhookBaseUrl: BASE });
	for (let i = 0; i < cycles; i++) {
		if (!(await hook('checkExists'))) await hook('create');
		// n8n may call create again (e.g. after a restart that lost the check): still one.
		if (i % 2 === 1) await hook('create');
		assert.equal(count(), 1, `one registration after activation ${i + 1}`);
		await hook('delete');
		assert.equal(count(), 0, `none after deactivation ${i + 1}`);
	}
}

test('Connect: a signed token works once; replayed, forged, expired, missing ones get 401; oversized 413', async () => {
	const product = connect.fake.ids.products[1];
	const t = h.triggerWorkflow({ type: 'cloudBlueConnectTrigger', parameters: { mode: 'webhook', event: 'fulfillmentRequest', products: product, statuses: ['pending'], types: [], options: {} }, credentials: { cloudBlueConnectApi: connect.credential } });
	await h.webhookMethod(t, 'create', { credentialsHelper: connect.helper, webhookBaseUrl: BASE });
	const secret = Object.values(t.workflow.staticData).find((v) => v?.webhookSecret)?.webhookSecret;
	const send = (token, body = { object_class: 'fulfillment_request', product_id: product }) =>
		h.deliver(t, { credentialsHelper: connect.helper, headers: token === undefined ? {} : { Authentication: `Bearer ${token}` }, body });
	const now = Math.floor(Date.now() / 1000);
	const token = connect.fake.signJwt(secret, { iat: now, exp: now + 300 });
	const first = await send(token);
	assert.equal(first.status, 200);
	assert.ok(first.workflowData, 'accepted once');
	const replay = await send(token);
	assert.equal(replay.status, 401);
	assert.equal(replay.workflowData, undefined);
	for (const bad of [connect.fake.signJwt('JWT-wrong', { iat: now }), connect.fake.signJwt(secret, { iat: 1, exp: 2 }), 'not.a.jwt', '', undefined]) {
		const result = await send(bad);
		assert.equal(result.status, 401);
		assert.equal(result.workflowData, undefined);
	}
	const oversized = await send(connect.fake.signJwt(secret, { iat: now, exp: now + 300, n: 1 }), big());
	assert.equal(oversized.status, 413);
	await h.webhookMethod(t, 'delete', { credentialsHelper: connect.helper, webhookBaseUrl: BASE });
	const url = h.webhookUrl(t, BASE);
	await cycle(t, connect, () => [...connect.fake.state.webhooks.values()].filter((w) => w.external_url === url).length);
});

test('Pax8: the registered string only; a repeated delivery runs once; oversized 413, malformed 400', async () => {
	const t = h.triggerWorkflow({ type: 'pax8Trigger', parameters: { mode: 'webhook', topic: 'INVOICE', actions: ['CREATED'], conditions: {}, options: {} }, credentials: { pax8Api: pax8.credential } });
	await h.webhookMethod(t, 'create', { credentialsHelper: pax8.helper, webhookBaseUrl: BASE });
	const secret = Object.values(t.workflow.staticData).find((v) => v?.secret)?.secret;
	const body = { webhookId: 'w', sentAt: new Date().toISOString(), webhookTopic: { topic: 'INVOICE', filters: [{ action: 'CREATED', conditions: [] }] }, payloadData: { id: 'inv-1' } };
	const send = (authorization, payload = body) => h.deliver(t, { credentialsHelper: pax8.helper, headers: authorization === undefined ? {} : { Authorization: authorization }, body: payload });
	for (const bad of [undefined, '', 'guess', secret.slice(0, -1), `${secret} `.repeat(2), secret.toUpperCase()]) {
		const result = await send(bad);
		assert.equal(result.status, 401, String(bad).slice(0, 10));
		assert.equal(result.workflowData, undefined);
	}
	assert.ok((await send(secret)).workflowData, 'accepted');
	const repeat = await send(secret);
	assert.equal(repeat.status, 200);
	assert.equal(repeat.workflowData, undefined, 'a repeat starts nothing');
	assert.equal((await send(secret, big())).status, 413);
	for (const malformed of [{}, [], { webhookTopic: 'INVOICE' }, { webhookTopic: { topic: 7 } }]) assert.equal((await send(secret, malformed)).status, 400);
	await h.webhookMethod(t, 'delete', { credentialsHelper: pax8.helper, webhookBaseUrl: BASE });
	const url = h.webhookUrl(t, BASE);
	await cycle(t, pax8, () => [...pax8.fake.state.webhooks.values()].filter((w) => w.url === url).length);
});

test('NewStore: the bearer key only; a repeated delivery runs once; oversized 413, malformed 400', async () => {
	const t = h.triggerWorkflow({ type: 'newStoreTrigger', parameters: { events: [], customEvents: '' }, credentials: { newStoreApi: newstore.credential } });
	await h.webhookMethod(t, 'create', { credentialsHelper: newstore.helper, webhookBaseUrl: BASE });
	const key = Object.values(t.workflow.staticData).find((v) => v?.apiKey)?.apiKey;
	const body = { tenant: 'acme', name: 'order.created', published_at: new Date().toISOString(), payload: { id: 'o-1' } };
	const send = (authorization, payload = body) => h.deliver(t, { credentialsHelper: newstore.helper, headers: authorization === undefined ? {} : { Authorization: authorization }, body: payload });
	for (const bad of [undefined, '', key, `Bearer ${key.slice(1)}`, `Basic ${key}`, 'Bearer ']) {
		const result = await send(bad);
		assert.equal(result.status, 401, String(bad).slice(0, 10));
		assert.equal(result.workflowData, undefined);
	}
	assert.ok((await send(`Bearer ${key}`)).workflowData, 'accepted');
	const repeat = await send(`Bearer ${key}`);
	assert.equal(repeat.status, 200);
	assert.equal(repeat.workflowData, undefined, 'a repeat starts nothing');
	assert.ok((await send(`bearer ${key}`, { ...body, payload: { id: 'o-2' } })).workflowData, 'another event runs');
	assert.equal((await send(`Bearer ${key}`, { ...body, ...big() })).status, 413);
	for (const malformed of [{}, [], { name: '' }, { name: 5 }]) assert.equal((await send(`Bearer ${key}`, malformed)).status, 400);
	await h.webhookMethod(t, 'delete', { credentialsHelper: newstore.helper, webhookBaseUrl: BASE });
	const url = h.webhookUrl(t, BASE);
	const running = () => [...newstore.fake.state.integrations.values()].filter((i) => i.callback_parameters?.callback_url === url && i.status === 'running').length;
	await cycle(t, newstore, running);
	assert.equal([...newstore.fake.state.integrations.values()].filter((i) => i.callback_parameters?.callback_url === url).length, 1, 'stopped, reused: never a second');
});
