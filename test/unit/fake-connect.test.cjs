'use strict';

// Tests of the fake CloudBlue Connect server itself (test/fakes/connect.cjs), exercised over real HTTP.

const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const zlib = require('node:zlib');
const { startFakeConnect } = require('../fakes/connect.cjs');

const API_KEY = 'SU-123-456-789:0123456789abcdef';

/** Call the fake API; returns { status, headers, body } (body parsed when JSON). */
async function call(fake, path, { method = 'GET', body, headers = {}, auth = true } = {}) {
	const response = await fetch(`${fake.url}/public/v1${path}`, {
		method,
		headers: {
			...(auth && { authorization: `ApiKey ${API_KEY}` }),
			...(body !== undefined && { 'content-type': 'application/json' }),
			...headers,
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let parsed = text;
	if ((response.headers.get('content-type') || '').includes('json') && text)
		parsed = JSON.parse(text);
	return { status: response.status, headers: response.headers, body: parsed };
}

const range = (response) => response.headers.get('content-range');

// ---------------------------------------------------------------------------------------------
// A tiny store-only xlsx writer, independent of the fake's own (connect-xlsx.cjs)

function crc32(buffer) {
	if (zlib.crc32) return zlib.crc32(buffer) >>> 0;
	let c = ~0;
	for (const byte of buffer) {
		c ^= byte;
		for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
	}
	return ~c >>> 0;
}

function storeZip(files) {
	const chunks = [];
	const directory = [];
	let offset = 0;
	for (const [name, text] of Object.entries(files)) {
		const data = Buffer.from(text, 'utf8');
		const fileName = Buffer.from(name, 'utf8');
		const crc = crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(fileName.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(fileName.length, 28);
		central.writeUInt32LE(offset, 42);
		chunks.push(local, fileName, data);
		directory.push(central, fileName);
		offset += local.length + fileName.length + data.length;
	}
	const dir = Buffer.concat(directory);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(Object.keys(files).length, 8);
	end.writeUInt16LE(Object.keys(files).length, 10);
	end.writeUInt32LE(dir.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...chunks, dir, end]);
}

const xml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Workbook with one sheet `sheetName` holding `rows` (first row = headers). */
function usageWorkbook(rows, sheetName = 'records') {
	const cells = rows
		.map(
			(row, r) =>
				`<row r="${r + 1}">${row
					.map((value, c) => {
						const ref = `${String.fromCharCode(65 + c)}${r + 1}`;
						return typeof value === 'number'
							? `<c r="${ref}"><v>${value}</v></c>`
							: `<c r="${ref}" t="inlineStr"><is><t>${xml(value)}</t></is></c>`;
					})
					.join('')}</row>`,
		)
		.join('');
	const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
	const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
	return storeZip({
		'[Content_Types].xml':
			'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
		'xl/workbook.xml': `<?xml version="1.0"?><workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		'xl/worksheets/sheet1.xml': `<?xml version="1.0"?><worksheet xmlns="${main}"><sheetData>${cells}</sheetData></worksheet>`,
	});
}

async function upload(fake, usageFileId, buffer, filename = 'usage_file.xlsx') {
	const form = new FormData();
	form.append(
		'usage_file',
		new Blob([buffer], {
			type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		}),
		filename,
	);
	const response = await fetch(`${fake.url}/public/v1/usage/files/${usageFileId}/upload`, {
		method: 'POST',
		headers: { authorization: `ApiKey ${API_KEY}`, accept: 'application/json' },
		body: form,
	});
	return { status: response.status, body: await response.json() };
}

/** Verify an HS256 JWT with node:crypto only; returns the claims or throws. */
function verifyJwt(token, secret) {
	const [head, body, signature] = token.split('.');
	const header = JSON.parse(Buffer.from(head, 'base64url'));
	assert.equal(header.alg, 'HS256');
	const expected = crypto.createHmac('sha256', secret).update(`${head}.${body}`).digest();
	const given = Buffer.from(signature, 'base64url');
	assert.ok(
		given.length === expected.length && crypto.timingSafeEqual(given, expected),
		'signature',
	);
	return JSON.parse(Buffer.from(body, 'base64url'));
}

// ---------------------------------------------------------------------------------------------

describe('fake CloudBlue Connect', () => {
	let fake;
	before(async () => {
		fake = await startFakeConnect({ apiKey: API_KEY, seed: 1 });
	});
	after(() => fake.close());
	beforeEach(() => fake.reset());

	describe('authentication', () => {
		it('accepts exactly "Authorization: ApiKey <token>"', async () => {
			const good = await call(fake, '/accounts?limit=1');
			assert.equal(good.status, 200);
			assert.equal(good.body.length, 1);
			assert.match(good.body[0].id, /^VA-\d{3}-\d{3}$/);

			const missing = await call(fake, '/accounts', { auth: false });
			assert.equal(missing.status, 401);
			assert.equal(missing.body.error_code, 'AUTH_001');
			assert.ok(Array.isArray(missing.body.errors));

			const bare = await call(fake, '/accounts', {
				auth: false,
				headers: { authorization: API_KEY },
			});
			assert.equal(bare.status, 401);
			const wrong = await call(fake, '/accounts', {
				auth: false,
				headers: { authorization: 'ApiKey SU-1:nope' },
			});
			assert.equal(wrong.status, 401);
		});
	});

	describe('pagination', () => {
		it('pages with limit/offset and answers Content-Range items first-last/total', async () => {
			const page = await call(fake, '/requests?limit=10&offset=5');
			assert.equal(page.status, 200);
			assert.equal(page.body.length, 10);
			assert.equal(range(page), `items 5-14/${fake.state.requests.size}`);

			const seen = new Set();
			for (let offset = 0; ; offset += 7) {
				const res = await call(fake, `/requests?limit=7&offset=${offset}`);
				res.body.forEach((r) => seen.add(r.id));
				const [, last, total] = /^items \d+-(\d+)\/(\d+)$/.exec(range(res)).map(Number);
				if (last >= total - 1) break;
			}
			assert.equal(seen.size, fake.state.requests.size);
		});

		it('limit=0 counts, an empty page says items 0-0/0, limit above 1000 is refused', async () => {
			const count = await call(fake, '/requests?limit=0');
			assert.deepEqual(count.body, []);
			assert.equal(range(count), `items 0-0/${fake.state.requests.size}`);

			const none = await call(fake, '/requests?status=revoked');
			assert.deepEqual(none.body, []);
			assert.equal(range(none), 'items 0-0/0');

			const big = await call(fake, '/requests?limit=1001');
			assert.equal(big.status, 400);
			assert.equal(big.body.error_code, 'PAG_001');
			assert.equal((await call(fake, '/requests?limit=1000')).status, 200);
		});
	});

	describe('RQL', () => {
		it('filters with and/in/eq, prop=eq=value, legacy __ names and ordering', async () => {
			const [p1, p2] = fake.ids.products;
			const res = await call(
				fake,
				`/requests?and(eq(status,pending),in(asset.product.id,(${p1},${p2})))&ordering(-created)&limit=100`,
			);
			assert.equal(res.status, 200);
			assert.ok(res.body.length > 0);
			for (const r of res.body) {
				assert.equal(r.status, 'pending');
				assert.ok([p1, p2].includes(r.asset.product.id));
			}
			const created = res.body.map((r) => Date.parse(r.created));
			assert.deepEqual(
				created,
				[...created].sort((a, b) => b - a),
			);

			const infix = await call(fake, '/requests?status=eq=inquiring');
			assert.ok(infix.body.length > 0 && infix.body.every((r) => r.status === 'inquiring'));

			const legacy = await call(fake, `/requests?asset__product__id=${p1}`);
			assert.ok(legacy.body.length > 0 && legacy.body.every((r) => r.asset.product.id === p1));

			const or = await call(fake, '/requests?(status=failed|status=inquiring)');
			assert.ok(or.body.every((r) => ['failed', 'inquiring'].includes(r.status)));
			const not = await call(fake, '/requests?not(eq(status,pending))&limit=1000');
			assert.ok(not.body.length > 0 && not.body.every((r) => r.status !== 'pending'));

			const since = await call(fake, '/requests?created=ge=2025-04-01T00:00:00+00:00&limit=1000');
			assert.ok(
				since.body.every((r) => Date.parse(r.created) >= Date.parse('2025-04-01T00:00:00Z')),
			);
			assert.ok(since.body.length > 0);
		});

		it('like/ilike with * wildcards and %2A as a literal star', async () => {
			const star = fake.addRequest();
			const plain = fake.addRequest();
			star.asset.external_id = 'EXT*42';
			plain.asset.external_id = 'EXTX42';
			const wildcard = await call(fake, '/requests?like(asset.external_id,EXT*42)');
			assert.deepEqual(wildcard.body.map((r) => r.id).sort(), [star.id, plain.id].sort());
			const literal = await call(fake, '/requests?like(asset.external_id,EXT%2A42)');
			assert.deepEqual(
				literal.body.map((r) => r.id),
				[star.id],
			);
			const insensitive = await call(fake, '/requests?ilike(asset.external_id,ext*)');
			assert.equal(insensitive.body.length, 2);
		});

		it('answers malformed RQL and unsupported lookups with a Connect error and records a violation', async () => {
			const malformed = await call(fake, '/requests?and(eq(status,pending)');
			assert.equal(malformed.status, 400);
			assert.equal(malformed.body.error_code, 'RQL_001');
			assert.match(malformed.body.errors[0], /RQL Parsing error/);

			const lookup = await call(fake, '/tier/config-requests?ne(status,approved)');
			assert.equal(lookup.status, 400);
			assert.equal(lookup.body.error_code, 'RQL_002');

			const ordering = await call(fake, '/usage/files?ordering(-created)');
			assert.equal(ordering.status, 400, 'usage files order by created.at, not created');

			assert.equal(fake.violations.length, 3);
			assert.equal(fake.violations[0].path, '/public/v1/requests');
		});
	});

	describe('fulfillment requests', () => {
		const templateOf = async (productId, type) => {
			const res = await call(fake, `/products/${productId}/templates?scope=asset&type=${type}`);
			assert.ok(res.body.length > 0);
			return res.body[0].id;
		};

		it('approves a pending request with a fulfillment template; a second approve is a REQ_003', async () => {
			const request = fake.addRequest();
			const templateId = await templateOf(request.asset.product.id, 'fulfillment');
			const approved = await call(fake, `/requests/${request.id}/approve`, {
				method: 'POST',
				body: { template_id: templateId },
			});
			assert.equal(approved.status, 200);
			assert.equal(approved.body.status, 'approved');
			assert.equal(approved.body.asset.status, 'active');
			assert.equal(approved.body.template.id, templateId);

			const again = await call(fake, `/requests/${request.id}/approve`, {
				method: 'POST',
				body: { template_id: templateId },
			});
			assert.equal(again.status, 400);
			assert.equal(again.body.error_code, 'REQ_003');
			assert.ok(again.body.errors[0].includes('approved'));

			const rendered = await call(fake, `/requests/${request.id}/render`);
			assert.equal(rendered.status, 200);
			assert.match(rendered.headers.get('content-type'), /^text\/markdown/);
			assert.match(rendered.body, /Activation code/);
		});

		it('refuses empty required parameters (REQ_005) until they are filled by PUT', async () => {
			const request = fake.addRequest({ emptyRequired: true });
			const templateId = await templateOf(request.asset.product.id, 'fulfillment');
			const refused = await call(fake, `/requests/${request.id}/approve`, {
				method: 'POST',
				body: { template_id: templateId },
			});
			assert.equal(refused.status, 400);
			assert.deepEqual(refused.body, {
				error_code: 'REQ_005',
				errors: ['There are empty required parameters.'],
				params: { empty_params: ['activation_code'] },
			});
			const inquireTemplate = await templateOf(request.asset.product.id, 'inquire');
			const wrongTemplate = await call(fake, `/requests/${request.id}/approve`, {
				method: 'POST',
				body: { template_id: inquireTemplate },
			});
			assert.equal(wrongTemplate.body.error_code, 'REQ_002');

			const updated = await call(fake, `/requests/${request.id}`, {
				method: 'PUT',
				body: { asset: { params: [{ id: 'activation_code', value: 'ACT-1' }] }, note: 'filled' },
			});
			assert.equal(updated.status, 200);
			assert.equal(
				updated.body.asset.params.find((p) => p.id === 'activation_code').value,
				'ACT-1',
			);
			assert.equal(updated.body.note, 'filled');
			const approved = await call(fake, `/requests/${request.id}/approve`, {
				method: 'POST',
				body: { template_id: templateId },
			});
			assert.equal(approved.status, 200);
		});

		it('moves pending -> inquiring -> pending -> failed, and fail needs a reason', async () => {
			const request = fake.addRequest();
			await call(fake, `/requests/${request.id}`, {
				method: 'PUT',
				body: { asset: { params: [{ id: 'customer_domain', value_error: 'Domain taken' }] } },
			});
			const inquired = await call(fake, `/requests/${request.id}/inquire`, {
				method: 'POST',
				body: {},
			});
			assert.equal(inquired.status, 200);
			assert.equal(inquired.body.status, 'inquiring');
			assert.equal(
				(await call(fake, `/requests/${request.id}/inquire`, { method: 'POST', body: {} })).body
					.error_code,
				'REQ_003',
			);

			const pended = await call(fake, `/requests/${request.id}/pend`, { method: 'POST' });
			assert.equal(pended.body.status, 'pending');
			const noReason = await call(fake, `/requests/${request.id}/fail`, {
				method: 'POST',
				body: {},
			});
			assert.equal(noReason.status, 400);
			assert.equal(noReason.body.error_code, 'REQ_004');
			const failed = await call(fake, `/requests/${request.id}/fail`, {
				method: 'POST',
				body: { reason: 'Out of stock' },
			});
			assert.equal(failed.body.status, 'failed');
			assert.equal(failed.body.reason, 'Out of stock');
			// Connect adds the note to the conversation itself
			const conversation = await call(fake, `/conversations/${request.id}`);
			assert.ok(conversation.body.messages.some((m) => m.text.includes('Out of stock')));
		});
	});

	describe('tier config requests', () => {
		it('answers fail, inquire, pend, assign and unassign with 204 and no body', async () => {
			const tcr = fake.addTierConfigRequest();
			const post = (action, body) =>
				call(fake, `/tier/config-requests/${tcr.id}/${action}`, { method: 'POST', body });
			for (const [action, body, status] of [
				['assign', { id: fake.ids.users[0] }, 'pending'],
				['unassign', undefined, 'pending'],
				['inquire', undefined, 'inquiring'],
				['pend', undefined, 'pending'],
				['fail', { reason: 'No reseller id' }, 'failed'],
			]) {
				const res = await post(action, body);
				assert.equal(res.status, 204, action);
				assert.equal(res.body, '', action);
				assert.equal(
					(await call(fake, `/tier/config-requests/${tcr.id}`)).body.status,
					status,
					action,
				);
			}
			assert.equal((await post('pend')).body.error_code, 'TCR_003');
		});

		it('approves with {template:{id}} once the required parameters are set', async () => {
			const tcr = fake.addTierConfigRequest({ emptyRequired: true });
			const templates = await call(
				fake,
				`/products/${tcr.configuration.product.id}/templates?scope=tier1&type=fulfillment`,
			);
			const body = { template: { id: templates.body[0].id } };
			const refused = await call(fake, `/tier/config-requests/${tcr.id}/approve`, {
				method: 'POST',
				body,
			});
			assert.equal(refused.body.error_code, 'TCR_005');
			const put = await call(fake, `/tier/config-requests/${tcr.id}`, {
				method: 'PUT',
				body: { params: [{ id: 'reseller_id', value: 'RS-1' }] },
			});
			assert.equal(put.status, 200);
			const approved = await call(fake, `/tier/config-requests/${tcr.id}/approve`, {
				method: 'POST',
				body,
			});
			assert.equal(approved.status, 200);
			assert.equal(approved.body.status, 'approved');
		});
	});

	describe('usage files', () => {
		const HEADER = [
			'record_id',
			'item_search_criteria',
			'item_search_value',
			'quantity',
			'start_time_utc',
			'end_time_utc',
			'asset_search_criteria',
			'asset_search_value',
		];

		it('create -> upload xlsx -> ready -> submit -> accept, records listed', async () => {
			const productId = fake.ids.usageProducts[0];
			const created = await call(fake, '/usage/files', {
				method: 'POST',
				body: {
					name: 'May usage',
					product: { id: productId },
					contract: { id: fake.ids.contracts[0] },
					period: { from: '2025-05-01', to: '2025-05-31' },
					currency: 'USD',
				},
			});
			assert.equal(created.status, 201);
			assert.equal(created.body.status, 'draft');
			assert.match(created.body.id, /^UF-\d{4}-\d{2}-\d{4}-\d{4}$/);

			const asset = fake.addRequest({ productId, status: 'approved' }).asset;
			const items = await call(fake, `/products/${productId}/items?type=PPU`);
			const mpn = items.body[0].mpn;
			const workbook = usageWorkbook([
				HEADER,
				[
					'r1',
					'item.mpn',
					mpn,
					12,
					'2025-05-01 00:00:00',
					'2025-05-31 23:59:59',
					'asset.id',
					asset.id,
				],
				[
					'r2',
					'item.mpn',
					mpn,
					3.5,
					'2025-05-01 00:00:00',
					'2025-05-31 23:59:59',
					'asset.external_id',
					asset.external_id,
				],
			]);
			const uploaded = await upload(fake, created.body.id, workbook);
			assert.equal(uploaded.status, 200);
			assert.equal(uploaded.body.status, 'ready', uploaded.body.error_detail);
			assert.equal(uploaded.body.records.valid, 2);
			assert.equal(fake.uploads.length, 1);
			assert.ok(fake.uploads[0].buffer.equals(workbook), 'the fake keeps the exact bytes');
			assert.equal(fake.uploads[0].filename, 'usage_file.xlsx');

			const records = await call(fake, `/usage/records?usagefile.id=${created.body.id}`);
			assert.equal(records.body.length, 2);
			assert.deepEqual(records.body.map((r) => r.usage).sort(), [12, 3.5].sort());

			const submitted = await call(fake, `/usage/files/${created.body.id}/submit`, {
				method: 'POST',
				body: {},
			});
			assert.equal(submitted.body.status, 'pending');
			const accepted = await call(fake, `/usage/files/${created.body.id}/accept`, {
				method: 'POST',
				body: { acceptance_note: 'ok' },
			});
			assert.equal(accepted.body.status, 'accepted');
			assert.equal(accepted.body.acceptance_note, 'ok');
			const wrong = await call(fake, `/usage/files/${created.body.id}/submit`, {
				method: 'POST',
				body: {},
			});
			assert.equal(wrong.status, 400);
			assert.equal(wrong.body.error_code, 'UF_003');
		});

		it('marks a workbook without the required columns invalid', async () => {
			const uf = fake.addUsageFile();
			const res = await upload(
				fake,
				uf.id,
				usageWorkbook([
					['record_id', 'quantity'],
					['r1', 1],
				]),
			);
			assert.equal(res.status, 200);
			assert.equal(res.body.status, 'invalid');
			assert.match(res.body.error_detail, /Missing required columns: item_search_criteria/);
			const notZip = await upload(fake, uf.id, Buffer.from('not a workbook'));
			assert.equal(notZip.body.status, 'invalid');
			assert.match(notZip.body.error_detail, /not a valid xlsx/);
		});
	});

	describe('conversations', () => {
		it('finds the conversation of a request and adds a message', async () => {
			const requestId = fake.ids.requests[0];
			const found = await call(fake, `/conversations?instance_id=${requestId}`);
			assert.equal(found.body.length, 1);
			const conversation = found.body[0];
			assert.match(conversation.id, /^CO-\d{3}(-\d{3}){5}$/);
			const posted = await call(fake, `/conversations/${conversation.id}/messages`, {
				method: 'POST',
				body: { text: 'Hello from the test' },
			});
			assert.equal(posted.status, 201);
			assert.equal(posted.body.text, 'Hello from the test');
			const messages = await call(fake, `/conversations/${conversation.id}/messages`);
			assert.ok(messages.body.some((m) => m.id === posted.body.id));
			const tooLong = await call(fake, `/conversations/${conversation.id}/messages`, {
				method: 'POST',
				body: { text: 'x'.repeat(541) },
			});
			assert.equal(tooLong.status, 400);
			assert.equal(tooLong.body.error_code, 'CO_002');
		});
	});

	describe('webhooks', () => {
		let receiver;
		const received = [];
		before(async () => {
			receiver = http.createServer((req, res) => {
				let data = '';
				req.on('data', (chunk) => (data += chunk));
				req.on('end', () => {
					received.push({ headers: req.headers, body: JSON.parse(data) });
					res.writeHead(200).end('{}');
				});
			});
			await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		});
		after(() => new Promise((resolve) => receiver.close(resolve)));

		it('registers a webhook and delivers a JWT-signed notification on fake.emit()', async () => {
			const productId = fake.ids.products[0];
			const secret = `JWT-${crypto.randomUUID()}`;
			const createdHook = await call(fake, '/notifications/webhooks', {
				method: 'POST',
				body: {
					label: 'n8n trigger',
					description: 'test',
					product_id: productId,
					object_class: 'fulfillment_request',
					external_url: `http://127.0.0.1:${receiver.address().port}/hook`,
					jwt_secret: secret,
					active: true,
					http_method: 'POST',
					data: {},
					headers: { 'Content-Type': 'application/json' },
				},
			});
			assert.equal(createdHook.status, 201);
			assert.match(createdHook.body.id, /^WH-\d{3}-\d{3}-\d{3}$/);

			const results = await fake.emit('fulfillment_request', productId);
			assert.deepEqual(
				results.map((r) => [r.webhookId, r.status]),
				[[createdHook.body.id, 200]],
			);
			assert.equal(received.length, 1);
			const [delivery] = received;
			assert.equal(delivery.body.webhook_id, createdHook.body.id);
			assert.equal(delivery.body.product_id, productId);
			assert.equal(delivery.body.api_url, `${fake.url}/public/v1`);
			const [scheme, token] = delivery.headers.authentication.split(' ');
			assert.equal(scheme, 'Bearer');
			assert.equal(verifyJwt(token, secret).webhook_id, createdHook.body.id);
			assert.throws(() => verifyJwt(token, 'another secret'));
			assert.equal(fake.deliveries.length, 1);

			assert.deepEqual(await fake.emit('usage_file', productId), []);
			const deleted = await call(fake, `/notifications/webhooks/${createdHook.body.id}`, {
				method: 'DELETE',
			});
			assert.equal(deleted.status, 204);
		});
	});

	describe('spec validation', () => {
		it('records a request that does not match the OpenAPI document and answers 400', async () => {
			const res = await call(fake, '/notifications/webhooks', {
				method: 'POST',
				body: { label: 'incomplete' },
			});
			assert.equal(res.status, 400);
			assert.equal(res.body.error_code, 'VAL_001');
			assert.equal(fake.violations.length, 1);
			assert.equal(fake.violations[0].method, 'POST');
			assert.match(fake.violations[0].errors.join(' '), /required property/);

			const typed = await call(fake, `/requests/${fake.ids.requests[0]}/approve`, {
				method: 'POST',
				body: { template_id: 42 },
			});
			assert.equal(typed.status, 400);
			assert.equal(fake.violations.length, 2);
		});

		it('fault injection and unknown paths behave as in the other fakes', async () => {
			fake.inject({ path: '/public/v1/requests', status: 503 });
			const injected = await call(fake, '/requests');
			assert.equal(injected.status, 503);
			assert.equal(injected.body.error_code, 'SYS_001');
			assert.equal((await call(fake, '/requests?limit=1')).status, 200);
			const unknown = await call(fake, '/no-such-thing');
			assert.equal(unknown.status, 404);
			assert.equal(fake.violations.length, 1);
		});
	});

	describe('scale', () => {
		it('starts with 100k requests quickly and counts them without building them all', async () => {
			const started = Date.now();
			const big = await startFakeConnect({
				apiKey: API_KEY,
				seed: 7,
				counts: { requests: 100000 },
			});
			try {
				assert.ok(Date.now() - started < 5000, `startup took ${Date.now() - started} ms`);
				const count = await call(big, '/requests?limit=0');
				assert.equal(range(count), 'items 0-0/100000');
				const last = await call(big, '/requests?limit=5&offset=99995');
				assert.equal(last.body.length, 5);
				assert.equal(range(last), 'items 99995-99999/100000');
			} finally {
				await big.close();
			}
		});
	});
});
