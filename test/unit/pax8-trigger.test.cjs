'use strict';
// The Pax8 Trigger through n8n-core's HookContext, WebhookContext and PollContext against the
// fake Pax8 (webhooks API v2 validated against its spec), and the Pax8 node's Webhook resource.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const { setup, ok, rl, h } = require('./pax8-helpers.cjs');

let env;
test.before(async () => {
	env = await setup();
	env.fake.deliverTo = true;
});
test.after(async () => env.fake.close());
test.afterEach(() => assert.deepEqual(env.fake.violations.splice(0), []));

const trigger = (parameters) =>
	h.triggerWorkflow({ type: 'pax8Trigger', parameters: { options: {}, ...parameters }, credentials: { pax8Api: env.credential } });
const poll = (t, mode = 'trigger') => h.poll(t, { credentialsHelper: env.helper, mode });
const ids = (result) => (result ? result[0].map((i) => i.json.id) : []);
const webhooks = () => [...env.fake.state.webhooks.values()];

async function receiver(getTrigger) {
	const outcomes = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c) => (raw += c));
		req.on('end', async () => {
			const result = await h.deliver(getTrigger(), { credentialsHelper: env.helper, headers: req.headers, body: JSON.parse(raw || '{}') });
			outcomes.push(result);
			res.writeHead(result.status).end();
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { outcomes, base: `http://127.0.0.1:${server.address().port}/webhook`, close: () => server.close() };
}

test('webhook: activation registers one webhook with a secret; only deliveries carrying it run; re-activation replaces; deactivation deletes', async () => {
	let t;
	const rx = await receiver(() => t);
	try {
		t = trigger({
			mode: 'webhook',
			topic: 'INVOICE',
			actions: ['CREATED'],
			conditions: { condition: [{ field: 'status', operator: 'EQUALS', values: 'Unpaid' }] },
			options: { contactEmail: 'ops@example.com', errorThreshold: 5 },
		});
		const hook = (method) => h.webhookMethod(t, method, { credentialsHelper: env.helper, webhookBaseUrl: rx.base });
		assert.equal(await hook('checkExists'), false);
		assert.equal(await hook('create'), true);
		const url = h.webhookUrl(t, rx.base);
		const mine = () => webhooks().filter((w) => w.url === url);
		assert.equal(mine().length, 1);
		const [registered] = mine();
		assert.equal(registered.active, true);
		assert.match(registered.authorization, /^[0-9a-f]{64}$/);
		assert.equal(registered.errorThreshold, 5);
		assert.deepEqual(registered.webhookTopics.map((w) => [w.topic, w.filters]), [
			['INVOICE', [{ action: 'CREATED', conditions: [{ field: 'status', operator: 'EQUALS', value: ['Unpaid'] }] }]],
		]);
		assert.equal(await hook('checkExists'), true);

		const invoiceId = randomUUID();
		const toUs = async (...event) => (await env.fake.emitEvent(...event)).filter((d) => d.url === url);
		const [delivery] = await toUs('INVOICE', 'CREATED', { id: invoiceId, status: 'Unpaid', total: 12.5 });
		assert.equal(delivery.status, 200);
		const event = rx.outcomes.at(-1).workflowData[0][0].json;
		assert.equal(event.topic, 'INVOICE');
		assert.equal(event.action, 'CREATED');
		assert.equal(event.payload.id, invoiceId);
		assert.equal(event.webhookId, registered.id);
		assert.match(event.sentAt, /^\d{4}-\d{2}-\d{2}T/);
		// Filtered out by Pax8 (condition), so nothing is delivered.
		assert.deepEqual(await toUs('INVOICE', 'CREATED', { id: randomUUID(), status: 'Paid' }), []);

		const body = { webhookTopic: { topic: 'INVOICE', filters: [] }, payloadData: {}, sentAt: new Date().toISOString() };
		for (const headers of [{}, { Authorization: 'wrong' }, { Authorization: `${registered.authorization}x` }, { Authorization: `Bearer ${registered.authorization}` }]) {
			const result = await h.deliver(t, { credentialsHelper: env.helper, headers, body });
			assert.equal(result.status, 401, JSON.stringify(headers).slice(0, 30));
			assert.equal(result.workflowData, undefined);
		}
		const malformed = await h.deliver(t, { credentialsHelper: env.helper, headers: { Authorization: registered.authorization }, body: { hello: 1 } });
		assert.equal(malformed.status, 400);

		// Activating again after a change (here: the webhook was deactivated in Pax8) replaces it: still one.
		env.fake.state.webhooks.get(registered.id).active = false;
		assert.equal(await hook('checkExists'), false);
		assert.equal(await hook('create'), true);
		assert.equal(mine().length, 1);
		assert.notEqual(mine()[0].id, registered.id);
		assert.notEqual(mine()[0].authorization, registered.authorization, 'a new secret');
		assert.equal((await h.deliver(t, { credentialsHelper: env.helper, headers: { Authorization: registered.authorization }, body })).status, 401, 'the old secret no longer works');

		assert.equal(await hook('delete'), true);
		assert.equal(mine().length, 0);
		assert.equal(await hook('checkExists'), false);
		assert.equal(await hook('delete'), true, 'deleting again is harmless');
	} finally {
		rx.close();
	}
});

test('webhook: listening for a test event asks Pax8 for the topic sample at once', async () => {
	let t;
	const rx = await receiver(() => t);
	try {
		t = trigger({ mode: 'webhook', topic: 'ORDER', actions: [], conditions: {} });
		const hook = (method) => h.webhookMethod(t, method, { credentialsHelper: env.helper, webhookBaseUrl: rx.base, isTest: true });
		const before = rx.outcomes.length;
		assert.equal(await hook('create'), true);
		assert.ok(env.fake.requests.some((r) => r.method === 'POST' && /\/api\/v2\/webhooks\/[^/]+\/topics\/ORDER\/test$/.test(r.path)));
		assert.equal(rx.outcomes.length, before + 1);
		assert.equal(rx.outcomes.at(-1).workflowData[0][0].json.topic, 'ORDER');
		await hook('delete');
	} finally {
		rx.close();
	}
});

test('webhook: conditions need an action, before anything is sent', async () => {
	const t = trigger({ mode: 'webhook', topic: 'INVOICE', actions: [], conditions: { condition: [{ field: 'status', operator: 'EQUALS', values: 'Paid' }] } });
	await assert.rejects(h.webhookMethod(t, 'create', { credentialsHelper: env.helper, webhookBaseUrl: 'http://127.0.0.1:1/webhook' }), /must name at least one action/);
});

test('webhook: bad topic parameters are refused as the Webhook resource refuses them, naming the parameter, before any request', async () => {
	const invoice = { mode: 'webhook', topic: 'INVOICE', actions: ['CREATED'] };
	const condition = (row) => ({ conditions: { condition: [{ field: 'status', operator: 'EQUALS', values: 'Paid', ...row }] } });
	const cases = [
		// Expressions giving objects were sent as "[object Object]" before the trigger shared the resource's checks.
		[{ ...invoice, ...condition({ values: '={{ { a: 1 } }}' }) }, /^Parameter "Values \(in Conditions\)" must be text in condition 1, got an object$/],
		[{ ...invoice, ...condition({ field: '={{ ["status"] }}' }) }, /^Parameter "Field \(in Conditions\)" must be text in condition 1, got a list$/],
		[{ ...invoice, topic: '={{ { topic: "INVOICE" } }}', conditions: {} }, /^Parameter "Topic Name or ID" must be text, got an object$/],
		// Rows without a field or values were dropped, or sent with no values.
		[{ ...invoice, ...condition({ field: ' ' }) }, /^Parameter "Field \(in Conditions\)" is empty in condition 1$/],
		[{ ...invoice, ...condition({ values: ' , ' }) }, /^Parameter "Values \(in Conditions\)" is empty in condition 1$/],
		[{ ...invoice, actions: '={{ "CREATED" }}', conditions: {} }, /^Parameter "Action Names or IDs" must be a list of action names, got "CREATED"$/],
		[{ ...invoice, topic: '', conditions: {} }, /^Parameter "Topic Name or ID" is required$/],
		[{ ...invoice, actions: [], ...condition({}) }, /^Parameter "Action Names or IDs" must name at least one action when conditions are set/],
		// Options: checked like the Webhook resource's Additional Fields (were sent as NaN or any text).
		[{ ...invoice, conditions: {}, options: { errorThreshold: '={{ "many" }}' } }, /^Parameter "Error Threshold \(in Options\)" must be a number, got "many"$/],
		[{ ...invoice, conditions: {}, options: { errorThreshold: 25 } }, /^Parameter "Error Threshold \(in Options\)" must be between 0 and 20$/],
		[{ ...invoice, conditions: {}, options: { contactEmail: 'ops at example' } }, /^Parameter "Contact Email \(in Options\)" must be an email address, got "ops at example"$/],
	];
	for (const [parameters, message] of cases) {
		const t = trigger(parameters);
		const before = env.fake.requests.length;
		await assert.rejects(h.webhookMethod(t, 'create', { credentialsHelper: env.helper, webhookBaseUrl: 'http://127.0.0.1:1/webhook' }), (error) => {
			assert.equal(error.name, 'NodeOperationError', error.stack);
			assert.match(error.message, message);
			return true;
		});
		assert.equal(env.fake.requests.length, before, `no request for ${message}`);
	}
});

test('topics and actions come from the topic definitions, with the documented list as fallback', async () => {
	const options = (method, parameters = {}) => h.loadOptions({ type: 'pax8Trigger', method, parameters, credentials: { pax8Api: env.credential }, credentialsHelper: env.helper });
	const topics = await options('getTopics');
	assert.ok(topics.some((t) => t.value === 'INVOICE' && t.name === 'Invoice'));
	const actions = await options('getTopicActions', { topic: 'SUBSCRIPTION' });
	assert.ok(actions.length >= 1 && actions.every((a) => a.value && a.name));
	env.fake.inject({ path: '/api/v2/webhooks/topic-definitions', status: 403, times: 5 });
	const fallback = await options('getTopics');
	assert.deepEqual(fallback.map((t) => t.value).sort(), ['COMPANY', 'INVOICE', 'ORDER', 'PRODUCT', 'SUBSCRIPTION']);
	env.fake.reset();
	env.fake.deliverTo = true;
});

function copyOf(map, changes) {
	const [template] = [...map.values()];
	const record = { ...structuredClone(template), id: randomUUID(), ...changes };
	map.set(record.id, record);
	env.fake.touch();
	return record;
}

test('polling: new orders once each, no flood on activation, a sample when run by hand', async () => {
	const t = trigger({ mode: 'polling', event: 'newOrder', companyId: '' });
	assert.equal(await poll(t), null, 'first activation emits nothing');
	const today = new Date().toISOString().slice(0, 10);
	const added = [copyOf(env.fake.state.orders, { createdDate: today }), copyOf(env.fake.state.orders, { createdDate: today })];
	assert.deepEqual(ids(await poll(t)).sort(), added.map((o) => o.id).sort());
	assert.equal(await poll(t), null, 'not again');
	const late = copyOf(env.fake.state.orders, { createdDate: today });
	assert.deepEqual(ids(await poll(t)), [late.id], 'same day, still caught once');
	const state = JSON.stringify(t.workflow.staticData);
	const sample = await poll(t, 'manual');
	assert.equal(sample[0].length, 1);
	assert.equal(JSON.stringify(t.workflow.staticData), state, 'a manual run leaves the state alone');
});

test('polling: new and changed subscriptions (status, quantity), filtered by what is watched', async () => {
	const counts = new Map();
	for (const s of env.fake.state.subscriptions.values()) counts.set(s.companyId, (counts.get(s.companyId) ?? 0) + 1);
	const [company] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
	const t = trigger({ mode: 'polling', event: 'subscription', companyId: company, watch: ['quantity', 'status'] });
	assert.equal(await poll(t), null);
	const mine = [...env.fake.state.subscriptions.values()].filter((s) => s.companyId === company);
	assert.ok(mine.length >= 2);
	mine[0].quantity += 3;
	mine[1].status = mine[1].status === 'Active' ? 'Cancelled' : 'Active';
	const added = copyOf(env.fake.state.subscriptions, { companyId: company, quantity: 7, status: 'Active' });
	const events = (await poll(t))[0].map((i) => i.json);
	assert.equal(events.length, 3);
	const byId = Object.fromEntries(events.map((e) => [e.id, e]));
	assert.equal(byId[added.id].event, 'created');
	assert.deepEqual(byId[mine[0].id].changes, { quantity: { from: mine[0].quantity - 3, to: mine[0].quantity } });
	assert.equal(byId[mine[1].id].changes.status.to, mine[1].status);
	assert.equal(await poll(t), null);
	const statusOnly = trigger({ mode: 'polling', event: 'subscription', companyId: company, watch: ['status'] });
	await poll(statusOnly);
	mine[0].quantity += 1;
	env.fake.touch();
	assert.equal(await poll(statusOnly), null, 'quantity changes ignored when only status is watched');
	assert.equal(ids(await poll(t)).length, 1, 'while the trigger watching quantity sees it');
	const other = [...env.fake.state.subscriptions.values()].find((s) => s.companyId !== company);
	other.quantity += 1;
	env.fake.touch();
	assert.equal(await poll(t), null, 'other companies are not watched');
	assert.ok(env.fake.requests.filter((r) => r.path === '/v1/subscriptions').every((r) => r.query.companyId === company || !r.query.companyId));
});

test('polling: new invoices once, reading only the pages newer than the cursor', async () => {
	const t = trigger({ mode: 'polling', event: 'newInvoice', companyId: '' });
	assert.equal(await poll(t), null);
	const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
	const invoice = copyOf(env.fake.state.invoices, { invoiceDate: day });
	const before = env.fake.requests.length;
	assert.deepEqual(ids(await poll(t)), [invoice.id]);
	assert.equal(env.fake.requests.slice(before).filter((r) => r.path === '/v1/invoices').length, 1, 'one page');
	assert.equal(await poll(t), null);
	const bad = trigger({ mode: 'polling', event: 'newInvoice', companyId: 'not-a-uuid' });
	await assert.rejects(poll(bad), /Company ID" must be a UUID/);
});

test('webhook resource: create (secret never output), get many, get, send test event, logs, retry, delete', async () => {
	const run = (operation, parameters = {}) => env.run({ resource: 'webhook', operation, ...parameters });
	const [created] = ok(
		await run('create', {
			displayName: 'PSA sync',
			url: 'https://psa.example.com/pax8',
			topic: 'INVOICE',
			actions: ['CREATED'],
			conditions: {},
			additionalFields: { authorization: 'psa-secret-ABC', contactEmail: 'ops@example.com', errorThreshold: 4 },
		}),
	);
	assert.equal(created.authorization, '[hidden]');
	assert.equal(env.fake.state.webhooks.get(created.id).authorization, 'psa-secret-ABC');
	assert.equal(env.fake.state.webhooks.get(created.id).active, true);
	const all = ok(await run('getAll', { returnAll: true, filters: {} }));
	assert.ok(all.some((w) => w.id === created.id) && !JSON.stringify(all).includes('psa-secret-ABC'));
	const [got] = ok(await run('get', { webhookId: created.id }));
	assert.equal(got.displayName, 'PSA sync');
	const [tested] = ok(await run('sendTestEvent', { webhookId: created.id, testTopic: 'INVOICE' }));
	assert.ok(tested.url && !JSON.stringify(tested).includes('psa-secret-ABC'));
	const logs = ok(await run('getLogs', { webhookId: created.id, returnAll: true, filters: {} }));
	assert.ok(logs.length >= 1);
	const [retried] = ok(await run('retryDelivery', { webhookId: created.id, logId: logs[0].id }));
	assert.deepEqual(retried, { success: true, id: logs[0].id });
	const [deleted] = ok(await run('delete', { webhookId: created.id }));
	assert.deepEqual(deleted, { deleted: true, id: created.id });
	const badUrl = await run('create', { displayName: 'x', url: 'ftp://nope', topic: 'INVOICE', actions: [], conditions: {}, additionalFields: {} });
	assert.match(badUrl.error.message, /URL" must be an https URL/);
	const threshold = await run('create', { displayName: 'x', url: 'https://a.example', topic: 'INVOICE', actions: [], conditions: {}, additionalFields: { errorThreshold: 30 } });
	assert.match(threshold.error.message, /Error Threshold \(in Additional Fields\)" must be between 0 and 20/);
	void rl;
});

test('webhook mode, run by hand: the delivery that started it, else the topic sample — in the delivery shape', async () => {
	const t = trigger({ mode: 'webhook', topic: 'INVOICE', actions: [], conditions: {} });
	const sample = (await poll(t, 'manual'))[0][0].json;
	assert.equal(sample.topic, 'INVOICE');
	assert.deepEqual(Object.keys(sample).sort(), ['accountId', 'action', 'payload', 'sentAt', 'topic', 'webhookId']);
	await h.webhookMethod(t, 'create', { credentialsHelper: env.helper, webhookBaseUrl: 'http://127.0.0.1:9/webhook' });
	const secret = Object.values(t.workflow.staticData).find((v) => v?.secret)?.secret;
	const body = { webhookId: 'w-1', sentAt: new Date().toISOString(), webhookTopic: { topic: 'INVOICE', filters: [{ action: 'CREATED', conditions: [] }] }, payloadData: { id: 'manual-1' } };
	// The secret is known to this process before n8n stores the node's static data.
	for (const key of Object.keys(t.workflow.staticData)) delete t.workflow.staticData[key];
	const delivered = await h.deliver(t, { credentialsHelper: env.helper, headers: { Authorization: secret }, body });
	assert.equal(delivered.status, 200);
	const [[item]] = await poll(t, 'manual');
	assert.equal(item.json.payload.id, 'manual-1');
	assert.equal(item.json.action, 'CREATED');
	await h.webhookMethod(t, 'delete', { credentialsHelper: env.helper, webhookBaseUrl: 'http://127.0.0.1:9/webhook' });
	assert.equal((await h.deliver(t, { credentialsHelper: env.helper, headers: { Authorization: secret }, body: { ...body, sentAt: 'x' } })).status, 401, 'forgotten at deactivation');
});
