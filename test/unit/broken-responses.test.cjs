'use strict';
// Server answers that break a client's assumptions, for every vendor: HTML pages, empty bodies,
// wrong content types, JSON cut off, pages that repeat or stop early. Each ends in a clear
// error (or the right data), never in a loop, a crash or silently wrong output.
const test = require('node:test');
const assert = require('node:assert/strict');
const connectEnv = require('./connect-helpers.cjs');
const pax8Env = require('./pax8-helpers.cjs');
const newstoreEnv = require('./newstore-helpers.cjs');

let pax8, connect, newstore;
test.before(async () => {
	[pax8, connect, newstore] = await Promise.all([pax8Env.setup(), connectEnv.setup(), newstoreEnv.setup()]);
});
test.after(async () => Promise.all([pax8.fake.close(), connect.fake.close(), newstore.fake.close()]));

const HTML = '<!DOCTYPE html><html><body><h1>Sign in to the proxy</h1></body></html>';
const fast = { maxRetries: 2, backoffFactor: 0.01 };

/** One read per vendor, the path it requests, and how many requests the fake saw for it. */
const reads = () => [
	{
		name: 'Pax8',
		env: pax8,
		path: '/v1/companies/',
		run: () => pax8.run({ resource: 'company', operation: 'get', companyId: { __rl: true, mode: 'id', value: [...pax8.fake.state.companies.keys()][0] }, options: { maxRetries: 2 } }),
	},
	{
		name: 'CloudBlue Connect',
		env: connect,
		path: '/public/v1/requests/',
		run: () => connect.run({ resource: 'request', operation: 'get', requestId: { __rl: true, mode: 'id', value: [...connect.fake.state.requests.keys()][0] }, options: { maxRetries: 2 } }),
	},
	{
		name: 'NewStore',
		env: newstore,
		path: '/v0/stock/insights',
		run: () => {
			const [product, node] = [...newstore.fake.state.stock.keys()][0].split('|');
			return newstore.run({ resource: 'inventory', operation: 'getStockInsights', productId: product, fulfillmentNodeId: node, options: fast });
		},
	},
];
const sent = (env, path) => env.fake.requests.filter((r) => r.path.startsWith(path)).length;

for (const read of ['Pax8', 'CloudBlue Connect', 'NewStore']) {
	test(`${read}: JSON cut off is tried again, then a clear error; an HTML page fails at once`, async () => {
		const r = reads().find((x) => x.name === read);
		const json = { 'content-type': 'application/json' };
		// Cut off once: the read is repeated and succeeds.
		r.env.fake.inject({ path: r.path, status: 200, body: '{"id": "abc", "name": "trunc', headers: json });
		let before = sent(r.env, r.path);
		const recovered = await r.run();
		assert.equal(recovered.error, undefined, recovered.error?.message);
		assert.equal(sent(r.env, r.path) - before, 2);
		// Cut off every time: a clear error naming the problem, after the retries.
		r.env.fake.inject({ path: r.path, status: 200, body: '[{"id":', headers: json, times: 3 });
		before = sent(r.env, r.path);
		const broken = await r.run();
		assert.match(broken.error.message, new RegExp(`^${read} answered HTTP 200 with JSON that is cut off or invalid`));
		assert.equal(sent(r.env, r.path) - before, 3);
		// An HTML page with 200: not data, not retried.
		r.env.fake.inject({ path: r.path, status: 200, body: HTML, headers: { 'content-type': 'text/html' } });
		before = sent(r.env, r.path);
		const html = await r.run();
		assert.match(html.error.message, /with an HTML page instead of data/);
		assert.match(html.error.description, /proxy, firewall or login page/);
		assert.equal(sent(r.env, r.path) - before, 1);
		// An HTML error page: the status, not the markup.
		r.env.fake.inject({ path: r.path, status: 502, body: HTML, headers: { 'content-type': 'text/html' }, times: 3 });
		const gateway = await r.run();
		assert.match(gateway.error.message, /answered HTTP 502/);
		assert.ok(!gateway.error.message.includes('<'), 'no markup in the message');
		// An empty 200 where data was expected.
		r.env.fake.inject({ path: r.path, status: 200, body: '', headers: json, times: 3 });
		const empty = await r.run();
		assert.match(empty.error.message, /empty body where data was expected/);
		// JSON served with a wrong content type is still read as JSON.
		r.env.fake.inject({ path: r.path, status: 200, body: JSON.stringify({ id: 'typed-as-text' }), headers: { 'content-type': 'text/plain' } });
		const wrongType = await r.run();
		assert.equal(wrongType.error, undefined);
		assert.equal(wrongType.items[0].json.id, 'typed-as-text');
	});
}

test('Pax8: a server that ignores the page parameter is caught at the second page, not looped 100,000 times', async () => {
	const [a, b] = [...pax8.fake.state.companies.values()];
	const page = { content: [a, b], page: { number: 0, size: 2, totalElements: 5000, totalPages: 2500 } };
	pax8.fake.inject({ path: '/v1/companies', status: 200, body: page, times: 10 });
	const before = sent(pax8, '/v1/companies');
	const result = await pax8.run({ resource: 'company', operation: 'getAll', returnAll: true, filters: {}, sort: {} });
	assert.match(result.error.message, /Pax8 sent the same page twice after 2 records/);
	assert.equal(sent(pax8, '/v1/companies') - before, 2);
	pax8.fake.reset();
});

test('CloudBlue Connect: a listing that stops before its reported total is a clear error', async () => {
	const [first] = [...connect.fake.state.requests.values()];
	connect.fake.inject({ path: '/public/v1/requests', status: 200, body: [first], headers: { 'content-range': 'items 0-0/3' } });
	connect.fake.inject({ path: '/public/v1/requests', status: 200, body: [], headers: { 'content-range': 'items 1-0/3' } });
	const result = await connect.run({ resource: 'request', operation: 'getAll', returnAll: true, filters: {} });
	assert.match(result.error.message, /CloudBlue Connect stopped listing early: 1 of 3 reported records arrived/);
	connect.fake.reset();
});

test('NewStore: repeated profile pages are caught; a page answer without the list ends the listing', async () => {
	const profiles = [...newstore.fake.state.profiles.values()].slice(0, 2);
	const page = { profiles, pagination_info: { offset: 0, count: 2, total: 9000 } };
	newstore.fake.inject({ path: '/customer/profiles', status: 200, body: page, times: 5 });
	const result = await newstore.run({ resource: 'customerProfile', operation: 'getAll', profilesPath: '/customer/profiles', returnAll: true, simplify: true });
	assert.match(result.error.message, /NewStore sent the same page twice after 2 records/);
	newstore.fake.reset();
	// A well-formed answer with another shape (no list, no total): nothing is invented, no loop.
	newstore.fake.inject({ path: '/customer/profiles', status: 200, body: { message: 'maintenance' } });
	const odd = await newstore.run({ resource: 'customerProfile', operation: 'getAll', profilesPath: '/customer/profiles', returnAll: true, simplify: true });
	assert.equal(odd.error, undefined);
	assert.equal(odd.items.length, 0);
});
