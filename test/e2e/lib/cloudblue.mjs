// CloudBlue Connect's entry in the end-to-end vendor table (see vendors.mjs): credential test
// cases, the checks of the Connect example workflows against the fake's state, and the check of
// the CloudBlue Connect Trigger in a running n8n (webhook mode and polling mode).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

import { DEMO_SECRETS } from '../../../scripts/lib/fakes.mjs';
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
const { readWorkbook } = require('../../fakes/connect-xlsx.cjs');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message) => process.stderr.write(`[e2e] ${message}\n`);
const CREDENTIAL_NAME = 'CloudBlue Connect (demo fake)';

// ------------------------------------------------------------------------------ approve or fail

/** Required asset parameters without a value: what Connect's approve refuses with REQ_005. */
function emptyRequired(request) {
	return (request.asset?.params ?? [])
		.filter((p) => p.constraints?.required)
		.filter(
			(p) =>
				(p.value === undefined || p.value === null || String(p.value).trim() === '') &&
				!(p.structured_value && Object.keys(p.structured_value).length),
		)
		.map((p) => p.id);
}

function pendingSnapshot(fake) {
	return {
		requestIndex: fake.requests.length,
		pending: [...fake.state.requests.values()]
			.filter((r) => r.status === 'pending')
			.map((r) => ({ id: r.id, productId: r.asset.product.id, missing: emptyRequired(r) })),
	};
}

function checkApproveOrFail({ output, data, fakes, expect }) {
	const fake = fakes.connect;
	const failing = expect.pending.filter((r) => r.missing.length);
	const approvable = expect.pending.filter((r) => !r.missing.length);
	assert.ok(
		failing.length > 0 && approvable.length > 0,
		'the seed has pending requests of both kinds (else the check proves little)',
	);

	for (const { id, productId, missing } of expect.pending) {
		const request = fake.state.requests.get(id);
		if (missing.length) {
			assert.equal(request.status, 'failed', `${id} (empty: ${missing.join(', ')}) failed`);
			assert.match(request.reason, /^Required parameters? empty: /, id);
			for (const param of missing)
				assert.ok(request.reason.includes(`(${param})`), `${id}: the reason names ${param}`);
		} else {
			assert.equal(request.status, 'approved', `${id} approved`);
			const [first] = [...fake.state.templates.values()].filter(
				(t) => t.productId === productId && t.scope === 'asset' && t.type === 'fulfillment',
			);
			assert.equal(
				request.template?.id,
				first.id,
				`${id}: approved with the product's first fulfillment template`,
			);
		}
	}

	// The nodes' outputs: each request handled once, on the right branch.
	const sorted = (list) => [...list].sort();
	assert.deepEqual(
		sorted(output.map((r) => r.id)),
		sorted(approvable.map((r) => r.id)),
		'Approve request: every approvable request, once',
	);
	assert.ok(output.every((r) => r.status === 'approved'));
	const failed = nodeOutput(data, 'Fail request') ?? [];
	assert.deepEqual(
		sorted(failed.map((r) => r.id)),
		sorted(failing.map((r) => r.id)),
		'Fail request: every request with an empty required parameter, once',
	);
	const calls = fake.requests.slice(expect.requestIndex).filter((r) => r.method === 'POST');
	assert.equal(calls.filter((r) => r.path.endsWith('/approve')).length, approvable.length);
	assert.equal(calls.filter((r) => r.path.endsWith('/fail')).length, failing.length);
	assert.ok(
		calls.every((r) => r.status === 200),
		`every approve and fail call succeeded: ${calls.map((r) => `${r.path} ${r.status}`).join(', ')}`,
	);
}

// ------------------------------------------------------------------------------ usage file

/** `YYYY-MM-DD HH:MM:SS` in UTC, as the node writes timestamps to the workbook. */
const workbookTime = (iso) => new Date(iso).toISOString().slice(0, 19).replace('T', ' ');

function usageSnapshot(fake) {
	return { files: new Set(fake.state.usageFiles.keys()), uploads: fake.uploads.length };
}

function checkUsageFile({ output, data, fakes, expect }) {
	const fake = fakes.connect;
	const records = nodeOutput(data, 'Billing export (sample)');
	const [settings] = nodeOutput(data, 'Usage settings');
	assert.ok(records.length > 0, 'the billing export produced records');

	assert.equal(output.length, 1, 'one usage file for all records');
	const [file] = output;
	const created = [...fake.state.usageFiles.keys()].filter((id) => !expect.files.has(id));
	assert.deepEqual(created, [file.id], 'exactly one usage file created');
	const stored = fake.state.usageFiles.get(file.id);
	assert.equal(stored.status, 'pending', 'processed and submitted');
	assert.equal(file.status, 'pending');
	assert.equal(stored.product.id, settings.productId);
	assert.equal(stored.contract.id, settings.contractId);
	assert.equal(stored.records.valid, records.length, 'every record valid');
	assert.equal(stored.records.invalid, 0);
	assert.equal(file.recordsUploaded, records.length);

	const uploads = fake.uploads.slice(expect.uploads).filter((u) => u.usageFileId === file.id);
	assert.equal(uploads.length, 1, 'one upload');
	const sheet = readWorkbook(uploads[0].buffer).sheets.get('usage_records');
	assert.ok(sheet, 'the workbook has the usage_records sheet');
	const [header, ...rows] = sheet;
	const col = Object.fromEntries(header.map((name, i) => [name, i]));
	assert.equal(rows.length, records.length, 'one row per record');
	rows.forEach((row, i) => {
		const record = records[i];
		const cell = (name) => row[col[name]];
		const label = `row ${i + 2}`;
		assert.equal(cell('record_id'), `${file.id}_record_${i + 1}`, label);
		assert.equal(cell('item_search_criteria'), 'item.mpn', label);
		assert.equal(cell('item_search_value'), record.sku, label);
		assert.equal(cell('asset_search_criteria'), 'asset.external_id', label);
		assert.equal(String(cell('asset_search_value')), record.subscription_ref, label);
		assert.equal(Number(cell('quantity')), record.billed_units, label);
		assert.equal(cell('start_time_utc'), workbookTime(record.usage_start), label);
		assert.equal(cell('end_time_utc'), workbookTime(record.usage_end), label);
		assert.equal(cell('record_note'), record.line_description, label);
	});
	// The records name real subscriptions (assets) and pay-per-use items of the product.
	const assets = new Set(
		[...fake.state.assets.values()]
			.filter((a) => a.product.id === settings.productId && a.status === 'active')
			.map((a) => String(a.external_id)),
	);
	assert.ok(records.every((r) => assets.has(r.subscription_ref)));
}

// ------------------------------------------------------------------------------ trigger

const TRIGGER_NAME = 'Connect Trigger';

/** "Connect Trigger → No Op" with the demo credential, imported into the stack's n8n. */
async function importTriggerWorkflow(stack, node, label, parameters) {
	const workflow = {
		name: `E2E: CloudBlue Connect Trigger (${label}) ${Date.now()}`,
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
				credentials: { cloudBlueConnectApi: { id: null, name: CREDENTIAL_NAME } },
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

/** Finished executions of a workflow with their trigger output, oldest first. */
async function finishedExecutions(client, workflowId) {
	const summaries = (await listExecutions(client, workflowId)).sort(
		(a, b) => Number(a.id) - Number(b.id),
	);
	const out = [];
	for (const summary of summaries) {
		const { status, data } = await waitForExecution(client, summary.id, { timeoutMs: 30_000 });
		out.push({
			id: String(summary.id),
			mode: summary.mode,
			status,
			ids: (nodeOutput(data, TRIGGER_NAME) ?? []).map((r) => r.id),
			noOp: nodeOutput(data, 'No Op'),
		});
	}
	return out;
}

const registrationsOf = (fake, url) =>
	[...fake.state.webhooks.values()].filter((w) => w.external_url === url);

/** Posts to the webhook URL as Connect does: JSON body, `Authentication: Bearer <jwt>`. */
const post = (url, headers, body) =>
	fetch(url, {
		method: 'POST',
		headers: { ...headers, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});

/** Waits until the workflow has `count` finished executions, then a moment for stragglers. */
async function executionsAfter(client, workflowId, count, what) {
	await until(what, async () => (await finishedExecutions(client, workflowId)).length >= count, {
		timeoutMs: 15_000,
	});
	await sleep(1500);
	return await finishedExecutions(client, workflowId);
}

/**
 * Webhook mode: publishing registers one Connect webhook for this n8n's production URL; a signed
 * delivery starts exactly one execution with the new request; a forged one gets 401 and starts
 * nothing; unpublishing removes the registration.
 */
async function checkWebhookMode({ stack, node, t }) {
	const fake = stack.fakes.connect;
	const productId = fake.ids.products[0];
	// A request that was pending before the workflow was published.
	const before = fake.addRequest({ productId, created: new Date().toISOString() });
	const { id, workflow } = await importTriggerWorkflow(stack, node, 'webhook', {
		mode: 'webhook',
		event: 'fulfillmentRequest',
		products: productId,
		statuses: ['pending'],
		types: [],
		options: {},
	});
	const url = `${stack.n8n.url}/webhook/${workflow.nodes[0].webhookId}/webhook`;
	let active = false;
	try {
		let started = Date.now();
		await activateWorkflow(stack.client, id);
		active = true;
		t.diagnostic(`POST /rest/workflows/${id}/activate: ${Date.now() - started} ms`);
		// n8n answers before the trigger is set up: the registration follows.
		const [registration] = await until('the webhook registration in the fake', () => {
			const found = registrationsOf(fake, url).filter((w) => w.active);
			return found.length ? found : undefined;
		});
		t.diagnostic(`publish → registration in Connect: ${Date.now() - started} ms`);
		assert.equal(registrationsOf(fake, url).length, 1, 'one registration for the one product');
		assert.equal(registration.object_class, 'fulfillment_request');
		assert.equal(registration.product.id, productId);
		assert.match(registration.jwt_secret, /^JWT-/);
		assert.deepEqual(await finishedExecutions(stack.client, id), [], 'publishing ran nothing');

		// A new request, and Connect's notification about it.
		const created = fake.addRequest({ productId, created: new Date().toISOString() });
		started = Date.now();
		const deliveries = (await fake.emit('fulfillment_request', productId)).filter(
			(d) => d.url === url,
		);
		assert.deepEqual(
			deliveries.map((d) => d.status),
			[200],
			`one delivery, accepted: ${JSON.stringify(deliveries)}`,
		);
		const delivered = fake.deliveries.filter((d) => d.url === url).at(-1);
		const executions = await executionsAfter(stack.client, id, 1, 'the execution of the delivery');
		t.diagnostic(`delivery → finished execution: ${Date.now() - started} ms`);
		assert.equal(executions.length, 1, 'exactly one execution');
		const [execution] = executions;
		assert.equal(execution.status, 'success');
		assert.equal(execution.mode, 'webhook');
		assert.ok(execution.ids.includes(created.id), `the execution emits ${created.id}`);
		assert.equal(execution.noOp.length, execution.ids.length, 'the items reach the next node');
		for (const requestId of execution.ids) {
			const request = fake.state.requests.get(requestId);
			assert.equal(request.status, 'pending', requestId);
			assert.equal(request.asset.product.id, productId, requestId);
		}
		const others = execution.ids.filter((r) => r !== created.id);
		// Not asserted: the node emits every pending request of the product it has not seen yet.
		t.diagnostic(
			`the first delivery emitted ${execution.ids.length} request(s); pending before publishing: ` +
				`${others.includes(before.id) ? `${before.id} included` : 'none'}`,
		);

		// A delivery signed with another secret: refused, nothing runs.
		const iat = Math.floor(Date.now() / 1000);
		const forged = fake.signJwt('JWT-not-the-secret-of-this-webhook', {
			webhook_id: registration.id,
			iat,
			exp: iat + 600,
		});
		const response = await post(url, { authentication: `Bearer ${forged}` }, delivered.body);
		assert.equal(response.status, 401, 'a forged delivery is refused');
		const missing = await post(url, {}, delivered.body);
		assert.equal(missing.status, 401, 'a delivery without a token is refused');
		await sleep(1500);
		assert.equal(
			(await finishedExecutions(stack.client, id)).length,
			1,
			'the refused deliveries started no execution',
		);

		// Between deliveries the node keeps no state (n8n 2.41.1 does not save what a webhook()
		// writes to static data): a later delivery emits what changed since the previous successful
		// one (`last_success_at`). That rule is covered by test/unit/connect-trigger.test.cjs.

		started = Date.now();
		await deactivateWorkflow(stack.client, id);
		active = false;
		t.diagnostic(`POST /rest/workflows/${id}/deactivate: ${Date.now() - started} ms`);
		await until('the registration to be removed', () => registrationsOf(fake, url).length === 0);
		t.diagnostic(`unpublish → registration removed: ${Date.now() - started} ms`);
		assert.ok(
			fake.requests.some(
				(r) =>
					r.method === 'DELETE' &&
					r.path === `/public/v1/notifications/webhooks/${registration.id}` &&
					r.status < 300,
			),
			'the node deleted its registration',
		);
		assert.deepEqual(
			(await fake.emit('fulfillment_request', productId)).filter((d) => d.url === url),
			[],
			'Connect has nothing to deliver to any more',
		);
	} finally {
		if (active) await deactivateWorkflow(stack.client, id).catch(() => {});
	}
}

/** The fake's request-list calls the poll makes for this product (after `from`). */
const pollCalls = (fake, productId, from) =>
	fake.requests
		.slice(from)
		.filter(
			(r) =>
				r.method === 'GET' &&
				r.path === '/public/v1/requests' &&
				decodeURIComponent(r.rawQuery ?? '').includes(productId),
		);

/** Imports and publishes a polling trigger for one product; answers once n8n's first poll is done. */
async function publishPolling({ stack, node, productId, label }) {
	const fake = stack.fakes.connect;
	const { id } = await importTriggerWorkflow(stack, node, label, {
		mode: 'polling',
		event: 'fulfillmentRequest',
		products: productId,
		statuses: ['pending'],
		types: [],
		options: {},
		pollTimes: { item: [{ mode: 'everyMinute' }] },
	});
	const from = fake.requests.length;
	const started = Date.now();
	await activateWorkflow(stack.client, id);
	// Publishing polls once (n8n's activation test), after the REST call has answered: what
	// exists then is the starting point. Requests added before that poll count as existing.
	const [first] = await until('the poll n8n makes when publishing', () => {
		const calls = pollCalls(fake, productId, from);
		return calls.length && calls[0].status !== null ? calls : undefined;
	});
	await sleep(500);
	return { id, firstPoll: first, publishMs: first.ts - started };
}

/** Waits for the next scheduled poll for the product after request index `from`. */
const nextPoll = (fake, productId, from) =>
	until('the next scheduled poll', () => pollCalls(fake, productId, from).length, {
		timeoutMs: 65_000,
		intervalMs: 500,
	});

/**
 * Polling mode at n8n's shortest interval (every minute, at a random second): publishing polls
 * once and emits nothing, the next scheduled poll emits exactly the request added meanwhile, the
 * one after emits it not again. Alongside: when the first poll finds no request, a request Connect
 * stamps with the same second (Connect's times are whole seconds) is still emitted by the next
 * poll. Takes one to two minutes.
 */
async function checkPollingMode({ stack, node, t }) {
	const fake = stack.fakes.connect;
	const pendingOf = (productId) =>
		[...fake.state.requests.values()].filter(
			(r) => r.status === 'pending' && r.asset.product.id === productId,
		);
	const productId = fake.ids.products[1];
	const emptyProduct = fake.ids.products.find((p) => p !== productId && !pendingOf(p).length);
	assert.ok(emptyProduct, 'the seed has a product without pending requests');
	// Product A has a pending request older than the workflow (the starting point).
	fake.addRequest({ productId, created: new Date(Date.now() - 60_000).toISOString() });
	const workflows = [];
	try {
		// --- an empty first poll, on product B: started first, checked at the end.
		const empty = await publishPolling({
			stack,
			node,
			productId: emptyProduct,
			label: 'polling, empty',
		});
		workflows.push(empty.id);
		const sameSecond = fake.addRequest({
			productId: emptyProduct,
			created: new Date(Math.floor(empty.firstPoll.ts / 1000) * 1000).toISOString(),
		});
		const emptyAfterAdd = fake.requests.length;
		const emptyOutcome = nextPoll(fake, emptyProduct, emptyAfterAdd).then(async () => {
			await sleep(2000);
			return await finishedExecutions(stack.client, empty.id);
		});
		emptyOutcome.catch(() => {});

		// --- product A: the behaviour.
		const polling = await publishPolling({ stack, node, productId, label: 'polling' });
		workflows.push(polling.id);
		t.diagnostic(
			`POST /rest/workflows/${polling.id}/activate → first poll: ${polling.publishMs} ms`,
		);
		assert.deepEqual(
			await finishedExecutions(stack.client, polling.id),
			[],
			'publishing emitted nothing',
		);
		const created = fake.addRequest({ productId, created: new Date().toISOString() });
		const afterAdd = fake.requests.length;
		let started = Date.now();
		await nextPoll(fake, productId, afterAdd);
		const executions = await executionsAfter(
			stack.client,
			polling.id,
			1,
			'the execution of that poll',
		);
		t.diagnostic(`request added → execution: ${Date.now() - started} ms`);
		assert.equal(executions.length, 1, 'one execution');
		const [execution] = executions;
		assert.equal(execution.status, 'success');
		assert.equal(execution.mode, 'trigger');
		assert.deepEqual(execution.ids, [created.id], 'exactly the new request');
		assert.deepEqual(
			execution.noOp.map((r) => r.id),
			[created.id],
		);

		// The poll after that (a minute later) must not emit it again.
		const afterFirst = fake.requests.length;
		started = Date.now();
		await nextPoll(fake, productId, afterFirst);
		await sleep(2000);
		t.diagnostic(`next poll after ${Date.now() - started - 2000} ms`);
		assert.deepEqual(
			(await finishedExecutions(stack.client, polling.id)).map((e) => e.id),
			[execution.id],
			'the later poll started no execution',
		);

		await t.test(
			'first poll found nothing: a request stamped with the same second is emitted by the next poll',
			async (tt) => {
				const list = await emptyOutcome;
				tt.diagnostic(
					`first poll at ${new Date(empty.firstPoll.ts).toISOString()}, request ${sameSecond.id} created ${sameSecond.created}; ` +
						`next poll: ${pollCalls(fake, emptyProduct, emptyAfterAdd)
							.map((r) => decodeURIComponent(r.rawQuery))
							.join(' ')}; executions: ${list.length}`,
				);
				assert.deepEqual(
					list.map((e) => e.ids),
					[[sameSecond.id]],
				);
			},
		);
	} finally {
		for (const id of workflows) await deactivateWorkflow(stack.client, id).catch(() => {});
	}
}

// ------------------------------------------------------------------------------ the entry

const { apiKey } = DEMO_SECRETS.connect;

export const connect = {
	credentials: {
		cloudBlueConnectApi: {
			testRequest: { method: 'GET', path: '/public/v1/accounts' },
			good: [
				{ label: 'key with the "ApiKey " prefix', change: () => ({ apiKey: `ApiKey ${apiKey}` }) },
				{ label: 'key pasted with spaces around it', change: () => ({ apiKey: `  ${apiKey}\n` }) },
			],
			bad: [
				{
					label: 'wrong API key',
					change: () => ({ apiKey: 'SU-000-000-001:not-the-token' }),
					// The credential's test rule for 401.
					message: /^Connect refused the API key: check that it is complete \(SU-…:…\) and not revoked$/,
				},
				{
					label: 'endpoint nobody answers',
					change: ({ closedUrl }) => ({ endpoint: `${closedUrl}/public/v1` }),
					message: /ECONNREFUSED/,
				},
			],
		},
	},
	examples: {
		'cloudblue-approve-or-fail-pending-requests.json': {
			outputNode: 'Approve request',
			runs: [
				{
					label: 'as shipped: every pending request approved or failed',
					prepare: ({ fakes }) => ({ expect: pendingSnapshot(fakes.connect) }),
					check: checkApproveOrFail,
				},
			],
		},
		'cloudblue-usage-file-from-records.json': {
			outputNode: 'Create usage file',
			runs: [
				{
					label: 'as shipped: one submitted usage file with every record',
					prepare: ({ fakes }) => ({ expect: usageSnapshot(fakes.connect) }),
					check: checkUsageFile,
				},
			],
		},
	},
	triggers: {
		cloudBlueConnectTrigger: async ({ stack, node, t }) => {
			const started = Date.now();
			await t.test('webhook mode', (tt) => checkWebhookMode({ stack, node, t: tt }));
			log(`Connect Trigger, webhook mode: ${((Date.now() - started) / 1000).toFixed(1)} s`);
			const polling = Date.now();
			await t.test('polling mode (every minute)', (tt) => checkPollingMode({ stack, node, t: tt }));
			log(`Connect Trigger, polling mode: ${((Date.now() - polling) / 1000).toFixed(1)} s`);
		},
	},
};
