// NewStore's entry in the end-to-end vendor table (see vendors.mjs): credential test cases, the
// checks of the NewStore example workflows against the fake's state (the trigger example is
// published and fed an event), and the check of the NewStore Trigger in a running n8n.
import assert from 'node:assert/strict';

import { DEMO_SECRETS, newStoreOrderCreated } from '../../../scripts/lib/fakes.mjs';
import { nodeOutput } from '../../../scripts/lib/workflows.mjs';
import {
	callsSince,
	checkWebhookTrigger,
	postDelivery,
	publishAndDeliver,
	timed,
} from './harness.mjs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const CREDENTIAL_NAME = 'NewStore (demo fake)';
const TOKEN_ADVICE =
	'Check the Tenant, Client ID, Client Secret and Role / Scope of the NewStore credential.';
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

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

/** An event body as NewStore sends it. */
const event = (name, payload = {}) => ({
	tenant: DEMO_SECRETS.newstore.tenant,
	name,
	published_at: new Date().toISOString(),
	payload,
});

/** The `Authorization` NewStore's event stream sends to an integration's callback. */
const signed = (integration) => ({
	authorization: `Bearer ${integration.callback_parameters.api_key}`,
});

/** The NewStore Trigger for the trigger scaffolding of harness.mjs. */
const TRIGGER = {
	name: 'NewStore Trigger',
	nodeType: '.newStoreTrigger',
	vendor: 'newstore',
	credential: { type: 'newStoreApi', name: CREDENTIAL_NAME },
	registrations: (fake, url) =>
		[...fake.state.integrations.values()].filter(
			(i) => i.callback_parameters?.callback_url === url,
		),
	live: (integration) => integration.status === 'running',
	// An event the trigger does not emit: acknowledged (200) once n8n knows the key, no execution.
	probe: async (url, integration) =>
		(await postDelivery(url, signed(integration), event('e2e.readiness_probe'))).status === 200,
	// Unpublishing stops the integration (kept for publishing again).
	removed: (fake, url) => TRIGGER.registrations(fake, url).every((i) => i.status === 'stopped'),
	deliveries: (fake) => fake.state.deliveries,
	ours: (delivery, integration) => delivery.integrationId === integration.id,
};

// ------------------------------------------------------------------------------ trigger example

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
	const integration = fake.state.integrations.get(expect.registration.id);
	assert.equal(integration.status, 'stopped', 'unpublishing stopped the integration');
}

// ------------------------------------------------------------------------------ trigger node

/**
 * Publishing registers and starts exactly one event stream integration whose callback is n8n's
 * production webhook URL; an event of the filter starts exactly one execution that puts out the
 * event; a delivery with a wrong or missing key gets 401 and an event outside the filter 200,
 * neither starts an execution; unpublishing stops the integration (NewStore delivers nothing
 * more); publishing again starts the same integration, still the only one, with the same key.
 */
async function checkTrigger(context) {
	const { stack } = context;
	const fake = stack.fakes.newstore;
	const order = [...fake.state.orders.values()][0];
	const payload = newStoreOrderCreated(order);
	await checkWebhookTrigger({
		...context,
		trigger: TRIGGER,
		label: 'webhook',
		parameters: { events: ['order.created'], customEvents: 'order.items_returned' },
		registered({ registration }) {
			assert.equal(registration.integration_type, 'permanent');
			assert.match(
				registration.callback_parameters.api_key,
				/^[0-9a-f]{64}$/,
				'a random key of 32 bytes',
			);
			assert.ok(
				callsSince(fake, 0, 'POST', '/api/v1/org/integrations/eventstream').some(
					(r) => r.body?.id === registration.id && r.status === 201,
				),
				'the node registered it',
			);
		},
		// An event of the filter: one execution that puts out the event.
		event: {
			emit: () => fake.emit('order.created', payload),
			check({ execution, delivered }) {
				assert.deepEqual(execution.output, [
					{
						name: 'order.created',
						published_at: delivered.body.published_at,
						tenant: DEMO_SECRETS.newstore.tenant,
						payload,
					},
				]);
			},
		},
		// Deliveries that are not NewStore's.
		refused: ({ registration }) => {
			const key = registration.callback_parameters.api_key;
			return [
				['a wrong key', { authorization: `Bearer ${'0'.repeat(64)}` }],
				['the key without "Bearer"', { authorization: key }],
				[
					'the key as Basic credentials',
					{ authorization: `Basic ${Buffer.from(`x:${key}`).toString('base64')}` },
				],
			];
		},
		// Events outside the filter (and a custom event name inside it).
		async ignored({ sent, url, registration }) {
			assert.deepEqual(
				sent(await fake.emit('order.completed', payload)),
				[200],
				'an event outside the filter is acknowledged',
			);
			const custom = await postDelivery(
				url,
				signed(registration),
				event('order.items_returned', { id: 'r-1' }),
			);
			assert.equal(custom.status, 200, 'a custom event name of the filter is accepted');
			return {
				runs: 1,
				message:
					'refused deliveries and order.completed started nothing; the custom event ran once',
				check: (list) =>
					assert.deepEqual(
						list.map((e) => e.output?.[0]?.name),
						['order.created', 'order.items_returned'],
					),
			};
		},
		unpublished({ registration, url }) {
			assert.deepEqual(
				TRIGGER.registrations(fake, url).map((i) => [i.id, i.status]),
				[[registration.id, 'stopped']],
			);
		},
		// Publish again: the same integration runs again, with the same key.
		republished({ registration, previous, url }) {
			assert.equal(registration.id, previous.id, 'the same integration');
			assert.equal(
				registration.callback_parameters.api_key,
				previous.callback_parameters.api_key,
				'with the same key',
			);
			assert.deepEqual(
				TRIGGER.registrations(fake, url).map((i) => [i.id, i.status]),
				[[registration.id, 'running']],
				'still exactly one integration',
			);
		},
	});
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
					execute: publishAndDeliver(TRIGGER, (fake, { order }) =>
						fake.emit('order.created', newStoreOrderCreated(order)),
					),
					check: checkTriggerNote,
				},
			],
		},
	},
	triggers: {
		newStoreTrigger: ({ stack, node, t }) =>
			timed('NewStore Trigger', () => checkTrigger({ stack, node, t })),
	},
};
