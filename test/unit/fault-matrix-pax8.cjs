'use strict';
// The fault matrix's Pax8 cases: 500 operations over seeded data, each case on its own records
// so that concurrent executions never read what another one writes.
const assert = require('node:assert/strict');
const { all, rl } = require('./pax8-helpers.cjs');

/** Seed sizes: enough distinct records for every case, 450 products = 3 pages of 200. */
const COUNTS = { companies: 120, products: 450, subscriptions: 320, invoices: 15 };

function pax8Cases(fake, options) {
	const state = fake.state;
	const companies = all(state.companies);
	const withContacts = companies.filter((c) => (state.contacts.get(c.id) ?? []).length > 0);
	const contacts = withContacts.flatMap((c) => state.contacts.get(c.id).map((contact) => ({ companyId: c.id, contact })));
	const running = (s) => s.commitment?.endDate && Date.parse(s.commitment.endDate) > Date.now();
	const subscriptions = all(state.subscriptions).filter((s) => s.status === 'Active' && !running(s));
	const invoices = all(state.invoices);
	const products = all(state.products);
	const orderable = products.filter((p) => !p.requiresCommitment && !state.productMeta.get(p.id).requires.length && state.productMeta.get(p.id).billingTerms.includes('Monthly'));
	assert.ok(contacts.length >= 120 && subscriptions.length >= 120 && orderable.length >= 5, 'seed large enough');
	const lineItemsFor = (product, quantity) => {
		const meta = state.productMeta.get(product.id);
		const details = meta.provisionDetails.map((d) => ({ key: d.key, values: [String(d.possibleValues?.[0] ?? 'value-1')] }));
		return [{ productId: product.id, quantity, billingTerm: 'Monthly', provisioningDetails: details }];
	};
	const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));
	const run = (parameters) => ({ ...parameters, options: options(parameters.options) });
	const orders = () => all(state.orders);
	const ordersBefore = orders().length;

	const companyCase = {
		name: 'company.get',
		kind: 'read',
		single: true,
		parameters: run({ resource: 'company', operation: 'get', companyId: rl('={{ $json.id }}'), simplify: false }),
		inputs: range(100, (i) => ({ id: companies[i].id })),
		checkOk: (json, input) => assert.deepEqual(json, state.companies.get(input.id), 'company as stored'),
	};
	// Each listing sorted its own way: distinct requests, so each meets its own faults.
	const sorts = [['', 'asc'], ['name', 'asc'], ['name', 'desc'], ['vendor', 'asc'], ['vendor', 'desc']];
	const productsCase = {
		name: 'product.getAll (Return All, 3 pages)',
		kind: 'read',
		single: false,
		parameters: run({ resource: 'product', operation: 'getAll', returnAll: true, simplify: false, sort: { field: '={{ $json.field }}', direction: '={{ $json.direction }}' } }),
		inputs: sorts.map(([field, direction]) => ({ field, direction })),
		checkOk: (list, input) => {
			if (!input.field) assert.deepEqual(list.map((p) => p.id), products.map((p) => p.id), 'every product once, in order');
			assert.deepEqual(list.map((p) => p.id).sort(), products.map((p) => p.id).sort(), 'every product once');
			for (const product of list) assert.equal(product.name, state.products.get(product.id).name);
		},
	};
	const readSubs = subscriptions.slice(120, 190);
	const subscriptionGet = {
		name: 'subscription.get',
		kind: 'read',
		single: true,
		parameters: run({ resource: 'subscription', operation: 'get', subscriptionId: rl('={{ $json.id }}'), simplify: false }),
		inputs: readSubs.map((s) => ({ id: s.id })),
		checkOk: (json, input) => {
			const stored = state.subscriptions.get(input.id);
			assert.deepEqual([json.id, json.quantity, json.companyId, json.productId, json.status], [stored.id, stored.quantity, stored.companyId, stored.productId, stored.status]);
		},
	};
	const readContacts = contacts.slice(60, 120);
	const contactGet = {
		name: 'contact.get',
		kind: 'read',
		single: true,
		parameters: run({ resource: 'contact', operation: 'get', companyId: rl('={{ $json.companyId }}'), contactId: '={{ $json.id }}' }),
		inputs: readContacts.map(({ companyId, contact }) => ({ companyId, id: contact.id })),
		checkOk: (json, input) => {
			const stored = state.contacts.get(input.companyId).find((c) => c.id === input.id);
			assert.deepEqual([json.id, json.email, json.lastName], [stored.id, stored.email, stored.lastName]);
		},
	};
	const invoiceGet = {
		name: 'invoice.get',
		kind: 'read',
		single: true,
		parameters: run({ resource: 'invoice', operation: 'get', invoiceId: '={{ $json.id }}' }),
		inputs: invoices.map((invoice) => ({ id: invoice.id })),
		checkOk: (json, input) => assert.deepEqual(json, state.invoices.get(input.id)),
	};

	// ---- writes
	const companyCreate = {
		name: 'company.create',
		kind: 'write-once',
		single: true,
		parameters: run({
			resource: 'company',
			operation: 'create',
			name: '={{ $json.name }}',
			phone: '303-555-0100',
			website: 'https://fault-matrix.example',
			street: '1 Main St',
			city: 'Denver',
			postalCode: '80202',
			country: 'US',
			additionalFields: { externalId: '={{ $json.externalId }}' },
		}),
		inputs: range(50, (i) => ({ name: `Fault Matrix Co ${i}`, externalId: `FM-CO-${i}` })),
		checkOk: (json, input) => assert.equal(json.name, input.name),
		checkState({ oks, write }) {
			const answered = new Map(oks.map((o) => [o.index, o.json.id]));
			companyCreate.inputs.forEach((input, index) => {
				const stored = all(state.companies).filter((c) => c.externalId === input.externalId);
				write({ what: `company ${input.externalId}`, stored, ok: answered.has(index), answeredId: answered.get(index) });
			});
		},
	};
	const updContacts = contacts.slice(0, 50);
	const contactUpdate = {
		name: 'contact.update (GET + PUT)',
		kind: 'write-idempotent',
		single: true,
		parameters: run({ resource: 'contact', operation: 'update', companyId: rl('={{ $json.companyId }}'), contactId: '={{ $json.id }}', updateFields: { lastName: '={{ $json.lastName }}' } }),
		inputs: updContacts.map(({ companyId, contact }, i) => ({ companyId, id: contact.id, lastName: `Matrix-${i}`, email: contact.email })),
		checkOk: (json, input) => assert.equal(json.lastName, input.lastName),
		checkState({ oks, write }) {
			const succeeded = new Set(oks.map((o) => o.index));
			contactUpdate.inputs.forEach((input, index) => {
				const stored = state.contacts.get(input.companyId).filter((c) => c.id === input.id);
				assert.equal(stored.length, 1, 'the contact exists once');
				write({ what: `contact ${input.id}`, stored: stored[0].lastName === input.lastName ? 1 : 0, ok: succeeded.has(index) });
				assert.equal(stored[0].email, input.email, 'other fields kept');
			});
		},
	};
	const updSubs = subscriptions.slice(0, 50);
	const subscriptionUpdate = {
		name: 'subscription.update (PUT)',
		kind: 'write-idempotent',
		single: true,
		parameters: run({ resource: 'subscription', operation: 'update', subscriptionId: rl('={{ $json.id }}'), updateFields: { quantity: '={{ $json.quantity }}' }, simplify: false }),
		inputs: updSubs.map((s, i) => ({ id: s.id, quantity: s.quantity + 1 + (i % 5) })),
		checkOk: (json, input) => assert.equal(json.quantity, input.quantity),
		checkState({ oks, write }) {
			const succeeded = new Set(oks.map((o) => o.index));
			subscriptionUpdate.inputs.forEach((input, index) => {
				write({ what: `subscription ${input.id}`, stored: state.subscriptions.get(input.id).quantity === input.quantity ? 1 : 0, ok: succeeded.has(index) });
			});
		},
	};
	const orderInputs = (prefix) =>
		range(50, (i) => ({
			companyId: withContacts[i % withContacts.length].id,
			email: `${prefix}-${i}@fault-matrix.example`,
			lineItems: lineItemsFor(orderable[i % orderable.length], 1 + (i % 3)),
		}));
	const orderParameters = (validateOnly) =>
		run({
			resource: 'order',
			operation: 'create',
			companyId: rl('={{ $json.companyId }}'),
			lineItemsInput: 'json',
			lineItemsJson: '={{ JSON.stringify($json.lineItems) }}',
			validateOnly,
			additionalFields: { orderedByUserEmail: '={{ $json.email }}' },
		});
	const validateOrder = {
		name: 'order.create Validate Only',
		kind: 'write-idempotent',
		single: true,
		parameters: orderParameters(true),
		inputs: orderInputs('mock'),
		checkOk: (json, input) => {
			assert.equal(json.companyId, input.companyId);
			assert.equal(json.id, undefined, 'a dry run has no id');
		},
		checkState() {
			const emails = new Set(validateOrder.inputs.map((i) => i.email));
			assert.equal(orders().filter((o) => emails.has(o.orderedByUserEmail)).length, 0, 'a dry run stores nothing');
		},
	};
	const orderCreate = {
		name: 'order.create',
		kind: 'write-once',
		single: true,
		parameters: orderParameters(false),
		inputs: orderInputs('order'),
		checkOk: (json, input) => assert.equal(json.orderedByUserEmail, input.email),
		checkState({ oks, write }) {
			const answered = new Map(oks.map((o) => [o.index, o.json.id]));
			orderCreate.inputs.forEach((input, index) => {
				const stored = orders().filter((o) => o.orderedByUserEmail === input.email);
				write({ what: `order ${input.email}`, stored, ok: answered.has(index), answeredId: answered.get(index) });
				// one subscription per line of a placed order, none for an order never placed
				for (const order of stored) for (const line of order.lineItems) assert.ok(state.subscriptions.has(line.subscriptionId));
			});
			assert.ok(orders().length - ordersBefore <= orderCreate.inputs.length, 'no order beyond one per item');
		},
	};
	return [companyCase, productsCase, subscriptionGet, contactGet, invoiceGet, companyCreate, contactUpdate, subscriptionUpdate, validateOrder, orderCreate];
}

module.exports = { COUNTS, pax8Cases };
