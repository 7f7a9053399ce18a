'use strict';

// Tests of the fake Pax8 server itself (test/fakes/pax8.cjs), exercised over real HTTP.

const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startFakePax8 } = require('../fakes/pax8.cjs');

const CREDENTIALS = { clientId: 'cid', clientSecret: 'secret' };
const TOKEN_BODY = {
	client_id: 'cid',
	client_secret: 'secret',
	audience: 'https://api.pax8.com',
	grant_type: 'client_credentials',
};

async function requestToken(fake, body = TOKEN_BODY) {
	const response = await fetch(`${fake.url}/v1/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: await response.json() };
}

/** Call the fake; returns { status, headers, body } (body parsed when JSON). */
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
	return {
		status: response.status,
		headers: response.headers,
		body: text ? JSON.parse(text) : undefined,
	};
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function newCompany(overrides = {}) {
	return {
		name: 'Test Company, Inc',
		address: {
			street: '1 Main St',
			city: 'Denver',
			postalCode: '80202',
			country: 'US',
			stateOrProvince: 'Colorado',
		},
		phone: '303-555-0100',
		website: 'test-company.example',
		billOnBehalfOfEnabled: false,
		selfServiceAllowed: false,
		orderApprovalRequired: false,
		...overrides,
	};
}

const ALL_PRIMARY = [
	{ type: 'Admin', primary: true },
	{ type: 'Billing', primary: true },
	{ type: 'Technical', primary: true },
];

describe('fake Pax8 server', () => {
	let fake;
	let token;

	before(async () => {
		fake = await startFakePax8({ ...CREDENTIALS, seed: 1 });
		token = (await requestToken(fake)).body.access_token;
	});
	after(() => fake.close());
	beforeEach(() => {
		fake.reset();
		fake.latencyMs = 0;
		fake.rateLimit = null;
	});

	describe('token endpoint', () => {
		it('issues opaque bearer tokens for valid JSON credentials', async () => {
			const before = fake.tokenRequests;
			const { status, body } = await requestToken(fake);
			assert.equal(status, 200);
			assert.match(body.access_token, /^p8tok_[0-9a-f]{32}$/);
			assert.equal(body.expires_in, 86400);
			assert.equal(body.token_type, 'Bearer');
			assert.equal(fake.tokenRequests, before + 1);
			assert.ok(fake.issuedTokens.includes(body.access_token));
		});

		it('rejects a wrong secret with access_denied', async () => {
			const { status, body } = await requestToken(fake, { ...TOKEN_BODY, client_secret: 'nope' });
			assert.equal(status, 401);
			assert.deepEqual(body, { error: 'access_denied', error_description: 'Unauthorized' });
			assert.deepEqual(fake.violations, []);
		});

		it('rejects form-encoded token requests (Pax8 documents JSON only)', async () => {
			const response = await fetch(`${fake.url}/v1/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams(TOKEN_BODY).toString(),
			});
			assert.equal(response.status, 415);
			assert.equal(fake.violations.length, 1);
			assert.match(fake.violations[0].errors[0], /Content-Type application\/x-www-form-urlencoded/);
		});
	});

	describe('authentication', () => {
		it('answers 401 with the Pax8 error body without a token', async () => {
			const { status, body } = await call(fake, null, '/v1/companies');
			assert.equal(status, 401);
			assert.equal(body.type, 'UNAUTHORIZED');
			assert.equal(body.status, 401);
			assert.equal(body.instance, '/public/v1/companies');
			assert.equal(typeof body.message, 'string');
		});

		it('answers 401 for tokens invalidated by expireTokens()', async () => {
			const fresh = (await requestToken(fake)).body.access_token;
			assert.equal((await call(fake, fresh, '/v1/products?size=1')).status, 200);
			fake.expireTokens();
			const { status, body } = await call(fake, fresh, '/v1/products?size=1');
			assert.equal(status, 401);
			assert.equal(body.type, 'UNAUTHORIZED');
			token = (await requestToken(fake)).body.access_token;
		});
	});

	describe('partner API', () => {
		it('pages with the Spring envelope and walks all companies', async () => {
			const { status, body } = await call(fake, token, '/v1/companies?page=1&size=10');
			assert.equal(status, 200);
			assert.equal(body.content.length, 10);
			assert.deepEqual(body.page, {
				size: 10,
				totalElements: fake.state.companies.size,
				totalPages: 3,
				number: 1,
			});

			const ids = new Set();
			for (let page = 0; ; page++) {
				const { body: chunk } = await call(fake, token, `/v1/companies?page=${page}&size=10`);
				chunk.content.forEach((c) => ids.add(c.id));
				if (chunk.page.number + 1 >= chunk.page.totalPages) break;
			}
			assert.equal(ids.size, fake.state.companies.size);
			assert.ok([...ids].every((id) => UUID_V4.test(id)));
		});

		it('filters and sorts subscriptions', async () => {
			const expected = [...fake.state.subscriptions.values()].filter(
				(s) => s.status === 'Active',
			).length;
			const { body } = await call(
				fake,
				token,
				'/v1/subscriptions?status=Active&size=200&sort=quantity,desc',
			);
			assert.equal(body.page.totalElements, expected);
			assert.ok(body.content.every((s) => s.status === 'Active'));
			const quantities = body.content.map((s) => s.quantity);
			assert.deepEqual(
				quantities,
				[...quantities].sort((a, b) => b - a),
			);
			assert.deepEqual(fake.violations, []);
		});

		it('returns the wire quirks', async () => {
			const { body } = await call(fake, token, '/v1/subscriptions?size=200');
			const committed = body.content.find((s) => s.commitment);
			assert.ok(committed, 'a subscription with commitment');
			assert.deepEqual(Object.keys(committed.commitment), ['id', 'term', 'endDate']);
			assert.ok(
				body.content.some((s) => /[+-]\d{4}$/.test(s.createdDate)),
				'offset without colon',
			);
			const order = (await call(fake, token, '/v1/orders?size=200')).body.content.find(
				(o) => o.orderedBy === 'Pax8Partner',
			);
			assert.ok(order, 'GET order with orderedBy "Pax8Partner"');
			const invoice = (await call(fake, token, '/v1/invoices?size=1')).body.content[0];
			assert.equal(typeof invoice.status, 'string');
			const items = (await call(fake, token, `/v1/invoices/${invoice.id}/items?size=5`)).body
				.content;
			assert.ok(items.every((i) => /^[A-Z]/.test(i.rateType)));
		});

		it('ignores unknown query parameters like Pax8', async () => {
			const { status, body } = await call(fake, token, '/v1/orders?status=Active&size=1');
			assert.equal(status, 200);
			assert.equal(body.page.totalElements, fake.state.orders.size);
			assert.deepEqual(fake.violations, []);
			assert.equal(fake.requests.at(-1).query.status, 'Active');
		});

		it('creates a company Inactive and activates it once primary contacts exist', async () => {
			const created = await call(fake, token, '/v1/companies', {
				method: 'POST',
				body: newCompany(),
			});
			assert.equal(created.status, 200);
			assert.equal(created.body.status, 'Inactive');
			assert.match(created.body.id, UUID_V4);

			const contact = await call(fake, token, `/v1/companies/${created.body.id}/contacts`, {
				method: 'POST',
				body: {
					firstName: 'Jane',
					lastName: 'Doe',
					email: 'jane@test-company.example',
					phone: '303-555-0101',
					types: ALL_PRIMARY,
				},
			});
			assert.equal(contact.status, 200);
			assert.equal(contact.body.phoneNumber, '3035550101');
			assert.equal(
				(await call(fake, token, `/v1/companies/${created.body.id}`)).body.status,
				'Active',
			);

			const withContacts = await call(fake, token, '/v1/companies', {
				method: 'POST',
				body: newCompany({
					name: 'With Contacts LLC',
					contacts: [
						{
							firstName: 'Ann',
							lastName: 'Lee',
							email: 'ann@with.example',
							phone: '303-555-0102',
							types: ALL_PRIMARY,
						},
					],
				}),
			});
			assert.equal(withContacts.body.status, 'Active');
			assert.equal(fake.state.contacts.get(withContacts.body.id).length, 1);

			const removed = await call(
				fake,
				token,
				`/v1/companies/${created.body.id}/contacts/${contact.body.id}`,
				{ method: 'DELETE' },
			);
			assert.equal(removed.status, 204);
			assert.equal(fake.state.companies.get(created.body.id).status, 'Inactive');
			assert.deepEqual(fake.violations, []);
		});

		it('answers 404 with the Pax8 message and 400 for a malformed id', async () => {
			const missing = '3d0617ac-57f6-40e3-951d-e91da47a326b';
			const notFound = await call(fake, token, `/v1/companies/${missing}`);
			assert.equal(notFound.status, 404);
			assert.equal(notFound.body.message, `Company Not Found: ${missing}`);
			assert.equal((await call(fake, token, '/v1/companies/not-a-uuid')).status, 400);
		});
	});

	describe('orders', () => {
		let companyId;
		let order;

		before(() => {
			companyId = [...fake.state.companies.values()].find((c) => c.status === 'Active').id;
			const product = [...fake.state.products.values()].find(
				(p) => p.name === 'Microsoft 365 Business Basic',
			);
			const meta = fake.state.productMeta.get(product.id);
			order = {
				companyId,
				orderedBy: 'Pax8 Partner',
				orderedByUserEmail: 'buyer@northstar-it.example',
				lineItems: [
					{
						productId: product.id,
						lineItemNumber: 1,
						quantity: 5,
						billingTerm: 'Monthly',
						commitmentTermId: meta.commitments[0].id,
						provisioningDetails: [
							{ key: 'msCustExists', values: [meta.provisionDetails[0].possibleValues[0]] },
							{ key: 'msDomain', values: ['testcompany'] },
						],
					},
				],
			};
		});

		it('validates only with isMock=true', async () => {
			const orders = fake.state.orders.size;
			const subscriptions = fake.state.subscriptions.size;
			const { status, body } = await call(fake, token, '/v1/orders?isMock=true', {
				method: 'POST',
				body: order,
			});
			assert.equal(status, 200);
			assert.equal(body.companyId, companyId);
			assert.equal(body.lineItems.length, 1);
			assert.equal(body.id, undefined);
			assert.equal(fake.state.orders.size, orders);
			assert.equal(fake.state.subscriptions.size, subscriptions);
		});

		it('stores a real order with one subscription per line item', async () => {
			const orders = fake.state.orders.size;
			const { status, body } = await call(fake, token, '/v1/orders', {
				method: 'POST',
				body: order,
			});
			assert.equal(status, 200);
			assert.equal(fake.state.orders.size, orders + 1);
			const subscription = fake.state.subscriptions.get(body.lineItems[0].subscriptionId);
			assert.equal(subscription.companyId, companyId);
			assert.equal(subscription.commitment.id, order.lineItems[0].commitmentTermId);
			assert.equal(
				(await call(fake, token, `/v1/orders/${body.id}`)).body.orderedBy,
				'Pax8Partner',
			);
			assert.deepEqual(fake.violations, []);
		});

		it('answers 422 with details for missing commitment and provisioning details', async () => {
			const [line] = order.lineItems;
			const bad = {
				...order,
				lineItems: [{ ...line, commitmentTermId: undefined, provisioningDetails: [] }],
			};
			const { status, body } = await call(fake, token, '/v1/orders', { method: 'POST', body: bad });
			assert.equal(status, 422);
			assert.equal(body.type, 'UNPROCESSABLE_ENTITY');
			const messages = body.details.map((d) => d.message).join('\n');
			assert.match(messages, /requires a commitmentTermId/);
			assert.match(messages, /Missing provisioning detail "msDomain"/);
		});

		it('keeps the write when an injected 500 replaces the response (afterHandler)', async () => {
			fake.inject({ method: 'POST', path: '/v1/orders', status: 500, afterHandler: true });
			const orders = fake.state.orders.size;
			const { status, body } = await call(fake, token, '/v1/orders', {
				method: 'POST',
				body: order,
			});
			assert.equal(status, 500);
			assert.equal(body.type, 'INTERNAL_SERVER_ERROR');
			assert.equal(
				fake.state.orders.size,
				orders + 1,
				'the order was stored although the client saw a 500',
			);
		});
	});

	describe('fault injection', () => {
		it('drops the connection without answering', async () => {
			fake.inject({ path: '/v1/products', drop: true });
			await assert.rejects(
				fetch(`${fake.url}/v1/products`, { headers: { authorization: `Bearer ${token}` } }),
			);
			assert.equal(fake.requests.at(-1).dropped, true);
			assert.equal(
				(await call(fake, token, '/v1/products?size=1')).status,
				200,
				'only the next request is dropped',
			);
		});

		it('injects a status with a custom body and headers, `times` times, matching a RegExp', async () => {
			fake.inject({
				path: /^\/v1\/invoices$/,
				times: 2,
				status: 503,
				body: { oops: true },
				headers: { 'retry-after': '1' },
			});
			for (let i = 0; i < 2; i++) {
				const { status, body, headers } = await call(fake, token, '/v1/invoices');
				assert.equal(status, 503);
				assert.deepEqual(body, { oops: true });
				assert.equal(headers.get('retry-after'), '1');
			}
			assert.equal((await call(fake, token, '/v1/invoices')).status, 200);
		});

		it('adds latency', async () => {
			fake.latencyMs = 60;
			const started = Date.now();
			await call(fake, token, '/v1/products?size=1');
			assert.ok(Date.now() - started >= 55);
		});
	});

	describe('rate limit', () => {
		it('answers 429 with Retry-After once the window is used up, not counting token calls', async () => {
			fake.rateLimit = { limit: 3, windowMs: 60000, retryAfter: true };
			for (let i = 0; i < 3; i++)
				assert.equal((await call(fake, token, '/v1/products?size=1')).status, 200);
			assert.equal((await requestToken(fake)).status, 200);
			const { status, body, headers } = await call(fake, token, '/v1/products?size=1');
			assert.equal(status, 429);
			assert.equal(body.type, 'TOO_MANY_REQUESTS');
			assert.ok(Number(headers.get('retry-after')) >= 1);
		});
	});

	describe('spec validation', () => {
		it('records a violation and answers 400 for a request the spec does not allow', async () => {
			const { status, body } = await call(fake, token, '/v1/companies?size=500');
			assert.equal(status, 400);
			assert.equal(body.type, 'BAD_REQUEST');
			assert.match(body.message, /Request does not match the Pax8 API specification/);
			assert.deepEqual(fake.violations, [
				{ method: 'GET', path: '/v1/companies', errors: ['query/size must be <= 200'] },
			]);

			await call(fake, token, '/v1/companies', { method: 'POST', body: { name: 'No address' } });
			assert.equal(fake.violations.length, 2);
			assert.match(fake.violations[1].errors.join(), /body must have required property 'address'/);
			fake.reset();
			assert.deepEqual(fake.violations, []);
		});

		it('accepts the documented errata (sort with direction, paged usage lines)', async () => {
			const summary = fake.state.usageSummaries.values().next().value;
			const usageDate = fake.state.usageLines.get(summary.id)[0].usageDate;
			const lines = await call(
				fake,
				token,
				`/v1/usage-summaries/${summary.id}/usage-lines?usageDate=${usageDate}&page=0&size=2`,
			);
			assert.equal(lines.status, 200);
			assert.equal(lines.body.content.length, 2);
			assert.ok(lines.body.content.every((l) => l.usageDate === usageDate));
			assert.equal((await call(fake, token, '/v1/products?sort=name,desc&size=1')).status, 200);
			assert.equal((await call(fake, token, '/v1/invoices/draftItems?monthOffset=2')).status, 422);
			assert.equal(fake.violations.length, 1, 'monthOffset=2 is outside the spec enum');
		});
	});

	describe('webhooks API v2', () => {
		it('registers a webhook and delivers a test event with the registered Authorization', async () => {
			const received = [];
			const receiver = http.createServer((req, res) => {
				let raw = '';
				req.on('data', (chunk) => (raw += chunk));
				req.on('end', () => {
					received.push({ authorization: req.headers.authorization, body: JSON.parse(raw) });
					res.end('ok');
				});
			});
			await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
			try {
				const url = `http://127.0.0.1:${receiver.address().port}/hook`;
				const created = await call(fake, token, '/api/v2/webhooks', {
					method: 'POST',
					body: {
						displayName: 'n8n',
						url,
						authorization: 'shared-secret',
						active: true,
						webhookTopics: [{ topic: 'INVOICE', filters: [{ action: 'CREATED', conditions: [] }] }],
					},
				});
				assert.equal(created.status, 200);
				assert.equal(created.body.active, true);

				const topics = await call(fake, token, '/api/v2/webhooks/topic-definitions?size=50');
				assert.ok(topics.body.content.some((t) => t.topic === 'INVOICE'));
				assert.equal(typeof topics.body.totalElements, 'number', 'flat page');

				fake.deliverTo = true;
				const test = await call(
					fake,
					token,
					`/api/v2/webhooks/${created.body.id}/topics/INVOICE/test`,
					{ method: 'POST' },
				);
				assert.equal(test.status, 200);
				assert.equal(test.body.url, url);
				assert.equal(received.length, 1);
				assert.equal(received[0].authorization, 'shared-secret');
				assert.equal(received[0].body.webhookId, created.body.id);
				assert.equal(fake.deliveries.at(-1).status, 200);

				await fake.emitEvent('INVOICE', 'CREATED', { id: 'x' });
				assert.equal(received.length, 2);

				assert.equal(
					(await call(fake, token, `/api/v2/webhooks/${created.body.id}`, { method: 'DELETE' }))
						.status,
					204,
				);
				assert.equal((await call(fake, token, `/api/v2/webhooks/${created.body.id}`)).status, 404);
				assert.deepEqual(fake.violations, []);
			} finally {
				fake.deliverTo = false;
				await new Promise((resolve) => receiver.close(resolve));
			}
		});
	});
});

describe('fake Pax8 seed data', () => {
	it('is deterministic for a seed', async () => {
		const [a, b] = await Promise.all([startFakePax8({ seed: 7 }), startFakePax8({ seed: 7 })]);
		try {
			assert.deepEqual([...a.state.companies.keys()], [...b.state.companies.keys()]);
			assert.deepEqual(
				[...a.state.subscriptions.values()].slice(0, 5),
				[...b.state.subscriptions.values()].slice(0, 5),
			);
		} finally {
			await Promise.all([a.close(), b.close()]);
		}
	});

	it('serves 100k subscriptions with Return All in pages of 200', async () => {
		const started = Date.now();
		const fake = await startFakePax8({ seed: 2, counts: { subscriptions: 100000 } });
		try {
			assert.ok(Date.now() - started < 3000, 'generation is fast');
			const token = (await requestToken(fake)).body.access_token;
			let seen = 0;
			for (let page = 0; ; page++) {
				const { body } = await call(fake, token, `/v1/subscriptions?page=${page}&size=200`);
				seen += body.content.length;
				if (body.page.number + 1 >= body.page.totalPages) break;
			}
			assert.equal(seen, 100000);
			assert.deepEqual(fake.violations, []);
		} finally {
			await fake.close();
		}
	});
});
