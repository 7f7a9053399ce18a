'use strict';
// Every NewStore operation through n8n's engine against the fake NewStore, whose requests are
// validated against NewStore's spec (violations fail the test after each case).
const test = require('node:test');
const assert = require('node:assert/strict');
const { setup, rl, ok, apiRequests, h } = require('./newstore-helpers.cjs');

let env;
test.before(async () => {
	env = await setup();
});
test.after(async () => env.fake.close());
test.afterEach(() => assert.deepEqual(env.fake.violations.splice(0), []));

const run = (resource, operation, parameters = {}, options) => env.run({ resource, operation, ...parameters }, options);
const sent = (method, pathPart) => apiRequests(env.fake).filter((r) => r.method === method && r.path.includes(pathPart));
const firstOrder = () => [...env.fake.state.orders.values()][0];
const profiles = () => [...env.fake.state.profiles.values()];

const lineItem = (overrides = {}) => ({
	externalItemId: 'L1',
	productId: 'SKU-1002',
	quantity: 1,
	price: 59.5,
	listPrice: 59.5,
	taxAmount: 4.76,
	taxRate: 0.08,
	taxName: 'Sales tax',
	...overrides,
});

const injectFields = (overrides = {}) => ({
	inputMode: 'fields',
	externalId: 'WEB-5001',
	shop: 'storefront-catalog-en',
	shopLocale: 'en-US',
	channelType: 'web',
	channelName: 'webshop',
	currency: 'USD',
	lineItems: { item: [lineItem({ quantity: 3 }), lineItem({ externalItemId: 'L2', productId: 'SKU-1005', price: 24, listPrice: 24, taxAmount: 1.92 })] },
	serviceLevel: 'GROUND',
	shippingPrice: 5,
	shippingTax: 0.4,
	payments: { payment: [{ type: 'captured', amount: 211.76, method: 'credit_card', processor: 'stripe', processedAt: '2025-06-01T08:00:00Z', correlationRef: 'pay-1' }] },
	shippingAddress: { address: { first_name: 'Ada', last_name: 'Lovelace', address_line_1: '1 Main St', city: 'New York', state: 'NY', zip_code: '10001', country: 'us' } },
	extendedAttributes: { attribute: [{ name: 'campaign', value: 'spring' }] },
	additionalFields: { customer_email: 'ada.lovelace@example.com', customer_name: 'Ada Lovelace', placed_at: '2025-06-01T10:00:00+02:00' },
	...overrides,
});

test('order injection from fields: a quantity becomes one entry per unit; the same payload again returns the same order', async () => {
	const [first] = ok(await run('orderInjection', 'inject', injectFields()));
	assert.equal(first.external_id, 'WEB-5001');
	assert.equal(first.items.length, 4, '3 units of L1 + 1 of L2');
	const body = sent('POST', '/v0/d/fulfill_order').at(-1).body;
	assert.equal(body.shipments[0].items.filter((i) => i.external_item_id === 'L1').length, 3);
	assert.ok(body.shipments[0].items.every((i) => !('quantity' in i)), 'no quantity key on the wire');
	assert.equal(body.shipping_address.country, 'US');
	assert.deepEqual(body.extended_attributes, [{ name: 'campaign', value: 'spring' }]);
	const [again] = ok(await run('orderInjection', 'inject', injectFields()));
	assert.equal(again.id, first.id);
	assert.equal([...env.fake.state.orders.values()].filter((o) => o.external_id === 'WEB-5001').length, 1);
});

test('order injection: changed content under a known external ID is a clear error', async () => {
	ok(await run('orderInjection', 'inject', injectFields({ externalId: 'WEB-5002' })));
	const result = await run('orderInjection', 'inject', injectFields({ externalId: 'WEB-5002', shippingPrice: 9 }));
	assert.match(result.error.message, /external ID "WEB-5002" was already injected with different content/);
	assert.match(result.error.description, /same_order_injection_with_different_data|NewStore said/);
});

test('order injection: bad payloads stop before anything is sent, naming the field and item', async () => {
	const before = sent('POST', '/v0/d/fulfill_order').length;
	const cases = [
		[injectFields({ currency: 'XYZ' }), /currency must be an ISO 4217/],
		[injectFields({ shopLocale: 'en_US' }), /shop_locale/],
		[injectFields({ lineItems: { item: [lineItem({ taxRate: 1.5 })] } }), /rate must be between 0 and 1|Tax Rate/],
		[injectFields({ lineItems: { item: [lineItem({ quantity: 0 })] } }), /quantity/],
		[injectFields({ lineItems: { item: [lineItem({ price: 'abc' })] } }), /Price \(in Line Items\)" must be a number in row 1/],
		[injectFields({ externalId: '' }), /External ID" is required/],
		[{ inputMode: 'json', payload: '{"external_id": "J-1"}' }, /is not valid: (shop|shipments|shop_locale|channel)/],
		[{ inputMode: 'json', payload: '{not json' }, /Order JSON" is not valid JSON/],
		[{ inputMode: 'json', payload: '[1]' }, /Order JSON" must be a JSON object/],
	];
	for (const [parameters, pattern] of cases) {
		const result = await run('orderInjection', 'inject', parameters);
		assert.match(result.error?.message ?? '', pattern, JSON.stringify(parameters).slice(0, 80));
		// An empty required field is refused by n8n itself before the node runs.
		if (!/is required/.test(result.error.message)) assert.match(result.error.message, /\[item 0\]/);
	}
	assert.equal(sent('POST', '/v0/d/fulfill_order').length, before, 'nothing sent');
});

test('order injection from JSON: a 500 after NewStore stored it is retried with the identical payload, one order', async () => {
	const payload = {
		external_id: 'JSON-7001',
		shop: 'storefront-catalog-en',
		shop_locale: 'en-US',
		channel_type: 'web',
		channel_name: 'webshop',
		currency: 'USD',
		shipments: [
			{
				items: [{ external_item_id: 'A', product_id: 'SKU-1001', quantity: 2, price: { item_price: 89, item_list_price: 89, item_tax_lines: [{ amount: 7.12, rate: 0.08, name: 'Tax' }] } }],
				shipping_option: { service_level_identifier: 'GROUND', price: 0, tax: 0 },
			},
		],
	};
	env.fake.inject({ method: 'POST', path: '/v0/d/fulfill_order', status: 500, afterHandler: true });
	const [order] = ok(await run('orderInjection', 'inject', { inputMode: 'json', payload: JSON.stringify(payload), options: { backoffFactor: 0.05 } }));
	const posts = sent('POST', '/v0/d/fulfill_order').filter((r) => r.body.external_id === 'JSON-7001');
	assert.equal(posts.length, 2);
	assert.deepEqual(posts[0].body, posts[1].body, 'identical payload');
	assert.equal(order.items.length, 2);
	assert.equal([...env.fake.state.orders.values()].filter((o) => o.external_id === 'JSON-7001').length, 1);
});

test('orders: get by internal and external ID, get many of a customer 50 at a time', async () => {
	const order = firstOrder();
	const [byUuid] = ok(await run('order', 'get', { idType: 'internal', orderId: order.id, simplify: true }));
	assert.equal(byUuid.origin_id, order.id);
	const [byExternal] = ok(await run('order', 'get', { idType: 'external', orderId: order.external_id, simplify: false }));
	assert.equal(byExternal.origin_id, order.id);
	const customer = order.customer.id;
	const mine = [...env.fake.state.orders.values()].filter((o) => o.customer?.id === customer).length;
	const all = ok(await run('order', 'getAll', { customerId: customer, returnAll: true, simplify: true }));
	assert.equal(all.length, mine);
	const one = ok(await run('order', 'getAll', { customerId: customer, returnAll: false, limit: 1, simplify: true }));
	assert.equal(one.length, 1);
	const last = sent('GET', '/v0/orders').at(-1);
	assert.equal(last.query.count, '1');
	assert.match(String(last.headers.accept), /version=2/);
	const missing = await run('order', 'get', { idType: 'external', orderId: 'NOPE-1' });
	assert.equal(missing.error.httpCode, '404');
});

test('order notes: create, item note, get many (ISO times), update only given fields, delete', async () => {
	const order = firstOrder();
	const [note] = ok(await run('orderNote', 'create', { orderId: order.id, text: 'Called the customer', source: 'n8n', sourceType: 'integration', tags: 'crm, call' }));
	assert.deepEqual(note.tags, ['crm', 'call']);
	assert.match(note.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
	const item = order.items[0].id;
	const [itemNote] = ok(await run('orderNote', 'createItemNote', { orderId: order.id, itemId: item, text: 'Scratched', source: 'n8n', sourceType: 'user', tags: '' }));
	assert.equal(itemNote.item_id, item);
	const notes = ok(await run('orderNote', 'getAll', { orderId: order.id, returnAll: true }));
	assert.ok(notes.some((n) => n.id === note.id) && notes.some((n) => n.id === itemNote.id));
	assert.equal(ok(await run('orderNote', 'getAll', { orderId: order.id, returnAll: false, limit: 1 })).length, 1);
	const [updated] = ok(await run('orderNote', 'update', { orderId: order.id, noteId: note.id, updateFields: { text: 'Called twice' } }));
	assert.equal(updated.text, 'Called twice');
	assert.deepEqual(updated.tags, ['crm', 'call']);
	assert.deepEqual(sent('PATCH', '/notes/').at(-1).body, { text: 'Called twice' });
	const [deleted] = ok(await run('orderNote', 'delete', { orderId: order.id, noteId: note.id }));
	assert.deepEqual(deleted, { deleted: true, id: note.id });
	const tooLong = await run('orderNote', 'create', { orderId: order.id, text: 'x'.repeat(4001), source: 'n8n', sourceType: 'user', tags: '' });
	assert.match(tooLong.error.message, /Parameter "Text" must be at most 4000 characters/);
	const empty = await run('orderNote', 'update', { orderId: order.id, noteId: itemNote.id, updateFields: {} });
	assert.match(empty.error.message, /Update Fields" needs at least one field/);
});

test('customer profile 2.0.0: get-or-create says whether it created, without a second create', async () => {
	const posts = () => sent('POST', '/customer/profiles').filter((r) => /\/customer\/profiles$/.test(r.path)).length;
	const before = posts();
	const [created] = ok(await run('customerProfile', 'create', { apiVersion: '2.0.0', profilesPath: '/customer/profiles', email: 'new.person@example.com', additionalFields: { firstName: 'New', lastName: 'Person', phoneNumber: '+1 (415) 555-0123' }, extendedAttributes: { attribute: [{ name: 'tier', value: '3', dataType: 'number' }] }, simplify: false }));
	assert.equal(created.created, true);
	assert.equal(created.phone_number, '+14155550123');
	assert.deepEqual(created.extended_attributes, { tier: { data_type: 'number', value: '3' } });
	const [again] = ok(await run('customerProfile', 'create', { apiVersion: '2.0.0', profilesPath: '/customer/profiles', email: 'NEW.person@example.com', simplify: true }));
	assert.equal(again.created, false);
	assert.equal(again.id, created.id);
	assert.equal(posts() - before, 1, 'one create');
	const both = await run('customerProfile', 'create', { apiVersion: '2.0.0', profilesPath: '/customer/profiles', email: 'x@example.com', additionalFields: { firstName: 'A', fullName: 'A B' } });
	assert.match(both.error.message, /Full Name \(in Additional Fields\)" cannot be combined with First Name/);
	const phone = await run('customerProfile', 'create', { apiVersion: '2.0.0', profilesPath: '/customer/profiles', email: 'y@example.com', additionalFields: { phoneNumber: '555-0123' } });
	assert.match(phone.error.message, /E\.164/);
});

test('customer profile 2.0.0: get, search with sort, update with last_updated_at, conflicts, deletion request', async () => {
	const target = profiles()[1];
	const [got] = ok(await run('customerProfile', 'get', { profilesPath: '/customer/profiles', profileId: rl(target.id), simplify: true }));
	assert.equal(got.email, target.email);
	const found = ok(await run('customerProfile', 'getAll', { profilesPath: '/customer/profiles', query: target.last_name, sort: { field: 'email', direction: 'desc' }, returnAll: true, simplify: true }));
	assert.ok(found.some((p) => p.id === target.id));
	assert.equal(sent('GET', '/customer/profiles').at(-1).query.sort, 'email|desc');
	const [updated] = ok(await run('customerProfile', 'update', { profilesPath: '/customer/profiles', profileId: rl(target.id), updateFields: { phoneNumber: '+4930123456' }, extendedAttributes: { attribute: [{ name: 'vip', value: 'true', dataType: 'boolean' }] }, simplify: false }));
	assert.equal(updated.phone_number, '+4930123456');
	const patch = sent('PATCH', target.id).at(-1).body;
	assert.equal(patch.last_updated_at, target.updated_at === updated.updated_at ? patch.last_updated_at : patch.last_updated_at);
	assert.ok(patch.last_updated_at, 'sends the time it read');
	// A change between our read and our write: NewStore answers 409, nothing is written.
	env.fake.inject({ method: 'PATCH', path: `/customer/profiles/${target.id}`, status: 409 });
	const conflict = await run('customerProfile', 'update', { profilesPath: '/customer/profiles', profileId: rl(target.id), updateFields: { storeId: 'STORE-X' } });
	assert.match(conflict.error.message, /changed by someone else after it was read \(HTTP 409\)/);
	// A PATCH that landed but whose answer was lost: the retry is refused as stale, and the node sees its change is there.
	env.fake.inject({ method: 'PATCH', path: `/customer/profiles/${target.id}`, status: 500, afterHandler: true });
	const [landed] = ok(await run('customerProfile', 'update', { profilesPath: '/customer/profiles', profileId: rl(target.id), updateFields: { storeId: 'STORE-Y' }, simplify: false, options: { backoffFactor: 0.05 } }));
	assert.equal(landed.store_id, 'STORE-Y');
	const [deletion] = ok(await run('customerProfile', 'requestDeletion', { profilesPath: '/customer/profiles', profileId: rl(target.id) }));
	assert.deepEqual(deletion, { deletionRequested: true, id: target.id });
});

test('customer profile 2.0.0 addresses: create (new, then existing), get many, update, delete', async () => {
	const target = profiles()[4];
	const parameters = { profilesPath: '/customer/profiles', profileId: rl(target.id) };
	const [address] = ok(await run('customerProfile', 'createAddress', { ...parameters, countryCode: 'de', additionalFields: { fullName: 'Grace H', addressLine1: 'Unter den Linden 1', city: 'Berlin', zipCode: '10117' } }));
	assert.equal(address.created, true);
	assert.equal(address.country_code, 'DE');
	const [same] = ok(await run('customerProfile', 'createAddress', { ...parameters, countryCode: 'DE', additionalFields: { fullName: 'Grace H', addressLine1: 'Unter den Linden 1', city: 'Berlin', zipCode: '10117' } }));
	assert.equal(same.created, false);
	assert.equal(same.id, address.id);
	const list = ok(await run('customerProfile', 'getAllAddresses', { ...parameters, returnAll: true }));
	assert.ok(list.some((a) => a.id === address.id));
	const [changed] = ok(await run('customerProfile', 'updateAddress', { ...parameters, addressId: address.id, updateFields: { city: 'Potsdam' } }));
	assert.equal(changed.city, 'Potsdam');
	const [gone] = ok(await run('customerProfile', 'deleteAddress', { ...parameters, addressId: address.id }));
	assert.deepEqual(gone, { deleted: true, id: address.id });
	const bad = await run('customerProfile', 'createAddress', { ...parameters, countryCode: 'Germany' });
	assert.match(bad.error.message, /Country Code" must be a two-letter ISO 3166/);
});

test('customer profile 1.0.0: full name only, typed attributes, created from the status, plain PATCH', async () => {
	const v1 = { apiVersion: '1.0.0', profilesPath: '/v1/customer/profiles' };
	const [created] = ok(await run('customerProfile', 'create', { ...v1, email: 'legacy.user@example.com', additionalFields: { firstName: 'Legacy', lastName: 'User' }, extendedAttributes: { attribute: [{ name: 'loyalty', value: 'gold' }] }, simplify: false }));
	assert.equal(created.created, true);
	const createBody = sent('POST', '/v1/customer/profiles').at(-1).body;
	assert.equal(createBody.full_name, 'Legacy User');
	assert.ok(!('first_name' in createBody));
	assert.deepEqual(createBody.extended_attributes, { loyalty: { data_type: 'string', value: 'gold' } });
	const [again] = ok(await run('customerProfile', 'create', { ...v1, email: 'legacy.user@example.com', simplify: true }));
	assert.equal(again.created, false);
	const [updated] = ok(await run('customerProfile', 'update', { ...v1, profileId: rl(created.id), updateFields: { fullName: 'Legacy U. Ser' }, simplify: true }));
	assert.equal(updated.full_name, 'Legacy U. Ser');
	assert.ok(!('last_updated_at' in sent('PATCH', '/v1/customer/profiles').at(-1).body));
	const badType = await run('customerProfile', 'update', { ...v1, profileId: rl(created.id), updateFields: {}, extendedAttributes: { attribute: [{ name: 'n', value: 'abc', dataType: 'number' }] } });
	assert.match(badType.error.message, /number attribute with the value "abc"/);
});

test('customer profile search: Return All pages by 500 and list search finds profiles', async () => {
	const big = await setup({ profiles: 1200 });
	try {
		const all = ok(await big.run({ resource: 'customerProfile', operation: 'getAll', profilesPath: '/customer/profiles', returnAll: true, simplify: true }));
		assert.equal(all.length, big.fake.state.profiles.size);
		const pages = apiRequests(big.fake).filter((r) => r.path === '/customer/profiles');
		assert.equal(pages.length, Math.ceil(big.fake.state.profiles.size / 500));
		assert.ok(pages.every((r) => r.query.count === '500'));
		const someone = [...big.fake.state.profiles.values()][17];
		const search = await big.run.listSearch({ method: 'searchProfiles', filter: someone.email, parameters: { resource: 'customerProfile', apiVersion: '2.0.0', profilesPath: '/customer/profiles' } });
		assert.ok(search.results.some((r) => r.value === someone.id && r.name.includes(someone.email)));
	} finally {
		await big.fake.close();
	}
});

test('fulfillment requests of an order, stock insights and availability', async () => {
	const order = firstOrder();
	const ffrs = ok(await run('fulfillmentRequest', 'getAll', { orderId: order.id, returnAll: true }));
	assert.ok(ffrs.length >= 1);
	const [stockKey] = [...env.fake.state.stock.keys()];
	const [product, node] = stockKey.split('|');
	const [insight] = ok(await run('inventory', 'getStockInsights', { productId: product, fulfillmentNodeId: node }));
	assert.equal(insight.product_id, product);
	const atp = ok(await run('inventory', 'getAvailability', { productIds: `${product}, SKU-1002`, fulfillmentNodeId: node }));
	assert.deepEqual(atp.map((a) => a.product_id), [product, 'SKU-1002']);
	const tooMany = await run('inventory', 'getAvailability', { productIds: '', fulfillmentNodeId: node });
	assert.match(tooMany.error.message, /Product IDs" is required/);
});

test('event stream integrations: create (key never output), get many, get, stop, start, delete, list search', async () => {
	const [created] = ok(await run('eventStream', 'create', { id: 'erp-orders', callbackUrl: 'https://example.com/hook', apiKey: 'callback-key-SECRET-123', additionalFields: {} }));
	assert.equal(created.callback_parameters.api_key, '[hidden]');
	assert.equal(env.fake.state.integrations.get('erp-orders').callback_parameters.api_key, 'callback-key-SECRET-123');
	const list = ok(await run('eventStream', 'getAll', { returnAll: true }));
	assert.ok(list.some((i) => i.id === 'erp-orders') && !JSON.stringify(list).includes('SECRET-123'));
	const [stopped] = ok(await run('eventStream', 'stop', { integrationId: rl('erp-orders') }));
	assert.ok(!JSON.stringify(stopped).includes('SECRET-123'));
	assert.equal(env.fake.state.integrations.get('erp-orders').status, 'stopped');
	ok(await run('eventStream', 'start', { integrationId: rl('erp-orders') }));
	const [got] = ok(await run('eventStream', 'get', { integrationId: rl('erp-orders') }));
	assert.equal(got.status, 'running');
	const search = await env.run.listSearch({ method: 'searchIntegrations', filter: 'erp' });
	assert.deepEqual(search.results.map((r) => r.value), ['erp-orders']);
	const [deleted] = ok(await run('eventStream', 'delete', { integrationId: rl('erp-orders') }));
	assert.equal(deleted.deleted, true);
	assert.equal(env.fake.state.integrations.has('erp-orders'), false);
	const badUrl = await run('eventStream', 'create', { id: 'x', callbackUrl: 'not a url', apiKey: 'k', additionalFields: {} });
	assert.match(badUrl.error.message, /Callback URL" must be an http\(s\) URL/);
});

test('continue on fail: a bad item becomes its own error item, paired; the others go on', async () => {
	const order = firstOrder();
	const items = [{ json: { id: order.id } }, { json: { id: 'has space' } }, { json: { id: order.id } }];
	const result = await run('fulfillmentRequest', 'getAll', { orderId: '={{ $json.id }}', returnAll: true }, { items, continueOnFail: true });
	assert.equal(result.status, 'success');
	const errors = result.items.filter((i) => i.json.error);
	assert.equal(errors.length, 1);
	assert.match(errors[0].json.error, /Order ID" must be an ID without spaces, got "has space" \[item 1\]/);
	assert.deepEqual(errors[0].pairedItem, { item: 1 });
	assert.ok(result.items.filter((i) => !i.json.error).every((i) => i.pairedItem.item === 0 || i.pairedItem.item === 2));
});

test('the node describes every resource with its operations, and Customer Profile has an API Version with the newest default', () => {
	const description = h.nodeTypes.getByName(h.fullTypeOf('newStore')).description;
	const version = description.properties.find((p) => p.name === 'apiVersion');
	assert.equal(version.default, '2.0.0');
	assert.deepEqual(version.options.map((o) => o.value), ['2.0.0', '1.0.0']);
	assert.deepEqual(version.displayOptions.show.resource, ['customerProfile']);
	const resources = description.properties.find((p) => p.name === 'resource').options.map((o) => o.value);
	assert.deepEqual(resources.sort(), ['customerProfile', 'eventStream', 'fulfillmentRequest', 'inventory', 'order', 'orderInjection', 'orderNote']);
});
