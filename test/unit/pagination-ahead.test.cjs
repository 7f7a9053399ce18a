'use strict';
// collect() asks for the next page before the current one is read, once the total is known:
// order, request count, the in-flight bound, a failing page and a listing that pages
// differently than its numbers say.
require('../harness/n8n.cjs');
const test = require('node:test');
const assert = require('node:assert/strict');

const { collect, pageSizePaginator, limitOffsetPaginator, PAGES_AHEAD } = require('../../dist/nodes/shared/pagination.js');

/** A transport stand-in serving `total` records in pages, answering after a short delay. */
function fakeTransport({ total, paginator, serve }) {
	const seen = [];
	let inFlight = 0;
	let maxInFlight = 0;
	return {
		seen,
		get maxInFlight() {
			return maxInFlight;
		},
		vendor: { paginator },
		error: (message) => new Error(message),
		async request(request) {
			seen.push(request.qs);
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			await new Promise((resolve) => setTimeout(resolve, 5));
			inFlight--;
			return serve(request.qs, total);
		},
	};
}

const pax8Page = (qs, total) => {
	const start = qs.page * qs.size;
	const content = Array.from({ length: Math.max(0, Math.min(qs.size, total - start)) }, (_, i) => ({ id: start + i }));
	return { status: 200, headers: {}, body: { content, page: { number: qs.page, size: qs.size, totalElements: total, totalPages: Math.ceil(total / qs.size) } } };
};

test('read-ahead: every page once, in order, at most PAGES_AHEAD requests in flight', async () => {
	const transport = fakeTransport({ total: 1050, paginator: pageSizePaginator({ maxPageSize: 100 }), serve: pax8Page });
	const out = await collect(transport, { method: 'GET', path: '/x' }, { returnAll: true });
	assert.deepEqual(out.map((r) => r.id), Array.from({ length: 1050 }, (_, i) => i));
	assert.deepEqual(transport.seen.map((qs) => qs.page).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
	assert.ok(transport.maxInFlight > 1, 'pages were requested ahead');
	assert.ok(transport.maxInFlight <= PAGES_AHEAD, `at most ${PAGES_AHEAD} in flight, saw ${transport.maxInFlight}`);
});

test('read-ahead: a limit asks for no page beyond it', async () => {
	const transport = fakeTransport({ total: 5000, paginator: pageSizePaginator({ maxPageSize: 100 }), serve: pax8Page });
	const out = await collect(transport, { method: 'GET', path: '/x' }, { returnAll: false, limit: 350 });
	assert.equal(out.length, 350);
	assert.deepEqual(transport.seen.map((qs) => qs.page).sort((a, b) => a - b), [0, 1, 2, 3]);
});

test('read-ahead: a failing page fails the listing', async () => {
	const transport = fakeTransport({
		total: 1000,
		paginator: pageSizePaginator({ maxPageSize: 100 }),
		serve: (qs, total) => {
			if (qs.page === 4) throw new Error('page 4 broke');
			return pax8Page(qs, total);
		},
	});
	await assert.rejects(collect(transport, { method: 'GET', path: '/x' }, { returnAll: true }), /page 4 broke/);
	assert.ok(Math.max(...transport.seen.map((qs) => qs.page)) <= 4 + PAGES_AHEAD, 'no page far beyond the failure was asked for');
});

test('read-ahead: an API that serves fewer records than asked is read page by page', async () => {
	// Asked for 100, the API answers 40 at a time: offsets come from what arrived, never guessed.
	const transport = fakeTransport({
		total: 200,
		paginator: limitOffsetPaginator({ maxPageSize: 100 }),
		serve: (qs, total) => {
			const count = Math.max(0, Math.min(40, total - qs.offset));
			const body = Array.from({ length: count }, (_, i) => ({ id: qs.offset + i }));
			return { status: 200, headers: { 'content-range': `items ${qs.offset}-${qs.offset + count - 1}/${total}` }, body };
		},
	});
	const out = await collect(transport, { method: 'GET', path: '/requests' }, { returnAll: true });
	assert.deepEqual(out.map((r) => r.id), Array.from({ length: 200 }, (_, i) => i));
	assert.deepEqual(transport.seen.map((qs) => qs.offset), [0, 40, 80, 120, 160]);
	assert.equal(transport.maxInFlight, 1);
});
