'use strict';
// The fault matrix's CloudBlue Connect cases: 500 operations. Requests and usage files the
// writes act on are added before the run; reads use seeded records no write touches.
const assert = require('node:assert/strict');
const { rl } = require('./connect-helpers.cjs');

/** 2,100 seeded requests: Return All reads them in 3 pages of 1,000. */
const COUNTS = { requests: 2100 };
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Builds the cases; `targets` = { mpn, assetId } of the first usage product (read through the node
 * before the run), for valid usage workbooks.
 */
function connectCases(fake, options, { mpn, assetId }) {
	const { buildUsageWorkbook, prepareUsageRecords } = require('../../dist/nodes/CloudBlueConnect/usage/workbook.js');
	const state = fake.state;
	const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));
	const run = (parameters) => ({ ...parameters, options: options(parameters.options) });
	const seeded = [...state.requests.keys()];
	const product = fake.ids.usageProducts[0];
	const contract = fake.ids.contracts[0];
	const workbookFor = (usageFileId, i) => {
		const { rows } = prepareUsageRecords(
			[{ item_search_criteria: 'item.mpn', item_search_value: mpn, quantity: 1 + i, start_time_utc: '2025-05-01', end_time_utc: '2025-05-02', asset_search_criteria: 'asset.id', asset_search_value: assetId }],
			{ usageFileId },
		);
		return buildUsageWorkbook(rows, [], 'sdk');
	};
	const messages = (instanceId, text) => fake.conversationFor(instanceId).messages.filter((m) => m.text === text);
	const templateOf = (productId) =>
		[...state.templates.values()].find((t) => t.productId === productId && t.scope === 'asset' && t.type === 'fulfillment').id;

	// Records the writes act on, made now (before the run).
	const pending = (n) => range(n, () => fake.addRequest({ status: 'pending' }));
	const toApprove = pending(30);
	const toFail = pending(30);
	const toInquire = pending(25);
	const toUpdate = pending(40);
	const toPend = range(25, () => fake.addRequest({ status: 'inquiring' }));
	const drafts = range(15, (i) => fake.addUsageFile({ productId: product, contractId: contract, name: `FM draft ${i}` }));
	// processed as if uploaded: a valid workbook makes them ready
	const ready = range(20, (i) => fake.addUsageFile({ productId: product, contractId: contract, name: `FM ready ${i}`, workbook: workbookFor(`FM-ready-${i}`, i) }));
	assert.ok(ready.every((uf) => uf.status === 'ready'), `ready files: ${ready.map((uf) => uf.status)}`);
	const allRequestIds = [...state.requests.keys()];

	const requestGet = {
		name: 'request.get',
		kind: 'read',
		single: true,
		parameters: run({ resource: 'request', operation: 'get', requestId: rl('={{ $json.id }}'), simplify: false }),
		inputs: range(137, (i) => ({ id: seeded[(i * 7) % 1000] })),
		checkOk: (json, input) => {
			const stored = state.requests.get(input.id);
			assert.deepEqual([json.id, json.status, json.type, json.asset.id, json.updated], [stored.id, stored.status, stored.type, stored.asset.id, stored.updated]);
		},
	};
	// Each listing ordered its own way: distinct requests, so each meets its own faults.
	// (never by status or updated: the writes change those while the pages are read)
	const orderings = [['', 'asc'], ['created', 'asc'], ['created', 'desc']];
	const requestList = {
		name: 'request.getAll (Return All, 3 pages)',
		kind: 'read',
		single: false,
		parameters: run({ resource: 'request', operation: 'getAll', returnAll: true, simplify: true, sort: { field: '={{ $json.field }}', direction: '={{ $json.direction }}' } }),
		inputs: orderings.map(([field, direction]) => ({ field, direction })),
		checkOk: (list, input) => {
			if (!input.field) assert.deepEqual(list.map((r) => r.id), allRequestIds, 'every request once, in order');
			assert.deepEqual(list.map((r) => r.id).sort(), [...allRequestIds].sort(), 'every request once');
			for (const r of list.slice(0, 50)) assert.equal(r.type, state.requests.get(r.id).type);
		},
	};
	const assets = [...new Set(seeded.slice(1200, 1400).map((id) => state.requests.get(id).asset.id))].slice(0, 60);
	const assetGet = {
		name: 'asset.get',
		kind: 'read',
		single: true,
		parameters: run({ resource: 'asset', operation: 'get', assetId: rl('={{ $json.id }}') }),
		inputs: assets.map((id) => ({ id })),
		checkOk: (json, input) => {
			const stored = state.assets.get(input.id);
			assert.deepEqual([json.id, json.status, json.product.id], [stored.id, stored.status, stored.product.id]);
		},
	};
	const noteTargets = seeded.slice(1000, 1050);
	const noteList = {
		name: 'note.getAll',
		kind: 'read',
		single: false,
		parameters: run({ resource: 'note', operation: 'getAll', instanceId: '={{ $json.id }}', returnAll: true }),
		inputs: noteTargets.map((id) => ({ id })),
		checkOk: (list, input) => {
			const stored = fake.conversationFor(input.id).messages;
			assert.deepEqual(list.map((m) => m.id).sort(), stored.map((m) => m.id).sort());
		},
	};

	// ---- writes
	const statusCase = ({ name, operation, targets, extra = () => ({}), inputs, done, before, after }) => {
		const c = {
			name,
			kind: 'write-once',
			single: true,
			parameters: run({ resource: 'request', operation, requestId: rl('={{ $json.id }}'), ...extra() }),
			inputs: inputs ?? targets.map((r) => ({ id: r.id })),
			checkOk: (json, input) => assert.equal(json.status ?? state.requests.get(input.id).status, done),
			checkState({ oks, write }) {
				const succeeded = new Set(oks.map((o) => o.index));
				c.inputs.forEach((input, index) => {
					const status = state.requests.get(input.id).status;
					assert.ok([before, done].includes(status), `${input.id}: ${status}`);
					write({ what: `${operation} ${input.id}`, stored: status === done ? 1 : 0, ok: succeeded.has(index) });
					after?.(input, succeeded.has(index), status);
				});
			},
		};
		return c;
	};
	const approve = statusCase({
		name: 'request.approve',
		operation: 'approve',
		targets: toApprove,
		extra: () => ({ approveWith: 'template', templateId: rl(templateOf(toApprove[0].asset.product.id)), simplify: false }),
		done: 'approved',
		before: 'pending',
		after: (input) => assert.ok(messages(input.id, 'Request was approved.').length <= 1, `${input.id} approved once`),
	});
	const fail = statusCase({
		name: 'request.fail',
		operation: 'fail',
		inputs: toFail.map((r, i) => ({ id: r.id, reason: `FM reason ${i}` })),
		extra: () => ({ reason: '={{ $json.reason }}' }),
		done: 'failed',
		before: 'pending',
		after: (input, ok) => {
			const notes = messages(input.id, `Request failed: ${input.reason}`).length;
			assert.ok(notes <= 1, `failed ${notes} times`);
			if (ok) assert.equal(state.requests.get(input.id).reason, input.reason);
		},
	});
	const inquire = statusCase({
		name: 'request.inquire (PUT, POST, GET, POST note)',
		operation: 'inquire',
		inputs: toInquire.map((r, i) => ({ id: r.id, error: `FM code please ${i}`, note: `FM inquire note ${i}` })),
		extra: () => ({ parameters: { parameter: [{ id: 'activation_code', valueError: '={{ $json.error }}' }] }, note: '={{ $json.note }}', simplify: false }),
		done: 'inquiring',
		before: 'pending',
		after: (input, ok) => {
			const notes = messages(input.id, input.note).length;
			assert.ok(notes <= 1, `inquiry note added ${notes} times`);
			if (ok) {
				assert.equal(notes, 1, 'the note of a reported inquiry is there');
				assert.equal(state.requests.get(input.id).asset.params.find((p) => p.id === 'activation_code').value_error, input.error);
			}
		},
	});
	const pend = statusCase({ name: 'request.pend', operation: 'pend', targets: toPend, done: 'pending', before: 'inquiring' });
	const update = {
		name: 'request.updateParameters (PUT)',
		kind: 'write-idempotent',
		single: true,
		parameters: run({
			resource: 'request',
			operation: 'updateParameters',
			requestId: rl('={{ $json.id }}'),
			parameters: { parameter: [{ id: 'admin_url', value: '={{ $json.url }}' }] },
			simplify: false,
		}),
		inputs: toUpdate.map((r, i) => ({ id: r.id, url: `https://fm-${i}.example` })),
		checkOk: (json, input) => assert.equal(json.asset.params.find((p) => p.id === 'admin_url').value, input.url),
		checkState({ oks, write }) {
			const succeeded = new Set(oks.map((o) => o.index));
			update.inputs.forEach((input, index) => {
				const value = state.requests.get(input.id).asset.params.find((p) => p.id === 'admin_url').value;
				write({ what: `parameters of ${input.id}`, stored: value === input.url ? 1 : 0, ok: succeeded.has(index) });
			});
		},
	};
	const noteTexts = seeded.slice(1100, 1140);
	const noteAdd = {
		name: 'note.add (GET conversation, POST)',
		kind: 'write-once',
		single: true,
		parameters: run({ resource: 'note', operation: 'add', instanceId: '={{ $json.id }}', text: '={{ $json.text }}', type: 'message' }),
		inputs: noteTexts.map((id, i) => ({ id, text: `FM note ${i}` })),
		checkOk: (json, input) => assert.equal(json.text, input.text),
		checkState({ oks, write }) {
			const answered = new Map(oks.map((o) => [o.index, o.json.id]));
			noteAdd.inputs.forEach((input, index) => {
				write({ what: `note "${input.text}"`, stored: messages(input.id, input.text), ok: answered.has(index), answeredId: answered.get(index) });
			});
		},
	};
	const filesNamed = (name) => [...state.usageFiles.values()].filter((uf) => uf.name === name);
	const fileCreate = {
		name: 'usageFile.create',
		kind: 'write-once',
		single: true,
		parameters: run({
			resource: 'usageFile',
			operation: 'create',
			productId: rl(product),
			contractId: contract,
			name: '={{ $json.name }}',
			periodFrom: '2025-05-01',
			periodTo: '2025-05-31',
			currency: 'USD',
		}),
		inputs: range(25, (i) => ({ name: `FM created ${i}` })),
		checkOk: (json, input) => assert.equal(json.name, input.name),
		checkState({ oks, write }) {
			const answered = new Map(oks.map((o) => [o.index, o.json.id]));
			fileCreate.inputs.forEach((input, index) => {
				write({ what: `usage file "${input.name}"`, stored: filesNamed(input.name), ok: answered.has(index), answeredId: answered.get(index) });
			});
		},
	};
	const uploadsOf = (id) => fake.uploads.filter((u) => u.usageFileId === id);
	const upload = {
		name: 'usageFile.upload (multipart)',
		kind: 'write-once',
		single: true,
		parameters: run({ resource: 'usageFile', operation: 'upload', usageFileId: rl('={{ $json.id }}'), binaryPropertyName: 'data' }),
		inputs: drafts.map((uf) => ({ id: uf.id })),
		items: drafts.map((uf, i) => ({
			json: { id: uf.id },
			binary: { data: { data: workbookFor(uf.id, i).toString('base64'), mimeType: XLSX_MIME, fileName: `${uf.id}.xlsx` } },
		})),
		checkOk: (json, input) => assert.equal(json.id, input.id),
		checkState({ oks, write }) {
			const succeeded = new Set(oks.map((o) => o.index));
			upload.inputs.forEach((input, index) => {
				write({ what: `upload to ${input.id}`, stored: uploadsOf(input.id).length, ok: succeeded.has(index) });
				if (uploadsOf(input.id).length) assert.equal(state.usageFiles.get(input.id).status, 'ready', 'the upload was processed');
			});
		},
	};
	const submit = {
		name: 'usageFile.submit',
		kind: 'write-once',
		single: true,
		parameters: run({ resource: 'usageFile', operation: 'submit', usageFileId: rl('={{ $json.id }}') }),
		inputs: ready.map((uf) => ({ id: uf.id })),
		checkOk: (json) => assert.equal(json.status, 'pending'),
		checkState({ oks, write }) {
			const succeeded = new Set(oks.map((o) => o.index));
			submit.inputs.forEach((input, index) => {
				const status = state.usageFiles.get(input.id).status;
				assert.ok(['ready', 'pending'].includes(status), status);
				write({ what: `submit ${input.id}`, stored: status === 'pending' ? 1 : 0, ok: succeeded.has(index) });
			});
		},
	};
	return [requestGet, requestList, assetGet, noteList, approve, fail, inquire, pend, update, noteAdd, fileCreate, upload, submit];
}

module.exports = { COUNTS, connectCases };
