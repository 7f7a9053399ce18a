// NewStore's entry in the end-to-end vendor table (see vendors.mjs): credential test cases, the
// checks of the NewStore example workflows against the fake's state (the trigger example is
// published and fed an event), and the check of the NewStore Trigger in a running n8n.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { DEMO_SECRETS, newStoreOrderCreated } from '../../../scripts/lib/fakes.mjs';
import {
	activateWorkflow,
	deactivateWorkflow,
	importWorkflows,
	listExecutions,
	nodeOutput,
	pointCredentials,
	waitForExecution,
} from '../../../scripts/lib/workflows.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message) => process.stderr.write(`[e2e] ${message}\n`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const CREDENTIAL_NAME = 'NewStore (demo fake)';
const TOKEN_ADVICE =
	'Check the Tenant, Client ID, Client Secret and Role / Scope of the NewStore credential.';
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Polls `probe` until it answers a truthy value (answered) or fails after `timeoutMs`. */
async function until(what, probe, { timeoutMs = 15_000, intervalMs = 250 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(intervalMs);
	}
}

/** A token from the fake's Keycloak endpoint for the demo API client (as another system holds one). */
async function fetchToken(fake) {
	const { clientId, clientSecret } = DEMO_SECRETS.newstore;
	const response = await fetch(fake.tokenUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: clientId,
			client_secret: clientSecret,
		}).toString(),
	});
	assert.equal(response.status, 200, 'the fake issued a token');
	return (await response.json()).access_token;
}

/** The fake's requests after index `from` matching method and path (a string or RegExp). */
const callsSince = (fake, from, method, path) =>
	fake.requests
		.slice(from)
		.filter(
			(r) =>
				r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
		);

// ------------------------------------------------------------------------------ inject + note

/** What the example's Inject order node asks for: product → units. */
const ORDERED_UNITS = { 'SKU-1001': 2, 'SKU-1005': 1 };

const injectSnapshot = (fake) => ({
	requestIndex: fake.requests.length,
	injections: new Set(fake.state.injections.keys()),
	notes: new Set(fake.state.notes.keys()),
});

function checkInjectWithNote({ output, data, fakes, expect }) {
	const fake = fakes.newstore;
	const [shop] = nodeOutput(data, 'Web shop order');
	const [injected] = nodeOutput(data, 'Inject order');

	// Injected once, as one entry per unit.
	const added = [...fake.state.injections.keys()].filter((id) => !expect.injections.has(id));
	assert.deepEqual(added, [shop.orderNumber], 'exactly one order injected, under the shop number');
	const injection = fake.state.injections.get(shop.orderNumber);
	assert.equal(injection.count, 1, 'NewStore accepted the injection once');
	assert.equal(
		callsSince(fake, expect.requestIndex, 'POST', '/v0/d/fulfill_order').length,
		1,
		'one injection call',
	);
	const entries = injection.payload.shipments.flatMap((s) => s.items);
	const units = Object.values(ORDERED_UNITS).reduce((a, b) => a + b, 0);
	assert.equal(entries.length, units, 'one entry per unit');
	for (const [product, count] of Object.entries(ORDERED_UNITS))
		assert.equal(entries.filter((e) => e.product_id === product).length, count, product);
	assert.ok(
		entries.every((e) => !('quantity' in e)),
		'no quantity key goes to NewStore',
	);
	assert.equal(injection.payload.shipments.length, 1, 'one shipment');
	assert.equal(injection.payload.shipments[0].shipping_option.service_level_identifier, 'GROUND');
	assert.equal(injection.payload.customer_email, shop.customerEmail);
	assert.equal(injection.payload.payments.length, 1);
	assert.equal(injection.payload.payments[0].correlation_ref, shop.paymentReference);

	const order = fake.state.orders.get(injected.id);
	assert.ok(order, 'the answer id is the order UUID');
	assert.match(injected.id, UUID);
	assert.equal(injected.external_id, shop.orderNumber);
	assert.equal(injected.items.length, units, 'the answer lists every unit');
	assert.equal(order.items.length, units);
	assert.equal(
		order.totals.total,
		shop.paymentAmount,
		'the captured payment covers the order total',
	);
	const profile = [...fake.state.profiles.values()].find((p) => p.email === shop.customerEmail);
	assert.equal(order.customer.id, profile.id, 'the order belongs to the existing customer profile');

	// The note on the new order.
	const notes = [...fake.state.notes.values()].filter((n) => !expect.notes.has(n.id));
	assert.equal(notes.length, 1, 'exactly one note added');
	const [note] = notes;
	assert.equal(note.order_id, injected.id, 'the note is on the injected order');
	assert.equal(
		note.text,
		`Delivery instructions from the web shop: ${shop.deliveryInstructions} (${units} units injected by n8n)`,
	);
	assert.equal(note.source, 'n8n');
	assert.equal(note.source_type, 'integration');
	assert.deepEqual(note.tags, ['web-order', 'delivery-instructions']);
	assert.equal(output.length, 1);
	assert.equal(output[0].id, note.id);
	assert.equal(output[0].order_id, injected.id);
	assert.match(output[0].created_at, ISO, 'the note time is given as ISO 8601');
}

// ------------------------------------------------------------------------------ profile sign-up

const SIGNUP_EMAIL = 'jordan.rivera@example.com';
const profileByEmail = (fake, email) =>
	[...fake.state.profiles.values()].filter((p) => p.email.toLowerCase() === email);

const profileSnapshot = (fake) => ({
	requestIndex: fake.requests.length,
	profiles: fake.state.profiles.size,
	existing: profileByEmail(fake, SIGNUP_EMAIL).map((p) => p.id),
});

function checkSignup(created) {
	return ({ output, data, fakes, expect }) => {
		const fake = fakes.newstore;
		const [signup] = nodeOutput(data, 'Newsletter sign-up');
		const [found] = nodeOutput(data, 'Get or create profile');
		assert.equal(found.created, created, `Get or create profile says created: ${created}`);

		const profiles = profileByEmail(fake, SIGNUP_EMAIL);
		assert.equal(profiles.length, 1, 'exactly one profile with the email');
		const [profile] = profiles;
		const posts = callsSince(fake, expect.requestIndex, 'POST', '/customer/profiles');
		if (created) {
			assert.deepEqual(expect.existing, [], 'no profile with the email before the run');
			assert.equal(fake.state.profiles.size, expect.profiles + 1, 'one profile created');
			assert.equal(posts.length, 1, 'one create call');
			assert.equal(profile.first_name, signup.firstName);
			assert.equal(profile.last_name, signup.lastName);
			assert.equal(profile.phone_number, signup.phone);
			assert.equal(profile.created_by, 'n8n newsletter sign-up');
		} else {
			assert.deepEqual(expect.existing, [profile.id], 'the profile of the first run');
			assert.equal(fake.state.profiles.size, expect.profiles, 'no profile created');
			assert.equal(posts.length, 0, 'the existing profile was found, not created again');
		}
		assert.equal(found.id, profile.id);

		// Record consent: one read, one PATCH with the time it read.
		const patches = callsSince(
			fake,
			expect.requestIndex,
			'PATCH',
			`/customer/profiles/${profile.id}`,
		);
		assert.equal(patches.length, 1, 'one update');
		assert.equal(patches[0].status, 200);
		assert.ok(patches[0].body.last_updated_at, 'the update sends the last-updated time it read');
		assert.equal(profile.store_id, signup.storeId);
		assert.deepEqual(profile.extended_attributes, {
			newsletter_opt_in: { data_type: 'boolean', value: 'true' },
			newsletter_source: { data_type: 'string', value: signup.source },
		});

		assert.deepEqual(output, [
			{
				created,
				profileId: profile.id,
				displayId: profile.display_id,
				email: SIGNUP_EMAIL,
				fullName: `${signup.firstName} ${signup.lastName}`,
				preferredStore: signup.storeId,
				newsletterOptIn: true,
			},
		]);
	};
}

// ------------------------------------------------------------------------------ trigger helpers

/** The production webhook URL of a NewStore Trigger node in `instance`'s n8n. */
const webhookUrl = (instance, node) => `${instance.client.url}/webhook/${node.webhookId}/webhook`;

const integrationsFor = (fake, url) =>
	[...fake.state.integrations.values()].filter((i) => i.callback_parameters?.callback_url === url);

/** Posts to the webhook URL as NewStore's event stream does (JSON event, `Authorization`). */
const deliver = (url, authorization, body) =>
	fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
		body: JSON.stringify(body),
	});

/** An event body as NewStore sends it. */
const event = (name, payload = {}) => ({
	tenant: DEMO_SECRETS.newstore.tenant,
	name,
	published_at: new Date().toISOString(),
	payload,
});

/**
 * After publishing: the one running integration for `url`, once n8n answers deliveries signed
 * with its key (n8n 2.41.1 registers webhooks and saves the key after the REST call answered).
 * The probe is an event the trigger does not emit: acknowledged, no execution.
 */
async function waitUntilListening(fake, url) {
	const integration = await until('a running event stream integration for the webhook URL', () =>
		integrationsFor(fake, url).find((i) => i.status === 'running'),
	);
	const key = integration.callback_parameters.api_key;
	await until(
		'the webhook to accept deliveries signed with the integration key',
		async () => (await deliver(url, `Bearer ${key}`, event('e2e.readiness_probe'))).status === 200,
	);
	return integration;
}

/** Finished executions of a workflow with the output of `nodeName`, oldest first. */
async function finishedExecutions(client, workflowId, nodeName) {
	const summaries = (await listExecutions(client, workflowId)).sort(
		(a, b) => Number(a.id) - Number(b.id),
	);
	const out = [];
	for (const summary of summaries) {
		const result = await waitForExecution(client, summary.id, { timeoutMs: 30_000 });
		out.push({ ...result, mode: summary.mode, output: nodeOutput(result.data, nodeName) });
	}
	return out;
}

/** Waits until the workflow has `count` finished executions, then a moment for stragglers. */
async function executionsAfter(client, workflowId, nodeName, count, what) {
	await until(what, async () => (await listExecutions(client, workflowId)).length >= count);
	await sleep(1500);
	return await finishedExecutions(client, workflowId, nodeName);
}

// ------------------------------------------------------------------------------ trigger example

/**
 * The trigger example, published: an order.created event for a seeded order runs it once and the
 * note lands on that order; unpublishing stops its integration. Answers the execution.
 */
async function publishAndDeliver({ instance, workflowId, fakes, expect }) {
	const fake = fakes.newstore;
	const { workflow } = [...instance.examples.values()].find((e) => e.id === workflowId);
	const trigger = workflow.nodes.find((n) => n.type.endsWith('.newStoreTrigger'));
	const url = webhookUrl(instance, trigger);
	await activateWorkflow(instance.client, workflowId);
	try {
		const integration = await waitUntilListening(fake, url);
		expect.integrationId = integration.id;
		const deliveries = (
			await fake.emit('order.created', newStoreOrderCreated(expect.order))
		).filter((d) => d.integrationId === integration.id);
		assert.deepEqual(
			deliveries.map((d) => d.status),
			[200],
			'NewStore delivered the event once',
		);
		const executions = await executionsAfter(
			instance.client,
			workflowId,
			trigger.name,
			1,
			'the execution of the event',
		);
		assert.equal(executions.length, 1, 'exactly one execution');
		return executions[0];
	} finally {
		await deactivateWorkflow(instance.client, workflowId);
		await until('the integration to be stopped', () =>
			integrationsFor(fake, url).every((i) => i.status === 'stopped'),
		);
	}
}

function triggerExampleSnapshot(fake) {
	const order = [...fake.state.orders.values()].find((o) => o.status === 'open');
	assert.ok(order, 'the seed has an open order');
	return { order, notes: new Set(fake.state.notes.keys()) };
}

function checkTriggerNote({ output, data, fakes, expect }) {
	const fake = fakes.newstore;
	const { order } = expect;
	const [received] = nodeOutput(data, 'New order');
	assert.equal(received.name, 'order.created');
	assert.equal(received.tenant, DEMO_SECRETS.newstore.tenant);
	assert.equal(received.payload.id, order.id);
	const notes = [...fake.state.notes.values()].filter((n) => !expect.notes.has(n.id));
	assert.equal(notes.length, 1, 'exactly one note added');
	const [note] = notes;
	assert.equal(note.order_id, order.id, 'on the order of the event');
	assert.equal(
		note.text,
		`Seen by n8n (event order.created, published ${received.published_at}): order ${order.external_id}, ` +
			`${order.items.length} items, total ${order.totals.total} ${order.currency}. Queued for the ERP sync.`,
	);
	assert.deepEqual(note.tags, ['erp-sync']);
	assert.deepEqual(
		output.map((n) => n.id),
		[note.id],
	);
	const integration = fake.state.integrations.get(expect.integrationId);
	assert.equal(integration.status, 'stopped', 'unpublishing stopped the integration');
}

// ------------------------------------------------------------------------------ trigger node

const TRIGGER_NAME = 'NewStore Trigger';

/** "NewStore Trigger → No Op" with the demo credential, imported into the stack's n8n. */
async function importTriggerWorkflow(stack, node, parameters) {
	const workflow = {
		name: `E2E: NewStore Trigger ${Date.now()}`,
		nodes: [
			{
				id: randomUUID(),
				name: TRIGGER_NAME,
				type: node.type,
				typeVersion: Array.isArray(node.version) ? node.version.at(-1) : node.version,
				position: [0, 0],
				// The editor gives every webhook node an id; its production URL is built from it.
				webhookId: randomUUID(),
				parameters,
				credentials: { newStoreApi: { id: null, name: CREDENTIAL_NAME } },
			},
			{
				id: randomUUID(),
				name: 'No Op',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { [TRIGGER_NAME]: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const [{ id }] = await importWorkflows(stack.client, [
		pointCredentials(workflow, stack.credentials),
	]);
	return { id, workflow };
}

/**
 * Publishing registers and starts exactly one event stream integration whose callback is n8n's
 * production webhook URL; an event of the filter starts exactly one execution that puts out the
 * event; a delivery with a wrong or missing key gets 401 and an event outside the filter 200,
 * neither starts an execution; unpublishing stops the integration (NewStore delivers nothing
 * more); publishing again starts the same integration, still the only one, with the same key.
 */
async function checkTrigger({ stack, node, t }) {
	const fake = stack.fakes.newstore;
	const { id, workflow } = await importTriggerWorkflow(stack, node, {
		events: ['order.created'],
		customEvents: 'order.items_returned',
	});
	const url = webhookUrl(stack, workflow.nodes[0]);
	const executions = () => finishedExecutions(stack.client, id, TRIGGER_NAME);
	const ours = (deliveries, integration) =>
		deliveries.filter((d) => d.integrationId === integration.id).map((d) => d.status);
	let active = false;
	try {
		let started = Date.now();
		await activateWorkflow(stack.client, id);
		active = true;
		const integration = await waitUntilListening(fake, url);
		t.diagnostic(`publish → integration running and webhook answering: ${Date.now() - started} ms`);
		assert.equal(integrationsFor(fake, url).length, 1, 'exactly one integration for the URL');
		assert.equal(integration.integration_type, 'permanent');
		const key = integration.callback_parameters.api_key;
		assert.match(key, /^[0-9a-f]{64}$/, 'a random key of 32 bytes');
		assert.ok(
			callsSince(fake, 0, 'POST', '/api/v1/org/integrations/eventstream').some(
				(r) => r.body?.id === integration.id && r.status === 201,
			),
			'the node registered it',
		);
		assert.deepEqual(await executions(), [], 'publishing ran nothing');

		// An event of the filter: one execution that puts out the event.
		const order = [...fake.state.orders.values()][0];
		const payload = newStoreOrderCreated(order);
		started = Date.now();
		assert.deepEqual(
			ours(await fake.emit('order.created', payload), integration),
			[200],
			'one delivery, accepted',
		);
		const delivered = fake.state.deliveries
			.filter((d) => d.integrationId === integration.id)
			.at(-1);
		let list = await executionsAfter(stack.client, id, TRIGGER_NAME, 1, 'the execution');
		t.diagnostic(`delivery → finished execution: ${Date.now() - started} ms`);
		assert.equal(list.length, 1, 'exactly one execution');
		assert.equal(list[0].status, 'success');
		assert.equal(list[0].mode, 'webhook');
		assert.deepEqual(list[0].output, [
			{
				name: 'order.created',
				published_at: delivered.body.published_at,
				tenant: DEMO_SECRETS.newstore.tenant,
				payload,
			},
		]);
		assert.deepEqual(nodeOutput(list[0].data, 'No Op'), list[0].output, 'it reaches the next node');

		// Deliveries that are not NewStore's: refused, nothing runs.
		for (const [label, authorization] of [
			['a wrong key', `Bearer ${'0'.repeat(64)}`],
			['no Authorization header', undefined],
			['the key without "Bearer"', key],
			['the key as Basic credentials', `Basic ${Buffer.from(`x:${key}`).toString('base64')}`],
		]) {
			const response = await deliver(url, authorization, delivered.body);
			assert.equal(response.status, 401, `a delivery with ${label} is refused`);
		}
		// Events outside the filter (and a custom event name inside it).
		assert.deepEqual(
			ours(await fake.emit('order.completed', payload), integration),
			[200],
			'an event outside the filter is acknowledged',
		);
		const custom = await deliver(
			url,
			`Bearer ${key}`,
			event('order.items_returned', { id: 'r-1' }),
		);
		assert.equal(custom.status, 200, 'a custom event name of the filter is accepted');
		list = await executionsAfter(stack.client, id, TRIGGER_NAME, 2, 'the custom event');
		await sleep(500);
		list = await executions();
		assert.deepEqual(
			list.map((e) => e.output?.[0]?.name),
			['order.created', 'order.items_returned'],
			'refused deliveries and order.completed started nothing; the custom event ran once',
		);

		// Unpublish: the integration is stopped (kept for publishing again), nothing is delivered.
		started = Date.now();
		await deactivateWorkflow(stack.client, id);
		active = false;
		await until('the integration to be stopped', () => integration.status === 'stopped');
		t.diagnostic(`unpublish → integration stopped: ${Date.now() - started} ms`);
		assert.deepEqual(
			integrationsFor(fake, url).map((i) => [i.id, i.status]),
			[[integration.id, 'stopped']],
		);
		assert.deepEqual(
			ours(await fake.emit('order.created', payload), integration),
			[],
			'NewStore delivers nothing to a stopped integration',
		);
		assert.equal(
			(await deliver(url, `Bearer ${key}`, delivered.body)).status,
			404,
			'n8n no longer listens',
		);

		// Publish again: the same integration runs again, with the same key.
		started = Date.now();
		await activateWorkflow(stack.client, id);
		active = true;
		const again = await waitUntilListening(fake, url);
		t.diagnostic(`publish again → same integration running: ${Date.now() - started} ms`);
		assert.equal(again.id, integration.id, 'the same integration');
		assert.equal(again.callback_parameters.api_key, key, 'with the same key');
		assert.deepEqual(
			integrationsFor(fake, url).map((i) => [i.id, i.status]),
			[[integration.id, 'running']],
			'still exactly one integration',
		);
		assert.deepEqual(ours(await fake.emit('order.created', payload), integration), [200]);
		list = await executionsAfter(
			stack.client,
			id,
			TRIGGER_NAME,
			3,
			'the execution after publishing again',
		);
		assert.equal(list.length, 3, 'one more execution');
		assert.equal(list[2].status, 'success');
		assert.equal(list[2].output[0].name, 'order.created');
	} finally {
		if (active) await deactivateWorkflow(stack.client, id).catch(() => {});
	}
}

// ------------------------------------------------------------------------------ the entry

export const newstore = {
	credentials: {
		newStoreApi: {
			testRequest: { method: 'GET', path: '/api/v1/org/integrations/eventstream' },
			good: [
				{
					label: 'Role / Scope with the scopes of the API client',
					change: () => ({ scope: DEMO_SECRETS.newstore.scopes.join(' ') }),
				},
				{
					label: 'Access Token managed elsewhere',
					change: async ({ fakes }) => ({
						authentication: 'accessToken',
						accessToken: await fetchToken(fakes.newstore),
					}),
				},
				{
					label: 'Access Token pasted with "Bearer "',
					change: async ({ fakes }) => ({
						authentication: 'accessToken',
						accessToken: `Bearer ${await fetchToken(fakes.newstore)}`,
					}),
				},
			],
			// A fetched token is kept; NewStore refuses an expired one with 403 (not 401).
			tokenReuse: {
				parameters: { resource: 'customerProfile', operation: 'getAll', limit: 1 },
				tokenRequests: (fakes) => fakes.newstore.state.tokenRequests,
				expireTokens: (fakes) => fakes.newstore.expireTokens(),
				refusedStatus: 403,
			},
			bad: [
				{
					label: 'wrong client secret',
					change: () => ({ clientSecret: 'not-the-secret' }),
					message: new RegExp(
						`^${escape(
							`NewStore did not issue an access token (HTTP 401, invalid_client: Invalid client or Invalid client credentials). ${TOKEN_ADVICE}`,
						)}$`,
					),
				},
				{
					label: 'unknown tenant (no such Keycloak realm)',
					change: ({ fakes }) => ({
						tenant: 'globex',
						tokenUrl: fakes.newstore.tokenUrl.replace('/realms/acme/', '/realms/globex/'),
					}),
					message: new RegExp(
						`^${escape(
							`NewStore did not issue an access token (HTTP 404, Realm does not exist). The tenant is not known to NewStore. ${TOKEN_ADVICE}`,
						)}$`,
					),
				},
				{
					label: 'scope the API client does not have',
					change: () => ({ scope: 'audit-events:read' }),
					message: new RegExp(
						`^${escape('NewStore did not issue an access token (HTTP 400, invalid_scope: Invalid scopes: audit-events:read).')}`,
					),
				},
				{
					label: 'Access Token that is invalid or expired',
					change: () => ({ authentication: 'accessToken', accessToken: 'expired-or-made-up' }),
					message: /^NewStore refused the token: it is invalid or expired/,
				},
				{
					label: 'token URL nobody answers',
					change: ({ closedUrl }) => ({
						tokenUrl: `${closedUrl}/auth/realms/acme/protocol/openid-connect/token`,
					}),
					message:
						/^Could not reach the NewStore token URL http:\/\/127\.0\.0\.1:\d+\/auth\/realms\/acme\/protocol\/openid-connect\/token: the connection was refused\. Check the Tenant and Token URL Override of the NewStore credential\.$/,
				},
			],
		},
	},
	examples: {
		'newstore-inject-web-order-with-note.json': {
			outputNode: 'Add delivery note',
			runs: [
				{
					label: 'as shipped: one order with an entry per unit, and its note',
					prepare: ({ fakes }) => ({ expect: injectSnapshot(fakes.newstore) }),
					check: checkInjectWithNote,
				},
			],
		},
		'newstore-customer-profile-newsletter-signup.json': {
			outputNode: 'Result',
			runs: [
				{
					label: 'first run: the profile is created (created: true) and updated',
					prepare: ({ fakes }) => ({ expect: profileSnapshot(fakes.newstore) }),
					check: checkSignup(true),
				},
				{
					label: 'second run: the same profile is found (created: false), not created again',
					prepare: ({ fakes }) => ({ expect: profileSnapshot(fakes.newstore) }),
					check: checkSignup(false),
				},
			],
		},
		'newstore-trigger-note-on-new-order.json': {
			outputNode: 'Add note',
			runs: [
				{
					label: 'published: an order.created event notes the order; unpublished: stopped',
					prepare: ({ fakes }) => ({ expect: triggerExampleSnapshot(fakes.newstore) }),
					execute: publishAndDeliver,
					check: checkTriggerNote,
				},
			],
		},
	},
	triggers: {
		newStoreTrigger: async ({ stack, node, t }) => {
			const started = Date.now();
			await checkTrigger({ stack, node, t });
			log(`NewStore Trigger: ${((Date.now() - started) / 1000).toFixed(1)} s`);
		},
	},
};
