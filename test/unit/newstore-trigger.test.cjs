'use strict';
// The NewStore Trigger through n8n-core's HookContext and WebhookContext against the fake
// NewStore: activation registers and starts one integration (reused on re-activation), only
// deliveries with the registered bearer key start runs, other events are acknowledged and dropped.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { setup, h } = require('./newstore-helpers.cjs');

let env;
test.before(async () => {
	env = await setup();
});
test.after(async () => env.fake.close());
test.afterEach(() => assert.deepEqual(env.fake.violations.splice(0), []));

const trigger = (parameters = {}) =>
	h.triggerWorkflow({ type: 'newStoreTrigger', parameters: { events: [], customEvents: '', ...parameters }, credentials: { newStoreApi: env.credential } });

/** A receiver standing in for n8n's webhook endpoint: it hands each delivery to the trigger. */
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

const ours = (url) => [...env.fake.state.integrations.values()].filter((i) => i.callback_parameters?.callback_url === url);

test('activation registers and starts one integration; bearer-keyed deliveries run, others get 401; filtered events are dropped', async () => {
	let t;
	const rx = await receiver(() => t);
	try {
		t = trigger({ events: ['order.created'], customEvents: 'order.items_returned' });
		const hook = (method) => h.webhookMethod(t, method, { credentialsHelper: env.helper, webhookBaseUrl: rx.base });
		assert.equal(await hook('checkExists'), false);
		assert.equal(await hook('create'), true);
		const url = h.webhookUrl(t, rx.base);
		const [integration] = ours(url);
		assert.equal(ours(url).length, 1);
		assert.equal(integration.status, 'running');
		assert.equal(integration.integration_type, 'permanent');
		assert.match(integration.id, /^n8n-wf-trigger-[0-9a-f]{8}$/);
		const key = integration.callback_parameters.api_key;
		assert.ok(key.length >= 32);
		assert.equal(await hook('checkExists'), true);

		const deliveries = await env.fake.emit('order.created', { id: 'order-1', external_id: 'WEB-1' });
		assert.deepEqual(deliveries.map((d) => d.status), [200]);
		const event = rx.outcomes.at(-1).workflowData[0][0].json;
		assert.equal(event.name, 'order.created');
		assert.equal(event.tenant, env.fake.tenant);
		assert.deepEqual(event.payload, { id: 'order-1', external_id: 'WEB-1' });
		assert.match(event.published_at, /^\d{4}-\d{2}-\d{2}T/);
		ok200(await env.fake.emit('order.items_returned', { id: 'order-1' }));
		assert.equal(rx.outcomes.at(-1).workflowData[0][0].json.name, 'order.items_returned', 'custom event names count');

		// Not in the filter: acknowledged, nothing started.
		ok200(await env.fake.emit('order.completed', { id: 'order-1' }));
		assert.equal(rx.outcomes.at(-1).workflowData, undefined);

		const body = { tenant: 'acme', name: 'order.created', published_at: new Date().toISOString(), payload: {} };
		const send = (headers, payload = body) => h.deliver(t, { credentialsHelper: env.helper, headers, body: payload });
		for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: key }, { Authorization: `Bearer ${key}x` }, { Authorization: `Basic ${key}` }]) {
			const result = await send(headers);
			assert.equal(result.status, 401, JSON.stringify(headers).slice(0, 40));
			assert.equal(result.workflowData, undefined);
		}
		const malformed = await send({ Authorization: `Bearer ${key}` }, { hello: 'world' });
		assert.equal(malformed.status, 400);
		assert.equal(malformed.workflowData, undefined);

		// Deactivation stops it; activation again starts the same integration (still one).
		assert.equal(await hook('delete'), true);
		assert.equal(env.fake.state.integrations.get(integration.id).status, 'stopped');
		assert.equal(await hook('checkExists'), false);
		assert.deepEqual(await env.fake.emit('order.created', {}), [], 'a stopped integration gets nothing');
		assert.equal(await hook('create'), true);
		assert.equal(ours(url).length, 1);
		assert.equal(env.fake.state.integrations.get(integration.id).status, 'running');
		assert.equal(env.fake.state.integrations.get(integration.id).callback_parameters.api_key, key, 'same key');
		assert.equal(await hook('checkExists'), true);
	} finally {
		rx.close();
	}
});

test('an integration whose key was lost (static data gone) is replaced, not duplicated', async () => {
	let t;
	const rx = await receiver(() => t);
	try {
		t = trigger();
		const hook = (method) => h.webhookMethod(t, method, { credentialsHelper: env.helper, webhookBaseUrl: rx.base });
		await hook('create');
		const url = h.webhookUrl(t, rx.base);
		const [first] = ours(url);
		const oldKey = first.callback_parameters.api_key;
		// n8n lost the workflow's static data (e.g. restored from a backup).
		for (const key of Object.keys(t.workflow.staticData)) delete t.workflow.staticData[key];
		assert.equal(await hook('checkExists'), false);
		await hook('create');
		assert.equal(ours(url).length, 1);
		const [second] = ours(url);
		assert.notEqual(second.callback_parameters.api_key, oldKey);
		assert.equal(second.status, 'running');
		ok200(await env.fake.emit('order.opened', { id: 'x' }));
		assert.equal(rx.outcomes.at(-1).workflowData[0][0].json.name, 'order.opened', 'no filter: every event');
		await hook('delete');
	} finally {
		rx.close();
	}
});

function ok200(deliveries) {
	assert.ok(deliveries.length >= 1 && deliveries.every((d) => d.status === 200), JSON.stringify(deliveries));
}
