'use strict';
// Every Pax8 operation, run through n8n's engine against the fake Pax8, which checks each
// request against Pax8's OpenAPI documents (fake.violations must stay empty).
const test = require('node:test');
const assert = require('node:assert/strict');
const { setup, all, rl, ok, apiRequests } = require('./pax8-helpers.cjs');

let env;
test.before(async () => {
	env = await setup({ counts: { companies: 450 } });
});
test.after(async () => env.fake.close());
test.afterEach(() => assert.deepEqual(env.fake.violations, [], 'every request matches the Pax8 spec'));

const companyIds = () => all(env.fake.state.companies).map((c) => c.id);
const someSubscription = () => all(env.fake.state.subscriptions).find((s) => s.status === 'Active');

test('company: Get Many returns all 450 companies over three pages of 200', async () => {
	const before = apiRequests(env.fake).length;
	const out = ok(await env.run({ resource: 'company', operation: 'getAll', returnAll: true, simplify: false }));
	assert.equal(out.length, 450);
	assert.equal(new Set(out.map((c) => c.id)).size, 450, 'no duplicates across pages');
	const pages = apiRequests(env.fake).slice(before);
	assert.equal(pages.length, 3);
	assert.deepEqual(pages.map((r) => Number(r.query.size)), [200, 200, 200]);
});

test('company: Limit stops requesting once enough items arrived', async () => {
	const before = apiRequests(env.fake).length;
	const out = ok(await env.run({ resource: 'company', operation: 'getAll', returnAll: false, limit: 7 }));
	assert.equal(out.length, 7);
	const sent = apiRequests(env.fake).slice(before);
	assert.equal(sent.length, 1);
	assert.equal(Number(sent[0].query.size), 7);
	const simplified = ['city', 'country', 'externalId', 'id', 'name', 'phone', 'stateOrProvince', 'status', 'updatedDate', 'website'];
	assert.ok(Object.keys(out[0]).every((k) => simplified.includes(k)), 'Simplify keeps the chosen fields');
	assert.ok(out[0].id && out[0].name && out[0].city, 'address flattened');
});

test('company: filters and sort go to the API', async () => {
	const before = apiRequests(env.fake).length;
	const out = ok(
		await env.run({
			resource: 'company',
			operation: 'getAll',
			returnAll: true,
			simplify: false,
			filters: { status: 'Active', selfServiceAllowed: false },
			sort: { field: 'name', direction: 'desc' },
		}),
	);
	const sent = apiRequests(env.fake).slice(before)[0];
	assert.equal(sent.query.status, 'Active');
	assert.equal(sent.query.selfServiceAllowed, 'false');
	assert.equal(sent.query.sort, 'name,desc');
	assert.ok(out.length > 0 && out.every((c) => c.status === 'Active' && c.selfServiceAllowed === false));
	const names = out.map((c) => c.name);
	assert.deepEqual(names, [...names].sort((a, b) => b.localeCompare(a)));
});

test('company: Create, Get and Update', async () => {
	const [created] = ok(
		await env.run({
			resource: 'company',
			operation: 'create',
			name: 'Acme Test Ltd',
			phone: '303-555-0100',
			website: 'https://acme.example',
			street: '1 Main St',
			city: 'Denver',
			postalCode: '80202',
			country: 'us',
			billOnBehalfOfEnabled: true,
			additionalFields: { externalId: 'ACME-1', stateOrProvince: 'CO' },
		}),
	);
	assert.ok(created.id);
	assert.equal(created.status, 'Inactive', 'no contacts yet');
	assert.equal(created.address.country, 'US', 'country code upper-cased');
	const [got] = ok(await env.run({ resource: 'company', operation: 'get', companyId: rl(created.id), simplify: true }));
	assert.equal(got.name, 'Acme Test Ltd');
	assert.equal(got.city, 'Denver', 'Simplify flattens the address');
	const [updated] = ok(
		await env.run({ resource: 'company', operation: 'update', companyId: rl(created.id), updateFields: { phone: '303-555-0199', city: 'Boulder' } }),
	);
	assert.equal(updated.phone, '303-555-0199');
	assert.equal(updated.address.city, 'Boulder');
	const patch = apiRequests(env.fake).filter((r) => r.method === 'PATCH').pop();
	assert.deepEqual(patch.body, { phone: '303-555-0199', address: { city: 'Boulder' } });
});

test('company: Create with contacts starts Active', async () => {
	const contacts = [
		{ firstName: 'Ann', lastName: 'Lee', email: 'ann@acme.example', phone: '555-0100', types: [{ type: 'Admin', primary: true }, { type: 'Billing', primary: true }, { type: 'Technical', primary: true }] },
	];
	const [created] = ok(
		await env.run({
			resource: 'company',
			operation: 'create',
			name: 'Contacts Inc',
			phone: '555-0100',
			website: 'https://contacts.example',
			street: '2 Side St',
			city: 'Austin',
			postalCode: '73301',
			country: 'US',
			additionalFields: { contacts: JSON.stringify(contacts) },
		}),
	);
	assert.equal(created.status, 'Active');
});

test('contact: Create, Get, Get Many, Update (merge) and Delete', async () => {
	const companyId = companyIds()[3];
	const [created] = ok(
		await env.run({
			resource: 'contact',
			operation: 'create',
			companyId: rl(companyId),
			firstName: 'Bo',
			lastName: 'Chen',
			email: 'bo@example.com',
			phone: '555-0101',
			types: ['Billing'],
			primaryFor: ['Admin'],
		}),
	);
	assert.deepEqual(
		created.types.map((t) => `${t.type}:${t.primary}`).sort(),
		['Admin:true', 'Billing:false'],
	);
	const [got] = ok(await env.run({ resource: 'contact', operation: 'get', companyId: rl(companyId), contactId: created.id }));
	assert.equal(got.email, 'bo@example.com');
	const list = ok(await env.run({ resource: 'contact', operation: 'getAll', companyId: rl(companyId), returnAll: true }));
	assert.ok(list.some((c) => c.id === created.id));
	const [updated] = ok(
		await env.run({ resource: 'contact', operation: 'update', companyId: rl(companyId), contactId: created.id, updateFields: { lastName: 'Chen-Li' } }),
	);
	assert.equal(updated.lastName, 'Chen-Li');
	assert.equal(updated.email, 'bo@example.com', 'unchanged fields kept');
	assert.equal(updated.types.length, 2, 'types kept');
	const [deleted] = ok(await env.run({ resource: 'contact', operation: 'delete', companyId: rl(companyId), contactId: created.id }));
	assert.deepEqual(deleted, { deleted: true });
});

test('product: Get Many with search, Get, Dependencies, Pricing, Provisioning Details', async () => {
	const products = all(env.fake.state.products);
	const target = products.find((p) => p.requiresCommitment) ?? products[0];
	const found = ok(await env.run({ resource: 'product', operation: 'getAll', returnAll: true, filters: { search: target.name } }));
	assert.ok(found.some((p) => p.id === target.id));
	const [one] = ok(await env.run({ resource: 'product', operation: 'get', productId: rl(target.id), simplify: false }));
	assert.equal(one.id, target.id);
	const [deps] = ok(await env.run({ resource: 'product', operation: 'getDependencies', productId: rl(target.id) }));
	assert.ok(Array.isArray(deps.commitmentDependencies));
	const pricing = ok(
		await env.run({ resource: 'product', operation: 'getPricing', productId: rl(target.id), pricingOptions: { companyId: companyIds()[0] } }),
	);
	assert.ok(pricing.length >= 1 && pricing.every((p) => Array.isArray(p.rates)));
	const pricingReq = apiRequests(env.fake).filter((r) => r.path.endsWith('/pricing')).pop();
	assert.equal(pricingReq.query.companyId, companyIds()[0]);
	const details = ok(await env.run({ resource: 'product', operation: 'getProvisioningDetails', productId: rl(target.id) }));
	assert.ok(Array.isArray(details));
});

/** A product without commitment and its provisioning keys, for orders. */
async function orderableProduct() {
	const products = all(env.fake.state.products).filter((p) => !p.requiresCommitment);
	const product = products[0];
	const details = ok(await env.run({ resource: 'product', operation: 'getProvisioningDetails', productId: rl(product.id) }));
	const provisioning = {};
	for (const d of details) provisioning[d.key] = d.possibleValues?.[0] ?? 'value-1';
	return { product, provisioning };
}

test('order: Validate Only stores nothing; Create stores the order once', async () => {
	const { product, provisioning } = await orderableProduct();
	const companyId = companyIds()[1];
	const ordersBefore = all(env.fake.state.orders).length;
	const params = {
		resource: 'order',
		operation: 'create',
		companyId: rl(companyId),
		lineItemsInput: 'fields',
		lineItems: { lineItem: [{ productId: product.id, quantity: 3, billingTerm: 'Monthly', provisioningDetails: JSON.stringify(provisioning), lineItemNumber: 0, parentLineItemNumber: 0 }] },
	};
	const [mock] = ok(await env.run({ ...params, validateOnly: true }));
	assert.equal(all(env.fake.state.orders).length, ordersBefore, 'isMock stores nothing');
	assert.equal(apiRequests(env.fake).filter((r) => r.method === 'POST' && r.path.endsWith('/orders')).pop().query.isMock, 'true');
	assert.ok(mock.lineItems);
	const [order] = ok(await env.run({ ...params, validateOnly: false }));
	assert.equal(all(env.fake.state.orders).length, ordersBefore + 1);
	assert.equal(order.companyId, companyId);
	const sent = apiRequests(env.fake).filter((r) => r.method === 'POST' && r.path.endsWith('/orders')).pop();
	assert.deepEqual(sent.body.lineItems[0].provisioningDetails, Object.entries(provisioning).map(([key, v]) => ({ key, values: [String(v)] })));
	assert.equal(sent.body.lineItems[0].lineItemNumber, 1);
	const [got] = ok(await env.run({ resource: 'order', operation: 'get', orderId: order.id }));
	assert.equal(got.orderedBy, 'Pax8 Partner', '"Pax8Partner" on the wire is normalised');
	const list = ok(await env.run({ resource: 'order', operation: 'getAll', returnAll: true, filters: { companyId } }));
	assert.ok(list.some((o) => o.id === order.id) && list.every((o) => o.companyId === companyId));
});

test('order: line items as JSON, and 422 from Pax8 surfaces its details', async () => {
	const committed = all(env.fake.state.products).find((p) => p.requiresCommitment);
	const result = await env.run({
		resource: 'order',
		operation: 'create',
		companyId: rl(companyIds()[2]),
		lineItemsInput: 'json',
		lineItemsJson: JSON.stringify([{ productId: committed.id, quantity: 1, billingTerm: 'Annual' }]),
		validateOnly: true,
	});
	assert.equal(result.status, 'error');
	assert.equal(result.error.httpCode, '422');
	assert.match(result.error.message + (result.error.description ?? ''), /commitment/i);
});

test('subscription: Get Many with filters, Get (commitment normalised), History, Update, Cancel', async () => {
	const sample = someSubscription();
	const quantity = sample.quantity;
	const list = ok(
		await env.run({
			resource: 'subscription',
			operation: 'getAll',
			returnAll: true,
			simplify: false,
			filters: { status: 'Active', companyId: sample.companyId },
			sort: { field: 'quantity', direction: 'asc' },
		}),
	);
	assert.ok(list.length >= 1 && list.every((s) => s.status === 'Active' && s.companyId === sample.companyId));
	const [got] = ok(await env.run({ resource: 'subscription', operation: 'get', subscriptionId: rl(sample.id), simplify: false }));
	assert.deepEqual(got.commitmentTerm, got.commitment, 'both names filled');
	const [updated] = ok(
		await env.run({ resource: 'subscription', operation: 'update', subscriptionId: rl(sample.id), updateFields: { quantity: quantity + 2 } }),
	);
	assert.equal(updated.quantity, quantity + 2);
	const history = ok(await env.run({ resource: 'subscription', operation: 'getHistory', subscriptionId: rl(sample.id) }));
	assert.ok(history.length >= 1);
	const [cancelled] = ok(
		await env.run({ resource: 'subscription', operation: 'cancel', subscriptionId: rl(sample.id), cancelDate: '2031-01-31T00:00:00Z' }),
	);
	assert.deepEqual(cancelled, { cancelled: true, id: sample.id });
	const cancelReq = apiRequests(env.fake).filter((r) => r.method === 'DELETE').pop();
	assert.equal(cancelReq.query.cancelDate, '2031-01-31T00:00:00Z');
});

test('invoice: Get Many with date filters in any ISO form, Get, Items, Draft Items', async () => {
	const before = apiRequests(env.fake).length;
	const invoices = ok(
		await env.run({
			resource: 'invoice',
			operation: 'getAll',
			returnAll: true,
			filters: { invoiceDateRangeStart: '2000-01-01T00:00:00.000+02:00', invoiceDateRangeEnd: '2099-12-31' },
			sort: { field: 'invoiceDate', direction: 'desc' },
		}),
	);
	const sent = apiRequests(env.fake)[before];
	assert.equal(sent.query.invoiceDateRangeStart, '2000-01-01');
	assert.equal(sent.query.invoiceDateRangeEnd, '2099-12-31');
	assert.ok(invoices.length > 0);
	const [invoice] = ok(await env.run({ resource: 'invoice', operation: 'get', invoiceId: invoices[0].id }));
	assert.equal(invoice.id, invoices[0].id);
	const items = ok(await env.run({ resource: 'invoice', operation: 'getItems', invoiceId: invoice.id, returnAll: true }));
	assert.ok(Array.isArray(items));
	const drafts = ok(await env.run({ resource: 'invoice', operation: 'getDraftItems', monthOffset: 0, returnAll: false, limit: 5 }));
	assert.ok(drafts.length <= 5);
	assert.equal(apiRequests(env.fake).pop().query.monthOffset, '0');
});

test('usage: summaries of a subscription, one summary, its lines for a day', async () => {
	const summaries = all(env.fake.state.usageSummaries);
	const summary = summaries[0];
	const list = ok(await env.run({ resource: 'usageSummary', operation: 'getAll', subscriptionId: rl(summary.subscriptionId), returnAll: true }));
	assert.ok(list.some((s) => s.id === summary.id));
	const [one] = ok(await env.run({ resource: 'usageSummary', operation: 'get', usageSummaryId: summary.id }));
	assert.equal(one.id, summary.id);
	const lines = all(env.fake.state.usageLines).filter((l) => l.usageSummaryId === summary.id);
	const day = lines[0]?.usageDate ?? '2024-01-01';
	const out = ok(await env.run({ resource: 'usageSummary', operation: 'getLines', usageSummaryId: summary.id, usageDate: `${day}T00:00:00`, returnAll: true }));
	assert.equal(out.length, lines.filter((l) => l.usageDate === day).length);
	const sent = apiRequests(env.fake).pop();
	assert.equal(sent.query.usageDate, day);
	assert.ok(sent.query.page !== undefined && sent.query.size !== undefined, 'usage lines are paged although the spec does not say so');
});

test('resource locators: company, product and subscription lists are searchable and paged', async () => {
	const call = (method, filter, paginationToken) =>
		env.run.listSearch({ method, filter, paginationToken });
	const firstPage = await call('searchCompanies');
	assert.equal(firstPage.results.length, 200);
	assert.equal(firstPage.paginationToken, '1', 'more companies on the next page');
	const target = all(env.fake.state.companies)[5];
	const found = await call('searchCompanies', target.name.slice(0, 6));
	assert.ok(found.results.length >= 1);
	assert.ok(found.results.every((r) => r.name.toLowerCase().includes(target.name.slice(0, 6).toLowerCase())));
	const product = all(env.fake.state.products)[0];
	const products = await call('searchProducts', product.name);
	assert.ok(products.results.some((r) => r.value === product.id));
	assert.equal(apiRequests(env.fake).pop().query.search, product.name, 'product search uses the API');
	const subs = await call('searchSubscriptions');
	assert.ok(subs.results.length > 0 && subs.results.every((r) => /^[0-9a-f-]{36}$/.test(r.value)));
});
