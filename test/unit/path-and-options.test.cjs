'use strict';
// Two guards of the shared core: `pathOf` refuses path parameters that would address another
// endpoint (empty, `.`, `..`), and the node-wide Options are read like every other parameter
// (a value that is no number names the option and item 0; valid values are clamped as before).
require('../harness/n8n.cjs');
const test = require('node:test');
const assert = require('node:assert/strict');

const { pathOf } = require('../../dist/nodes/shared/transport.js');
const { readSettings } = require('../../dist/nodes/shared/executor.js');
const { PAX8 } = require('../../dist/nodes/Pax8/vendor.js');
const { CONNECT } = require('../../dist/nodes/CloudBlueConnect/vendor.js');
const { NEWSTORE } = require('../../dist/nodes/NewStore/vendor.js');
const pax8 = require('./pax8-helpers.cjs');
const connect = require('./connect-helpers.cjs');
const newstore = require('./newstore-helpers.cjs');

// ---------------------------------------------------------------------------------------------
// pathOf

test('pathOf fills and encodes path parameters', () => {
	assert.equal(pathOf('/v0/orders/{id}', { id: 'A-1' }), '/v0/orders/A-1');
	assert.equal(pathOf('/a/{x}/b/{y}', { x: 'a/b?c#d', y: 12 }), '/a/a%2Fb%3Fc%23d/b/12');
	assert.equal(pathOf('/a/{x}', { x: 0 }), '/a/0');
	// Dots that are no dot segment, and encoded dots (sent as %252e), are ordinary values.
	for (const value of ['...', '.a', 'a.', 'a..b', '.hidden', '%2e%2e']) {
		assert.equal(pathOf('/a/{x}', { x: value }), `/a/${encodeURIComponent(value)}`);
	}
	assert.equal(pathOf('/a/{x}', { x: '%2e%2e' }), '/a/%252e%252e');
});

test('pathOf refuses an empty value, "." and ".." (after trimming), naming the path parameter', () => {
	for (const value of ['', ' ', '\t\n', '.', '..', ' .. ', '\t.\n', ' . ']) {
		assert.throws(
			() => pathOf('/v0/orders/{order}/notes/{note}', { order: 'A-1', note: value }),
			(error) => {
				assert.match(error.message, /^Path parameter "note" must not be /);
				const trimmed = value.trim();
				assert.ok(error.message.includes(trimmed ? `"${trimmed}"` : 'empty'), error.message);
				return true;
			},
			JSON.stringify(value),
		);
	}
	assert.throws(() => pathOf('/a/{id}', {}), /^Error: Path parameter "id" is missing$/);
	assert.throws(() => pathOf('/a/{id}', { id: null }), /Path parameter "id" is missing/);
	// Half of a surrogate pair cannot be URL-encoded: named, not "URI malformed".
	assert.throws(() => pathOf('/a/{id}', { id: 'x\ud800' }), /^Error: Path parameter "id" holds a broken character$/);
	assert.equal(pathOf('/a/{id}', { id: '😀' }), '/a/%F0%9F%98%80');
});

// The nodes check their IDs before pathOf sees them: a dot segment still gets the node's own
// message naming the parameter and the item, and no request is sent for that item.
test('an ID of "." or ".." gets the node parameter\'s own message, for all three vendors', async (t) => {
	const [p, c, n] = await Promise.all([pax8.setup(), connect.setup(), newstore.setup()]);
	t.after(() => Promise.all([p.fake.close(), c.fake.close(), n.fake.close()]));
	const cases = [
		{
			env: p,
			requests: pax8.apiRequests,
			good: [...p.fake.state.orders.values()].flat()[0].id,
			parameters: { resource: 'order', operation: 'get', orderId: '={{ $json.id }}' },
			message: /^Parameter "Order ID" must be a UUID like .*, got " ?\.{1,2} ?" \[item 1\]$/,
		},
		{
			env: c,
			requests: connect.calls,
			good: c.fake.ids.requests[0],
			parameters: { resource: 'request', operation: 'get', requestId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
			message: /^Parameter "Request" must be a Connect ID starting with PR- .*, got " ?\.{1,2} ?" \[item 1\]$/,
		},
		{
			env: n,
			requests: newstore.apiRequests,
			good: [...n.fake.state.orders.keys()][0],
			parameters: { resource: 'order', operation: 'get', idType: 'internal', orderId: '={{ $json.id }}' },
			message: /^Parameter "Order ID" must be an ID, got " ?\.{1,2} ?" \[item 1\]$/,
		},
	];
	for (const { env, requests, good, parameters, message } of cases) {
		for (const bad of ['..', '.', ' .. ']) {
			const before = env.fake.requests.length;
			const items = [{ json: { id: good } }, { json: { id: bad } }, { json: { id: good } }];
			const result = await env.run({ ...parameters, options: { concurrency: 1, maxRetries: 0 } }, { items });
			assert.equal(result.error?.name, 'NodeOperationError', `${parameters.resource} ${JSON.stringify(bad)}: ${result.error?.message}`);
			assert.match(result.error.message, message);
			assert.equal(result.error.context?.itemIndex, 1);
			const sent = requests({ requests: env.fake.requests.slice(before) });
			assert.equal(sent.length, 1, 'only the good item before the bad one was sent');
			assert.ok(sent.every((r) => !/\/\.\.?(\/|$)/.test(r.path)), 'no dot segment on the wire');
		}
	}
});

// ---------------------------------------------------------------------------------------------
// Options

/** A node context whose Options are `options` (or whose reading throws, for `fails`). */
function contextWith(options, fails) {
	const node = { id: 'n1', name: 'Test Node', type: 'test', typeVersion: 1, position: [0, 0], parameters: { options } };
	return {
		getNode: () => node,
		getNodeParameter(name, index, fallback) {
			assert.equal(index, 0, 'Options are read for item 0');
			if (fails && (name === 'options' || name === `options.${fails}`)) throw new Error('this is a function, please add ()');
			if (name === 'options') return options ?? fallback;
			if (name.startsWith('options.')) return options?.[name.slice('options.'.length)];
			return fallback;
		},
	};
}

/** Vendors whose form has Backoff Factor and Retry On Statuses read them (nothing given: `retry: {}`). */
const none = (vendor) => (vendor.retryOptions ? { retry: {} } : {});

test('Options: valid values are read as before, ranges clamped', () => {
	assert.deepEqual(readSettings(contextWith({}), PAX8), { concurrency: 5, ...none(PAX8) });
	assert.deepEqual(readSettings(contextWith(undefined), NEWSTORE), { concurrency: 5, ...none(NEWSTORE) });
	const pax8Settings = readSettings(contextWith({ concurrency: 8, maxRetries: 2, rateLimit: 120, timeout: 30 }), PAX8);
	assert.deepEqual(pax8Settings, {
		...none(PAX8),
		concurrency: 8,
		maxRetries: 2,
		rateLimit: { calls: 120, intervalMs: 60_000, burst: PAX8.rateLimit.burst },
		timeoutMs: 30_000,
	});
	// Numbers written as text, as an expression may give them.
	assert.deepEqual(readSettings(contextWith({ concurrency: ' 3 ', maxRetries: '4', rateLimit: '50', timeout: '2.5' }), NEWSTORE), {
		concurrency: 3,
		maxRetries: 4,
		rateLimit: { calls: 50, intervalMs: 1000, burst: NEWSTORE.rateLimit.burst },
		timeoutMs: 2500,
		...none(NEWSTORE),
	});
	// Clamped: Concurrency 1–50, Max Retries 0–10, Rate Limit ≥ 0, Timeout ≥ 1 s (and at most
	// what a timer can wait, 2^31 − 1 ms).
	const low = readSettings(contextWith({ concurrency: 0, maxRetries: -1, rateLimit: -5, timeout: 0 }), CONNECT);
	assert.deepEqual(low, { concurrency: 1, maxRetries: 0, rateLimit: { calls: 0, intervalMs: 60_000, burst: CONNECT.rateLimit.burst }, timeoutMs: 1000, ...none(CONNECT) });
	const high = readSettings(contextWith({ concurrency: 500, maxRetries: 11, rateLimit: 1e9, timeout: 1e308 }), CONNECT);
	assert.equal(high.concurrency, 50);
	assert.equal(high.maxRetries, 10);
	assert.equal(high.rateLimit.calls, 1e9);
	assert.equal(high.timeoutMs, 2_147_483_000);
	// Empty means the form's default.
	assert.deepEqual(readSettings(contextWith({ concurrency: null, maxRetries: '', rateLimit: '  ', timeout: null }), PAX8), { concurrency: 5, ...none(PAX8) });
	// Backoff Factor and Retry On Statuses are not read for a vendor whose form has none.
	assert.deepEqual(readSettings(contextWith({ backoffFactor: 'abc', retryOnStatuses: 'teapot' }), { ...PAX8, retryOptions: false }), { concurrency: 5 });
});

test('Options: Backoff Factor and Retry On Statuses (NewStore)', () => {
	const read = (options) => readSettings(contextWith(options), NEWSTORE).retry;
	assert.deepEqual(read({ backoffFactor: 0.5 }), { baseDelayMs: 500 });
	assert.deepEqual(read({ backoffFactor: '0' }), { baseDelayMs: 0 });
	assert.deepEqual(read({ retryOnStatuses: '429, 500;502 503' }), { notProcessedStatuses: [429], retryStatuses: [500, 502, 503] });
	assert.deepEqual(read({ retryOnStatuses: [500, '502'] }), { notProcessedStatuses: [], retryStatuses: [500, 502] });
	assert.deepEqual(read({ retryOnStatuses: 503 }), { notProcessedStatuses: [], retryStatuses: [503] });
	// Empty text: no status is retried. null: not given (the vendor's statuses).
	assert.deepEqual(read({ retryOnStatuses: '' }), { notProcessedStatuses: [], retryStatuses: [] });
	assert.deepEqual(read({ retryOnStatuses: null }), {});
	// 403 is never retried, even when listed.
	assert.deepEqual(read({ retryOnStatuses: '403, 500' }), { notProcessedStatuses: [], retryStatuses: [500] });
});

test('Options: a value that is no number (or no status list) names the option and item 0', () => {
	const refuses = (vendor, options, pattern) =>
		assert.throws(
			() => readSettings(contextWith(options), vendor),
			(error) => {
				assert.equal(error.name, 'NodeOperationError');
				assert.match(error.message, pattern);
				assert.ok(error.message.endsWith(' [item 0]'), error.message);
				assert.equal(error.context?.itemIndex, 0);
				assert.doesNotMatch(error.message, /\[object Object\]|NaN/);
				return true;
			},
			JSON.stringify(options),
		);
	for (const [vendor, rate] of [
		[PAX8, 'Rate Limit (Calls per Minute)'],
		[CONNECT, 'Rate Limit (Calls per Minute)'],
		[NEWSTORE, 'Rate Limit (Calls per Second)'],
	]) {
		for (const [key, label] of [
			['concurrency', 'Concurrency'],
			['maxRetries', 'Max Retries'],
			['rateLimit', rate],
			['timeout', 'Timeout (Seconds)'],
		]) {
			const named = (got) => new RegExp(`^Parameter "${label.replace(/[()]/g, '\\$&')}" must be a number, got ${got} \\[item 0\\]$`);
			refuses(vendor, { [key]: { a: 1 } }, named('an object'));
			refuses(vendor, { [key]: [5] }, named('a list'));
			refuses(vendor, { [key]: 'abc' }, named('"abc"'));
			refuses(vendor, { [key]: true }, named('"true"'));
			refuses(vendor, { [key]: Infinity }, named('"Infinity"'));
			refuses(vendor, { [key]: new Date(0) }, named('an object'));
		}
	}
	refuses(NEWSTORE, { backoffFactor: { a: 1 } }, /^Parameter "Backoff Factor \(Seconds\)" must be a number, got an object/);
	refuses(NEWSTORE, { backoffFactor: -1 }, /^Parameter "Backoff Factor \(Seconds\)" must be a number of seconds ≥ 0, got "-1"/);
	refuses(NEWSTORE, { retryOnStatuses: { a: 1 } }, /^Parameter "Retry On Statuses" must list HTTP error statuses \(400–599\) separated by commas, got an object/);
	refuses(NEWSTORE, { retryOnStatuses: Object.create(null) }, /^Parameter "Retry On Statuses" must list .*, got an object/);
	refuses(NEWSTORE, { retryOnStatuses: [500, [502]] }, /^Parameter "Retry On Statuses" must list .*, got a list/);
	refuses(NEWSTORE, { retryOnStatuses: '500, teapot' }, /^Parameter "Retry On Statuses" must list .*; "teapot" is not one/);
	refuses(NEWSTORE, { retryOnStatuses: '399' }, /; "399" is not one/);
	refuses(NEWSTORE, { retryOnStatuses: true }, /; "true" is not one/);
	// An Options value n8n cannot resolve (e.g. an expression giving a function) is named too.
	assert.throws(() => readSettings(contextWith({ concurrency: '={{ () => 1 }}' }, 'concurrency'), PAX8), /^NodeOperationError: Parameter "Concurrency" could not be read: .* \[item 0\]$/);
	// Options that are no set of fields at all.
	refuses(PAX8, 'abc', /^Parameter "Options" must be a set of fields, got "abc"/);
});
