'use strict';
// Every CloudBlue Connect operation through n8n's engine against the fake Connect, which checks
// each request (RQL included) against Connect's OpenAPI document.
const test = require('node:test');
const assert = require('node:assert/strict');
const { setup, rl, ok, calls, API_KEY, h } = require('./connect-helpers.cjs');

let env;
test.before(async () => {
	env = await setup({ counts: { requests: 2500 } });
});
test.after(async () => env.fake.close());
test.afterEach(() => {
	const violations = env.fake.violations.splice(0);
	assert.deepEqual(violations, [], 'every request matches the Connect spec');
});

const ids = () => env.fake.ids;
const lastCall = () => calls(env.fake).pop();

async function fulfillmentTemplate(productId) {
	const templates = ok(await env.run({ resource: 'product', operation: 'getTemplates', productId: rl(productId), scope: 'asset', templateType: 'fulfillment', returnAll: true }));
	assert.ok(templates.length > 0, 'product has fulfillment templates');
	return templates[0].id;
}

test('credential Test: key with or without the ApiKey prefix passes, a wrong key fails', async () => {
	const endpoint = `${env.fake.url}/public/v1`;
	assert.equal((await h.testCredential('cloudBlueConnectApi', { endpoint, apiKey: API_KEY })).status, 'OK');
	assert.equal((await h.testCredential('cloudBlueConnectApi', { endpoint, apiKey: `ApiKey ${API_KEY}` })).status, 'OK');
	const bad = await h.testCredential('cloudBlueConnectApi', { endpoint, apiKey: 'SU-000:wrong' });
	assert.equal(bad.status, 'Error');
	const sent = env.fake.requests.filter((r) => r.path.endsWith('/accounts'));
	assert.ok(sent.every((r) => r.headers.authorization.startsWith('ApiKey SU-')), 'prefix added exactly once');
});

test('Options → Backoff Factor and Retry On Statuses: defaults are the Connect policy; set, they change the waits and what is retried', async () => {
	const { CloudBlueConnect } = require('../../dist/nodes/CloudBlueConnect/CloudBlueConnect.node.js');
	const options = new CloudBlueConnect().description.properties.find((p) => p.name === 'options').options;
	assert.equal(options.find((o) => o.name === 'backoffFactor').default, 1);
	assert.equal(options.find((o) => o.name === 'retryOnStatuses').default, '408, 429, 500, 502, 503, 504');
	const id = ids().requests[0];
	const path = `/public/v1/requests/${id}`;
	const unavailable = { error_code: 'SYS_001', errors: ['Service unavailable'] };
	env.fake.inject({ method: 'GET', path, times: 2, status: 503, body: unavailable });
	const started = Date.now();
	const [request] = ok(await env.run({ resource: 'request', operation: 'get', requestId: rl(id), options: { backoffFactor: 0.01 } }));
	assert.equal(request.id, id);
	assert.ok(Date.now() - started < 1000, `two retries 0.01 s apart, not 1 s: ${Date.now() - started} ms`);
	env.fake.inject({ method: 'GET', path, times: 1, status: 503, body: unavailable });
	const unlisted = await env.run({ resource: 'request', operation: 'get', requestId: rl(id), options: { retryOnStatuses: '500, 502' } });
	assert.equal(unlisted.error?.httpCode, '503', 'a status not listed is not retried');
	assert.doesNotMatch(unlisted.error.description, /#2 /);
});

test('requests: Return All follows Content-Range over pages of 1000; Limit asks for just enough', async () => {
	const before = calls(env.fake).length;
	const all = ok(await env.run({ resource: 'request', operation: 'getAll', returnAll: true, simplify: false }));
	const total = env.fake.state.requests.size;
	assert.equal(all.length, total);
	assert.equal(new Set(all.map((r) => r.id)).size, total);
	const pages = calls(env.fake).slice(before);
	assert.equal(pages.length, Math.ceil(total / 1000));
	assert.deepEqual(pages.map((r) => Number(r.query.limit)), pages.map(() => 1000));
	const limited = ok(await env.run({ resource: 'request', operation: 'getAll', returnAll: false, limit: 5, simplify: true }));
	assert.equal(limited.length, 5);
	assert.equal(lastCall().query.limit, '5');
	assert.ok(limited[0].id.startsWith('PR-') && 'params' in limited[0], 'simplified');
});

test('requests: form filters compile to RQL with ordering; raw RQL is joined with AND', async () => {
	const out = ok(
		await env.run({
			resource: 'request',
			operation: 'getAll',
			returnAll: true,
			simplify: false,
			filters: {
				status: ['pending', 'inquiring'],
				type: ['purchase'],
				product: `${ids().products[0]}, ${ids().products[1]}`,
				createdAfter: '2020-01-01T00:00:00Z',
				rql: 'in(asset.connection.type,(production,test))',
			},
			sort: { field: 'created', direction: 'desc' },
		}),
	);
	const sent = decodeURIComponent(lastCall().rawQuery);
	assert.match(sent, /^and\(in\(status,\(pending,inquiring\)\),eq\(type,purchase\),in\(asset\.product\.id,\(PRD-[\d-]+,PRD-[\d-]+\)\),ge\(created,2020-01-01T00:00:00Z\)\)&in\(asset\.connection\.type,\(production,test\)\)&ordering\(-created\)/);
	assert.ok(out.length > 0);
	assert.ok(out.every((r) => ['pending', 'inquiring'].includes(r.status) && r.type === 'purchase'));
	const created = out.map((r) => Date.parse(r.created));
	assert.deepEqual(created, [...created].sort((a, b) => b - a), 'newest first');
});

test('requests: Get, Update Parameters', async () => {
	const id = ids().requests[0];
	const [got] = ok(await env.run({ resource: 'request', operation: 'get', requestId: rl(id), simplify: true }));
	assert.equal(got.id, id);
	assert.equal(got.params.customer_domain, 'acmelabs.example');
	const [updated] = ok(
		await env.run({
			resource: 'request',
			operation: 'updateParameters',
			requestId: rl(id),
			parameters: { parameter: [{ id: 'admin_url', value: 'https://admin.acmelabs.example' }] },
			note: 'admin URL set by n8n',
			simplify: false,
		}),
	);
	assert.equal(updated.asset.params.find((p) => p.id === 'admin_url').value, 'https://admin.acmelabs.example');
	const put = calls(env.fake).filter((r) => r.method === 'PUT').pop();
	assert.deepEqual(put.body, { asset: { params: [{ id: 'admin_url', value: 'https://admin.acmelabs.example' }] }, note: 'admin URL set by n8n' });
});

test('requests: Approve with a template; approving again answers the Connect error code', async () => {
	const id = ids().requests[0];
	const product = env.fake.state.requests.get(id).asset.product.id;
	const template = await fulfillmentTemplate(product);
	const [approved] = ok(await env.run({ resource: 'request', operation: 'approve', requestId: rl(id), approveWith: 'template', templateId: rl(template), simplify: false }));
	assert.equal(approved.status, 'approved');
	assert.deepEqual(calls(env.fake).filter((r) => r.path.endsWith('/approve')).pop().body, { template_id: template });
	const [rendered] = ok(await env.run({ resource: 'request', operation: 'render', requestId: rl(id) }));
	assert.equal(rendered.id, id);
	assert.ok(typeof rendered.markdown === 'string' && rendered.markdown.length > 0, 'activation markdown');
	const again = await env.run({ resource: 'request', operation: 'approve', requestId: rl(id), approveWith: 'template', templateId: rl(template) });
	assert.equal(again.status, 'error');
	assert.match(again.error.message, /^REQ_003: /);
	assert.equal(again.error.httpCode, '400');
});

test('requests: empty required parameters come back as REQ_005 naming them', async () => {
	const id = ids().requests[1];
	const result = await env.run({ resource: 'request', operation: 'approve', requestId: rl(id), approveWith: 'activationTile', activationTile: '# Welcome' });
	assert.equal(result.status, 'error');
	assert.match(result.error.message, /^REQ_005: .*\(.*activation_code.*\)$/);
});

test('requests: Inquire marks parameters, moves to inquiring and adds a note; Pend; Fail', async () => {
	const id = ids().requests[1];
	const [inquired] = ok(
		await env.run({
			resource: 'request',
			operation: 'inquire',
			requestId: rl(id),
			parameters: { parameter: [{ id: 'activation_code', valueError: 'Please enter the activation code from your welcome e-mail' }] },
			note: 'We need your activation code to continue.',
			simplify: false,
		}),
	);
	assert.equal(inquired.status, 'inquiring');
	const param = env.fake.state.requests.get(id).asset.params.find((p) => p.id === 'activation_code');
	assert.match(param.value_error, /activation code/);
	const conversation = env.fake.conversationFor(id);
	assert.ok(conversation.messages.some((m) => m.text === 'We need your activation code to continue.'));
	const [pended] = ok(await env.run({ resource: 'request', operation: 'pend', requestId: rl(id) }));
	assert.equal(pended.status, 'pending');
	const [failed] = ok(await env.run({ resource: 'request', operation: 'fail', requestId: rl(id), reason: 'Customer did not answer' }));
	assert.equal(failed.status, 'failed');
	assert.equal(failed.reason, 'Customer did not answer');
});

test('tier config requests: Get Many, Update Parameters, Inquire and Pend (204), Approve, Fail (204)', async () => {
	const list = ok(await env.run({ resource: 'tierConfigRequest', operation: 'getAll', returnAll: true, filters: { status: ['pending'] } }));
	assert.ok(list.length >= 2 && list.every((t) => t.status === 'pending'));
	const [first, second] = list;
	const paramId = (first.params ?? first.configuration?.params ?? [])[0]?.id ?? 'reseller_id';
	const [updated] = ok(await env.run({ resource: 'tierConfigRequest', operation: 'updateParameters', tierConfigRequestId: rl(first.id), parameters: { parameter: [{ id: paramId, value: 'RES-42' }] } }));
	assert.equal(updated.id, first.id);
	const [inquired] = ok(await env.run({ resource: 'tierConfigRequest', operation: 'inquire', tierConfigRequestId: rl(first.id), parameters: { parameter: [{ id: paramId, valueError: 'Which reseller?' }] } }));
	assert.deepEqual(inquired, { success: true, id: first.id });
	assert.equal(env.fake.state.tierConfigRequests.get(first.id).status, 'inquiring');
	const [pended] = ok(await env.run({ resource: 'tierConfigRequest', operation: 'pend', tierConfigRequestId: rl(first.id) }));
	assert.deepEqual(pended, { success: true, id: first.id });
	const product = env.fake.state.tierConfigRequests.get(first.id).configuration.product.id;
	const templates = ok(await env.run({ resource: 'product', operation: 'getTemplates', productId: rl(product), scope: 'tier1', templateType: 'fulfillment', returnAll: true }));
	const [approved] = ok(await env.run({ resource: 'tierConfigRequest', operation: 'approve', tierConfigRequestId: rl(first.id), templateId: rl(templates[0].id) }));
	assert.equal(approved.status, 'approved');
	const [failed] = ok(await env.run({ resource: 'tierConfigRequest', operation: 'fail', tierConfigRequestId: rl(second.id), reason: 'Unknown reseller' }));
	assert.deepEqual(failed, { success: true, id: second.id });
	const [got] = ok(await env.run({ resource: 'tierConfigRequest', operation: 'get', tierConfigRequestId: rl(second.id) }));
	assert.equal(got.status, 'failed');
});

test('notes: Add splits text over the limit, or rejects it; Get Many lists them', async () => {
	const id = ids().requests[2];
	const long = `${'Please check the domain settings. '.repeat(30)}Thanks.`;
	const added = ok(await env.run({ resource: 'note', operation: 'add', instanceId: id, text: long, type: 'message', overLimit: 'split', maxLength: 540 }));
	assert.ok(added.length >= 2 && added.every((m) => m.text.length <= 540));
	assert.equal(added.map((m) => m.text).join(' '), long.trim());
	const rejected = await env.run({ resource: 'note', operation: 'add', instanceId: id, text: long, overLimit: 'reject', maxLength: 540 });
	assert.match(rejected.error.message, /Parameter "Text" is \d+ characters long; notes take at most 540/);
	const notes = ok(await env.run({ resource: 'note', operation: 'getAll', instanceId: id, returnAll: true }));
	assert.ok(notes.length >= added.length);
});

/** An item MPN and an asset of a usage product, read through the node. */
async function usageTargets(product) {
	const items = ok(await env.run({ resource: 'product', operation: 'getItems', productId: rl(product), returnAll: true }));
	const [asset] = ok(await env.run({ resource: 'asset', operation: 'getAll', returnAll: false, limit: 1, filters: { product } }));
	return { mpn: items.find((i) => i.mpn).mpn, assetId: asset.id };
}

test('usage files: Create, Get, Get Many, Update, Upload, Submit, Accept, Reject, Close, Delete, Reprocess, Approve All', async () => {
	const product = ids().usageProducts[0];
	const { mpn, assetId } = await usageTargets(product);
	const contract = ids().contracts[0];
	const create = { resource: 'usageFile', operation: 'create', productId: rl(product), contractId: contract, name: 'n8n usage', periodFrom: '2025-05-01', periodTo: '2025-05-31T23:59:59Z', currency: 'usd' };
	const [draft] = ok(await env.run(create));
	assert.equal(draft.status, 'draft');
	assert.deepEqual(calls(env.fake).filter((r) => r.method === 'POST' && r.path.endsWith('/usage/files')).pop().body.period, { from: '2025-05-01', to: '2025-05-31' });
	const [updated] = ok(await env.run({ resource: 'usageFile', operation: 'update', usageFileId: rl(draft.id), updateFields: { description: 'May usage' } }));
	assert.equal(updated.description, 'May usage');
	const list = ok(await env.run({ resource: 'usageFile', operation: 'getAll', returnAll: true, filters: { status: ['draft'], product } }));
	assert.ok(list.some((f) => f.id === draft.id));
	// Upload a workbook passed in as binary data.
	const { buildUsageWorkbook, prepareUsageRecords } = require('../../dist/nodes/CloudBlueConnect/usage/workbook.js');
	const { rows } = prepareUsageRecords([{ item_search_criteria: 'item.mpn', item_search_value: mpn, quantity: 3, start_time_utc: '2025-05-01', end_time_utc: '2025-05-02', asset_search_criteria: 'asset.id', asset_search_value: assetId }], { usageFileId: draft.id });
	const workbook = buildUsageWorkbook(rows, [], 'sdk');
	const uploaded = await env.run(
		{ resource: 'usageFile', operation: 'upload', usageFileId: rl(draft.id), binaryPropertyName: 'data' },
		{ items: [{ json: {}, binary: { data: { data: workbook.toString('base64'), mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: 'usage.xlsx' } } }] },
	);
	ok(uploaded);
	assert.equal(env.fake.uploads.at(-1).buffer.length, workbook.length, 'bytes arrive unchanged');
	const [ready] = ok(await env.run({ resource: 'usageFile', operation: 'get', usageFileId: rl(draft.id) }));
	assert.equal(ready.status, 'ready');
	const [submitted] = ok(await env.run({ resource: 'usageFile', operation: 'submit', usageFileId: rl(draft.id) }));
	assert.equal(submitted.status, 'pending');
	const [rejected] = ok(await env.run({ resource: 'usageFile', operation: 'reject', usageFileId: rl(draft.id), note: 'Wrong period' }));
	assert.equal(rejected.status, 'rejected');
	// The seeded pending file: accept, approve all, close.
	const pending = [...env.fake.state.usageFiles.values()].find((f) => f.status === 'pending');
	ok(await env.run({ resource: 'usageFile', operation: 'approveAll', usageFileId: rl(pending.id) }));
	const [accepted] = ok(await env.run({ resource: 'usageFile', operation: 'accept', usageFileId: rl(pending.id), note: 'Looks right' }));
	assert.equal(accepted.status, 'accepted');
	const [closed] = ok(await env.run({ resource: 'usageFile', operation: 'close', usageFileId: rl(pending.id) }));
	assert.equal(closed.status, 'closed');
	ok(await env.run({ resource: 'usageFile', operation: 'reprocess', usageFileId: rl(draft.id) }));
	const [another] = ok(await env.run(create));
	const [deleted] = ok(await env.run({ resource: 'usageFile', operation: 'delete', usageFileId: rl(another.id) }));
	assert.equal(deleted.status, 'deleted');
	const wrong = await env.run({ resource: 'usageFile', operation: 'submit', usageFileId: rl(another.id) });
	assert.match(wrong.error.message, /^UF_003: /);
});

test('usage file: Create From Records turns all items into one uploaded, submitted file', async () => {
	const { mpn, assetId } = await usageTargets(ids().usageProducts[0]);
	const records = Array.from({ length: 25 }, (_, i) => ({
		mpn,
		qty: i + 1,
		from: `2025-05-${String((i % 28) + 1).padStart(2, '0')}T00:00:00+02:00`,
		to: `2025-05-${String((i % 28) + 1).padStart(2, '0')}T23:59:59+02:00`,
		assetId,
		item_search_criteria: 'item.mpn',
		asset_search_criteria: 'asset.id',
	}));
	const result = await env.run(
		{
			resource: 'usageFile',
			operation: 'createFromRecords',
			productId: rl(ids().usageProducts[0]),
			contractId: ids().contracts[0],
			name: 'From n8n records',
			periodFrom: '2025-05-01',
			periodTo: '2025-05-31',
			currency: 'USD',
			submit: true,
			mapping: { item_search_value: 'mpn', quantity: 'qty', start_time_utc: 'from', end_time_utc: 'to', asset_search_value: 'assetId' },
		},
		{ items: records.map((json) => ({ json })) },
	);
	const [file] = ok(result);
	assert.equal(result.items.length, 1, 'one output item per file');
	assert.equal(result.items[0].pairedItem.length, 25, 'paired with every input record');
	assert.equal(file.status, 'pending', 'submitted');
	assert.equal(file.recordsUploaded, 25);
	const upload = env.fake.uploads.at(-1);
	assert.equal(upload.usageFileId, file.id);
	assert.equal(env.fake.state.usageFiles.get(file.id).records.valid, 25);
});

test('usage file: bad records are reported with their item index before anything is sent', async () => {
	const before = calls(env.fake).length;
	const result = await env.run(
		{ resource: 'usageFile', operation: 'createFromRecords', productId: rl(ids().usageProducts[0]), contractId: ids().contracts[0], name: 'Bad', periodFrom: '2025-05-01', periodTo: '2025-05-31' },
		{
			items: [
				{ json: { item_search_criteria: 'item.mpn', item_search_value: 'M', quantity: 1, start_time_utc: '2025-05-01', end_time_utc: '2025-05-02', asset_search_criteria: 'asset.id', asset_search_value: 'AS-1' } },
				{ json: { item_search_criteria: 'item.mpn', quantity: 'many', start_time_utc: '2025-05-01', end_time_utc: '2025-05-02', asset_search_criteria: 'asset.id', asset_search_value: 'AS-1' } },
			],
		},
	);
	assert.equal(result.status, 'error');
	assert.match(result.error.message, /usage record.* not valid; nothing was uploaded/);
	assert.match(result.error.description, /item 1: item_search_value/);
	assert.match(result.error.description, /item 1: quantity/);
	assert.equal(calls(env.fake).length, before, 'no request sent');
});

test('usage records: Get Many of a file, Get, Update Status, Close', async () => {
	const file = [...env.fake.state.usageFiles.values()].find((f) => f.status === 'ready');
	const records = ok(await env.run({ resource: 'usageRecord', operation: 'getAll', returnAll: true, filters: { usageFile: file.id } }));
	assert.ok(records.length > 0);
	const [one] = ok(await env.run({ resource: 'usageRecord', operation: 'get', usageRecordId: rl(records[0].id) }));
	assert.equal(one.id, records[0].id);
	const [updated] = ok(await env.run({ resource: 'usageRecord', operation: 'updateStatus', usageRecordId: rl(records[0].id), status: 'approved' }));
	assert.equal(updated.status, 'approved');
	const [closed] = ok(await env.run({ resource: 'usageRecord', operation: 'close', usageRecordId: rl(records[0].id), externalBillingId: 'INV-2025-05-001' }));
	assert.equal(closed.status, 'closed');
});

test('catalogue: assets, products, marketplaces, hubs, tier accounts and configs, subscription assets', async () => {
	const assets = ok(await env.run({ resource: 'asset', operation: 'getAll', returnAll: false, limit: 3, filters: { status: ['active'] } }));
	assert.ok(assets.length > 0);
	const [asset] = ok(await env.run({ resource: 'asset', operation: 'get', assetId: rl(assets[0].id) }));
	assert.equal(asset.id, assets[0].id);
	const assetRequests = ok(await env.run({ resource: 'asset', operation: 'getRequests', assetId: rl(assets[0].id), returnAll: true }));
	assert.ok(Array.isArray(assetRequests));
	const products = ok(await env.run({ resource: 'product', operation: 'getAll', returnAll: true }));
	assert.equal(products.length, ids().products.length);
	ok(await env.run({ resource: 'product', operation: 'get', productId: rl(products[0].id) }));
	assert.ok(ok(await env.run({ resource: 'product', operation: 'getItems', productId: rl(products[0].id), returnAll: true })).length > 0);
	assert.ok(ok(await env.run({ resource: 'product', operation: 'getParameters', productId: rl(products[0].id), returnAll: true })).length > 0);
	for (const [resource, param, list] of [
		['marketplace', 'marketplaceId', ids().marketplaces],
		['hub', 'hubId', ids().hubs],
	]) {
		assert.equal(ok(await env.run({ resource, operation: 'getAll', returnAll: true })).length, list.length);
		assert.equal(ok(await env.run({ resource, operation: 'get', [param]: rl(list[0]) }))[0].id, list[0]);
	}
	const accounts = ok(await env.run({ resource: 'tierAccount', operation: 'getAll', returnAll: true }));
	ok(await env.run({ resource: 'tierAccount', operation: 'get', tierAccountId: rl(accounts[0].id) }));
	const configs = ok(await env.run({ resource: 'tierConfig', operation: 'getAll', returnAll: true }));
	ok(await env.run({ resource: 'tierConfig', operation: 'get', tierConfigId: rl(configs[0].id) }));
	const subs = ok(await env.run({ resource: 'subscriptionAsset', operation: 'getAll', returnAll: false, limit: 2 }));
	ok(await env.run({ resource: 'subscriptionAsset', operation: 'get', subscriptionAssetId: rl(subs[0].id) }));
});

test('tier account requests: Get Many, Accept, Ignore', async () => {
	const pending = ok(await env.run({ resource: 'tierAccountRequest', operation: 'getAll', returnAll: true, filters: { status: ['pending'] } }));
	assert.ok(pending.length >= 2);
	const [accepted] = ok(await env.run({ resource: 'tierAccountRequest', operation: 'accept', tierAccountRequestId: rl(pending[0].id) }));
	assert.equal(accepted.status, 'accepted');
	const [ignored] = ok(await env.run({ resource: 'tierAccountRequest', operation: 'ignore', tierAccountRequestId: rl(pending[1].id), reason: 'Duplicate account' }));
	assert.equal(ignored.status, 'ignored');
});

test('bad input: wrong ID prefixes and malformed RQL fail before any request', async () => {
	const cases = [
		[{ resource: 'request', operation: 'get', requestId: rl('={{ "TCR-1" }}') }, /Parameter "Request" must be a Connect ID starting with PR-/],
		[{ resource: 'request', operation: 'getAll', returnAll: true, filters: { rql: 'and(eq(status,pending)' } }, /Parameter "RQL \(in Filters\)" is not valid RQL: Expected "\)"/],
		[{ resource: 'request', operation: 'getAll', returnAll: true, filters: { rql: 'eqq(status,pending)' } }, /Unknown RQL operator "eqq"/],
		[{ resource: 'request', operation: 'getAll', returnAll: true, filters: { product: 'PRD-1, MP-2' } }, /must be a Connect ID starting with PRD-/],
		[{ resource: 'request', operation: 'fail', requestId: rl(ids().requests[3]), reason: '={{ "" }}' }, /Parameter "Reason" is required/],
		[{ resource: 'request', operation: 'updateParameters', requestId: rl(ids().requests[3]), parameters: { parameter: [{ id: 'x' }] } }, /needs a value, a value error or a structured value/],
		[{ resource: 'usageFile', operation: 'create', productId: rl(ids().usageProducts[0]), contractId: 'CRD-1', name: 'x', periodFrom: '2025-05-31', periodTo: '2025-05-01' }, /Parameter "Period To" is before Period From/],
		[{ resource: 'note', operation: 'add', instanceId: 'AS-1', text: 'x' }, /Parameter "Object ID" must be a request/],
	];
	for (const [parameters, message] of cases) {
		const before = calls(env.fake).length;
		const result = await env.run(parameters);
		assert.equal(result.status, 'error', JSON.stringify(parameters));
		assert.match(result.error.message, message);
		assert.equal(calls(env.fake).length, before, `no request for ${JSON.stringify(parameters)}`);
	}
});

test('resource locators: requests, products and templates are searchable', async () => {
	const requests = await env.run.listSearch({ method: 'searchRequests' });
	assert.ok(requests.results.length > 0 && requests.results.every((r) => r.value.startsWith('PR-')));
	const products = await env.run.listSearch({ method: 'searchProducts', filter: 'a' });
	assert.ok(products.results.every((r) => r.value.startsWith('PRD-')));
	const pendingId = [...env.fake.state.requests.values()].find((r) => r.status === 'pending').id;
	const templates = await env.run.listSearch({ method: 'searchFulfillmentTemplates', parameters: { resource: 'request', operation: 'approve', approveWith: 'template', requestId: rl(pendingId) } });
	assert.ok(templates.results.length > 0 && templates.results.every((r) => r.value.startsWith('TL-')));
});
