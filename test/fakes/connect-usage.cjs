'use strict';

/**
 * Usage reporting for the fake CloudBlue Connect server (mounted by connect.cjs): usage files
 * (create, xlsx upload and processing, submit/accept/reject/close/delete/reprocess/approve-all),
 * usage records (list, status, close, bulk close) and the product usage template download.
 *
 * An upload is multipart/form-data with the field `usage_file`. The bytes are kept in
 * fake.uploads; the workbook must be a ZIP with xl/workbook.xml and a `records` sheet (the SDKs'
 * `usage_records` is accepted too) whose header row holds the required columns. Good rows become
 * usage records (UR-…) and the file `ready`; any bad row or a broken workbook makes it `invalid`
 * with `error_detail` (at most 200 characters, as the spec declares).
 */

const { HttpError } = require('./common.cjs');
const { parseDateValue } = require('./connect-rql.cjs');
const { DAY } = require('./connect-seed.cjs');
const { WorkbookError, buildXlsx, parseMultipart, readWorkbook } = require('./connect-xlsx.cjs');

const TEMPLATE_COLUMNS = [
	'record_id',
	'record_note',
	'item_search_criteria',
	'item_search_value',
	'amount',
	'quantity',
	'start_time_utc',
	'end_time_utc',
	'asset_search_criteria',
	'asset_search_value',
	'item_name',
	'item_mpn',
	'item_precision',
	'category_id',
	'asset_recon_id',
	'tier',
];

/**
 * @param {object} deps
 * @param {object} deps.state  fake state (connect-seed.cjs)
 * @param {object} deps.meta   seed meta (builders, accounts)
 * @param {() => object} deps.getFake
 * @param {object} deps.helpers  { list, find, bad, ok, created, requireStatus, nonEmpty, bodyOf, now }
 * @returns {{ routes: object, addUsageFile: Function, file: Function }}
 */
function createUsageApi({ state, meta, getFake, helpers }) {
	const { list, find, bad, ok, created, requireStatus, nonEmpty, bodyOf, now } = helpers;
	const usageFileOf = (ctx) =>
		find(state.usageFiles, ctx.params.id || ctx.params.file_pk, 'Usage file');

	const REQUIRED_COLUMNS = [
		'record_id',
		'item_search_criteria',
		'item_search_value',
		'quantity',
		'start_time_utc',
		'end_time_utc',
		'asset_search_criteria',
		'asset_search_value',
	];
	const ITEM_CRITERIA = {
		'item.mpn': 'mpn',
		'item.local_id': 'local_id',
		'item.id': 'id',
		'item.global_id': 'id',
	};

	/** Excel serial day numbers or "YYYY-MM-DD HH:MM:SS" / ISO 8601 strings -> ms. */
	function cellTime(value) {
		if (typeof value === 'number') return Math.round((value - 25569) * DAY);
		return value === null || value === undefined ? NaN : parseDateValue(String(value));
	}

	function findAssetFor(criteria, value, productId) {
		if (criteria === 'asset.id') return state.assets.get(value);
		const field = { 'asset.external_id': 'external_id', 'asset.external_uid': 'external_uid' }[
			criteria
		];
		const param = criteria.startsWith('parameter.') ? criteria.slice(10) : null;
		if (!field && !param) return undefined;
		for (const asset of state.assets.values()) {
			if (asset.product.id !== productId) continue;
			if (field && String(asset[field]) === value) return asset;
			if (param && asset.params.some((p) => p.id === param && p.value === value)) return asset;
		}
		return undefined;
	}

	/** Process an uploaded workbook: the file becomes ready (records created) or invalid. */
	function processUpload(uf, buffer) {
		for (const record of meta.recordsOf(uf)) state.usageRecords.delete(record.id);
		Object.defineProperty(uf, 'recordCount', {
			enumerable: false,
			writable: true,
			configurable: true,
			value: 0,
		});
		const invalid = (detail, counts = { valid: 0, invalid: 0 }) => {
			uf.status = 'invalid';
			uf.error_detail = detail.length > 200 ? `${detail.slice(0, 197)}...` : detail;
			uf.records = { valid: counts.valid, invalid: counts.invalid, closed: 0 };
			uf.stats = {
				uploaded: counts.valid + counts.invalid,
				validated: 0,
				pending: 0,
				accepted: 0,
				closed: 0,
			};
		};
		let workbook;
		try {
			workbook = readWorkbook(buffer);
		} catch (error) {
			if (error instanceof WorkbookError) return invalid(error.message);
			throw error;
		}
		const sheetName = ['records', 'usage_records'].find((name) => workbook.sheets.has(name));
		if (!sheetName)
			return invalid(
				`The workbook has no "records" sheet (found: ${[...workbook.sheets.keys()].join(', ')}).`,
			);
		const rows = workbook.sheets.get(sheetName);
		const header = (rows[0] || []).map((h) =>
			h === null || h === undefined ? '' : String(h).trim().toLowerCase(),
		);
		const required = [
			...REQUIRED_COLUMNS,
			...(['tr', 'cr', 'pr'].includes(uf.schema) ? ['amount'] : []),
		];
		const missing = required.filter((name) => !header.includes(name));
		if (missing.length) return invalid(`Missing required columns: ${missing.join(', ')}.`);
		const col = Object.fromEntries(header.map((name, i) => [name, i]));
		const product = state.products.get(uf.product.id);
		const productItems = state.items.get(product.id);
		const categories = new Set(['generic_category']);
		const categorySheet = workbook.sheets.get('categories');
		if (categorySheet)
			for (const row of categorySheet.slice(1)) if (row[0]) categories.add(String(row[0]));

		const errors = [];
		const good = [];
		const seen = new Set();
		let invalidRows = 0;
		rows.slice(1).forEach((row, i) => {
			if (!row.some((cell) => cell !== null && cell !== undefined && cell !== '')) return;
			const n = i + 2;
			const cell = (name) => (col[name] === undefined ? undefined : row[col[name]]);
			const text = (name) => {
				const v = cell(name);
				return v === null || v === undefined ? '' : String(v).trim();
			};
			const rowErrors = [];
			const recordId = text('record_id');
			if (!recordId) rowErrors.push('record_id is empty');
			else if (seen.has(recordId)) rowErrors.push(`record_id ${recordId} is not unique`);
			seen.add(recordId);
			const quantity = Number(cell('quantity'));
			if (text('quantity') === '' || Number.isNaN(quantity) || quantity < 0)
				rowErrors.push('quantity is not a non-negative number');
			let amount = null;
			if (required.includes('amount')) {
				amount = Number(cell('amount'));
				if (text('amount') === '' || Number.isNaN(amount)) rowErrors.push('amount is not a number');
			}
			const startMs = cellTime(cell('start_time_utc'));
			const endMs = cellTime(cell('end_time_utc'));
			if (Number.isNaN(startMs)) rowErrors.push('start_time_utc is not a date-time');
			if (Number.isNaN(endMs)) rowErrors.push('end_time_utc is not a date-time');
			if (!Number.isNaN(startMs) && !Number.isNaN(endMs) && endMs < startMs)
				rowErrors.push('end_time_utc is before start_time_utc');
			const itemField = ITEM_CRITERIA[text('item_search_criteria')];
			const item =
				itemField && productItems.find((it) => String(it[itemField]) === text('item_search_value'));
			if (!itemField)
				rowErrors.push(
					`item_search_criteria ${text('item_search_criteria') || '(empty)'} is not supported`,
				);
			else if (!item)
				rowErrors.push(`item ${text('item_search_value')} not found in product ${product.id}`);
			const asset = findAssetFor(
				text('asset_search_criteria'),
				text('asset_search_value'),
				product.id,
			);
			if (!asset)
				rowErrors.push(
					`asset ${text('asset_search_criteria')}=${text('asset_search_value')} not found`,
				);
			else if (asset.product.id !== product.id)
				rowErrors.push(`asset ${asset.id} is not an asset of product ${product.id}`);
			const category = text('category_id') || 'generic_category';
			if (!categories.has(category))
				rowErrors.push(`category ${category} is not in the categories sheet`);
			if (rowErrors.length) {
				invalidRows++;
				errors.push(`Row ${n}: ${rowErrors.join('; ')}`);
			} else {
				good.push({
					asset,
					item,
					quantity,
					amount,
					start: startMs,
					end: endMs,
					category,
					tier: col.tier === undefined || text('tier') === '' ? null : Number(text('tier')),
					recordNote: text('record_note'),
				});
			}
		});
		if (!good.length && !errors.length) return invalid('The records sheet has no data rows.');
		if (errors.length)
			return invalid(errors.join(' '), { valid: good.length, invalid: invalidRows });
		for (const row of good) meta.addUsageRecord(uf, row);
		uf.status = 'ready';
		uf.error_detail = null;
		state.usageUploads.set(uf.id, { categories: [...categories], sheet: sheetName });
		meta.recountUsageFile(uf);
	}

	function setRecordStatus(uf, from, to) {
		for (const record of meta.recordsOf(uf)) if (from.includes(record.status)) record.status = to;
		meta.recountUsageFile(uf);
	}

	const ufEvent = (uf, name) => {
		uf.events[name] = { at: now(), by: meta.actor };
	};

	function addUsageFile(spec = {}) {
		const product = spec.productId
			? find(state.products, spec.productId, 'Product')
			: meta.products.find((p) => p.capabilities.ppu);
		if (!product || !product.capabilities.ppu)
			throw new Error('addUsageFile needs a pay-per-use product.');
		const contract = spec.contractId
			? find(state.contracts, spec.contractId, 'Contract')
			: state.contracts.values().next().value;
		const uf = meta.buildUsageFile({
			product,
			contract,
			name: spec.name || `Usage of ${product.name}`,
			description: spec.description || '',
			note: spec.note || '',
			period: spec.period || { from: '2025-05-01', to: '2025-05-31' },
			currency: spec.currency || 'USD',
			external_id: spec.external_id || '',
			created: Date.now(),
		});
		state.usageFiles.set(uf.id, uf);
		if (spec.workbook) {
			getFake().uploads.push({
				usageFileId: uf.id,
				filename: 'usage_file.xlsx',
				contentType: null,
				buffer: spec.workbook,
			});
			uploadedBuffers.set(uf.id, spec.workbook);
			processUpload(uf, spec.workbook);
		}
		if (spec.status) uf.status = spec.status;
		return uf;
	}
	const uploadedBuffers = new Map();

	const usageRoutes = {
		'GET /usage/files': (ctx) => list(ctx, state.usageFiles),
		'GET /usage/files/{id}': (ctx) => ok(usageFileOf(ctx)),

		'POST /usage/files'(ctx) {
			const body = bodyOf(ctx);
			const missing = [];
			if (!nonEmpty(body.name)) missing.push('name');
			if (!body.product || !nonEmpty(body.product.id)) missing.push('product.id');
			if (!body.contract || !nonEmpty(body.contract.id)) missing.push('contract.id');
			if (!body.period || !nonEmpty(body.period.from)) missing.push('period.from');
			if (!body.period || !nonEmpty(body.period.to)) missing.push('period.to');
			if (!nonEmpty(body.currency)) missing.push('currency');
			if (missing.length)
				throw bad('UF_004', `Required fields are missing: ${missing.join(', ')}.`);
			const product = state.products.get(body.product.id);
			if (!product) throw bad('UF_004', `Product ${body.product.id} not found.`);
			if (!product.capabilities.ppu)
				throw bad('UF_004', `Product ${product.id} does not support pay-per-use usage reporting.`);
			const contract = state.contracts.get(body.contract.id);
			if (!contract) throw bad('UF_004', `Contract ${body.contract.id} not found.`);
			if (body.period.from > body.period.to)
				throw bad('UF_004', 'period.from must not be after period.to.');
			if (!/^[A-Z]{3}$/.test(body.currency))
				throw bad('UF_004', `currency ${body.currency} is not an ISO 4217 code.`);
			const uf = meta.buildUsageFile({ ...body, product, contract, created: Date.now() });
			state.usageFiles.set(uf.id, uf);
			return created(uf);
		},

		'PUT /usage/files/{id}'(ctx) {
			const uf = usageFileOf(ctx);
			requireStatus(uf, ['draft', 'invalid', 'ready'], 'UF_003', 'updated');
			const body = bodyOf(ctx);
			for (const field of ['description', 'note', 'currency', 'external_id'])
				if (body[field] !== undefined) uf[field] = body[field];
			if (body.period) uf.period = { ...uf.period, ...body.period };
			return ok(uf);
		},

		'POST /usage/files/{id}/upload'(ctx) {
			const uf = usageFileOf(ctx);
			requireStatus(uf, ['draft', 'invalid'], 'UF_003', 'uploaded');
			if (!/^multipart\/form-data/i.test(ctx.headers['content-type'] || ''))
				throw bad(
					'UF_006',
					'The usage file must be sent as multipart/form-data with the field usage_file.',
				);
			let parts;
			try {
				parts = parseMultipart(ctx.rawBuffer, ctx.headers['content-type']);
			} catch (error) {
				throw bad('UF_006', `Malformed multipart body: ${error.message}.`);
			}
			const part = parts.find((p) => p.name === 'usage_file');
			if (!part)
				throw bad(
					'UF_006',
					`No usage_file part in the upload (parts: ${parts.map((p) => p.name).join(', ') || 'none'}).`,
				);
			getFake().uploads.push({
				usageFileId: uf.id,
				filename: part.filename,
				contentType: part.contentType,
				buffer: part.data,
			});
			uploadedBuffers.set(uf.id, part.data);
			ufEvent(uf, 'uploaded');
			processUpload(uf, part.data);
			uf.usage_file_uri = `/files/usage/${uf.id}/usage_file.xlsx`;
			return ok(uf);
		},

		'POST /usage/files/{id}/submit'(ctx) {
			const uf = usageFileOf(ctx);
			requireStatus(uf, ['ready'], 'UF_003', 'submitted');
			uf.status = 'pending';
			ufEvent(uf, 'submitted');
			meta.recountUsageFile(uf);
			return ok(uf);
		},

		'POST /usage/files/{id}/accept'(ctx) {
			const uf = usageFileOf(ctx);
			requireStatus(uf, ['pending'], 'UF_003', 'accepted');
			const acceptance = bodyOf(ctx).acceptance_note;
			uf.acceptance_note = nonEmpty(acceptance) ? String(acceptance) : '';
			uf.status = 'accepted';
			ufEvent(uf, 'accepted');
			setRecordStatus(uf, ['valid'], 'approved');
			return ok(uf);
		},

		'POST /usage/files/{id}/reject'(ctx) {
			const uf = usageFileOf(ctx);
			requireStatus(uf, ['pending'], 'UF_003', 'rejected');
			const rejection = bodyOf(ctx).rejection_note;
			if (!nonEmpty(rejection))
				throw bad('UF_004', 'rejection_note is required to reject a usage file.');
			uf.rejection_note = String(rejection);
			uf.status = 'rejected';
			ufEvent(uf, 'rejected');
			setRecordStatus(uf, ['valid', 'approved'], 'rejected');
			return ok(uf);
		},

		'POST /usage/files/{id}/close'(ctx) {
			const uf = usageFileOf(ctx);
			requireStatus(uf, ['accepted'], 'UF_003', 'closed');
			uf.status = 'closed';
			ufEvent(uf, 'closed');
			setRecordStatus(uf, ['valid', 'approved'], 'closed');
			return ok(uf);
		},

		'POST /usage/files/{id}/delete'(ctx) {
			const uf = usageFileOf(ctx);
			requireStatus(uf, ['draft', 'ready', 'invalid', 'rejected'], 'UF_003', 'deleted');
			uf.status = 'deleted';
			ufEvent(uf, 'deleted');
			return ok(uf);
		},

		'POST /usage/files/{id}/reprocess'(ctx) {
			const uf = usageFileOf(ctx);
			requireStatus(uf, ['ready', 'invalid', 'rejected'], 'UF_003', 'reprocessed');
			const buffer = uploadedBuffers.get(uf.id);
			if (!buffer) throw bad('UF_003', `Usage file ${uf.id} has no uploaded file to reprocess.`);
			processUpload(uf, buffer);
			return ok(uf);
		},

		'PUT /usage/files/{id}/approve-all'(ctx) {
			const uf = usageFileOf(ctx);
			requireStatus(uf, ['pending', 'ready'], 'UF_003', 'approved');
			setRecordStatus(uf, ['valid'], 'approved');
			return ok(uf);
		},

		'GET /usage/files/{file_pk}/categories'(ctx) {
			const uf = usageFileOf(ctx);
			const upload = state.usageUploads.get(uf.id);
			const categories = (upload && upload.categories) || ['generic_category'];
			return list(
				ctx,
				categories.map((id) => ({
					id,
					name: id === 'generic_category' ? 'Generic Category' : id,
					description: '',
				})),
			);
		},

		'GET /usage/products/{id}/template'(ctx) {
			const product = find(state.products, ctx.params.id, 'Product');
			if (!product.capabilities.ppu)
				throw bad('UF_004', `Product ${product.id} does not support pay-per-use usage reporting.`);
			return ok({ template_link: `${getFake().url}/files/usage-templates/${product.id}.xlsx` });
		},

		'GET /usage/records': (ctx) => list(ctx, state.usageRecords),
		'GET /usage/records/{id}': (ctx) => ok(find(state.usageRecords, ctx.params.id, 'Usage record')),

		'PUT /usage/records/{id}'(ctx) {
			const record = find(state.usageRecords, ctx.params.id, 'Usage record');
			const status = bodyOf(ctx).status;
			if (!nonEmpty(status)) throw bad('UR_004', 'status is required.');
			if (record.status === 'closed') throw bad('UR_003', `Usage record ${record.id} is closed.`);
			if (status === 'closed')
				throw bad('UR_003', `Use POST /usage/records/${record.id}/close to close a record.`);
			record.status = status;
			const uf = state.usageFiles.get(record.usagefile.id);
			if (uf) meta.recountUsageFile(uf);
			return ok(record);
		},

		'POST /usage/records/{id}/close'(ctx) {
			const record = find(state.usageRecords, ctx.params.id, 'Usage record');
			closeRecord(record, bodyOf(ctx));
			return ok(record);
		},

		'POST /usage/records/close-records'(ctx) {
			const entries = Array.isArray(ctx.body) ? ctx.body : [];
			const results = entries.map((entry) => {
				const record = entry && state.usageRecords.get(entry.id);
				if (!record)
					return {
						id: entry && entry.id,
						status: null,
						error_codes: 'NFD_001',
						error_details: 'Usage record not found.',
					};
				try {
					closeRecord(record, entry);
					return { id: record.id, status: record.status, error_codes: '', error_details: '' };
				} catch (error) {
					if (!(error instanceof HttpError)) throw error;
					return {
						id: record.id,
						status: record.status,
						error_codes: error.body.error_code,
						error_details: error.body.errors.join(' '),
					};
				}
			});
			return { status: 206, body: results };
		},
	};

	function closeRecord(record, body) {
		if (!nonEmpty(body.external_billing_id))
			throw bad('UR_004', 'external_billing_id is required to close a usage record.');
		if (record.status !== 'approved')
			throw bad(
				'UR_003',
				`Only approved usage records can be closed; ${record.id} is ${record.status}.`,
			);
		record.status = 'closed';
		record.external_billing_id = String(body.external_billing_id);
		record.external_billing_note = nonEmpty(body.external_billing_note)
			? String(body.external_billing_note)
			: '';
		record.closed_at = now();
		record.closed_by = meta.actor.name;
		const uf = state.usageFiles.get(record.usagefile.id);
		if (uf) meta.recountUsageFile(uf);
	}

	// ------------------------------------------------------------------ files outside the API

	function templateWorkbook(product) {
		const items = state.items.get(product.id).filter((i) => i.type === 'PPU');
		const example = (item, n) => {
			const row = Object.fromEntries(TEMPLATE_COLUMNS.map((c) => [c, '']));
			Object.assign(row, {
				record_id: `record_${n + 1}`,
				item_search_criteria: 'item.mpn',
				item_search_value: item.mpn,
				asset_search_criteria: 'asset.id',
				category_id: 'generic_category',
			});
			return TEMPLATE_COLUMNS.map((c) => row[c]);
		};
		return buildXlsx({
			sheets: [
				{ name: 'records', rows: [TEMPLATE_COLUMNS, ...items.map(example)] },
				{
					name: 'categories',
					rows: [
						['category_id', 'category_name', 'category_description'],
						['generic_category', 'Generic Category', 'Generic autogenerated category'],
					],
				},
			],
		});
	}

	const xlsxHeaders = (filename, buffer) => ({
		'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		'content-disposition': `attachment; filename="${filename}"`,
		'content-length': String(buffer.length),
	});

	/** Downloads outside the API (no auth, like pre-signed storage links); null when not a file. */
	function file(ctx) {
		if (ctx.method !== 'GET') return null;
		const template = /^\/files\/usage-templates\/(PRD-[\d-]+)\.xlsx$/.exec(ctx.path);
		const product = template && state.products.get(template[1]);
		if (product && product.capabilities.ppu) {
			const buffer = templateWorkbook(product);
			return { status: 200, body: buffer, headers: xlsxHeaders(`${product.id}_usage_template.xlsx`, buffer) };
		}
		const upload = /^\/files\/usage\/(UF-[\d-]+)\/usage_file\.xlsx$/.exec(ctx.path);
		if (upload && uploadedBuffers.has(upload[1])) {
			const buffer = uploadedBuffers.get(upload[1]);
			return { status: 200, body: buffer, headers: xlsxHeaders('usage_file.xlsx', buffer) };
		}
		return null;
	}

	return { routes: usageRoutes, addUsageFile, file };
}

module.exports = { createUsageApi };
