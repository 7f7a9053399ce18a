'use strict';
// The fault matrix's driver: runs many n8n executions of one vendor node at once (continueOnFail
// on, Concurrency > 1) while the vendor's fake injects seeded faults (fake.chaos), then checks
// every output item: one per input, in input order, paired with its input; successes carry the
// fake's data; failures carry a clear error on their own item. Each case then checks the fake's
// final state: writes landed exactly once, non-idempotent writes at most once.
const assert = require('node:assert/strict');

/** Faults as issue 8 asks: 5xx 20 %, drops 5 %, slow answers, 429 with and without Retry-After. */
const RATES = { error5xx: 0.2, drop: 0.05, slow: 0.05, r429: 0.03, r429NoRetryAfter: 0.02 };

/** Unhandled rejections seen while a matrix runs (there must be none). */
const unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

/**
 * The error item of a failed input item must say what failed — the vendor's message with the
 * HTTP status, the network failure, or the credential's token failure — with the trace of the
 * requests sent. A non-idempotent write that may have landed (a 5xx or a broken connection)
 * must say to check before running it again; a read or idempotent write fails only once its
 * retries are used up. Answers the failure's kind for the counts.
 */
function checkErrorItem(json, { vendor, where, kind, maxRetries }) {
	assert.equal(typeof json.error, 'string', `${where}: error message`);
	assert.ok(json.error.trim().length > 0, `${where}: error message not empty`);
	const description = String(json.description ?? '');
	assert.match(description, /Requests sent:\n#1 /, `${where}: trace of the requests sent: ${JSON.stringify(json)}`);
	const network = new RegExp(`^${vendor} could not be reached \\((E[A-Z_]+|UND_ERR_[A-Z_]+|ERR_[A-Z_]+)\\)`).exec(json.error);
	// The credential could not fetch a token: the API request itself was never sent.
	const token = new RegExp(`^(${vendor} did not issue an access token \\(HTTP (\\d{3})|Could not reach the ${vendor} token URL)`).exec(json.error);
	let failure;
	if (network) failure = 'network';
	else if (token) {
		assert.match(description, /→ no token \((HTTP \d{3}|[A-Z_]+|no answer) from the token URL\)/, `${where}: the trace says the token was missing`);
		failure = 'no token';
	} else {
		assert.match(String(json.httpCode ?? ''), /^\d{3}$/, `${where}: HTTP status on the item: ${JSON.stringify(json)}`);
		const status = Number(json.httpCode);
		if (status >= 500 || status === 429) assert.ok(json.error.startsWith(`${vendor} answered HTTP ${status}`), `${where}: names ${vendor} and the status: ${json.error}`);
		failure = status >= 500 ? 'HTTP 5xx' : `HTTP ${status}`;
	}
	const checkBeforeRerun = `may already have been processed: check the result in ${vendor} before running it again`;
	// A write operation may fail in one of its safe steps (e.g. reading the record first).
	const lastStep = /^#\d+ (GET|PUT|DELETE|POST|PATCH) /m.exec(description.split('\n').filter((line) => /^#\d+ /.test(line)).pop() ?? '');
	if (kind === 'write-once' && ['GET', 'PUT', 'DELETE'].includes(lastStep?.[1])) kind = 'read';
	if (kind === 'write-once' && (failure === 'network' || failure === 'HTTP 5xx')) {
		assert.ok(description.includes(checkBeforeRerun), `${where}: a write that may have landed says to check before re-running: ${JSON.stringify(json)}`);
	} else {
		assert.ok(!description.includes(checkBeforeRerun), `${where}: no "may have landed" note where nothing can have landed: ${JSON.stringify(json)}`);
	}
	if (kind !== 'write-once' || failure === 'HTTP 429' || failure === 'no token') {
		const attempts = (description.match(/^#\d+ /gm) ?? []).length;
		assert.ok(attempts >= maxRetries + 1, `${where}: a safe request fails only after ${maxRetries} retries, not after ${attempts} attempts: ${JSON.stringify(json)}`);
	}
	return failure;
}

/**
 * Checks one execution's output: item count, order and pairing. Answers { oks: [{index, json}],
 * errors: [{index, json, failure}] } by input index. `single`: one output item per input item
 * (single-record operations); otherwise an input gives its records or one error item.
 */
function inspect(c, result, { vendor, maxRetries }, problems) {
	assert.equal(result.error, undefined, `${c.name}: the run itself failed: ${result.error?.message}`);
	assert.equal(result.status, 'success', `${c.name}: run status`);
	const count = c.inputs.length;
	const out = result.items;
	const pairs = out.map((item) => item.pairedItem?.item);
	assert.ok(pairs.every((p) => Number.isInteger(p)), `${c.name}: every item paired`);
	for (let i = 1; i < pairs.length; i++) assert.ok(pairs[i] >= pairs[i - 1], `${c.name}: output in input order`);
	const every = Array.from({ length: count }, (_, i) => i);
	if (c.single) {
		assert.equal(out.length, count, `${c.name}: one output item per input item`);
		assert.deepEqual(pairs, every, `${c.name}: item i paired with input i`);
	} else {
		assert.deepEqual([...new Set(pairs)], every, `${c.name}: every input has output`);
	}
	const byIndex = new Map(every.map((i) => [i, []]));
	for (const item of out) byIndex.get(item.pairedItem.item).push(item.json);
	const isError = (json) => typeof json.error === 'string' && typeof json.description === 'string';
	const oks = [];
	const errors = [];
	for (const [index, list] of byIndex) {
		if (list.some(isError)) {
			assert.equal(list.length, 1, `${c.name} item ${index}: one error item, nothing else`);
			let failure = 'unclear';
			const where = `${c.name} item ${index}`;
			soft(problems, () => (failure = checkErrorItem(list[0], { vendor, where, kind: c.kind, maxRetries })));
			errors.push({ index, json: list[0], failure });
		} else {
			oks.push({ index, json: c.single ? list[0] : list });
		}
	}
	return { oks, errors };
}

/**
 * What the fake holds for one write item, against what the item reported. `stored`: how many
 * records carry the item's marker (or whether its state change is there). A write lands at most
 * once; an item reported successful landed exactly once (with the id it answered); a failed one
 * either did not land or landed with its answer lost (counted).
 */
function tallyWrite(tally, { what, stored, ok, idempotent, answeredId }) {
	const records = Array.isArray(stored) ? stored : undefined;
	const n = records ? records.length : Number(stored);
	if (n > 1) tally.duplicates++;
	assert.ok(n <= 1, `${what} landed ${n} times`);
	if (ok) {
		assert.equal(n, 1, `${what} was reported done: it landed`);
		if (records && answeredId !== undefined) assert.equal(records[0].id, answeredId, `${what}: the id answered is the one stored`);
	} else if (idempotent) {
		// only after its retries were used up (checked on the error item); safe to run again
		tally.exhausted++;
	} else if (n === 1) tally.landedAnswerLost++;
	else tally.notLanded++;
}

/**
 * Runs the cases of one vendor at once under chaos. A case: { name, kind: 'read' |
 * 'write-idempotent' | 'write-once', parameters, inputs: [json], items?: [n8n items], single,
 * checkOk(json, input, index), checkState({ oks, errors, write }) } where `write(args)` is
 * tallyWrite. `expire` (the fake's expireTokens) is called once the fake has seen each of
 * `expireAfterRequests` requests. Answers a summary: counts, faults, problems found.
 */
async function runMatrix({ env, vendor, cases, chaos, maxRetries, expire, expireAfterRequests = [], tokens }) {
	env.fake.chaos(chaos);
	const tokensBefore = tokens?.();
	/** token requests seen so far at each expiry */
	const marks = [];
	const started = Date.now();
	let expired = 0;
	// By the run's progress rather than the clock: the same moments on a slow machine.
	const timer = expire
		? setInterval(() => {
				if (expired < expireAfterRequests.length && env.fake.chaosStats.requests >= expireAfterRequests[expired]) {
					expired++;
					if (tokens) marks.push(tokens().requested);
					expire();
				}
			}, 20)
		: undefined;
	let results;
	try {
		results = await Promise.all(
			cases.map(async (c) => {
				const began = Date.now();
				const result = await env.run(c.parameters, { items: c.items ?? c.inputs.map((json) => ({ json })), continueOnFail: true });
				c.ms = Date.now() - began;
				return result;
			}),
		);
	} finally {
		if (timer) clearInterval(timer);
		env.fake.chaos(null);
	}
	const summary = {
		vendor,
		maxRetries,
		ms: Date.now() - started,
		tokenExpiries: expired,
		/** token requests the fake saw during the run, and tokens it issued (when the vendor has tokens) */
		tokens: tokens ? tokenCounts(tokensBefore, marks, tokens()) : undefined,
		faults: { ...env.fake.chaosStats },
		operations: 0,
		byKind: {},
		failures: {},
		tally: { duplicates: 0, landedAnswerLost: 0, notLanded: 0, exhausted: 0 },
		cases: {},
		problems: [],
		/** every error item, for a closer look when something is off */
		errorItems: [],
	};
	delete summary.faults.byRoute;
	const problems = summary.problems;
	cases.forEach((c, i) => {
		let outcome = { oks: [], errors: [] };
		soft(problems, () => (outcome = inspect(c, results[i], { vendor, maxRetries }, problems)));
		const { oks, errors } = outcome;
		for (const { index, json } of oks) soft(problems, () => c.checkOk?.(json, c.inputs[index], index), `${c.name} item ${index}`);
		const write = (args) => soft(problems, () => tallyWrite(summary.tally, { idempotent: c.kind === 'write-idempotent', ...args }), c.name);
		soft(problems, () => c.checkState?.({ oks, errors, write }), c.name);
		const kind = (summary.byKind[c.kind] ??= { operations: 0, succeeded: 0, failed: 0 });
		kind.operations += c.inputs.length;
		kind.succeeded += oks.length;
		kind.failed += errors.length;
		summary.operations += c.inputs.length;
		summary.cases[c.name] = { items: c.inputs.length, ok: oks.length, failed: errors.length, ms: c.ms };
		for (const e of errors) {
			summary.errorItems.push({ case: c.name, index: e.index, ...e.json });
			if (c.kind === 'read') summary.tally.exhausted++;
			const key = `${c.name} (${e.failure})`;
			summary.failures[key] = (summary.failures[key] ?? 0) + 1;
		}
	});
	if (unhandled.length) problems.push(`unhandled rejections: ${unhandled.map(String).join('; ')}`);
	if (env.fake.violations.length) problems.push(`requests against the spec: ${JSON.stringify(env.fake.violations.slice(0, 5))}`);
	return summary;
}

/** Token requests before the first expiry and after each one, and tokens issued in all. */
function tokenCounts(before, marks, after) {
	const edges = [before.requested, ...marks, after.requested];
	return {
		requested: after.requested - before.requested,
		issued: after.issued - before.issued,
		phases: edges.slice(1).map((edge, i) => edge - edges[i]),
	};
}

/** Runs a check; a failed one is noted (with `where`) instead of stopping the others. */
function soft(problems, check, where) {
	try {
		check();
	} catch (error) {
		problems.push(`${where ? `${where}: ` : ''}${error.message}`);
	}
}

/** The counts of a summary, for t.diagnostic(). */
function report(summary) {
	const f = summary.faults;
	const kinds = Object.entries(summary.byKind)
		.map(([kind, k]) => `${kind} ${k.operations} (${k.succeeded} ok, ${k.failed} failed)`)
		.join('; ');
	const failures = Object.entries(summary.failures)
		.map(([key, n]) => `${key} ×${n}`)
		.join(', ');
	const t = summary.tally;
	const slowest = Object.entries(summary.cases).sort((a, b) => b[1].ms - a[1].ms)[0];
	return [
		`${summary.vendor}: ${summary.operations} operations in ${(summary.ms / 1000).toFixed(1)} s (slowest execution: ${slowest[0]}, ${(slowest[1].ms / 1000).toFixed(1)} s) — ${kinds}`,
		`faults over ${f.requests} requests: ${f.error5xx} 5xx (${f.error5xxAfterHandler} after the request was processed), ${f.drop} dropped connections (${f.dropAfterHandler} after), ${f.r429} 429 with Retry-After, ${f.r429NoRetryAfter} 429 without, ${f.slow} slow answers; tokens expired ${summary.tokenExpiries} times${summary.tokens ? `; ${summary.tokens.requested} token requests (${summary.tokens.phases[0]} before the first expiry, then ${summary.tokens.phases.slice(1).join(', ')} after each expiry; ${summary.tokens.issued} tokens issued)` : ''}`,
		`failed items: ${failures || 'none'}`,
		`non-idempotent writes that failed: ${t.notLanded} did not land, ${t.landedAnswerLost} landed with the answer lost (the error says to check); duplicates: ${t.duplicates}`,
		`reads and idempotent writes that failed after all ${summary.maxRetries} retries: ${t.exhausted}`,
	].join('\n');
}

module.exports = { RATES, runMatrix, report };
