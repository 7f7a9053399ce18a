'use strict';
// Unit tests of the shared core's pure parts: Retry-After, back-off, retry rules, the token
// bucket, paginators and redaction. Node behaviour is tested through n8n's engine elsewhere.
require('../harness/n8n.cjs');
const test = require('node:test');
const assert = require('node:assert/strict');

const { parseRetryAfter, backoffDelay, isRetryable, networkErrorCode } = require('../../dist/nodes/shared/retry.js');
const { TokenBucket } = require('../../dist/nodes/shared/rateLimit.js');
const { pageSizePaginator, limitOffsetPaginator, offsetCountPaginator } = require('../../dist/nodes/shared/pagination.js');
const { redactText, redactValue, redactUrl } = require('../../dist/nodes/shared/redact.js');
const { runPool } = require('../../dist/nodes/shared/executor.js');
const { parseDate } = require('../../dist/nodes/shared/params.js');

const policy = {
	maxRetries: 3,
	retryStatuses: [408, 500, 502, 503, 504],
	notProcessedStatuses: [429],
	neverRetryStatuses: [403],
	baseDelayMs: 1000,
	factor: 2,
	maxDelayMs: 30000,
	maxTotalWaitMs: 120000,
};

test('Retry-After: delta seconds, HTTP date, garbage', () => {
	const now = Date.parse('2026-11-23T10:00:00Z');
	assert.equal(parseRetryAfter('3', now), 3000);
	assert.equal(parseRetryAfter('0', now), 0);
	assert.equal(parseRetryAfter('1.5', now), 1500);
	assert.equal(parseRetryAfter('Mon, 23 Nov 2026 10:00:07 GMT', now), 7000);
	assert.equal(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now), 0, 'a date in the past means now');
	assert.equal(parseRetryAfter('soon', now), undefined);
	assert.equal(parseRetryAfter(undefined, now), undefined);
	assert.equal(parseRetryAfter('', now), undefined);
});

test('back-off doubles, is jittered within [d/2, d] and capped', () => {
	assert.equal(backoffDelay(policy, 1, () => 0), 500);
	assert.equal(backoffDelay(policy, 1, () => 1), 1000);
	assert.equal(backoffDelay(policy, 3, () => 1), 4000);
	assert.equal(backoffDelay(policy, 20, () => 1), 30000, 'capped at maxDelayMs');
});

test('retry rules: reads retry 5xx; writes only when not processed; 403 never', () => {
	assert.equal(isRetryable(policy, { status: 503 }, true), true);
	assert.equal(isRetryable(policy, { status: 503 }, false), false, 'a write that got 503 may have landed');
	assert.equal(isRetryable(policy, { status: 429 }, false), true, '429 means not processed');
	assert.equal(isRetryable(policy, { status: 403 }, true), false);
	assert.equal(isRetryable(policy, { status: 404 }, true), false);
	assert.equal(isRetryable(policy, { code: 'ECONNREFUSED' }, false), true, 'never reached the server');
	assert.equal(isRetryable(policy, { code: 'ECONNRESET' }, false), false);
	assert.equal(isRetryable(policy, { code: 'ECONNRESET' }, true), true);
	assert.equal(isRetryable({ ...policy, neverRetryStatuses: [429] }, { status: 429 }, true), false);
});

test('network error codes are found in the cause chain', () => {
	const inner = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
	assert.equal(networkErrorCode({ message: 'wrapped', cause: { cause: inner } }), 'ECONNREFUSED');
	assert.equal(networkErrorCode(new Error('socket hang up')), 'ECONNRESET');
	assert.equal(networkErrorCode(new Error('nothing')), undefined);
});

test('token bucket: burst, then paced so no window exceeds the limit', () => {
	let now = 0;
	const bucket = new TokenBucket({ calls: 100, intervalMs: 1000, burst: 10 }, () => now);
	const waits = Array.from({ length: 10 }, () => bucket.reserve());
	assert.deepEqual(waits, Array(10).fill(0), 'the burst goes out at once');
	// Reservations beyond the burst are spaced at (100 - 10) per second.
	const next = [bucket.reserve(), bucket.reserve(), bucket.reserve()];
	assert.ok(next[0] > 0 && next[1] > next[0] && next[2] > next[1]);
	// Simulate 2,000 calls: count how many start in any 1 s window.
	now = 0;
	const b2 = new TokenBucket({ calls: 100, intervalMs: 1000, burst: 10 }, () => now);
	const starts = Array.from({ length: 2000 }, () => b2.reserve());
	let maxInWindow = 0;
	for (let i = 0, j = 0; i < starts.length; i++) {
		while (starts[i] - starts[j] >= 1000) j++;
		maxInWindow = Math.max(maxInWindow, i - j + 1);
	}
	assert.ok(maxInWindow <= 100, `at most 100 calls in any second, got ${maxInWindow}`);
	assert.ok(starts[1999] < 22_500, `throughput stays near the limit (last start ${starts[1999]} ms)`);
});

/**
 * Virtual-time simulation: `lanes` callers share one bucket against a server that accepts
 * `serverLimit(t)` calls per fixed one-second window and answers 429 with "Retry-After: 1"
 * beyond it. Answers accepted calls and 429s per simulated second.
 */
function simulate({ configured, serverLimit, lanes = 5, seconds = 20, latencyMs = 5 }) {
	let now = 0;
	const bucket = new TokenBucket({ calls: configured, intervalMs: 1000, burst: Math.max(1, Math.floor(configured / 20)) }, () => now);
	const events = Array.from({ length: lanes }, (_, lane) => ({ at: 0, kind: 'want', lane }));
	const windows = new Map();
	const ok = Array(seconds).fill(0);
	const refused = Array(seconds).fill(0);
	while (events.length) {
		events.sort((a, b) => a.at - b.at);
		const event = events.shift();
		now = event.at;
		if (now >= seconds * 1000) break;
		if (event.kind === 'want') {
			events.push({ at: now + bucket.reserve(), kind: 'send', lane: event.lane });
			continue;
		}
		const second = Math.floor(now / 1000);
		const count = windows.get(second) ?? 0;
		if (count >= serverLimit(second)) {
			refused[second]++;
			bucket.throttled();
			events.push({ at: (second + 1) * 1000, kind: 'want', lane: event.lane });
		} else {
			windows.set(second, count + 1);
			ok[second]++;
			bucket.accept(now);
			events.push({ at: now + latencyMs, kind: 'want', lane: event.lane });
		}
	}
	return { ok, refused, bucket };
}

test('token bucket learns a lower limit from 429s and paces below it', () => {
	const { ok, refused, bucket } = simulate({ configured: 100, serverLimit: () => 20 });
	const accepted = ok.reduce((a, b) => a + b, 0);
	const throttled = refused.reduce((a, b) => a + b, 0);
	assert.ok(accepted >= 0.9 * 20 * 20, `≥ 90 % of the API's 20/s over 20 s, got ${accepted}`);
	assert.ok(throttled <= 25, `429s only while learning, got ${throttled}: ${refused.join(',')}`);
	assert.ok(refused.slice(5).every((n) => n === 0), `no 429s once learned: ${refused.join(',')}`);
	assert.ok(bucket.rate <= 20, `pace at or below the API's limit, got ${bucket.rate}`);
});

test('token bucket raises a learned rate again when the API allows more', () => {
	// The API allows 20/s for 5 s, then 100/s: the pace climbs back in steps after quiet intervals.
	const { ok, bucket } = simulate({ configured: 100, serverLimit: (second) => (second < 5 ? 20 : 100), seconds: 60 });
	assert.ok(bucket.rate > 20, `the rate rose again, got ${bucket.rate}`);
	assert.ok(ok[59] > ok[6], `more calls per second at the end (${ok[59]}) than after learning (${ok[6]})`);
	// 429s within one interval only (a burst the API's shorter window did not take) change nothing.
	let now = 0;
	const bucket2 = new TokenBucket({ calls: 1000, intervalMs: 60_000, burst: 10 }, () => now);
	for (let i = 0; i < 5; i++) {
		now = 15_000 + i * 10;
		bucket2.throttled();
	}
	now = 200_000;
	bucket2.throttled();
	assert.equal(bucket2.rate, 1000, 'a lone run of 429s, and another far later, keep the configured pace');
	// Without 429s nothing changes.
	const steady = simulate({ configured: 100, serverLimit: () => 1000, seconds: 5 });
	assert.equal(steady.bucket.rate, 100);
	assert.equal(steady.refused.reduce((a, b) => a + b, 0), 0);
});

function response(body, headers = {}) {
	return { status: 200, headers, body };
}

test('page/size paginator (Pax8): follows totalPages and stops on empty pages', () => {
	const p = pageSizePaginator({ maxPageSize: 200 });
	const first = p.first({ method: 'GET', path: '/x', qs: { a: 1 } }, 200);
	assert.deepEqual(first.qs, { a: 1, page: 0, size: 200 });
	const page = p.read(response({ content: [{ id: 1 }], page: { number: 0, totalPages: 3, totalElements: 401 } }), first, 200);
	assert.equal(page.total, 401);
	assert.deepEqual(page.next.qs, { a: 1, page: 1, size: 200 });
	assert.equal(p.read(response({ content: [{ id: 1 }], page: { number: 2, totalPages: 3 } }), first, 200).next, undefined);
	assert.equal(p.read(response({ content: [], page: { number: 0, totalPages: 9 } }), first, 200).next, undefined, 'empty page ends');
	const flat = pageSizePaginator({ maxPageSize: 200, flat: true });
	assert.ok(flat.read(response({ content: [{}], number: 0, totalPages: 2 }), first, 200).next);
});

test('limit/offset paginator (Connect): Content-Range total', () => {
	const p = limitOffsetPaginator({ maxPageSize: 1000 });
	const first = p.first({ method: 'GET', path: '/requests' }, 2);
	assert.deepEqual(first.qs, { limit: 2, offset: 0 });
	const page = p.read(response([{ id: 1 }, { id: 2 }], { 'content-range': 'items 0-1/5' }), first, 2);
	assert.equal(page.total, 5);
	assert.deepEqual(page.next.qs, { limit: 2, offset: 2 });
	const last = p.read(response([{ id: 5 }], { 'content-range': 'items 4-4/5' }), { ...first, qs: { limit: 2, offset: 4 } }, 2);
	assert.equal(last.next, undefined);
});

test('offset/count paginator (NewStore): pagination_info total', () => {
	const p = offsetCountPaginator({ maxPageSize: 100, itemsKey: 'orders' });
	const first = p.first({ method: 'GET', path: '/orders' }, 2);
	const page = p.read(response({ orders: [{}, {}], pagination_info: { offset: 0, count: 2, total: 3 } }), first, 2);
	assert.deepEqual(page.next.qs, { offset: 2, count: 2 });
	assert.equal(p.read(response({ orders: [{}], pagination_info: { total: 3 } }), page.next, 2).next, undefined);
});

test('redaction removes bearer tokens, api keys and secret fields', () => {
	assert.equal(redactText('Authorization: Bearer abc.def.ghi'), 'Authorization: Bearer [redacted]');
	assert.equal(redactText('ApiKey SU-123:abcdef'), 'ApiKey [redacted]');
	assert.equal(redactText('client_secret=shh&x=1'), 'client_secret=[redacted]&x=1');
	assert.deepEqual(redactValue({ access_token: 't', nested: { client_secret: 's', ok: 1 } }), {
		access_token: '[redacted]',
		nested: { client_secret: '[redacted]', ok: 1 },
	});
	assert.equal(redactUrl('https://u:p@h.example/x?token=abc&a=1'), 'https://h.example/x?token=%5Bredacted%5D&a=1');
});

test('pool: bounded concurrency, first item alone, stops after a failure', async () => {
	let running = 0;
	let peak = 0;
	const order = [];
	await runPool(20, 4, async (i) => {
		running++;
		peak = Math.max(peak, running);
		if (i === 0) assert.equal(running, 1, 'item 0 runs alone');
		await new Promise((r) => setTimeout(r, 5));
		order.push(i);
		running--;
	});
	assert.equal(peak, 4);
	assert.equal(order.length, 20);
	const started = [];
	await assert.rejects(
		runPool(50, 2, async (i) => {
			started.push(i);
			await new Promise((r) => setTimeout(r, 2));
			if (i === 3) throw new Error('boom');
		}),
		/boom/,
	);
	assert.ok(started.length < 10, `no new items after the failure (started ${started.length})`);
});

test('dates: any ISO form, offsets without colon, RFC 2822, epoch', () => {
	assert.equal(parseDate('2023-08-11T11:33:12.314-0600').toISO(), '2023-08-11T11:33:12.314-06:00');
	assert.equal(parseDate('2024-05-31').toISODate(), '2024-05-31');
	assert.equal(parseDate('Fri, 31 May 2024 10:00:00 +0000').toISODate(), '2024-05-31');
	assert.equal(parseDate(Date.UTC(2024, 4, 31)).toISODate(), '2024-05-31');
	assert.equal(parseDate('31/05/2024'), undefined);
	assert.equal(parseDate({}), undefined);
});

const { selectNew, startAt } = require('../../dist/nodes/shared/pollState.js');

test('poll state: each record once, even when many share a timestamp', () => {
	const key = (r) => r.id;
	const time = (r) => r.created;
	const t1 = '2026-01-01T10:00:00Z';
	const t2 = '2026-01-01T10:05:00Z';
	let state = startAt([{ id: 'A', created: t1 }], key, time);
	assert.deepEqual(state, { cursor: t1, seen: ['A'] }, 'first activation emits nothing and remembers the newest');
	// B and C share t1 with A; D is later.
	let step = selectNew(state, [{ id: 'A', created: t1 }, { id: 'B', created: t1 }, { id: 'D', created: t2 }, { id: 'C', created: t1 }], key, time);
	assert.deepEqual(step.fresh.map(key), ['B', 'C', 'D']);
	state = step.state;
	assert.deepEqual(state, { cursor: t2, seen: ['D'] });
	// E arrives late with D's timestamp: caught; D not emitted again.
	step = selectNew(state, [{ id: 'D', created: t2 }, { id: 'E', created: t2 }], key, time);
	assert.deepEqual(step.fresh.map(key), ['E']);
	assert.deepEqual(step.state, { cursor: t2, seen: ['D', 'E'] });
	// Nothing new: state unchanged.
	assert.deepEqual(selectNew(step.state, [{ id: 'E', created: t2 }], key, time).fresh, []);
	// Nothing at activation: start a minute before now, on a whole second (vendors stamp seconds).
	assert.deepEqual(startAt([], key, time, Date.parse('2026-01-01T10:00:30.789Z')), { cursor: '2026-01-01T09:59:30.000Z', seen: [] });
	// Offsets compare as instants, not text.
	const s2 = selectNew({ cursor: '2026-01-01T10:00:00Z', seen: [] }, [{ id: 'X', created: '2026-01-01T11:00:00+02:00' }], key, time);
	assert.deepEqual(s2.fresh, [], '09:00Z is before the cursor');
});
