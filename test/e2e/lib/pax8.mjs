// Pax8's entry in the end-to-end vendor table (see vendors.mjs): credential test cases and the
// checks of the Pax8 example workflows against the fake's state.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { sortItems } = require('../../fakes/common.cjs');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN_REFUSED =
	/^Pax8 did not issue an access token \(HTTP 401, access_denied: Unauthorized\)\. Check the Client ID, Client Secret, Audience and Token URL of the Pax8 credential\.$/;

// ------------------------------------------------------------------------------ monthly cost

/** The rule the example documents: price × quantity per month, longer terms spread, others left out. */
const MONTHS_PER_TERM = { Monthly: 1, Annual: 12, '2-Year': 24, '3-Year': 36 };
const round = (value) => Math.round(value * 100) / 100;

const activeCompanies = (fake) =>
	sortItems(
		[...fake.state.companies.values()].filter((c) => c.status === 'Active'),
		(c) => c.name,
		false,
	);
const activeSubscriptionsOf = (fake, companyId) =>
	[...fake.state.subscriptions.values()].filter(
		(s) => s.companyId === companyId && s.status === 'Active',
	);

/** The monthly cost of a company computed from the fake's own state. */
function expectedMonthlyCost(fake, companyId) {
	let total = 0;
	const counted = [];
	const excluded = [];
	for (const s of activeSubscriptionsOf(fake, companyId)) {
		const months = MONTHS_PER_TERM[s.billingTerm];
		if (!months) {
			excluded.push(s.id);
			continue;
		}
		total += (s.price * s.quantity) / months;
		counted.push(s.id);
	}
	return { total: round(total), counted: counted.sort(), excluded: excluded.sort() };
}

function checkMonthlyCost({ output, fakes, expect }) {
	const fake = fakes.pax8;
	assert.equal(output.length, 1, 'one summary item');
	const [summary] = output;
	const company = fake.state.companies.get(expect.companyId);
	assert.equal(summary.companyId, company.id, `the summary is about ${company.name}`);
	assert.equal(summary.companyName, company.name);
	const expected = expectedMonthlyCost(fake, company.id);
	assert.ok(
		expected.counted.length > 0,
		'the company has active recurring subscriptions (else the check proves little)',
	);
	assert.deepEqual(
		summary.subscriptions.map((s) => s.id).sort(),
		expected.counted,
		'every active recurring subscription, nothing else',
	);
	assert.deepEqual(summary.excluded.map((s) => s.id).sort(), expected.excluded);
	assert.equal(summary.subscriptionCount, expected.counted.length);
	assert.equal(summary.currencyCode, 'USD');
	assert.ok(
		Math.abs(summary.monthlyCost - expected.total) < 0.005,
		`monthly cost ${summary.monthlyCost}, expected ${expected.total}`,
	);
	for (const line of summary.subscriptions) {
		const s = fake.state.subscriptions.get(line.id);
		assert.ok(
			Math.abs(line.monthlyCost - round((s.price * s.quantity) / MONTHS_PER_TERM[s.billingTerm])) <
				0.005,
			line.id,
		);
	}
}

/** Sets a value of the Set node "Choose company" in a copy of the example. */
function chooseCompany(workflow, companyName) {
	const node = workflow.nodes.find((n) => n.name === 'Choose company');
	const assignment = node.parameters.assignments.assignments.find((a) => a.name === 'companyName');
	assignment.value = companyName;
	return workflow;
}

// ------------------------------------------------------------------------------ company and order

function ordersSnapshot(fake) {
	return {
		orders: fake.state.orders.size,
		subscriptions: fake.state.subscriptions.size,
		companies: fake.state.companies.size,
		requestIndex: fake.requests.length,
	};
}

function checkCompanyAndOrder({ output, data, fakes, expect }) {
	const fake = fakes.pax8;
	const runData = data.resultData.runData;
	const out = (name) => runData[name].at(-1).data.main[0].map((item) => item.json);

	// The company: created Active thanks to the primary Admin, Billing and Technical contact.
	const [created] = out('Create company');
	const company = fake.state.companies.get(created.id);
	assert.ok(company, 'the company exists in Pax8');
	assert.equal(company.status, 'Active');
	assert.equal(fake.state.companies.size, expect.companies + 1, 'exactly one company created');
	const contacts = fake.state.contacts.get(company.id);
	assert.equal(contacts.length, 1);
	assert.deepEqual(
		contacts[0].types
			.filter((t) => t.primary)
			.map((t) => t.type)
			.sort(),
		['Admin', 'Billing', 'Technical'],
	);

	// The product: found by the search, needs no commitment.
	const [line] = out('Build line items')[0].lineItems;
	const product = fake.state.products.get(line.productId);
	assert.equal(product.requiresCommitment, false);
	assert.deepEqual(line.provisioningDetails.map((d) => d.key).sort(), [
		'googleAdminEmail',
		'googleDomain',
	]);

	// Validate Only sent isMock and stored nothing; the real order exists exactly once.
	const calls = fake.requests
		.slice(expect.requestIndex)
		.filter((r) => r.method === 'POST' && r.path === '/v1/orders');
	assert.equal(calls.length, 2, 'one validation and one real order call');
	assert.equal(calls[0].query.isMock, 'true', 'the first call only validates');
	assert.equal(calls[1].query.isMock, undefined, 'the second call orders');
	assert.deepEqual(calls[1].body, calls[0].body, 'the same order both times');
	assert.equal(calls[0].status, 200);
	const [validated] = out('Validate order');
	assert.equal(validated.id, undefined, 'a validation has no order id');

	assert.equal(output.length, 1);
	const [order] = output;
	assert.match(order.id, UUID);
	assert.equal(order.companyId, company.id);
	const stored = [...fake.state.orders.values()].filter((o) => o.companyId === company.id);
	assert.equal(stored.length, 1, 'exactly one order for the new company');
	assert.equal(stored[0].id, order.id);
	assert.equal(fake.state.orders.size, expect.orders + 1, 'the validation stored no order');
	assert.equal(
		fake.state.subscriptions.size,
		expect.subscriptions + 1,
		'one subscription for the one line item',
	);
	const subscription = fake.state.subscriptions.get(order.lineItems[0].subscriptionId);
	assert.equal(subscription.productId, product.id);
	assert.equal(subscription.quantity, line.quantity);
	assert.equal(subscription.companyId, company.id);
}

// ------------------------------------------------------------------------------ the entry

export const pax8 = {
	credentials: {
		pax8Api: {
			testRequest: { method: 'GET', path: '/v1/companies' },
			// The token lives in a hidden expirable field: fetched once, kept, renewed after a 401.
			tokenReuse: {
				parameters: { resource: 'company', operation: 'getAll', limit: 1 },
				tokenRequests: (fakes) => fakes.pax8.tokenRequests,
				expireTokens: (fakes) => fakes.pax8.expireTokens(),
			},
			bad: [
				{
					label: 'wrong client secret',
					change: () => ({ clientSecret: 'not-the-secret' }),
					message: TOKEN_REFUSED,
				},
				{
					label: 'unknown client id',
					change: () => ({ clientId: 'someone-else' }),
					message: TOKEN_REFUSED,
				},
				{
					label: 'audience of another Pax8 API',
					change: () => ({ audience: 'api://provisioning' }),
					message: TOKEN_REFUSED,
				},
				{
					label: 'token URL nobody answers',
					change: ({ closedUrl }) => ({ tokenUrl: `${closedUrl}/v1/token`, baseUrl: closedUrl }),
					message: /^Could not reach the Pax8 token URL http:\/\/127\.0\.0\.1:\d+\/v1\/token: the connection was refused\. Check the Token URL of the Pax8 credential\.$/,
				},
			],
		},
	},
	examples: {
		'pax8-active-subscriptions-monthly-cost.json': {
			outputNode: 'Monthly cost',
			runs: [
				{
					label: 'as shipped: first active company',
					comparable: true,
					prepare: ({ fakes }) => ({ expect: { companyId: activeCompanies(fakes.pax8)[0].id } }),
					check: checkMonthlyCost,
				},
				{
					label: 'company chosen in the Set node, with annual terms',
					comparable: true,
					prepare: ({ workflow, fakes }) => {
						// The active company with the most active subscriptions billed over a longer term.
						const longTerm = (c) =>
							activeSubscriptionsOf(fakes.pax8, c.id).filter(
								(s) => (MONTHS_PER_TERM[s.billingTerm] ?? 0) > 1,
							).length;
						const [company] = [...activeCompanies(fakes.pax8)].sort(
							(a, b) => longTerm(b) - longTerm(a),
						);
						assert.ok(
							longTerm(company) > 0,
							'the seed has an active company with annual subscriptions',
						);
						return {
							workflow: chooseCompany(workflow, company.name.toUpperCase()),
							expect: { companyId: company.id },
						};
					},
					check: checkMonthlyCost,
				},
			],
		},
		'pax8-create-company-and-order.json': {
			outputNode: 'Place order',
			runs: [
				{
					label: 'as shipped',
					prepare: ({ fakes }) => ({ expect: ordersSnapshot(fakes.pax8) }),
					check: checkCompanyAndOrder,
				},
			],
		},
	},
	// Trigger nodes by description.name; Pax8 has none.
	triggers: {},
};
