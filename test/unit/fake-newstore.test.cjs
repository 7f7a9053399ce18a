'use strict';

// Tests of the fake NewStore server itself (test/fakes/newstore.cjs), exercised over real HTTP.

const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startFakeNewStore } = require('../fakes/newstore.cjs');
const { createSchemaChecker } = require('../fakes/newstore-spec.cjs');

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const GO_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})? \+0000 UTC$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const V2 = 'application/x.newstore.orders+json;version=2';

async function requestToken(fake, form = {}, { basic, url = fake.tokenUrl, json } = {}) {
	const fields = { grant_type: 'client_credentials', ...form };
	if (!basic)
		Object.assign(fields, { client_id: 'ns-client', client_secret: 'ns-secret', ...form });
	const headers = {
		'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
	};
	if (basic) headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
	const response = await fetch(url, {
		method: 'POST',
		headers,
		body: json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
	});
	return { status: response.status, body: await response.json() };
}

/** Call the fake; returns { status, headers, body } (body parsed when JSON, else text). */
async function call(fake, token, path, { method = 'GET', body, headers = {} } = {}) {
	const response = await fetch(`${fake.url}${path}`, {
		method,
		headers: {
			...(token && { authorization: `Bearer ${token}` }),
			...(body !== undefined && { 'content-type': 'application/json' }),
			...headers,
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	const type = response.headers.get('content-type') || '';
	return {
		status: response.status,
		headers: response.headers,
		body: text && /json/.test(type) ? JSON.parse(text) : text,
	};
}

function orderPayload(overrides = {}) {
	return {
		external_id: 'WEB-1001',
		shop: 'storefront-catalog-en',
		shop_locale: 'en-US',
		channel_type: 'web',
		channel_name: 'webshop',
		currency: 'USD',
		customer_email: 'ada.lovelace@example.com',
		customer_name: 'Ada Lovelace',
		placed_at: '2025-06-01T10:00:00+02:00',
		price_method: 'tax_excluded',
		shipping_address: { address_line_1: '1 Main St', country: 'US', city: 'New York' },
		shipments: [
			{
				items: [
					{
						external_item_id: 'L1',
						product_id: 'SKU-1002',
						price: {
							item_price: 59.5,
							item_list_price: 59.5,
							item_tax_lines: [{ amount: 4.76, rate: 0.08, name: 'Sales tax' }],
						},
					},
					{
						external_item_id: 'L1',
						product_id: 'SKU-1002',
						price: {
							item_price: 59.5,
							item_list_price: 59.5,
							item_tax_lines: [{ amount: 4.76, rate: 0.08, name: 'Sales tax' }],
						},
					},
					{
						external_item_id: 'L2',
						product_id: 'SKU-1005',
						price: {
							item_price: 19.99,
							item_list_price: 24,
							item_tax_lines: [{ amount: 1.6, rate: 0.08, name: 'Sales tax' }],
						},
					},
				],
				shipping_option: { service_level_identifier: 'GROUND', price: 5, tax: 0.4 },
			},
		],
		payments: [
			{
				type: 'captured',
				amount: 156.51,
				method: 'credit_card',
				processor: 'stripe',
				processed_at: '2025-06-01T08:00:00Z',
				correlation_ref: 'pay-1',
			},
		],
		...overrides,
	};
}

/** A local HTTP server recording event-stream deliveries. */
async function startReceiver(status = 200) {
	const received = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			received.push({ path: req.url, headers: req.headers, body: JSON.parse(raw) });
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end('{}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		received,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

describe('fake NewStore server', () => {
	let fake;
	let token;
	let schemas;

	before(async () => {
		fake = await startFakeNewStore({
			seed: 7,
			clients: {
				'ns-client': { secret: 'ns-secret', scopes: null },
				'portal-reader': {
					secret: 'reader-secret',
					scopes: ['customer:profile:read', 'audit-events:read'],
				},
			},
		});
		token = (await requestToken(fake)).body.access_token;
		schemas = createSchemaChecker();
	});
	after(() => fake.close());
	beforeEach(() => {
		fake.reset();
		fake.rateLimit = null;
		fake.latencyMs = 0;
		fake.profileCeiling = 10000;
	});

	const get = (path, headers) => call(fake, token, path, { headers });
	const send = (method, path, body, headers) => call(fake, token, path, { method, body, headers });
	const seededOrder = (index = 9) => [...fake.state.orders.values()][index];
	const firstProfile = () => [...fake.state.profiles.values()][0];
	const assertShape = (schema, value) => assert.deepEqual(schemas.validate(schema, value), []);

	describe('token endpoint (Keycloak)', () => {
		it('issues opaque tokens for form credentials in the body or as HTTP Basic', async () => {
			const before = fake.state.tokenRequests;
			const viaBody = await requestToken(fake);
			assert.equal(viaBody.status, 200);
			assert.equal(viaBody.body.token_type, 'Bearer');
			assert.equal(viaBody.body.expires_in, 3600);
			assert.equal(viaBody.body['not-before-policy'], 0);
			assert.equal(typeof viaBody.body.scope, 'string');
			assert.match(viaBody.body.access_token, /^[A-Za-z0-9_-]{20,}$/);
			const viaBasic = await requestToken(fake, {}, { basic: 'ns-client:ns-secret' });
			assert.equal(viaBasic.status, 200);
			assert.notEqual(viaBasic.body.access_token, viaBody.body.access_token);
			assert.equal(fake.state.tokenRequests, before + 2);
			assert.ok(fake.state.issuedTokens.includes(viaBasic.body.access_token));
			assert.deepEqual(fake.violations, []);
		});

		it('answers Keycloak errors: invalid_client, unknown realm, unsupported grant, invalid scope', async () => {
			assert.deepEqual(await requestToken(fake, { client_secret: 'nope' }), {
				status: 401,
				body: {
					error: 'invalid_client',
					error_description: 'Invalid client or Invalid client credentials',
				},
			});
			const realm = await requestToken(
				fake,
				{},
				{ url: fake.tokenUrl.replace('/realms/acme/', '/realms/other/') },
			);
			assert.deepEqual(realm, { status: 404, body: { error: 'Realm does not exist' } });
			const grant = await requestToken(fake, { grant_type: 'password' });
			assert.equal(grant.status, 400);
			assert.equal(grant.body.error, 'unsupported_grant_type');
			const scope = await requestToken(fake, {
				client_id: 'portal-reader',
				client_secret: 'reader-secret',
				scope: 'customer:profile:write',
			});
			assert.equal(scope.status, 400);
			assert.equal(scope.body.error, 'invalid_scope');
		});

		it('rejects a JSON token request (Keycloak takes form bodies) and records it', async () => {
			const { status, body } = await requestToken(fake, {}, { json: true });
			assert.equal(status, 400);
			assert.equal(body.error, 'invalid_request');
			assert.equal(fake.violations.length, 1);
			assert.match(fake.violations[0].errors[0], /Content-Type application\/json/);
		});

		it('grants a scoped client the requested subset, or all its scopes', async () => {
			const creds = { client_id: 'portal-reader', client_secret: 'reader-secret' };
			const all = await requestToken(fake, creds);
			assert.equal(all.body.scope, 'customer:profile:read audit-events:read');
			const subset = await requestToken(fake, { ...creds, scope: 'customer:profile:read' });
			assert.equal(subset.body.scope, 'customer:profile:read');
		});
	});

	describe('authentication and the three 403s', () => {
		it('answers 401 problem+json without an Authorization header', async () => {
			const response = await call(
				fake,
				null,
				'/v0/stock/insights?product_id=a&fulfillment_node_id=b',
			);
			assert.equal(response.status, 401);
			assert.match(response.headers.get('content-type'), /application\/problem\+json/);
			assert.deepEqual(response.body, {
				type: 'https://docs.newstore.com/problems/unauthorized',
				title: 'Unauthorized',
				status: 401,
				detail: 'The access token is missing, expired, or invalid.',
			});
		});

		it('answers 403 JSON for unknown or expired tokens (v0 body vs problem+json)', async () => {
			const legacy = await call(
				fake,
				'not-a-token',
				`/v0/fulfillment_requests/${seededOrder().id}`,
			);
			assert.equal(legacy.status, 403);
			assert.equal(legacy.body.error_code, 'forbidden');
			assert.equal(legacy.body.message, 'The access token is expired or invalid.');

			const fresh = (await requestToken(fake)).body.access_token;
			assert.equal((await call(fake, fresh, '/customer/profiles')).status, 200);
			fake.expireTokens();
			const portal = await call(fake, fresh, '/customer/profiles');
			assert.equal(portal.status, 403);
			assert.match(portal.headers.get('content-type'), /application\/problem\+json/);
			assert.equal(portal.body.title, 'Forbidden');
			assert.equal(portal.body.detail, 'The access token is expired or invalid.');
			token = (await requestToken(fake)).body.access_token;
		});

		it('expires tokens after tokenTtlSeconds', async () => {
			const short = await startFakeNewStore({ tokenTtlSeconds: 1 });
			try {
				const { body } = await requestToken(short);
				assert.equal(body.expires_in, 1);
				assert.equal(
					(await call(short, body.access_token, '/customer/profiles?count=1')).status,
					200,
				);
				await new Promise((resolve) => setTimeout(resolve, 1050));
				const expired = await call(short, body.access_token, '/customer/profiles?count=1');
				assert.equal(expired.status, 403);
				assert.equal(typeof expired.body, 'object');
			} finally {
				await short.close();
			}
		});

		it('answers 403 naming the missing scope on developer-portal routes only', async () => {
			const reader = (
				await requestToken(fake, {
					client_id: 'portal-reader',
					client_secret: 'reader-secret',
					scope: 'customer:profile:read',
				})
			).body.access_token;
			assert.equal((await call(fake, reader, '/customer/profiles?count=1')).status, 200);
			const write = await call(fake, reader, '/customer/profiles', {
				method: 'POST',
				body: { email: 'scoped@example.com' },
			});
			assert.equal(write.status, 403);
			assert.match(write.headers.get('content-type'), /problem\+json/);
			assert.equal(
				write.body.detail,
				"The access token does not grant the required 'customer:profile:write' scope",
			);
			// /v0, /v1/customer (v1 profiles) and the event stream ignore scopes
			assert.equal(
				(await call(fake, reader, `/v0/orders/${seededOrder().id}?id_type=internal`)).status,
				200,
			);
			assert.equal((await call(fake, reader, '/v1/customer/profiles?count=1')).status, 200);
			assert.equal((await call(fake, reader, '/api/v1/org/integrations/eventstream')).status, 200);
		});

		it('blocks the IP: every request answers 403 text/html, then recovers', async () => {
			fake.blockIp(60000);
			const blocked = await get('/customer/profiles');
			assert.equal(blocked.status, 403);
			assert.match(blocked.headers.get('content-type'), /text\/html/);
			assert.equal(blocked.body, '<html><body><h1>403 Forbidden</h1></body></html>');
			assert.throws(() => JSON.parse(blocked.body));
			const tokenCall = await fetch(fake.tokenUrl, { method: 'POST' });
			assert.equal(tokenCall.status, 403);
			assert.match(await tokenCall.text(), /^<html>/);
			fake.blockIp(0);
			assert.equal((await get('/customer/profiles')).status, 200);
		});
	});

	describe('rate limit and fault injection', () => {
		it('answers 429 with Retry-After: 1 beyond the tenant-wide calls per second', async () => {
			fake.rateLimit = 3;
			const responses = await Promise.all(
				Array.from({ length: 6 }, () => get('/customer/profiles?count=1')),
			);
			const limited = responses.filter((r) => r.status === 429);
			assert.equal(limited.length, 3);
			assert.equal(limited[0].headers.get('retry-after'), '1');
			assert.equal(limited[0].body.status, 429);
			const legacy = await get('/v0/stock/insights?product_id=a&fulfillment_node_id=b');
			assert.equal(legacy.status, 429);
			assert.equal(legacy.body.error_code, 'too_many_requests');
		});

		it('injects 5xx, 429 with and without Retry-After, drops and delays', async () => {
			fake.inject({ path: '/customer/profiles', status: 503 });
			fake.inject({ path: '/customer/profiles', status: 429, headers: { 'retry-after': '2' } });
			fake.inject({ path: '/customer/profiles', status: 429 });
			const first = await get('/customer/profiles');
			assert.equal(first.status, 503);
			assert.equal(first.body.status, 503);
			const second = await get('/customer/profiles');
			assert.equal(second.status, 429);
			assert.equal(second.headers.get('retry-after'), '2');
			const third = await get('/customer/profiles');
			assert.equal(third.status, 429);
			assert.equal(third.headers.get('retry-after'), null);
			assert.equal((await get('/customer/profiles')).status, 200);

			fake.inject({ path: '/v0/stock', drop: true });
			await assert.rejects(get('/v0/stock/insights?product_id=a&fulfillment_node_id=b'));
			fake.inject({ path: '/v0/stock', delayMs: 150 });
			const started = Date.now();
			const slow = await get('/v0/stock/insights?product_id=a&fulfillment_node_id=b');
			assert.equal(slow.status, 200);
			assert.ok(Date.now() - started >= 140);
		});

		it('fails after processing: the order exists, an identical retry creates nothing new', async () => {
			const ordersBefore = fake.state.orders.size;
			fake.inject({ method: 'POST', path: '/v0/d/fulfill_order', status: 500, afterHandler: true });
			const failed = await send('POST', '/v0/d/fulfill_order', orderPayload());
			assert.equal(failed.status, 500);
			assert.equal(failed.body.error_code, 'internal_server_error');
			assert.equal(fake.state.orders.size, ordersBefore + 1);
			const retry = await send('POST', '/v0/d/fulfill_order', orderPayload());
			assert.equal(retry.status, 200);
			assert.equal(fake.state.orders.size, ordersBefore + 1);
			assert.equal(fake.state.injections.get('WEB-1001').count, 2);
		});
	});

	describe('spec validation', () => {
		it('rejects requests that break the published spec and records them', async () => {
			const { shop, ...noShop } = orderPayload();
			assert.ok(shop);
			const missing = await send('POST', '/v0/d/fulfill_order', noShop);
			assert.equal(missing.status, 400);
			assert.equal(missing.body.error_code, 'bad_request');
			assert.match(missing.body.message, /shop/);
			const currency = await send('POST', '/v0/d/fulfill_order', orderPayload({ currency: 'usd' }));
			assert.equal(currency.status, 400);
			assert.match(currency.body.message, /body\/currency/);
			const price = orderPayload();
			price.shipments[0].items[0].price.item_price = 59.499;
			assert.match(
				(await send('POST', '/v0/d/fulfill_order', price)).body.message,
				/multiple of 0\.01/,
			);
			const tooMany = await get('/customer/profiles?count=501');
			assert.equal(tooMany.status, 400);
			assert.match(tooMany.headers.get('content-type'), /problem\+json/);
			assert.match(tooMany.body.detail, /query\/count must be <= 500/);
			assert.equal(fake.violations.length, 4);
			assert.ok(fake.log.filter((entry) => entry.violations).length === 4);
			assert.equal(fake.state.orders.size, 10);
		});

		it('answers 404 for paths the fake does not serve', async () => {
			const response = await get('/v0/nothing/here');
			assert.equal(response.status, 404);
			assert.equal(response.body.error_code, 'not_found');
			assert.equal(fake.violations.length, 1);
		});

		it('logs every request with method, path, query, headers, body and status', async () => {
			await send('POST', '/customer/profiles', { email: 'log@example.com' });
			const entry = fake.log.at(-1);
			assert.equal(entry.method, 'POST');
			assert.equal(entry.path, '/customer/profiles');
			assert.deepEqual(entry.body, { email: 'log@example.com' });
			assert.equal(entry.status, 201);
			assert.ok(entry.headers.authorization);
		});
	});

	describe('order injection', () => {
		it('creates one order per external_id with one item per shipment entry', async () => {
			const { status, body } = await send('POST', '/v0/d/fulfill_order', orderPayload());
			assert.equal(status, 200);
			assertShape('InjectedOrderResponse', body);
			assert.equal(body.external_id, 'WEB-1001');
			assert.match(body.id, UUID_V4);
			assert.deepEqual(
				body.items.map((i) => [i.external_item_id, i.product_id]),
				[
					['L1', 'SKU-1002'],
					['L1', 'SKU-1002'],
					['L2', 'SKU-1005'],
				],
			);
			assert.equal(new Set(body.items.map((i) => i.id)).size, 3);

			// linked to the profile with that email, findable both ways, routed
			const profileId = [...fake.state.profiles.values()].find(
				(p) => p.email === 'ada.lovelace@example.com',
			).id;
			const byId = await get(`/v0/orders/${body.id}?id_type=internal`);
			const byExternal = await get('/v0/orders/WEB-1001?id_type=external');
			assert.deepEqual(byId.body, byExternal.body);
			assertShape('SalesOrderDetailResponse', byId.body);
			assert.equal(byId.body.id, 'WEB-1001');
			assert.equal(byId.body.origin_id, body.id);
			assert.equal(byId.body.customer.id, profileId);
			assert.equal(byId.body.status, 'open');
			assert.equal(byId.body.items.length, 3);
			assert.deepEqual(byId.body.totals, {
				gross: 150.11,
				net: 138.99,
				tax: 11.12,
				discount: 0,
				shipping: 5,
				gift_wrapping: 0,
				total: 155.51,
			});
			assert.equal(byId.body.placed_at, '2025-06-01T10:00:00+02:00');
			const v2 = await get(`/v0/orders/${body.id}?id_type=internal`, { accept: V2 });
			assert.equal(v2.body.placed_at, '2025-06-01T08:00:00.000Z');
			const ffrs = await get(`/v0/fulfillment_requests/${body.id}`);
			assertShape('OrderFulfillmentRequestsResponse', ffrs.body);
			assert.deepEqual(
				ffrs.body.fulfillment_requests[0].items.map((i) => i.item_id),
				body.items.map((i) => i.id),
			);
			assert.deepEqual(fake.violations, []);
		});

		it('is idempotent: identical payload -> identical response; different -> same_order_injection_with_different_data', async () => {
			const first = await send('POST', '/v0/d/fulfill_order', orderPayload());
			const again = await send('POST', '/v0/d/fulfill_order', orderPayload());
			assert.equal(again.status, 200);
			assert.deepEqual(again.body, first.body);
			assert.equal(
				[...fake.state.orders.values()].filter((o) => o.external_id === 'WEB-1001').length,
				1,
			);
			const changed = await send(
				'POST',
				'/v0/d/fulfill_order',
				orderPayload({ customer_name: 'Someone Else' }),
			);
			assert.equal(changed.status, 400);
			assert.equal(changed.body.error_code, 'same_order_injection_with_different_data');
			assert.equal(typeof changed.body.message, 'string');
			assert.equal(fake.state.orders.size, 11);
		});

		it('checks the shipment fields the spec leaves out', async () => {
			const noLevel = orderPayload();
			noLevel.shipments[0].shipping_option = { price: 5, tax: 0 };
			const a = await send('POST', '/v0/d/fulfill_order', noLevel);
			assert.equal(a.status, 400);
			assert.equal(a.body.error_code, 'bad_request');
			assert.match(a.body.message, /service_level_identifier' or 'shipping_offer_token/);

			const badRate = orderPayload();
			badRate.shipments[0].items[2].price.item_tax_lines[0].rate = 8;
			assert.match((await send('POST', '/v0/d/fulfill_order', badRate)).body.message, /rate/);

			const noProduct = orderPayload();
			delete noProduct.shipments[0].items[0].product_id;
			assert.match(
				(await send('POST', '/v0/d/fulfill_order', noProduct)).body.message,
				/items\/0 must have required property 'product_id'/,
			);

			const twoLevels = orderPayload();
			twoLevels.shipments.push(structuredClone(twoLevels.shipments[0]));
			assert.equal(
				(await send('POST', '/v0/d/fulfill_order', twoLevels)).body.error_code,
				'invalid_shipments',
			);

			const addon = orderPayload();
			addon.shipments[0].items[2].addon_parent_external_item_id = 'NOPE';
			assert.equal(
				(await send('POST', '/v0/d/fulfill_order', addon)).body.error_code,
				'addon_invalid_parent_item',
			);
			assert.equal(fake.state.orders.size, 10);
			assert.equal(fake.violations.length, 5);
		});

		it('links an unknown email to a generated customer id, reused by later orders', async () => {
			const one = await send(
				'POST',
				'/v0/d/fulfill_order',
				orderPayload({ external_id: 'G-1', customer_email: 'new.buyer@example.net' }),
			);
			const two = await send(
				'POST',
				'/v0/d/fulfill_order',
				orderPayload({
					external_id: 'G-2',
					customer_email: 'NEW.buyer@example.net',
					placed_at: '2025-06-02T10:00:00Z',
				}),
			);
			const c1 = fake.state.orders.get(one.body.id).customer.id;
			assert.match(c1, UUID_V4);
			assert.equal(fake.state.orders.get(two.body.id).customer.id, c1);
			const list = await get(`/v0/orders?customer_id=${c1}`);
			assert.deepEqual(
				list.body.orders.map((o) => o.id),
				['G-2', 'G-1'], // newest first
			);
		});
	});

	describe('sales orders', () => {
		it('needs id_type and answers order_not_found', async () => {
			const order = seededOrder();
			const missing = await get(`/v0/orders/${order.id}`);
			assert.equal(missing.status, 400);
			assert.match(missing.body.message, /id_type/);
			assert.equal((await get(`/v0/orders/${order.id}?id_type=uuid`)).status, 400);
			const notFound = await get('/v0/orders/NOPE?id_type=external');
			assert.equal(notFound.status, 404);
			assert.equal(notFound.body.error_code, 'order_not_found');
			// the internal id is not an external id
			assert.equal((await get(`/v0/orders/${order.id}?id_type=external`)).status, 404);
		});

		it('lists a customer’s orders: all with application/json, paged with version=2', async () => {
			const customerId = seededOrder(0).customer.id;
			const expected = [...fake.state.orders.values()].filter((o) => o.customer.id === customerId);
			assert.ok(expected.length >= 3);

			const plain = await get(`/v0/orders?customer_id=${customerId}&count=1`);
			assert.equal(plain.status, 200);
			assertShape('SalesOrderListResponse', plain.body);
			assert.equal(plain.body.orders.length, expected.length);
			assert.equal(plain.body.pagination_info, undefined);

			const page = await get(`/v0/orders?customer_id=${customerId}&offset=1&count=2`, {
				accept: V2,
			});
			assert.match(page.headers.get('content-type'), /version=2/);
			assertShape('SalesOrderListResponseV2', page.body);
			assert.equal(page.body.orders.length, 2);
			assert.deepEqual(page.body.pagination_info, { count: 2, offset: 1, total: expected.length });
			const placed = plain.body.orders.map((o) => Date.parse(o.placed_at));
			assert.deepEqual(
				placed,
				[...placed].sort((a, b) => b - a),
			);
			assert.equal(page.body.orders[0].id, plain.body.orders[1].id);

			const missing = await get('/v0/orders');
			assert.equal(missing.status, 400);
			assert.equal(missing.body.message, "Query param 'customer_id' is required.");
			assert.equal(
				(await get(`/v0/orders?customer_id=${customerId}&count=51`, { accept: V2 })).status,
				400,
			);
		});

		it('answers customer_not_found only for application/json', async () => {
			const plain = await get('/v0/orders?customer_id=unknown-customer');
			assert.equal(plain.status, 404);
			assert.equal(plain.body.error_code, 'customer_not_found');
			const v2 = await get('/v0/orders?customer_id=unknown-customer', { accept: V2 });
			assert.equal(v2.status, 200);
			assert.deepEqual(v2.body, { orders: [], pagination_info: { count: 0, offset: 0, total: 0 } });
		});

		it('serves fulfillment requests, stock insights and availabilities', async () => {
			const closed = seededOrder(0);
			const ffr = (await get(`/v0/fulfillment_requests/${closed.id}`)).body.fulfillment_requests;
			assert.equal(ffr[0].status, 'completed');
			assert.ok(ffr[0].items.every((i) => i.carrier === 'UPS' && /^1Z/.test(i.tracking_code)));
			assert.deepEqual((await get('/v0/fulfillment_requests/unknown')).body, {
				fulfillment_requests: [],
			});

			const open = seededOrder(9);
			const item = open.items[0];
			const insights = await get(
				`/v0/stock/insights?product_id=${item.product_id}&fulfillment_node_id=${item.fulfillment_node_id}`,
			);
			assertShape('AtpInsightsResponse', insights.body);
			assert.ok(insights.body.allocations.some((a) => a.item_uuid === item.id));
			const missing = await get('/v0/stock/insights?product_id=SKU-1001');
			assert.equal(missing.status, 400);
			assert.match(missing.body.message, /fulfillment_node_id/);

			const atp = await send('POST', '/v0/availabilities', {
				atp_keys: [
					{ product_id: 'SKU-1001', fulfillment_node_id: 'DC-WEST' },
					{ product_id: 'NOPE', fulfillment_node_id: 'DC-WEST' },
				],
			});
			assert.equal(atp.status, 200);
			assert.equal(atp.body.items[0].atp, fake.state.stock.get('SKU-1001|DC-WEST').atp);
			assert.equal(atp.body.items[1].atp, 0);
			assert.equal((await send('POST', '/v0/availabilities', { atp_keys: [] })).status, 400);
		});
	});

	describe('order notes', () => {
		it('lists notes newest first, including item notes, in Go time format', async () => {
			const order = seededOrder(9);
			const { status, body } = await get(`/v0/d/orders/${order.id}/notes`);
			assert.equal(status, 200);
			assert.equal(body.notes.length, 3);
			assert.ok(body.notes[0].item_id);
			assert.ok(body.notes.every((n) => GO_TIME.test(n.created_at)));
			assert.equal(body.notes[1].created_at, '2025-05-13 13:00:00.793654 +0000 UTC');
			body.notes.forEach((note) => assertShape('FakeNote', note));
		});

		it('creates, updates partially and deletes notes', async () => {
			const order = seededOrder(5);
			const base = `/v0/d/orders/${order.id}`;
			const note = await send('POST', `${base}/notes`, {
				text: 'Call the customer',
				source: 'n8n',
				source_type: 'integration',
				tags: ['todo'],
			});
			assert.equal(note.status, 201);
			assert.equal(note.body.order_id, order.id);
			assert.match(note.body.created_at, GO_TIME);
			assert.equal(note.body.created_at, note.body.updated_at);
			const itemNote = await send('POST', `${base}/items/${order.items[0].id}/notes`, {
				text: 'Fragile',
				source: 'n8n',
				tags: [],
			});
			assert.equal(itemNote.status, 201);
			assert.equal(itemNote.body.item_id, order.items[0].id);
			const listed = (await get(`${base}/notes`)).body.notes;
			assert.deepEqual(
				listed.slice(0, 2).map((n) => n.id),
				[itemNote.body.id, note.body.id],
			);

			const patched = await send('PATCH', `${base}/notes/${note.body.id}`, { tags: ['done'] });
			assert.equal(patched.status, 200);
			assert.equal(patched.body.text, 'Call the customer');
			assert.deepEqual(patched.body.tags, ['done']);
			assert.notEqual(patched.body.updated_at, note.body.updated_at);
			assert.equal(patched.body.created_at, note.body.created_at);

			const del = await send('DELETE', `${base}/notes/${note.body.id}`);
			assert.equal(del.status, 204);
			assert.equal((await send('DELETE', `${base}/notes/${note.body.id}`)).status, 404);
			assert.deepEqual(fake.violations, []);
		});

		it('validates note bodies and answers not_found', async () => {
			const order = seededOrder(4);
			const base = `/v0/d/orders/${order.id}`;
			const noteId = [...fake.state.notes.values()].find((n) => n.order_id === order.id).id;
			const nullText = await send('PATCH', `${base}/notes/${noteId}`, { text: null });
			assert.equal(nullText.status, 400);
			assert.match(nullText.body.message, /body\/text/);
			const noTags = await send('POST', `${base}/notes`, { text: 'x', source: 'y' });
			assert.equal(noTags.status, 400);
			assert.match(noTags.body.message, /tags/);
			const tooLong = await send('POST', `${base}/notes`, {
				text: 'x'.repeat(4001),
				source: 'y',
				tags: [],
			});
			assert.equal(tooLong.status, 400);
			const unknownOrder = await get('/v0/d/orders/00000000-0000-4000-8000-000000000000/notes');
			assert.equal(unknownOrder.status, 404);
			assert.equal(unknownOrder.body.error_code, 'not_found');
			const unknownItem = await send('POST', `${base}/items/nope/notes`, {
				text: 'x',
				source: 'y',
				tags: [],
			});
			assert.equal(unknownItem.status, 404);
		});
	});

	describe('customer profiles v2', () => {
		it('lists, searches and sorts with pagination_info', async () => {
			const page = await get('/customer/profiles?offset=5&count=10');
			assert.equal(page.status, 200);
			assertShape('ListProfilesResponse', page.body);
			assert.deepEqual(page.body.pagination_info, { count: 10, offset: 5, total: 30 });

			const search = await get('/customer/profiles?q=LOVELACE&count=50');
			assert.ok(search.body.profiles.length >= 1);
			assert.ok(search.body.profiles.every((p) => /lovelace/i.test(p.email + p.full_name)));
			const withPhone = [...fake.state.profiles.values()].find((p) => p.phone_number);
			const byPhone = await get(
				`/customer/profiles?q=${encodeURIComponent(withPhone.phone_number.slice(-6))}`,
			);
			assert.ok(byPhone.body.profiles.some((p) => p.id === withPhone.id));
			const exact = await get(`/customer/profiles?q=${withPhone.id}`);
			assert.deepEqual(
				exact.body.profiles.map((p) => p.id),
				[withPhone.id],
			);

			const sorted = await get('/customer/profiles?sort=email|asc&count=30');
			const emails = sorted.body.profiles.map((p) => p.email);
			assert.deepEqual(emails, [...emails].sort());
			assert.equal((await get('/customer/profiles?sort=shoe_size|asc')).status, 400);
		});

		it('refuses to page beyond the search ceiling', async () => {
			fake.profileCeiling = 20;
			assert.equal((await get('/customer/profiles?offset=10&count=10')).status, 200);
			const beyond = await get('/customer/profiles?offset=11&count=10');
			assert.equal(beyond.status, 400);
			assert.match(beyond.headers.get('content-type'), /problem\+json/);
			assert.match(beyond.body.detail, /20/);
		});

		it('get-or-create always answers 201; the existing profile comes back unchanged', async () => {
			const created = await send('POST', '/customer/profiles', {
				email: 'new.person@example.com',
				first_name: 'New',
				last_name: 'Person',
				phone_number: '+4915112345678',
				extended_attributes: { tier: { data_type: 'string', value: 'gold' } },
			});
			assert.equal(created.status, 201);
			assertShape('ProfileResponse', created.body);
			assert.equal(created.body.full_name, 'New Person');
			assert.equal(created.body.created_at, created.body.updated_at);
			assert.match(created.body.id, /^NS-EU-[0-9A-Z]{26}-[0-9A-Z]{26}$/);

			const existing = firstProfile();
			const again = await send('POST', '/customer/profiles', {
				email: existing.email.toUpperCase(),
				full_name: 'Ignored',
			});
			assert.equal(again.status, 201);
			assert.equal(again.body.id, existing.id);
			assert.equal(again.body.full_name, existing.full_name);

			const both = await send('POST', '/customer/profiles', {
				email: 'x@example.com',
				first_name: 'A',
				full_name: 'A B',
			});
			assert.equal(both.status, 400);
			assert.match(both.headers.get('content-type'), /problem\+json/);
			assert.equal((await get('/customer/profiles/NS-EU-NOPE')).status, 404);
		});

		it('PATCH needs the current last_updated_at (409 otherwise) and replaces extended attributes', async () => {
			const profile = firstProfile();
			const path = `/customer/profiles/${profile.id}`;
			const stale = await send('PATCH', path, {
				last_updated_at: '2020-01-01T00:00:00.000Z',
				full_name: 'Stale',
			});
			assert.equal(stale.status, 409);
			assert.equal(stale.body.detail, 'The profile was changed since last_updated_at');

			const current = (await get(path)).body;
			const updated = await send('PATCH', path, {
				last_updated_at: current.updated_at,
				phone_number: '+12125550000',
				extended_attributes: { vip: { data_type: 'boolean', value: 'true' } },
			});
			assert.equal(updated.status, 200);
			assert.match(updated.body.updated_at, ISO_MS);
			assert.ok(Date.parse(updated.body.updated_at) > Date.parse(current.updated_at));
			assert.deepEqual(updated.body.extended_attributes, {
				vip: { data_type: 'boolean', value: 'true' },
			});
			const reused = await send('PATCH', path, {
				last_updated_at: current.updated_at,
				store_id: 'x',
			});
			assert.equal(reused.status, 409);
			const missingLock = await send('PATCH', path, { store_id: 'x' });
			assert.equal(missingLock.status, 400);
			assert.match(missingLock.body.detail, /last_updated_at/);
		});

		it('deletion request: 202, then 409', async () => {
			const path = `/customer/profiles/${firstProfile().id}`;
			const first = await send('POST', path, { operation: 'delete' });
			assert.equal(first.status, 202);
			const second = await send('POST', path, { operation: 'delete' });
			assert.equal(second.status, 409);
		});

		it('is also mounted under /api/v1/customer/profiles', async () => {
			const direct = await get(`/customer/profiles/${firstProfile().id}`);
			const mounted = await get(`/api/v1/customer/profiles/${firstProfile().id}`);
			assert.equal(mounted.status, 200);
			assert.deepEqual(mounted.body, direct.body);
		});

		it('addresses: list, create (201 new / 200 identical), patch with lock, delete', async () => {
			const profile = [...fake.state.profiles.values()].find(
				(p) => fake.state.addresses.get(p.id).length === 2,
			);
			const base = `/customer/profiles/${profile.id}/addresses`;
			const list = await get(`${base}?count=1`);
			assertShape('ListAddressesResponse', list.body);
			assert.deepEqual(list.body.pagination_info, { count: 1, offset: 0, total: 2 });
			assert.equal((await get(`${base}?count=1001`)).status, 400);

			const address = { country_code: 'DE', city: 'Berlin', address_line_1: 'Unter den Linden 1' };
			const made = await send('POST', base, address);
			assert.equal(made.status, 201);
			assertShape('AddressResponse', made.body);
			const same = await send('POST', base, address);
			assert.equal(same.status, 200);
			assert.equal(same.body.id, made.body.id);
			assert.equal((await send('POST', base, { city: 'Nowhere' })).status, 400);

			const one = `${base}/${made.body.id}`;
			const stale = await send('PATCH', one, {
				last_updated_at: '2020-01-01T00:00:00Z',
				city: 'X',
			});
			assert.equal(stale.status, 409);
			const patched = await send('PATCH', one, {
				last_updated_at: made.body.updated_at,
				zip_code: '10117',
			});
			assert.equal(patched.status, 200);
			assert.equal(patched.body.zip_code, '10117');
			assert.equal(patched.body.city, 'Berlin');
			assert.equal((await send('DELETE', one)).status, 204);
			assert.equal((await get(one)).status, 404);
		});

		it('pages through a large seed (1,200 profiles) without gaps', async () => {
			const big = await startFakeNewStore({ seed: 3, profiles: 1200 });
			try {
				const bigToken = (await requestToken(big)).body.access_token;
				const seen = new Set();
				let offset = 0;
				for (;;) {
					const { body } = await call(
						big,
						bigToken,
						`/customer/profiles?offset=${offset}&count=500`,
					);
					body.profiles.forEach((p) => seen.add(p.id));
					offset += body.pagination_info.count;
					if (offset >= body.pagination_info.total) break;
				}
				assert.equal(seen.size, 1200);
				const emails = new Set([...big.state.profiles.values()].map((p) => p.email));
				assert.equal(emails.size, 1200);
			} finally {
				await big.close();
			}
		});
	});

	describe('customer profiles v1', () => {
		it('shares the store but speaks v1: full_name only, 200 for existing, no lock', async () => {
			const existing = firstProfile();
			const got = await get(`/v1/customer/profiles/${existing.id}`);
			assert.equal(got.status, 200);
			assertShape('FakeProfileV1', got.body);
			assert.equal(got.body.first_name, undefined);
			assert.equal(got.body.full_name, existing.full_name);

			const again = await send('POST', '/v1/customer/profiles', { email: existing.email });
			assert.equal(again.status, 200);
			assert.equal(again.body.id, existing.id);
			const made = await send('POST', '/v1/customer/profiles', {
				email: 'v1.person@example.com',
				full_name: 'Vee One',
				extended_attributes: { source: { data_type: 'string', value: 'pos' } },
			});
			assert.equal(made.status, 201);
			assert.equal((await get(`/customer/profiles/${made.body.id}`)).body.full_name, 'Vee One');

			const names = await send('POST', '/v1/customer/profiles', {
				email: 'n@example.com',
				first_name: 'N',
			});
			assert.equal(names.status, 400);
			assert.equal(names.body.error_code, 'bad_request');
			const phone = await send('POST', '/v1/customer/profiles', {
				email: 'p@example.com',
				phone_number: '0151 1234',
			});
			assert.equal(phone.status, 400);
			assert.match(phone.body.message, /phone_number/);

			const patched = await send('PATCH', `/v1/customer/profiles/${made.body.id}`, {
				full_name: 'Vee Two',
			});
			assert.equal(patched.status, 200);
			assert.equal(patched.body.full_name, 'Vee Two');
			const list = await get('/v1/customer/profiles?q=vee&count=5');
			assert.deepEqual(
				list.body.profiles.map((p) => p.id),
				[made.body.id],
			);
			const addresses = await send('POST', `/v1/customer/profiles/${made.body.id}/addresses`, {
				country_code: 'US',
			});
			assert.equal(addresses.status, 201);
			const patchAddress = await send(
				'PATCH',
				`/v1/customer/profiles/${made.body.id}/addresses/${addresses.body.id}`,
				{ city: 'Austin' },
			);
			assert.equal(patchAddress.status, 200);
		});
	});

	describe('event stream', () => {
		let receiver;
		before(async () => {
			receiver = await startReceiver();
		});
		after(() => receiver.close());
		beforeEach(() => {
			receiver.received.length = 0;
		});

		const register = (id, extra = {}) =>
			send('POST', '/api/v1/org/integrations/eventstream', {
				id,
				integration_type: 'permanent',
				callback_parameters: { callback_url: `${receiver.url}/hook/${id}`, api_key: `key-${id}` },
				...extra,
			});

		it('registers and starts, lists, stops, starts and deletes integrations', async () => {
			const made = await register('n8n-wf-1');
			assert.equal(made.status, 201);
			assert.equal(made.body.status, 'running');
			assertShape('FakeIntegration', made.body);
			assert.equal((await register('n8n-wf-1')).status, 409);

			const one = await get('/api/v1/org/integrations/eventstream/n8n-wf-1');
			assert.deepEqual(
				{ ...one.body, created_at: undefined },
				{
					id: 'n8n-wf-1',
					status: 'running',
					integration_type: 'permanent',
					callback_parameters: {
						callback_url: `${receiver.url}/hook/n8n-wf-1`,
						api_key: 'key-n8n-wf-1',
					},
					created_at: undefined,
				},
			);
			assert.equal((await get('/api/v1/org/integrations/eventstream')).body.integrations.length, 1);
			const stopped = await send('POST', '/api/v1/org/integrations/eventstream/n8n-wf-1/_stop');
			assert.equal(stopped.status, 200);
			assert.equal(stopped.body.status, 'stopped');
			const started = await send(
				'POST',
				'/api/v1/org/integrations/eventstream/n8n-wf-1/_start',
				{},
			);
			assert.equal(started.body.status, 'running');
			assert.equal(
				(await send('DELETE', '/api/v1/org/integrations/eventstream/n8n-wf-1')).status,
				204,
			);
			assert.equal((await get('/api/v1/org/integrations/eventstream/n8n-wf-1')).status, 404);
			assert.equal(
				(await send('POST', '/api/v1/org/integrations/eventstream', { id: 'x' })).status,
				400,
			);
			assert.equal(fake.violations.length, 1);
		});

		it('delivers emit() events to running integrations only, with Bearer api_key', async () => {
			await register('a');
			await register('b');
			await send('POST', '/api/v1/org/integrations/eventstream/b/_stop');
			const results = await fake.emit('order.created', { id: 'o-1', external_id: 'WEB-1' });
			assert.deepEqual(results, [{ integrationId: 'a', status: 200 }]);
			assert.equal(receiver.received.length, 1);
			const delivery = receiver.received[0];
			assert.equal(delivery.path, '/hook/a');
			assert.equal(delivery.headers.authorization, 'Bearer key-a');
			assert.match(delivery.headers['content-type'], /application\/json/);
			assert.deepEqual(Object.keys(delivery.body).sort(), [
				'name',
				'payload',
				'published_at',
				'tenant',
			]);
			assert.equal(delivery.body.tenant, 'acme');
			assert.equal(delivery.body.name, 'order.created');
			assert.match(delivery.body.published_at, ISO_MS);
			assert.deepEqual(delivery.body.payload, { id: 'o-1', external_id: 'WEB-1' });
			assert.equal(fake.state.deliveries.length, 1);
			assert.equal(fake.state.deliveries[0].status, 200);
		});

		it('reports unreachable callbacks and enforces the 25-integration limit', async () => {
			await send('POST', '/api/v1/org/integrations/eventstream', {
				id: 'dead',
				integration_type: 'permanent',
				callback_parameters: { callback_url: 'http://127.0.0.1:9/none', api_key: 'k' },
			});
			const [result] = await fake.emit('order.opened', {});
			assert.equal(result.status, null);
			assert.equal(typeof result.error, 'string');
			for (let i = 1; i < 25; i++) assert.equal((await register(`wf-${i}`)).status, 201);
			const over = await register('wf-25');
			assert.equal(over.status, 409);
			assert.match(over.body.message, /25/);
		});
	});

	describe('seed and reset', () => {
		it('seeds deterministically: same seed, same data; different seed, different data', async () => {
			const [a, b, c] = await Promise.all([
				startFakeNewStore({ seed: 11 }),
				startFakeNewStore({ seed: 11 }),
				startFakeNewStore({ seed: 12 }),
			]);
			try {
				const ids = (f) => [...f.state.profiles.keys(), ...f.state.orders.keys()];
				assert.deepEqual(ids(a), ids(b));
				assert.notDeepEqual(ids(a), ids(c));
				assert.equal(a.state.profiles.size, 30);
				assert.equal(a.state.orders.size, 10);
				assert.equal(new Set([...a.state.orders.values()].map((o) => o.customer.id)).size, 4);
				assert.ok([...a.state.addresses.values()].some((list) => list.length > 0));
				assert.equal(a.state.integrations.size, 0);
				assert.equal(
					new Set([...a.state.stock.values()].map((s) => s.fulfillment_node_id)).size,
					3,
				);
			} finally {
				await Promise.all([a.close(), b.close(), c.close()]);
			}
		});

		it('reset() restores the seed and keeps tokens unless asked', async () => {
			await send('POST', '/v0/d/fulfill_order', orderPayload());
			await send('POST', '/customer/profiles', { email: 'temp@example.com' });
			assert.equal(fake.state.orders.size, 11);
			fake.reset();
			assert.equal(fake.state.orders.size, 10);
			assert.equal(fake.state.profiles.size, 30);
			assert.equal(fake.log.length, 0);
			assert.equal((await get('/customer/profiles?count=1')).status, 200);
			fake.reset({ tokens: true });
			assert.equal((await get('/customer/profiles?count=1')).status, 403);
			token = (await requestToken(fake)).body.access_token;
		});

		it('seeded orders, profiles and notes match the spec shapes', async () => {
			for (const order of fake.state.orders.values()) {
				assertShape(
					'SalesOrderDetailResponse',
					(await get(`/v0/orders/${order.id}?id_type=internal`)).body,
				);
				assertShape(
					'OrderFulfillmentRequestsResponse',
					(await get(`/v0/fulfillment_requests/${order.id}`)).body,
				);
			}
			assertShape('ListProfilesResponse', (await get('/customer/profiles?count=30')).body);
			assert.deepEqual(fake.violations, []);
		});
	});
});
