// Pax8's entry in the end-to-end vendor table (see vendors.mjs): credential test cases, the
// checks of the Pax8 example workflows against the fake's state (the trigger example is published
// and fed an ORDER/CREATED event), and the check of the Pax8 Trigger in a running n8n (webhook
// mode and polling mode).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

import { pax8OrderCreated } from '../../../scripts/lib/fakes.mjs';
import { nodeOutput } from '../../../scripts/lib/workflows.mjs';
import {
	callsSince,
	checkPollingTrigger,
	checkWebhookTrigger,
	executionsAfter,
	importTriggerWorkflow,
	postDelivery,
	publishAndDeliver,
	resend,
	timed,
	until,
	webhookUrl,
} from './harness.mjs';

const require = createRequire(import.meta.url);
const { sortItems } = require('../../fakes/common.cjs');
const CREDENTIAL_NAME = 'Pax8 (demo fake)';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN_REFUSED =
	/^Pax8 did not issue an access token \(HTTP 401, access_denied: Unauthorized\)\. Check the Client ID, Client Secret, Audience and Token URL of the Pax8 credential\.$/;

// ------------------------------------------------------------------------------ monthly cost

/** The rule the example documents: price × quantity per month, longer terms spread, others left out. */
const MONTHS_PER_TERM = { Monthly: 1, Annual: 12, '2-Year': 24, '3-Year': 36 };
const round = (value) => Math.round(value * 100) / 100;

const activeCompanies = (fake) =>
	sortItems(
		[...fake.state.companies.values()].filter((c) => c.status === 'Active'),
		(c) => c.name,
		false,
	);
const activeSubscriptionsOf = (fake, companyId) =>
	[...fake.state.subscriptions.values()].filter(
		(s) => s.companyId === companyId && s.status === 'Active',
	);

/** The monthly cost of a company computed from the fake's own state. */
function expectedMonthlyCost(fake, companyId) {
	let total = 0;
	const counted = [];
	const excluded = [];
	for (const s of activeSubscriptionsOf(fake, companyId)) {
		const months = MONTHS_PER_TERM[s.billingTerm];
		if (!months) {
			excluded.push(s.id);
			continue;
		}
		total += (s.price * s.quantity) / months;
		counted.push(s.id);
	}
	return { total: round(total), counted: counted.sort(), excluded: excluded.sort() };
}

function checkMonthlyCost({ output, fakes, expect }) {
	const fake = fakes.pax8;
	assert.equal(output.length, 1, 'one summary item');
	const [summary] = output;
	const company = fake.state.companies.get(expect.companyId);
	assert.equal(summary.companyId, company.id, `the summary is about ${company.name}`);
	assert.equal(summary.companyName, company.name);
	const expected = expectedMonthlyCost(fake, company.id);
	assert.ok(
		expected.counted.length > 0,
		'the company has active recurring subscriptions (else the check proves little)',
	);
	assert.deepEqual(
		summary.subscriptions.map((s) => s.id).sort(),
		expected.counted,
		'every active recurring subscription, nothing else',
	);
	assert.deepEqual(summary.excluded.map((s) => s.id).sort(), expected.excluded);
	assert.equal(summary.subscriptionCount, expected.counted.length);
	assert.equal(summary.currencyCode, 'USD');
	assert.ok(
		Math.abs(summary.monthlyCost - expected.total) < 0.005,
		`monthly cost ${summary.monthlyCost}, expected ${expected.total}`,
	);
	for (const line of summary.subscriptions) {
		const s = fake.state.subscriptions.get(line.id);
		assert.ok(
			Math.abs(line.monthlyCost - round((s.price * s.quantity) / MONTHS_PER_TERM[s.billingTerm])) <
				0.005,
			line.id,
		);
	}
}

/** Sets a value of the Set node "Choose company" in a copy of the example. */
function chooseCompany(workflow, companyName) {
	const node = workflow.nodes.find((n) => n.name === 'Choose company');
	const assignment = node.parameters.assignments.assignments.find((a) => a.name === 'companyName');
	assignment.value = companyName;
	return workflow;
}

// ------------------------------------------------------------------------------ company and order

function ordersSnapshot(fake) {
	return {
		orders: fake.state.orders.size,
		subscriptions: fake.state.subscriptions.size,
		companies: fake.state.companies.size,
		requestIndex: fake.requests.length,
	};
}

function checkCompanyAndOrder({ output, data, fakes, expect }) {
	const fake = fakes.pax8;
	const runData = data.resultData.runData;
	const out = (name) => runData[name].at(-1).data.main[0].map((item) => item.json);

	// The company: created Active thanks to the primary Admin, Billing and Technical contact.
	const [created] = out('Create company');
	const company = fake.state.companies.get(created.id);
	assert.ok(company, 'the company exists in Pax8');
	assert.equal(company.status, 'Active');
	assert.equal(fake.state.companies.size, expect.companies + 1, 'exactly one company created');
	const contacts = fake.state.contacts.get(company.id);
	assert.equal(contacts.length, 1);
	assert.deepEqual(
		contacts[0].types
			.filter((t) => t.primary)
			.map((t) => t.type)
			.sort(),
		['Admin', 'Billing', 'Technical'],
	);

	// The product: found by the search, needs no commitment.
	const [line] = out('Build line items')[0].lineItems;
	const product = fake.state.products.get(line.productId);
	assert.equal(product.requiresCommitment, false);
	assert.deepEqual(line.provisioningDetails.map((d) => d.key).sort(), [
		'googleAdminEmail',
		'googleDomain',
	]);

	// Validate Only sent isMock and stored nothing; the real order exists exactly once.
	const calls = fake.requests
		.slice(expect.requestIndex)
		.filter((r) => r.method === 'POST' && r.path === '/v1/orders');
	assert.equal(calls.length, 2, 'one validation and one real order call');
	assert.equal(calls[0].query.isMock, 'true', 'the first call only validates');
	assert.equal(calls[1].query.isMock, undefined, 'the second call orders');
	assert.deepEqual(calls[1].body, calls[0].body, 'the same order both times');
	assert.equal(calls[0].status, 200);
	const [validated] = out('Validate order');
	assert.equal(validated.id, undefined, 'a validation has no order id');

	assert.equal(output.length, 1);
	const [order] = output;
	assert.match(order.id, UUID);
	assert.equal(order.companyId, company.id);
	const stored = [...fake.state.orders.values()].filter((o) => o.companyId === company.id);
	assert.equal(stored.length, 1, 'exactly one order for the new company');
	assert.equal(stored[0].id, order.id);
	assert.equal(fake.state.orders.size, expect.orders + 1, 'the validation stored no order');
	assert.equal(
		fake.state.subscriptions.size,
		expect.subscriptions + 1,
		'one subscription for the one line item',
	);
	const subscription = fake.state.subscriptions.get(order.lineItems[0].subscriptionId);
	assert.equal(subscription.productId, product.id);
	assert.equal(subscription.quantity, line.quantity);
	assert.equal(subscription.companyId, company.id);
}

// ------------------------------------------------------------------------------ trigger helpers

const HEX64 = /^[0-9a-f]{64}$/;

/** The fake's webhooks registered for `url`. */
const webhooksFor = (fake, url) => [...fake.state.webhooks.values()].filter((w) => w.url === url);

/** A delivery body as Pax8 sends it (WebhookPayload) for a webhook of the fake. */
const envelope = (fake, webhook, payloadData) => ({
	accountId: fake.state.accountId,
	url: webhook.url,
	webhookId: webhook.id,
	sentAt: new Date().toISOString(),
	webhookTopic: webhook.webhookTopics[0],
	payloadData,
});

/** The Pax8 Trigger for the trigger scaffolding of harness.mjs. */
const TRIGGER = {
	name: 'Pax8 Trigger',
	nodeType: '.pax8Trigger',
	vendor: 'pax8',
	credential: { type: 'pax8Api', name: CREDENTIAL_NAME },
	registrations: webhooksFor,
	live: (webhook) => webhook.active,
	// Pax8 sends the registered string as `Authorization`. An empty body with it: the node answers
	// 400 (not a delivery) once it knows the secret, 401 before, n8n 404 before the route exists.
	probe: async (url, webhook) =>
		(await postDelivery(url, { authorization: webhook.authorization }, {})).status === 400,
	removed: (fake, url) => webhooksFor(fake, url).length === 0,
	deliveries: (fake) => fake.deliveries,
	ours: (delivery, webhook) => delivery.webhookId === webhook.id,
};

// ------------------------------------------------------------------------------ trigger example

/** The seeded order with the most line items (the first of them): the example's event. */
function triggerExampleSnapshot(fake) {
	const orders = [...fake.state.orders.values()];
	const most = Math.max(...orders.map((o) => o.lineItems.length));
	const order = orders.find((o) => o.lineItems.length === most);
	assert.ok(most >= 2, 'the seed has an order with several line items');
	assert.ok(fake.state.companies.get(order.companyId), 'the order has a company');
	return { order };
}

function checkOrderNotification({ output, data, fakes, expect }) {
	const fake = fakes.pax8;
	const { order } = expect;
	const [received] = nodeOutput(data, 'New order');
	assert.equal(received.topic, 'ORDER');
	assert.equal(received.action, 'CREATED');
	assert.equal(received.webhookId, expect.registration.id);
	assert.equal(received.payload.id, order.id);

	const company = fake.state.companies.get(order.companyId);
	const lines = order.lineItems.map((line) => {
		const product = fake.state.products.get(line.productId);
		return {
			productId: product.id,
			product: product.name,
			vendor: product.vendorName,
			quantity: line.quantity,
			billingTerm: line.billingTerm,
			subscriptionId: line.subscriptionId,
		};
	});
	// GET answers "Pax8Partner"; the node gives the spelling create takes.
	const orderedBy = order.orderedBy === 'Pax8Partner' ? 'Pax8 Partner' : order.orderedBy;
	const place = [company.address.city, company.address.country].filter(Boolean).join(', ');
	const subject = `New Pax8 order for ${company.name}`;
	assert.deepEqual(output, [
		{
			subject,
			text:
				`${subject} (${place}): ` +
				lines.map((l) => `${l.quantity} × ${l.product} (${l.billingTerm})`).join(', ') +
				`. Ordered ${order.createdDate} by ${orderedBy}; Pax8 order ${order.id}.`,
			orderId: order.id,
			companyId: company.id,
			companyName: company.name,
			orderedBy,
			createdDate: order.createdDate,
			totalQuantity: lines.reduce((sum, l) => sum + l.quantity, 0),
			lines,
		},
	]);
	assert.equal(
		nodeOutput(data, 'Get company').length,
		1,
		'the company is read once for the order (Execute Once)',
	);
	assert.deepEqual(webhooksFor(fake, expect.url), [], 'unpublishing deleted the webhook');
}

// ------------------------------------------------------------------------------ trigger node

/** The INVOICE/CREATED payload for an invoice of the fake, with `changes`. */
const invoiceCreated = (invoice, changes = {}) => ({
	id: invoice.id,
	invoiceDate: invoice.invoiceDate,
	dueDate: invoice.dueDate,
	status: invoice.status,
	total: invoice.total,
	currencyCode: invoice.currencyCode,
	...changes,
});

/**
 * Webhook mode: publishing registers exactly one active webhook in Pax8 for n8n's production URL
 * with the trigger's topic and filter and a random 64-hex secret; an event of the filter starts
 * exactly one execution that puts out the event; deliveries with a wrong or missing secret get
 * 401, malformed ones 400 (n8n's own answer for invalid JSON, the node's for JSON that is no
 * delivery), an oversized one 413, an exact repeat of an accepted delivery 200 and none of them
 * starts an execution; unpublishing deletes the webhook; publishing again registers exactly one
 * again, with a new secret, and runs again.
 */
async function checkWebhookMode(context) {
	const { stack } = context;
	const fake = stack.fakes.pax8;
	const invoice = [...fake.state.invoices.values()][0];
	const payload = invoiceCreated(invoice, { status: 'Unpaid' });
	/** A new delivery of the event for `webhook` (sent at another time than the accepted one). */
	const fresh = (webhook) => envelope(fake, webhook, { action: 'CREATED', ...payload });
	await checkWebhookTrigger({
		...context,
		trigger: TRIGGER,
		label: 'webhook',
		parameters: {
			mode: 'webhook',
			topic: 'INVOICE',
			actions: ['CREATED'],
			conditions: { condition: [{ field: 'status', operator: 'EQUALS', values: 'Unpaid' }] },
			options: {},
		},
		registered({ registration: webhook, workflow, from }) {
			assert.equal(webhook.active, true);
			assert.match(webhook.authorization, HEX64, 'a random secret of 32 bytes');
			assert.equal(webhook.displayName, `n8n: ${workflow.name} (${TRIGGER.name})`);
			assert.deepEqual(
				webhook.webhookTopics.map((w) => [w.topic, w.filters]),
				[
					[
						'INVOICE',
						[
							{
								action: 'CREATED',
								conditions: [{ field: 'status', operator: 'EQUALS', value: ['Unpaid'] }],
							},
						],
					],
				],
			);
			assert.deepEqual(
				callsSince(fake, from, 'POST', '/api/v2/webhooks').map((r) => r.status),
				[200],
				'the node registered it with one call',
			);
		},
		// An event of the filter: one execution that puts out the event.
		event: {
			emit: () => fake.emitEvent('INVOICE', 'CREATED', payload),
			check({ execution, delivered, registration: webhook }) {
				assert.equal(delivered.headers.authorization, webhook.authorization);
				assert.deepEqual(execution.output, [
					{
						topic: 'INVOICE',
						action: 'CREATED',
						sentAt: delivered.body.sentAt,
						webhookId: webhook.id,
						accountId: fake.state.accountId,
						payload: { action: 'CREATED', ...payload },
					},
				]);
			},
		},
		// Deliveries that are not Pax8's.
		refused: ({ registration: webhook }) => {
			const secret = webhook.authorization;
			return [
				['a wrong secret', '0'.repeat(64)],
				['the secret with "Bearer "', `Bearer ${secret}`],
				['the secret with one more character', `${secret}0`],
				['the first half of the secret', secret.slice(0, 32)],
			].map(([label, authorization]) => [label, { authorization }, fresh(webhook)]);
		},
		async ignored({ sent, url, t: tt, delivered, registration: webhook }) {
			// Outside the filter (Pax8 filters): nothing is delivered.
			assert.deepEqual(
				sent(await fake.emitEvent('INVOICE', 'CREATED', { ...payload, status: 'Paid' })),
				[],
				'an invoice that is not Unpaid is not delivered',
			);
			// Malformed deliveries carrying the secret. Invalid JSON never reaches the node: n8n's body
			// parser answers 422 "Failed to parse request body" (with or without the secret).
			const secret = { authorization: webhook.authorization };
			const invalidJson = await postDelivery(url, secret, '{"webhookTopic": {"topic": "INVOICE"');
			const invalidAnswer = await invalidJson.json();
			tt.diagnostic(
				`invalid JSON: n8n answers ${invalidJson.status} ${invalidAnswer.message} (${invalidAnswer.hint})`,
			);
			assert.equal(invalidJson.status, 422, 'n8n refuses invalid JSON');
			assert.equal(invalidAnswer.message, 'Failed to parse request body');
			const notDelivery = await postDelivery(url, secret, { hello: 'world' });
			assert.equal(notDelivery.status, 400, 'JSON that is no Pax8 delivery is refused');
			assert.match((await notDelivery.json()).message, /^Expected a Pax8 webhook delivery/);
			const big = fresh(webhook);
			big.payloadData.padding = 'x'.repeat(1024 * 1024 + 1);
			const tooLarge = await postDelivery(url, secret, big);
			assert.equal(tooLarge.status, 413, 'a delivery over 1 MB is refused');

			// Pax8 retries a delivery it thinks failed: an exact repeat is acknowledged, not run.
			const repeat = await resend(delivered);
			assert.equal(repeat.status, 200, 'the repeat is acknowledged');
			assert.deepEqual(await repeat.json(), { received: true, duplicate: true });
			return {
				message: 'refused, malformed, oversized and repeated deliveries started no execution',
			};
		},
		// Unpublish: the webhook is deleted in Pax8.
		unpublished({ registration: webhook, from }) {
			assert.equal(fake.state.webhooks.has(webhook.id), false);
			assert.deepEqual(
				callsSince(fake, from, 'DELETE', `/api/v2/webhooks/${webhook.id}`).map((r) => r.status),
				[204],
				'the node deleted its webhook',
			);
		},
		// Publish again: exactly one webhook again, with a new secret.
		async republished({ registration: again, previous, url }) {
			assert.deepEqual(
				webhooksFor(fake, url).map((w) => [w.id, w.active]),
				[[again.id, true]],
				'exactly one webhook again',
			);
			assert.notEqual(again.id, previous.id, 'a new registration (the old one was deleted)');
			assert.match(again.authorization, HEX64);
			assert.notEqual(again.authorization, previous.authorization, 'with a new secret');
			assert.equal(
				(await postDelivery(url, { authorization: previous.authorization }, fresh(again))).status,
				401,
				'the old secret no longer works',
			);
		},
	});
}

/**
 * Listening in the editor ("Fetch Test Event" on a webhook-mode trigger: a manual run of the saved
 * workflow): n8n waits for a test delivery; the node registers exactly one webhook for n8n's test
 * URL and asks Pax8 for the topic's sample; a delivery starts one manual execution; afterwards n8n
 * deletes the test webhook in Pax8. The sample is accepted (the node knows the secret before n8n
 * keeps the test webhook's static data) and the manual run puts out that delivery (n8n runs a
 * manual execution of a node that can poll through poll(), which answers with it).
 */
async function checkListening({ stack, node, t }) {
	const fake = stack.fakes.pax8;
	const { id, workflow } = await importTriggerWorkflow(stack, node, TRIGGER, 'listening', {
		mode: 'webhook',
		topic: 'INVOICE',
		actions: [],
		conditions: {},
		options: {},
	});
	const testUrl = webhookUrl(stack, workflow.nodes[0], { test: true });
	let listening = false;
	try {
		const from = fake.requests.length;
		const started = await stack.client.request('POST', `/workflows/${id}/run`, {
			triggerToStartFrom: { name: TRIGGER.name },
		});
		assert.deepEqual(started, { waitingForWebhook: true }, 'n8n waits for a test delivery');
		listening = true;
		const webhook = await until('a Pax8 webhook for the test URL', () =>
			webhooksFor(fake, testUrl).find((w) => w.active),
		);
		assert.equal(webhooksFor(fake, testUrl).length, 1, 'exactly one webhook for the test URL');
		assert.match(webhook.authorization, HEX64);
		assert.deepEqual(
			callsSince(fake, from, 'POST', `/api/v2/webhooks/${webhook.id}/topics/INVOICE/test`).map(
				(r) => r.status,
			),
			[200],
			'the node asked Pax8 for the topic sample',
		);
		const sample = fake.deliveries.find((d) => d.url === testUrl);
		assert.ok(sample, 'Pax8 sent the sample');
		await t.test('the sample Pax8 sends when listening starts is accepted', () =>
			assert.equal(sample.status, 200),
		);
		if (sample.status !== 200) {
			// The sample was refused: an event shows that the test webhook works otherwise.
			const payload = invoiceCreated([...fake.state.invoices.values()][0]);
			const [delivery] = (await fake.emitEvent('INVOICE', 'CREATED', payload)).filter(
				(d) => d.webhookId === webhook.id,
			);
			assert.equal(delivery.status, 200, 'an event while listening is accepted');
		}
		const list = await executionsAfter(stack.client, id, TRIGGER.name, 1, 'the manual execution');
		listening = false;
		assert.equal(list.length, 1, 'exactly one execution');
		assert.equal(list[0].status, 'success');
		assert.equal(list[0].mode, 'manual');
		await until(
			'the test webhook to be deleted in Pax8',
			() => !fake.state.webhooks.has(webhook.id),
		);
		const [first] = list[0].output ?? [];
		await t.test(
			'the manual execution puts out an event of the topic, shaped like a production one',
			() => {
				assert.equal(list[0].output.length, 1);
				assert.deepEqual(Object.keys(first).sort(), [
					'accountId',
					'action',
					'payload',
					'sentAt',
					'topic',
					'webhookId',
				]);
				assert.equal(first.topic, 'INVOICE');
			},
		);
		t.diagnostic(
			`sample delivery: HTTP ${sample.status}; manual execution output: ${JSON.stringify(first).slice(0, 160)}`,
		);
	} finally {
		if (listening) await stack.client.request('DELETE', `/test-webhook/${id}`).catch(() => {});
	}
}

/** A new order in the fake, placed today (a copy of a seeded one with a new id). */
function placeOrder(fake) {
	const [template] = fake.state.orders.values();
	const order = {
		...structuredClone(template),
		id: randomUUID(),
		createdDate: new Date().toISOString().slice(0, 10),
	};
	fake.state.orders.set(order.id, order);
	fake.touch();
	return order;
}

/**
 * Polling mode (New Order, every minute, n8n's shortest interval): publishing registers no
 * webhook and polls once, which emits nothing (the orders that exist are the starting point); the
 * next scheduled poll emits exactly the order placed meanwhile, the one after it not again.
 * Takes one to two minutes.
 */
async function checkPollingMode(context) {
	const { stack } = context;
	const fake = stack.fakes.pax8;
	await checkPollingTrigger({
		...context,
		trigger: TRIGGER,
		label: 'polling',
		parameters: {
			mode: 'polling',
			event: 'newOrder',
			companyId: '',
			pollTimes: { item: [{ mode: 'everyMinute' }] },
		},
		// The order-list calls (what a newOrder poll reads).
		pollCalls: (from) => callsSince(fake, from, 'GET', '/v1/orders'),
		published({ workflow, from, firstPoll }) {
			assert.equal(firstPoll.status, 200);
			const url = webhookUrl(stack, workflow.nodes[0]);
			assert.deepEqual(webhooksFor(fake, url), [], 'polling mode registers no webhook in Pax8');
			assert.deepEqual(
				callsSince(fake, from, 'POST', '/api/v2/webhooks'),
				[],
				'and calls no webhook endpoint',
			);
		},
		add: () => placeOrder(fake),
	});
}

// ------------------------------------------------------------------------------ the entry

export const pax8 = {
	credentials: {
		pax8Api: {
			testRequest: { method: 'GET', path: '/v1/companies' },
			// The token lives in a hidden expirable field: fetched once, kept, renewed after a 401.
			tokenReuse: {
				parameters: { resource: 'company', operation: 'getAll', limit: 1 },
				tokenRequests: (fakes) => fakes.pax8.tokenRequests,
				expireTokens: (fakes) => fakes.pax8.expireTokens(),
			},
			bad: [
				{
					label: 'wrong client secret',
					change: () => ({ clientSecret: 'not-the-secret' }),
					message: TOKEN_REFUSED,
				},
				{
					label: 'unknown client id',
					change: () => ({ clientId: 'someone-else' }),
					message: TOKEN_REFUSED,
				},
				{
					label: 'audience of another Pax8 API',
					change: () => ({ audience: 'api://provisioning' }),
					message: TOKEN_REFUSED,
				},
				{
					label: 'token URL nobody answers',
					change: ({ closedUrl }) => ({ tokenUrl: `${closedUrl}/v1/token`, baseUrl: closedUrl }),
					message:
						/^Could not reach the Pax8 token URL http:\/\/127\.0\.0\.1:\d+\/v1\/token: the connection was refused\. Check the Token URL of the Pax8 credential\.$/,
				},
			],
		},
	},
	examples: {
		'pax8-active-subscriptions-monthly-cost.json': {
			outputNode: 'Monthly cost',
			runs: [
				{
					label: 'as shipped: first active company',
					comparable: true,
					prepare: ({ fakes }) => ({ expect: { companyId: activeCompanies(fakes.pax8)[0].id } }),
					check: checkMonthlyCost,
				},
				{
					label: 'company chosen in the Set node, with annual terms',
					comparable: true,
					prepare: ({ workflow, fakes }) => {
						// The active company with the most active subscriptions billed over a longer term.
						const longTerm = (c) =>
							activeSubscriptionsOf(fakes.pax8, c.id).filter(
								(s) => (MONTHS_PER_TERM[s.billingTerm] ?? 0) > 1,
							).length;
						const [company] = [...activeCompanies(fakes.pax8)].sort(
							(a, b) => longTerm(b) - longTerm(a),
						);
						assert.ok(
							longTerm(company) > 0,
							'the seed has an active company with annual subscriptions',
						);
						return {
							workflow: chooseCompany(workflow, company.name.toUpperCase()),
							expect: { companyId: company.id },
						};
					},
					check: checkMonthlyCost,
				},
			],
		},
		'pax8-create-company-and-order.json': {
			outputNode: 'Place order',
			runs: [
				{
					label: 'as shipped',
					prepare: ({ fakes }) => ({ expect: ordersSnapshot(fakes.pax8) }),
					check: checkCompanyAndOrder,
				},
			],
		},
		'pax8-trigger-new-order-notification.json': {
			outputNode: 'Notification',
			runs: [
				{
					label:
						'published: an ORDER/CREATED delivery builds the notification; unpublished: deleted',
					comparable: true,
					prepare: ({ fakes }) => ({ expect: triggerExampleSnapshot(fakes.pax8) }),
					execute: publishAndDeliver(TRIGGER, (fake, { order }) =>
						fake.emitEvent('ORDER', 'CREATED', pax8OrderCreated(order)),
					),
					check: checkOrderNotification,
				},
			],
		},
	},
	triggers: {
		pax8Trigger: async ({ stack, node, t }) => {
			await timed('Pax8 Trigger, webhook mode', async () => {
				await t.test('webhook mode', (tt) => checkWebhookMode({ stack, node, t: tt }));
				await t.test('listening in the editor (manual run)', (tt) =>
					checkListening({ stack, node, t: tt }),
				);
			});
			await timed('Pax8 Trigger, polling mode', () =>
				t.test('polling mode (New Order, every minute)', (tt) =>
					checkPollingMode({ stack, node, t: tt }),
				),
			);
		},
	},
};
