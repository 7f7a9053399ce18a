'use strict';
// The fault matrix's NewStore cases: 500 operations. Each case works on its own records (orders,
// profiles) so that concurrent executions never read what another one writes.
const assert = require('node:assert/strict');
const { rl } = require('./newstore-helpers.cjs');

/** 1,200 profiles: a Return All search reads them in 3 pages of 500. */
const PROFILES = 1200;
const V2 = { apiVersion: '2.0.0', profilesPath: '/customer/profiles' };

/**
 * Before the run (`prepare`): orders 5–9 get a note and profiles 400–458 an address, so that
 * listing them gives items.
 */
async function prepare(run, fake) {
	const items = (list) => list.map((json) => ({ json }));
	const orders = [...fake.state.orders.values()].slice(5, 10);
	const noted = await run(
		{ resource: 'orderNote', operation: 'create', orderId: '={{ $json.id }}', text: 'listed note', source: 'n8n', sourceType: 'user', tags: '' },
		{ items: items(orders.map((o) => ({ id: o.id }))) },
	);
	assert.equal(noted.status, 'success');
	const profiles = [...fake.state.profiles.values()].slice(400, 459);
	const addressed = await run(
		{ resource: 'customerProfile', operation: 'createAddress', ...V2, profileId: rl('={{ $json.id }}'), countryCode: 'US', additionalFields: { fullName: 'Listed Address', city: 'Austin' } },
		{ items: items(profiles.map((p) => ({ id: p.id }))) },
	);
	assert.equal(addressed.status, 'success');
}

function newStoreCases(fake, options) {
	const state = fake.state;
	const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));
	const run = (parameters) => ({ ...parameters, options: options(parameters.options) });
	const orders = [...state.orders.values()];
	const profiles = [...state.profiles.values()];
	assert.ok(orders.length >= 10 && profiles.length >= 1000, 'seed large enough');
	const seededEmails = new Set(profiles.map((p) => p.email));
	const notesOf = (orderId) => [...state.notes.values()].filter((n) => n.order_id === orderId);

	const profileGet = {
		name: 'customerProfile.get',
		kind: 'read',
		single: true,
		parameters: run({ resource: 'customerProfile', operation: 'get', ...V2, profileId: rl('={{ $json.id }}'), simplify: false }),
		inputs: profiles.slice(0, 160).map((p) => ({ id: p.id })),
		checkOk: (json, input) => {
			const stored = state.profiles.get(input.id);
			assert.deepEqual([json.id, json.email, json.full_name, json.updated_at], [stored.id, stored.email, stored.full_name, stored.updated_at]);
		},
	};
	const searchIds = profiles.filter((p) => p.email.includes('example.com')).map((p) => p.id);
	// Each search sorted its own way (never by a field the writes change): distinct requests.
	const sorts = [['', 'asc'], ['created_at', 'asc'], ['created_at', 'desc'], ['email', 'asc'], ['email', 'desc'], ['full_name', 'asc']];
	const profileSearch = {
		name: 'customerProfile.getAll (Return All, 3 pages)',
		kind: 'read',
		single: false,
		parameters: run({ resource: 'customerProfile', operation: 'getAll', ...V2, query: 'example.com', returnAll: true, simplify: true, sort: { field: '={{ $json.field }}', direction: '={{ $json.direction }}' } }),
		inputs: sorts.map(([field, direction]) => ({ field, direction })),
		checkOk: (list) => {
			assert.equal(list.length, searchIds.length, 'every profile');
			assert.deepEqual(list.map((p) => p.id).sort(), [...searchIds].sort(), 'every profile once');
		},
	};
	const orderGet = {
		name: 'order.get',
		kind: 'read',
		single: true,
		parameters: run({ resource: 'order', operation: 'get', idType: '={{ $json.type }}', orderId: '={{ $json.ref }}', simplify: false }),
		inputs: orders.flatMap((o) => [
			{ type: 'internal', ref: o.id, id: o.id },
			{ type: 'external', ref: o.external_id, id: o.id },
		]),
		checkOk: (json, input) => assert.equal(json.origin_id, input.id),
	};
	const listedOrders = orders.slice(5, 10);
	const noteList = {
		name: 'orderNote.getAll',
		kind: 'read',
		single: false,
		parameters: run({ resource: 'orderNote', operation: 'getAll', orderId: '={{ $json.id }}', returnAll: true }),
		inputs: listedOrders.map((o) => ({ id: o.id })),
		checkOk: (list, input) => assert.deepEqual(list.map((n) => n.id).sort(), notesOf(input.id).map((n) => n.id).sort()),
	};
	// profiles with addresses (see prepare), none of them written during the run
	const addressLists = profiles.slice(400, 459);
	const addressList = {
		name: 'customerProfile.getAllAddresses',
		kind: 'read',
		single: false,
		parameters: run({ resource: 'customerProfile', operation: 'getAllAddresses', ...V2, profileId: rl('={{ $json.id }}'), returnAll: true }),
		inputs: addressLists.map((p) => ({ id: p.id })),
		checkOk: (list, input) => assert.deepEqual(list.map((a) => a.id), state.addresses.get(input.id).map((a) => a.id)),
	};

	// ---- writes
	const injectedOrders = (externalId) => [...state.orders.values()].filter((o) => o.external_id === externalId);
	const inject = {
		name: 'orderInjection.inject',
		kind: 'write-idempotent',
		single: true,
		parameters: run({
			resource: 'orderInjection',
			operation: 'inject',
			inputMode: 'fields',
			externalId: '={{ $json.externalId }}',
			shop: 'storefront-catalog-en',
			shopLocale: 'en-US',
			channelType: 'web',
			channelName: 'webshop',
			currency: 'USD',
			lineItems: {
				item: [{ externalItemId: 'L1', productId: 'SKU-1002', quantity: '={{ $json.quantity }}', price: 59.5, listPrice: 59.5, taxAmount: 4.76, taxRate: 0.08, taxName: 'Sales tax', shipment: 1 }],
			},
			serviceLevel: 'GROUND',
			shippingPrice: 5,
			shippingTax: 0.4,
			payments: { payment: [{ type: 'captured', amount: '={{ $json.amount }}', method: 'credit_card', processor: 'stripe', processedAt: '2025-06-01T08:00:00Z', correlationRef: '={{ $json.externalId }}' }] },
			shippingAddress: { address: { first_name: 'Ada', last_name: 'Lovelace', address_line_1: '1 Main St', city: 'New York', state: 'NY', zip_code: '10001', country: 'US' } },
			additionalFields: { customer_email: 'ada.lovelace@example.com', customer_name: 'Ada Lovelace', placed_at: '2025-06-01T10:00:00+02:00' },
		}),
		inputs: range(60, (i) => {
			const quantity = 1 + (i % 3);
			return { externalId: `FM-ORDER-${i}`, quantity, amount: Math.round((quantity * 64.26 + 5.4) * 100) / 100 };
		}),
		checkOk: (json, input) => {
			assert.equal(json.external_id, input.externalId);
			assert.equal(json.items.length, input.quantity, 'one entry per unit');
		},
		checkState({ oks, write }) {
			const answered = new Map(oks.map((o) => [o.index, o.json.id]));
			inject.inputs.forEach((input, index) => {
				write({ what: `order ${input.externalId}`, stored: injectedOrders(input.externalId), ok: answered.has(index), answeredId: answered.get(index) });
			});
		},
	};
	const notedOrders = orders.slice(0, 5);
	const noteCreate = {
		name: 'orderNote.create',
		kind: 'write-once',
		single: true,
		parameters: run({ resource: 'orderNote', operation: 'create', orderId: '={{ $json.orderId }}', text: '={{ $json.text }}', source: 'n8n', sourceType: 'integration', tags: 'fault-matrix' }),
		inputs: range(50, (i) => ({ orderId: notedOrders[i % notedOrders.length].id, text: `FM note ${i}` })),
		checkOk: (json, input) => assert.equal(json.text, input.text),
		checkState({ oks, write }) {
			const answered = new Map(oks.map((o) => [o.index, o.json.id]));
			noteCreate.inputs.forEach((input, index) => {
				const stored = notesOf(input.orderId).filter((n) => n.text === input.text);
				write({ what: `note "${input.text}"`, stored, ok: answered.has(index), answeredId: answered.get(index) });
			});
		},
	};
	const profilesWith = (email) => [...state.profiles.values()].filter((p) => p.email.toLowerCase() === email.toLowerCase());
	const profileCreate = {
		name: 'customerProfile.create (get or create)',
		kind: 'write-idempotent',
		single: true,
		parameters: run({ resource: 'customerProfile', operation: 'create', ...V2, email: '={{ $json.email }}', additionalFields: { firstName: 'Fault', lastName: '={{ $json.last }}' }, simplify: false }),
		inputs: range(50, (i) => ({ email: `fm-${i}@fault-matrix.test`, last: `Matrix ${i}` })),
		checkOk: (json, input) => {
			assert.equal(json.email, input.email);
			assert.equal(json.created, true, 'new: created');
		},
		checkState({ oks, write }) {
			const answered = new Map(oks.map((o) => [o.index, o.json.id]));
			profileCreate.inputs.forEach((input, index) => {
				assert.ok(!seededEmails.has(input.email));
				write({ what: `profile ${input.email}`, stored: profilesWith(input.email), ok: answered.has(index), answeredId: answered.get(index) });
			});
		},
	};
	const updated = profiles.slice(200, 250);
	const profileUpdate = {
		name: 'customerProfile.update (GET + locked PATCH)',
		kind: 'write-idempotent',
		single: true,
		parameters: run({ resource: 'customerProfile', operation: 'update', ...V2, profileId: rl('={{ $json.id }}'), updateFields: { storeId: '={{ $json.store }}' }, simplify: false }),
		inputs: updated.map((p, i) => ({ id: p.id, store: `FM-STORE-${i}`, email: p.email })),
		checkOk: (json, input) => assert.equal(json.store_id, input.store),
		checkState({ oks, write }) {
			const succeeded = new Set(oks.map((o) => o.index));
			profileUpdate.inputs.forEach((input, index) => {
				const stored = state.profiles.get(input.id);
				write({ what: `profile ${input.id}`, stored: stored.store_id === input.store ? 1 : 0, ok: succeeded.has(index) });
				assert.equal(stored.email, input.email, 'other fields kept');
			});
		},
	};
	const addressed = profiles.slice(300, 340);
	const addressesOf = (profileId, name) => state.addresses.get(profileId).filter((a) => a.full_name === name);
	const addressCreate = {
		name: 'customerProfile.createAddress',
		kind: 'write-once',
		single: true,
		parameters: run({
			resource: 'customerProfile',
			operation: 'createAddress',
			...V2,
			profileId: rl('={{ $json.id }}'),
			countryCode: 'DE',
			additionalFields: { fullName: '={{ $json.name }}', addressLine1: 'Unter den Linden 1', city: 'Berlin', zipCode: '10117' },
		}),
		inputs: addressed.map((p, i) => ({ id: p.id, name: `FM Address ${i}` })),
		checkOk: (json, input) => {
			assert.equal(json.full_name, input.name);
			assert.equal(json.created, true);
		},
		checkState({ oks, write }) {
			const answered = new Map(oks.map((o) => [o.index, o.json.id]));
			addressCreate.inputs.forEach((input, index) => {
				write({ what: `address "${input.name}"`, stored: addressesOf(input.id, input.name), ok: answered.has(index), answeredId: answered.get(index) });
			});
		},
	};
	return [profileGet, profileSearch, orderGet, noteList, addressList, inject, noteCreate, profileCreate, profileUpdate, addressCreate];
}

module.exports = { PROFILES, prepare, newStoreCases };
