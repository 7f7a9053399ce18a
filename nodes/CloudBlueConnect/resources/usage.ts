import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { op, type OperationContext, type Resource } from '../../shared/operation';
import type { Params } from '../../shared/params';
import { boolean, choice, collection, date, number, text } from '../../shared/props';
import { pathOf } from '../../shared/transport';
import { connectId, locator } from '../fields';
import { action, getMany, getOne, idOf } from '../ops';
import {
	buildUsageWorkbook,
	prepareUsageRecords,
	USAGE_COLUMNS,
	type UsageCategory,
} from '../usage/workbook';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const fileId = locator('usageFileId', 'Usage File', 'usageFile', 'searchUsageFiles');
const recordId = locator('usageRecordId', 'Usage Record', 'usageRecord');
const filePath = '/usage/files/{id}';

/** The fields of a new usage file (Create and Create From Records). */
const createProperties: INodeProperties[] = [
	locator('productId', 'Product', 'product', 'searchProducts'),
	text('Contract ID', 'contractId', { required: true, placeholder: 'CRD-00000-00000-00000', description: 'The distribution contract the usage is reported under' }),
	text('Name', 'name', { required: true }),
	date('Period From', 'periodFrom', { required: true }),
	date('Period To', 'periodTo', { required: true }),
	text('Currency', 'currency', { default: 'USD', description: 'ISO 4217 code' }),
	collection('additionalFields', [text('Description', 'description'), text('External ID', 'externalId'), text('Note', 'note')]),
];

const periodDate = (p: Params, name: string) => p.required<string>(name, 'date');

/** The body of `POST /usage/files` from the Create fields. */
function createBody(p: Params): IDataObject {
	const from = periodDate(p, 'periodFrom');
	const to = periodDate(p, 'periodTo');
	if (to < from) p.fail('periodTo', `is before Period From (${from})`);
	const currency = (p.get<string>('currency') ?? 'USD').toUpperCase();
	if (!/^[A-Z]{3}$/.test(currency)) p.fail('currency', 'must be a three-letter ISO 4217 code such as USD');
	const extra = p.collection('additionalFields');
	const body: IDataObject = {
		name: p.required('name'),
		period: { from, to },
		currency,
		product: { id: idOf(p, 'productId', 'product') },
		contract: { id: p.required('contractId', connectId('contract')) },
	};
	if (extra.description) body.description = extra.description;
	if (extra.note) body.note = extra.note;
	if (extra.externalId) body.external_id = extra.externalId;
	return body;
}

/** `POST /usage/files/{id}/upload` with the workbook as multipart field `usage_file`. */
async function upload(c: OperationContext, id: string, workbook: Buffer, fileName: string): Promise<IDataObject> {
	const form = new FormData();
	form.append('usage_file', new Blob([workbook], { type: XLSX_MIME }), fileName);
	return (await c.send({ method: 'POST', path: pathOf(`${filePath}/upload`, { id }), body: form })).body as IDataObject;
}

/** Waits while Connect processes an uploaded file (`uploading`/`processing`), up to `maxWaitMs`. */
async function waitProcessed(c: OperationContext, id: string, maxWaitMs: number): Promise<IDataObject> {
	const started = Date.now();
	for (let delay = 500; ; delay = Math.min(delay * 2, 5000)) {
		const file = (await c.send({ method: 'GET', path: pathOf(filePath, { id }) })).body as IDataObject;
		if (!['uploading', 'processing', 'uploaded'].includes(String(file.status))) return file;
		if (Date.now() - started + delay > maxWaitMs) return file;
		await sleep(delay);
	}
}

/** Reads an input item field by name, with dots for nested fields. */
function field(json: IDataObject, name: string): unknown {
	if (name in json) return json[name];
	return name.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as IDataObject)[key] : undefined), json);
}

/** The mapping UI: which input field feeds each workbook column (default: the same name). */
const mappingProperty = collection(
	'mapping',
	USAGE_COLUMNS.map((column) =>
		text(`Field for ${column}`, column, { default: column, description: `The input field that holds the ${column} column` }),
	),
	{ displayName: 'Field Mapping', placeholder: 'Map a Column', description: 'Columns not listed here are read from input fields of the same name' },
);

export const usageFile: Resource = {
	value: 'usageFile',
	name: 'Usage File',
	operations: [
		action({
			value: 'accept',
			name: 'Accept',
			action: 'Accept a usage file',
			description: 'Provider: accept a pending usage file',
			path: `${filePath}/accept`,
			id: fileId,
			type: 'usageFile',
			properties: [text('Acceptance Note', 'note', { required: true })],
			body: (p) => ({ acceptance_note: p.required('note') }),
		}),
		action({
			value: 'approveAll',
			name: 'Approve All Records',
			action: 'Approve all records of a usage file',
			path: `${filePath}/approve-all`,
			method: 'PUT',
			id: fileId,
			type: 'usageFile',
		}),
		action({ value: 'close', name: 'Close', action: 'Close a usage file', description: 'Provider: close an accepted file after billing', path: `${filePath}/close`, id: fileId, type: 'usageFile' }),
		op({
			value: 'create',
			name: 'Create',
			action: 'Create a usage file',
			description: 'Create an empty usage file (status Draft); upload the workbook next',
			properties: createProperties,
			request: (p) => ({ method: 'POST', path: '/usage/files', body: createBody(p) }),
		}),
		op({
			value: 'createFromRecords',
			name: 'Create From Records',
			action: 'Create a usage file from records',
			description:
				'All input items become the records of one usage file: create it, build the workbook, upload it and optionally submit it',
			properties: [
				...createProperties,
				boolean('Submit', 'submit', { description: 'Whether to submit the file to the provider once Connect has processed it' }),
				mappingProperty,
				collection('usageOptions', [
					{ ...text('Categories (JSON)', 'categories'), type: 'json', default: '[]', description: 'Extra categories: [{"category_id":"c1","category_name":"Compute","category_description":"…"}]' },
					choice('Schema', 'schema', ['QT', 'TR', 'CR', 'PR'], { description: "The product's usage schema (QT: quantity only; TR, CR, PR also need an amount)" }),
					choice('Workbook Layout', 'layout', [
						{ name: 'SDK (Sheet Usage_records)', value: 'sdk' },
						{ name: 'Official (Sheet Records)', value: 'official' },
					]),
					number('Max Wait (Seconds)', 'maxWait', { default: 60, description: 'How long to wait for Connect to process the upload before submitting' }),
				], { displayName: 'Usage Options', placeholder: 'Add Option' }),
			],
			runAll: async (c, items: INodeExecutionData[]) => {
				const { params: p } = c;
				const mapping = p.collection('mapping', Object.fromEntries(USAGE_COLUMNS.map((column) => [column, 'string' as const]))) as Record<string, string>;
				const options = p.collection('usageOptions', { categories: 'json', maxWait: 'integer' });
				const schema = options.schema as 'QT' | 'TR' | 'CR' | 'PR' | undefined;
				const records = items.map((item) => {
					const record: Record<string, unknown> = {};
					for (const column of USAGE_COLUMNS) {
						const value = field(item.json, mapping[column] || column);
						if (value !== undefined) record[column] = value;
					}
					return record;
				});
				const body = createBody(p);
				const categories = (Array.isArray(options.categories) ? options.categories : []) as UsageCategory[];
				const problemsOf = (prepared: ReturnType<typeof prepareUsageRecords>, stage: string) => {
					if (!prepared.problems.length) return;
					const { problems } = prepared;
					const [first] = problems;
					// The column, and the input field it was read from (Field Mapping).
					const source = mapping[first.field] || first.field;
					const shown = problems.slice(0, 10).map((x) => `item ${x.itemIndex}: ${x.field} ${x.message}`);
					throw new NodeOperationError(
						c.ctx.getNode(),
						`${problems.length} usage record${problems.length === 1 ? ' is' : 's are'} not valid; ${stage}: ${first.field} (input field "${source}") ${first.message} [item ${first.itemIndex}]`,
						{
							description: shown.join('\n') + (problems.length > 10 ? `\n… and ${problems.length - 10} more` : ''),
							itemIndex: first.itemIndex,
						},
					);
				};
				// Every record is checked before anything is created or uploaded.
				problemsOf(prepareUsageRecords(records, { schema, categories }), 'nothing was uploaded');
				const created = (await c.send({ method: 'POST', path: '/usage/files', body })).body as IDataObject;
				const id = String(created.id);
				// Default record IDs now carry the file ID; a clash with a given record_id is reported.
				const prepared = prepareUsageRecords(records, { schema, categories, usageFileId: id });
				problemsOf(prepared, `the usage file ${id} was created but nothing was uploaded`);
				const workbook = buildUsageWorkbook(prepared.rows, categories, (options.layout as 'sdk' | 'official') ?? 'sdk');
				await upload(c, id, workbook, `${id}.xlsx`);
				let file = await waitProcessed(c, id, ((options.maxWait as number | undefined) ?? 60) * 1000);
				if (p.get<boolean>('submit', 'boolean') && file.status === 'ready') {
					file = (await c.send({ method: 'POST', path: pathOf(`${filePath}/submit`, { id }) })).body as IDataObject;
				}
				return { ...file, recordsUploaded: prepared.rows.length };
			},
		}),
		action({ value: 'delete', name: 'Delete', action: 'Delete a usage file', path: `${filePath}/delete`, id: fileId, type: 'usageFile' }),
		getOne({ noun: 'a usage file', path: filePath, id: fileId, type: 'usageFile' }),
		getMany({
			nouns: 'usage files',
			path: '/usage/files',
			filters: {
				statuses: ['accepted', 'closed', 'deleted', 'draft', 'invalid', 'pending', 'processing', 'ready', 'rejected', 'uploaded', 'uploading'],
				status: 'status',
				product: 'product.id',
				marketplace: 'marketplace.id',
				created: 'created.at',
				ordering: [
					['Created', 'created.at'],
					['Name', 'name'],
				],
			},
		}),
		action({
			value: 'reject',
			name: 'Reject',
			action: 'Reject a usage file',
			description: 'Provider: reject a pending usage file',
			path: `${filePath}/reject`,
			id: fileId,
			type: 'usageFile',
			properties: [text('Rejection Note', 'note', { required: true })],
			body: (p) => ({ rejection_note: p.required('note') }),
		}),
		action({ value: 'reprocess', name: 'Reprocess', action: 'Reprocess a usage file', path: `${filePath}/reprocess`, id: fileId, type: 'usageFile' }),
		action({ value: 'submit', name: 'Submit', action: 'Submit a usage file', description: 'Vendor: send a ready file to the provider', path: `${filePath}/submit`, id: fileId, type: 'usageFile' }),
		op({
			value: 'update',
			name: 'Update',
			action: 'Update a usage file',
			properties: [
				fileId,
				collection('updateFields', [
					text('Currency', 'currency'),
					text('Description', 'description'),
					text('External ID', 'externalId'),
					text('Note', 'note'),
					date('Period From', 'periodFrom'),
					date('Period To', 'periodTo'),
				]),
			],
			request: (p) => {
				const id = idOf(p, 'usageFileId', 'usageFile');
				const fields = p.collection('updateFields', { periodFrom: 'date', periodTo: 'date', currency: 'string' });
				if (!Object.keys(fields).length) p.fail('updateFields', 'needs at least one field to change');
				const body: IDataObject = {};
				if (fields.currency) body.currency = String(fields.currency).toUpperCase();
				if (fields.description) body.description = fields.description;
				if (fields.externalId) body.external_id = fields.externalId;
				if (fields.note) body.note = fields.note;
				if (fields.periodFrom || fields.periodTo) {
					if (!fields.periodFrom || !fields.periodTo) p.fail('updateFields', 'needs both Period From and Period To to change the period');
					body.period = { from: fields.periodFrom, to: fields.periodTo };
				}
				return { method: 'PUT', path: pathOf(filePath, { id }), body };
			},
		}),
		op({
			value: 'upload',
			name: 'Upload',
			action: 'Upload a usage workbook',
			description: 'Upload an xlsx usage workbook from an input binary field to a draft usage file',
			properties: [fileId, text('Input Binary Field', 'binaryPropertyName', { default: 'data', required: true, hint: 'The name of the input binary field holding the xlsx file' })],
			run: async (c) => {
				const id = idOf(c.params, 'usageFileId', 'usageFile');
				const field = c.params.required<string>('binaryPropertyName');
				const binary = c.ctx.helpers.assertBinaryData(c.itemIndex, field);
				const buffer = await c.ctx.helpers.getBinaryDataBuffer(c.itemIndex, field);
				return await upload(c, id, buffer, binary.fileName ?? `${id}.xlsx`);
			},
		}),
	],
};

export const usageRecord: Resource = {
	value: 'usageRecord',
	name: 'Usage Record',
	operations: [
		action({
			value: 'close',
			name: 'Close',
			action: 'Close a usage record',
			description: 'Mark a record as billed',
			path: '/usage/records/{id}/close',
			id: recordId,
			type: 'usageRecord',
			properties: [text('External Billing ID', 'externalBillingId', { required: true }), text('External Billing Note', 'externalBillingNote')],
			body: (p) => {
				const body: IDataObject = { external_billing_id: p.required('externalBillingId') };
				const noteText = p.get<string>('externalBillingNote');
				if (noteText) body.external_billing_note = noteText;
				return body;
			},
		}),
		getOne({ noun: 'a usage record', path: '/usage/records/{id}', id: recordId, type: 'usageRecord' }),
		getMany({
			nouns: 'usage records',
			path: '/usage/records',
			filters: {
				ids: [{ field: 'usageFile', label: 'Usage File ID', path: 'usagefile.id', idType: 'usageFile' }],
				statuses: ['approved', 'closed', 'invalid', 'rejected', 'valid'],
				status: 'status',
				product: 'product.id',
				asset: 'asset.id',
			},
		}),
		op({
			value: 'updateStatus',
			name: 'Update Status',
			action: 'Update the status of a usage record',
			properties: [recordId, choice('Status', 'status', ['approved', 'closed', 'invalid', 'rejected', 'valid'])],
			request: (p) => ({
				method: 'PUT',
				path: pathOf('/usage/records/{id}', { id: idOf(p, 'usageRecordId', 'usageRecord') }),
				body: { status: p.required('status') },
			}),
		}),
	],
};
