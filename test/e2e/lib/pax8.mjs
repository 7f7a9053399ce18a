// Pax8's entry in the end-to-end vendor table (see vendors.mjs): credential test cases, the
// checks of the Pax8 example workflows against the fake's state (the trigger example is published
// and fed an ORDER/CREATED event), and the check of the Pax8 Trigger in a running n8n (webhook
// mode and polling mode).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

import { pax8OrderCreated } from '../../../scripts/lib/fakes.mjs';
import {
	activateWorkflow,
	deactivateWorkflow,
	importWorkflows,
	listExecutions,
	nodeOutput,
	pointCredentials,
	waitForExecution,
} from '../../../scripts/lib/workflows.mjs';

const require = createRequire(import.meta.url);
const { sortItems } = require('../../fakes/common.cjs');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message) => process.stderr.write(`[e2e] ${message}\n`);
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

/** The production webhook URL of a Pax8 Trigger node in `instance`'s n8n (path "webhook"). */
const webhookUrl = (instance, node) => `${instance.client.url}/webhook/${node.webhookId}/webhook`;

/** The fake's webhooks registered for `url`. */
const webhooksFor = (fake, url) => [...fake.state.webhooks.values()].filter((w) => w.url === url);

/** The fake's requests after index `from` matching method and path (a string or RegExp). */
const callsSince = (fake, from, method, path) =>
	fake.requests
		.slice(from)
		.filter(
			(r) =>
				r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
		);

/**
 * Posts to the webhook URL as Pax8 does: JSON, the registered string as `Authorization`. `body`
 * is sent as is when it is a string (malformed JSON), else as JSON.
 */
const deliver = (url, authorization, body) =>
	fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});

/** A delivery body as Pax8 sends it (WebhookPayload) for a webhook of the fake. */
const envelope = (fake, webhook, payloadData) => ({
	accountId: fake.state.accountId,
	url: webhook.url,
	webhookId: webhook.id,
	sentAt: new Date().toISOString(),
	webhookTopic: webhook.webhookTopics[0],
	payloadData,
});

/**
 * After publishing: the one active webhook for `url`, once n8n answers deliveries carrying its
 * secret (n8n 2.41.1 registers webhooks and saves the node's static data after the REST call
 * answered). The probe is an empty body with the secret: the node answers 400 (not a delivery)
 * once it knows the secret, 401 before, n8n 404 before the route exists; nothing runs.
 */
async function waitUntilListening(fake, url) {
	const webhook = await until('an active Pax8 webhook for the production URL', () =>
		webhooksFor(fake, url).find((w) => w.active),
	);
	await until(
		'the webhook to accept deliveries carrying the registered secret',
		async () => (await deliver(url, webhook.authorization, {})).status === 400,
	);
	return webhook;
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

/** Waits until the workflow has `count` executions, then a moment for stragglers. */
async function executionsAfter(client, workflowId, nodeName, count, what, timeoutMs = 15_000) {
	await until(what, async () => (await listExecutions(client, workflowId)).length >= count, {
		timeoutMs,
	});
	await sleep(1500);
	return await finishedExecutions(client, workflowId, nodeName);
}

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

/**
 * The trigger example, published: an ORDER/CREATED delivery runs it once; unpublishing deletes
 * its webhook in Pax8. Answers the execution.
 */
async function publishAndDeliver({ instance, workflowId, fakes, expect }) {
	const fake = fakes.pax8;
	const { workflow } = [...instance.examples.values()].find((e) => e.id === workflowId);
	const trigger = workflow.nodes.find((n) => n.type.endsWith('.pax8Trigger'));
	const url = webhookUrl(instance, trigger);
	expect.url = url;
	await activateWorkflow(instance.client, workflowId);
	try {
		const webhook = await waitUntilListening(fake, url);
		expect.webhookId = webhook.id;
		const deliveries = (
			await fake.emitEvent('ORDER', 'CREATED', pax8OrderCreated(expect.order))
		).filter((d) => d.webhookId === webhook.id);
		assert.deepEqual(
			deliveries.map((d) => d.status),
			[200],
			'Pax8 delivered the event once',
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
		await until('the webhook to be deleted in Pax8', () => webhooksFor(fake, url).length === 0);
	}
}

function checkOrderNotification({ output, data, fakes, expect }) {
	const fake = fakes.pax8;
	const { order } = expect;
	const [received] = nodeOutput(data, 'New order');
	assert.equal(received.topic, 'ORDER');
	assert.equal(received.action, 'CREATED');
	assert.equal(received.webhookId, expect.webhookId);
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

const TRIGGER_NAME = 'Pax8 Trigger';
const HEX64 = /^[0-9a-f]{64}$/;

/** "Pax8 Trigger → No Op" with the demo credential, imported into the stack's n8n. */
async function importTriggerWorkflow(stack, node, label, parameters) {
	const workflow = {
		name: `E2E: Pax8 Trigger (${label}) ${Date.now()}`,
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
				credentials: { pax8Api: { id: null, name: CREDENTIAL_NAME } },
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
async function checkWebhookMode({ stack, node, t }) {
	const fake = stack.fakes.pax8;
	const { id, workflow } = await importTriggerWorkflow(stack, node, 'webhook', {
		mode: 'webhook',
		topic: 'INVOICE',
		actions: ['CREATED'],
		conditions: { condition: [{ field: 'status', operator: 'EQUALS', values: 'Unpaid' }] },
		options: {},
	});
	const url = webhookUrl(stack, workflow.nodes[0]);
	const executions = () => finishedExecutions(stack.client, id, TRIGGER_NAME);
	const ours = (deliveries, webhook) =>
		deliveries.filter((d) => d.webhookId === webhook.id).map((d) => d.status);
	const invoice = [...fake.state.invoices.values()][0];
	let active = false;
	try {
		let from = fake.requests.length;
		let started = Date.now();
		await activateWorkflow(stack.client, id);
		active = true;
		const webhook = await waitUntilListening(fake, url);
		t.diagnostic(`publish → webhook registered and answering: ${Date.now() - started} ms`);
		assert.equal(webhooksFor(fake, url).length, 1, 'exactly one webhook for the URL');
		assert.equal(webhook.active, true);
		assert.match(webhook.authorization, HEX64, 'a random secret of 32 bytes');
		assert.equal(webhook.displayName, `n8n: ${workflow.name} (${TRIGGER_NAME})`);
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
		assert.deepEqual(await executions(), [], 'publishing ran nothing');

		// An event of the filter: one execution that puts out the event.
		const payload = invoiceCreated(invoice, { status: 'Unpaid' });
		started = Date.now();
		assert.deepEqual(
			ours(await fake.emitEvent('INVOICE', 'CREATED', payload), webhook),
			[200],
			'one delivery, accepted',
		);
		const delivered = fake.deliveries.filter((d) => d.webhookId === webhook.id).at(-1);
		assert.equal(delivered.headers.authorization, webhook.authorization);
		let list = await executionsAfter(stack.client, id, TRIGGER_NAME, 1, 'the execution');
		t.diagnostic(`delivery → finished execution: ${Date.now() - started} ms`);
		assert.equal(list.length, 1, 'exactly one execution');
		assert.equal(list[0].status, 'success');
		assert.equal(list[0].mode, 'webhook');
		assert.deepEqual(list[0].output, [
			{
				topic: 'INVOICE',
				action: 'CREATED',
				sentAt: delivered.body.sentAt,
				webhookId: webhook.id,
				accountId: fake.state.accountId,
				payload: { action: 'CREATED', ...payload },
			},
		]);
		assert.deepEqual(nodeOutput(list[0].data, 'No Op'), list[0].output, 'it reaches the next node');

		// Outside the filter (Pax8 filters): nothing is delivered.
		assert.deepEqual(
			ours(await fake.emitEvent('INVOICE', 'CREATED', { ...payload, status: 'Paid' }), webhook),
			[],
			'an invoice that is not Unpaid is not delivered',
		);

		// Deliveries that are not Pax8's: refused with 401.
		const secret = webhook.authorization;
		const fresh = () => envelope(fake, webhook, { action: 'CREATED', ...payload });
		for (const [label, authorization] of [
			['a wrong secret', '0'.repeat(64)],
			['no Authorization header', undefined],
			['the secret with "Bearer "', `Bearer ${secret}`],
			['the secret with one more character', `${secret}0`],
			['the first half of the secret', secret.slice(0, 32)],
		]) {
			const response = await deliver(url, authorization, fresh());
			assert.equal(response.status, 401, `a delivery with ${label} is refused`);
		}
		// Malformed deliveries carrying the secret. Invalid JSON never reaches the node: n8n's body
		// parser answers 422 "Failed to parse request body" (with or without the secret).
		const invalidJson = await deliver(url, secret, '{"webhookTopic": {"topic": "INVOICE"');
		const invalidAnswer = await invalidJson.json();
		t.diagnostic(
			`invalid JSON: n8n answers ${invalidJson.status} ${invalidAnswer.message} (${invalidAnswer.hint})`,
		);
		assert.equal(invalidJson.status, 422, 'n8n refuses invalid JSON');
		assert.equal(invalidAnswer.message, 'Failed to parse request body');
		const notDelivery = await deliver(url, secret, { hello: 'world' });
		assert.equal(notDelivery.status, 400, 'JSON that is no Pax8 delivery is refused');
		assert.match((await notDelivery.json()).message, /^Expected a Pax8 webhook delivery/);
		const big = fresh();
		big.payloadData.padding = 'x'.repeat(1024 * 1024 + 1);
		const tooLarge = await deliver(url, secret, big);
		assert.equal(tooLarge.status, 413, 'a delivery over 1 MB is refused');

		// Pax8 retries a delivery it thinks failed: an exact repeat is acknowledged, not run.
		const repeat = await fetch(url, {
			method: 'POST',
			headers: delivered.headers,
			body: JSON.stringify(delivered.body),
		});
		assert.equal(repeat.status, 200, 'the repeat is acknowledged');
		assert.deepEqual(await repeat.json(), { received: true, duplicate: true });
		await sleep(1500);
		list = await executions();
		assert.equal(
			list.length,
			1,
			'refused, malformed, oversized and repeated deliveries started no execution',
		);

		// Unpublish: the webhook is deleted in Pax8; n8n no longer listens.
		from = fake.requests.length;
		started = Date.now();
		await deactivateWorkflow(stack.client, id);
		active = false;
		await until('the webhook to be deleted in Pax8', () => webhooksFor(fake, url).length === 0);
		t.diagnostic(`unpublish → webhook deleted: ${Date.now() - started} ms`);
		assert.equal(fake.state.webhooks.has(webhook.id), false);
		assert.deepEqual(
			callsSince(fake, from, 'DELETE', `/api/v2/webhooks/${webhook.id}`).map((r) => r.status),
			[204],
			'the node deleted its webhook',
		);
		assert.deepEqual(
			ours(await fake.emitEvent('INVOICE', 'CREATED', payload), webhook),
			[],
			'Pax8 has nothing to deliver to any more',
		);
		assert.equal((await deliver(url, secret, fresh())).status, 404, 'n8n no longer listens');

		// Publish again: exactly one webhook again, with a new secret.
		started = Date.now();
		await activateWorkflow(stack.client, id);
		active = true;
		const again = await waitUntilListening(fake, url);
		t.diagnostic(`publish again → webhook registered and answering: ${Date.now() - started} ms`);
		assert.deepEqual(
			webhooksFor(fake, url).map((w) => [w.id, w.active]),
			[[again.id, true]],
			'exactly one webhook again',
		);
		assert.notEqual(again.id, webhook.id, 'a new registration (the old one was deleted)');
		assert.match(again.authorization, HEX64);
		assert.notEqual(again.authorization, secret, 'with a new secret');
		assert.equal(
			(await deliver(url, secret, envelope(fake, again, { action: 'CREATED', ...payload }))).status,
			401,
			'the old secret no longer works',
		);
		assert.deepEqual(ours(await fake.emitEvent('INVOICE', 'CREATED', payload), again), [200]);
		list = await executionsAfter(
			stack.client,
			id,
			TRIGGER_NAME,
			2,
			'the execution after publishing again',
		);
		assert.equal(list.length, 2, 'one more execution');
		assert.equal(list[1].status, 'success');
		assert.equal(list[1].output[0].webhookId, again.id);

		// Unpublish for good.
		await deactivateWorkflow(stack.client, id);
		active = false;
		await until('the webhook to be deleted again', () => webhooksFor(fake, url).length === 0);
	} finally {
		if (active) await deactivateWorkflow(stack.client, id).catch(() => {});
	}
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
	const { id, workflow } = await importTriggerWorkflow(stack, node, 'listening', {
		mode: 'webhook',
		topic: 'INVOICE',
		actions: [],
		conditions: {},
		options: {},
	});
	const testUrl = `${stack.client.url}/webhook-test/${workflow.nodes[0].webhookId}/webhook`;
	let listening = false;
	try {
		const from = fake.requests.length;
		const started = await stack.client.request('POST', `/workflows/${id}/run`, {
			triggerToStartFrom: { name: TRIGGER_NAME },
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
		await t.test(
			'the sample Pax8 sends when listening starts is accepted',
			() => assert.equal(sample.status, 200),
		);
		if (sample.status !== 200) {
			// The sample was refused: an event shows that the test webhook works otherwise.
			const payload = invoiceCreated([...fake.state.invoices.values()][0]);
			const [delivery] = (await fake.emitEvent('INVOICE', 'CREATED', payload)).filter(
				(d) => d.webhookId === webhook.id,
			);
			assert.equal(delivery.status, 200, 'an event while listening is accepted');
		}
		const list = await executionsAfter(stack.client, id, TRIGGER_NAME, 1, 'the manual execution');
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

/** The fake's order-list calls (what a newOrder poll reads) after request index `from`. */
const pollCalls = (fake, from) => callsSince(fake, from, 'GET', '/v1/orders');

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
async function checkPollingMode({ stack, node, t }) {
	const fake = stack.fakes.pax8;
	const { id, workflow } = await importTriggerWorkflow(stack, node, 'polling', {
		mode: 'polling',
		event: 'newOrder',
		companyId: '',
		pollTimes: { item: [{ mode: 'everyMinute' }] },
	});
	const url = webhookUrl(stack, workflow.nodes[0]);
	const nextPoll = (from) =>
		until('the next scheduled poll', () => pollCalls(fake, from).find((r) => r.status !== null), {
			timeoutMs: 65_000,
			intervalMs: 500,
		});
	let active = false;
	try {
		const from = fake.requests.length;
		let started = Date.now();
		await activateWorkflow(stack.client, id);
		active = true;
		// Publishing polls once (n8n's activation test), after the REST call has answered.
		const first = await until('the poll n8n makes when publishing', () =>
			pollCalls(fake, from).find((r) => r.status !== null),
		);
		t.diagnostic(`POST /rest/workflows/${id}/activate → first poll: ${first.ts - started} ms`);
		assert.equal(first.status, 200);
		await sleep(500);
		assert.deepEqual(webhooksFor(fake, url), [], 'polling mode registers no webhook in Pax8');
		assert.deepEqual(
			callsSince(fake, from, 'POST', '/api/v2/webhooks'),
			[],
			'and calls no webhook endpoint',
		);
		assert.deepEqual(await finishedExecutions(stack.client, id, TRIGGER_NAME), [], 'nothing yet');

		const order = placeOrder(fake);
		const afterAdd = fake.requests.length;
		started = Date.now();
		await nextPoll(afterAdd);
		const list = await executionsAfter(
			stack.client,
			id,
			TRIGGER_NAME,
			1,
			'the execution of that poll',
			30_000,
		);
		t.diagnostic(`order placed → execution: ${Date.now() - started} ms`);
		assert.equal(list.length, 1, 'one execution');
		assert.equal(list[0].status, 'success');
		assert.equal(list[0].mode, 'trigger');
		assert.deepEqual(
			list[0].output.map((o) => o.id),
			[order.id],
			'exactly the new order',
		);
		assert.deepEqual(
			nodeOutput(list[0].data, 'No Op').map((o) => o.id),
			[order.id],
		);

		// The poll after that (a minute later) must not emit it again.
		const afterFirst = fake.requests.length;
		started = Date.now();
		await nextPoll(afterFirst);
		await sleep(2000);
		t.diagnostic(`next poll after ${Date.now() - started - 2000} ms`);
		assert.deepEqual(
			(await listExecutions(stack.client, id)).map((e) => String(e.id)),
			[list[0].executionId],
			'the later poll started no execution',
		);
	} finally {
		if (active) await deactivateWorkflow(stack.client, id).catch(() => {});
	}
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
					execute: publishAndDeliver,
					check: checkOrderNotification,
				},
			],
		},
	},
	triggers: {
		pax8Trigger: async ({ stack, node, t }) => {
			const started = Date.now();
			await t.test('webhook mode', (tt) => checkWebhookMode({ stack, node, t: tt }));
			await t.test('listening in the editor (manual run)', (tt) =>
				checkListening({ stack, node, t: tt }),
			);
			log(`Pax8 Trigger, webhook mode: ${((Date.now() - started) / 1000).toFixed(1)} s`);
			const polling = Date.now();
			await t.test('polling mode (New Order, every minute)', (tt) =>
				checkPollingMode({ stack, node, t: tt }),
			);
			log(`Pax8 Trigger, polling mode: ${((Date.now() - polling) / 1000).toFixed(1)} s`);
		},
	},
};
