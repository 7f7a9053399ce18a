// CloudBlue Connect's entry in the end-to-end vendor table (see vendors.mjs): credential test
// cases, the checks of the Connect example workflows against the fake's state, and the check of
// the CloudBlue Connect Trigger in a running n8n (webhook mode and polling mode).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { DEMO_SECRETS } from '../../../scripts/lib/fakes.mjs';
import { nodeOutput } from '../../../scripts/lib/workflows.mjs';
import {
	callsSince,
	checkPollingTrigger,
	checkWebhookTrigger,
	finishedExecutions,
	nextPoll,
	sleep,
	timed,
} from './harness.mjs';

const require = createRequire(import.meta.url);
const { readWorkbook } = require('../../fakes/connect-xlsx.cjs');

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

/** The CloudBlue Connect Trigger for the trigger scaffolding of harness.mjs. */
const TRIGGER = {
	name: 'Connect Trigger',
	nodeType: '.cloudBlueConnectTrigger',
	vendor: 'connect',
	credential: { type: 'cloudBlueConnectApi', name: CREDENTIAL_NAME },
	registrations: (fake, url) =>
		[...fake.state.webhooks.values()].filter((w) => w.external_url === url),
	live: (webhook) => webhook.active,
	removed: (fake, url) => TRIGGER.registrations(fake, url).length === 0,
	deliveries: (fake) => fake.deliveries,
	ours: (delivery, webhook, url) => delivery.url === url,
};

const triggerParameters = (mode, productId) => ({
	mode,
	event: 'fulfillmentRequest',
	products: productId,
	statuses: ['pending'],
	types: [],
	options: {},
	...(mode === 'polling' && { pollTimes: { item: [{ mode: 'everyMinute' }] } }),
});

/**
 * Webhook mode: publishing registers one Connect webhook for this n8n's production URL; a signed
 * delivery starts exactly one execution with the new request; a forged one gets 401 and starts
 * nothing; unpublishing removes the registration.
 */
async function checkWebhookMode(context) {
	const { stack } = context;
	const fake = stack.fakes.connect;
	const productId = fake.ids.products[0];
	// A request that was pending before the workflow was published.
	const before = fake.addRequest({ productId, created: new Date().toISOString() });
	await checkWebhookTrigger({
		...context,
		trigger: TRIGGER,
		label: 'webhook',
		parameters: triggerParameters('webhook', productId),
		registered({ registration }) {
			assert.equal(registration.object_class, 'fulfillment_request');
			assert.equal(registration.product.id, productId);
			assert.match(registration.jwt_secret, /^JWT-/);
		},
		event: {
			// A new request, and Connect's notification about it.
			prepare: () => fake.addRequest({ productId, created: new Date().toISOString() }),
			emit: () => fake.emit('fulfillment_request', productId),
			check({ prepared: created, execution, t: tt }) {
				const ids = (execution.output ?? []).map((r) => r.id);
				assert.ok(ids.includes(created.id), `the execution emits ${created.id}`);
				for (const requestId of ids) {
					const request = fake.state.requests.get(requestId);
					assert.equal(request.status, 'pending', requestId);
					assert.equal(request.asset.product.id, productId, requestId);
				}
				const others = ids.filter((r) => r !== created.id);
				// Not asserted: the node emits every pending request of the product it has not seen yet.
				tt.diagnostic(
					`the delivery emitted ${ids.length} request(s); pending before publishing: ` +
						`${others.includes(before.id) ? `${before.id} included` : 'none'}`,
				);
			},
		},
		// A delivery signed with another secret.
		refused: ({ registration }) => {
			const iat = Math.floor(Date.now() / 1000);
			const forged = fake.signJwt('JWT-not-the-secret-of-this-webhook', {
				webhook_id: registration.id,
				iat,
				exp: iat + 600,
			});
			return [['a token signed with another secret', { authentication: `Bearer ${forged}` }]];
		},
		// Between deliveries the node keeps no state (n8n 2.41.1 does not save what a webhook()
		// writes to static data): a later delivery emits what changed since the previous successful
		// one (`last_success_at`). That rule is covered by test/unit/connect-trigger.test.cjs.
		unpublished({ registration, from }) {
			assert.ok(
				callsSince(
					fake,
					from,
					'DELETE',
					`/public/v1/notifications/webhooks/${registration.id}`,
				).some((r) => r.status < 300),
				'the node deleted its registration',
			);
		},
	});
}

/** The fake's request-list calls the poll makes for this product (after `from`). */
const pollCalls = (fake, productId) => (from) =>
	callsSince(fake, from, 'GET', '/public/v1/requests').filter((r) =>
		decodeURIComponent(r.rawQuery ?? '').includes(productId),
	);

/**
 * Polling mode at n8n's shortest interval (every minute, at a random second): publishing polls
 * once and emits nothing, the next scheduled poll emits exactly the request added meanwhile, the
 * one after emits it not again. Alongside: when the first poll finds no request, a request Connect
 * stamps with the same second (Connect's times are whole seconds) is still emitted by the next
 * poll. Takes one to two minutes.
 */
async function checkPollingMode(context) {
	const { stack, t } = context;
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
	await checkPollingTrigger({
		...context,
		trigger: TRIGGER,
		label: 'polling',
		parameters: triggerParameters('polling', productId),
		pollCalls: pollCalls(fake, productId),
		add: () => fake.addRequest({ productId, created: new Date().toISOString() }),
		// An empty first poll, on product B: started first, checked at the end.
		alongside: async ({ publish }) => {
			const calls = pollCalls(fake, emptyProduct);
			const empty = await publish({
				label: 'polling, empty',
				parameters: triggerParameters('polling', emptyProduct),
				pollCalls: calls,
			});
			const sameSecond = fake.addRequest({
				productId: emptyProduct,
				created: new Date(Math.floor(empty.firstPoll.ts / 1000) * 1000).toISOString(),
			});
			const afterAdd = fake.requests.length;
			const outcome = nextPoll(calls, afterAdd).then(async () => {
				await sleep(2000);
				return await finishedExecutions(stack.client, empty.id, TRIGGER.name);
			});
			outcome.catch(() => {});
			return () =>
				t.test(
					'first poll found nothing: a request stamped with the same second is emitted by the next poll',
					async (tt) => {
						const list = await outcome;
						tt.diagnostic(
							`first poll at ${new Date(empty.firstPoll.ts).toISOString()}, request ${sameSecond.id} created ${sameSecond.created}; ` +
								`next poll: ${calls(afterAdd)
									.map((r) => decodeURIComponent(r.rawQuery))
									.join(' ')}; executions: ${list.length}`,
						);
						assert.deepEqual(
							list.map((e) => (e.output ?? []).map((r) => r.id)),
							[[sameSecond.id]],
						);
					},
				);
		},
	});
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
					message:
						/^Connect refused the API key: check that it is complete \(SU-…:…\) and not revoked$/,
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
			await timed('Connect Trigger, webhook mode', () =>
				t.test('webhook mode', (tt) => checkWebhookMode({ stack, node, t: tt })),
			);
			await timed('Connect Trigger, polling mode', () =>
				t.test('polling mode (every minute)', (tt) => checkPollingMode({ stack, node, t: tt })),
			);
		},
	},
};
