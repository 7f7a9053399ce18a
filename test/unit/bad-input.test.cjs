'use strict';
// Property-based bad input (issue 8): for every target parameter of the three action nodes,
// hostile values — wrong types, empty and special values, odd characters, near misses, broken
// payloads — fed literally and through expressions (`={{ $json.v }}`, so they resolve to null,
// lists or objects) in an input item that is not the first. Every case must end in one of:
//   • a NodeOperationError quoting the parameter's display name and `[item <i>]` of the bad item,
//     with no request sent for that item (only the good items before it reached the fake);
//   • n8n's own "node has issues" refusal, for an empty required parameter given literally (or a
//     typed resource locator ID against the regex the node declares for it);
//   • success (or a vendor's 404-like answer), only for values that are actually valid, with
//     every request matching the vendor's spec (fake.violations stays empty; the few refusals
//     the node leaves to the vendor on purpose are listed per target as `vendorRefusal`).
// Never a crash, a leaked TypeError or an unhandled rejection. The cases tried are counted per
// target and reported by the last test. The seed is fixed: BAD_INPUT_SEED=<n> tries other cases,
// BAD_INPUT_RUNS=<factor> more of them, BAD_INPUT_COLLECT=<file> lists every problem found.
const test = require('node:test');
const assert = require('node:assert/strict');
const util = require('node:util');
const { fc, targets, all, rl, emptyish, unset } = require('./bad-input-cases.cjs');
const pax8 = require('./pax8-helpers.cjs');
const connect = require('./connect-helpers.cjs');
const newstore = require('./newstore-helpers.cjs');

const SEED = Number(process.env.BAD_INPUT_SEED ?? 20250806);
const RUNS_FACTOR = Number(process.env.BAD_INPUT_RUNS ?? 1);

/** BAD_INPUT_COLLECT=<file>: write every problem found to the file instead of failing (development). */
const COLLECT = process.env.BAD_INPUT_COLLECT;
const findings = [];

const unhandled = [];
const onUnhandled = (reason) => unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
process.on('uncaughtException', onUnhandled);

/** API requests of a vendor's fake (token requests left out). */
const apiRequestsOf = {
	pax8: pax8.apiRequests,
	connect: connect.calls,
	newstore: newstore.apiRequests,
};

const show = (value) => util.inspect(value, { depth: 3, maxStringLength: 60, maxArrayLength: 5, breakLength: Infinity });

/** Internal faults that must never reach the user as the message of a bad-input error. */
const LEAK = /TypeError|ReferenceError|RangeError|Cannot read prop|Cannot set prop|is not a function|is not iterable|undefined is not|Maximum call stack|Cannot convert|Do not know how to serialize|Invalid time value|URI malformed/;

/** A value that can stand in a parameter as typed in the editor (not an expression). */
function literalOk(value) {
	return (typeof value === 'string' && !value.startsWith('=')) || (typeof value === 'number' && Number.isFinite(value));
}

let ctx;
const stats = [];

test.before(async () => {
	const [p, c, n] = await Promise.all([pax8.setup({ counts: { companies: 20 } }), connect.setup(), newstore.setup()]);
	ctx = { pax8: p, connect: c, newstore: n, data: {} };
	// Good values: records the fakes hold.
	const ps = p.fake.state;
	const contactEntry = [...ps.contacts.entries()].find(([, list]) => list.length);
	const orderable = all(ps.products).find((x) => !x.requiresCommitment);
	const details = pax8.ok(await p.run({ resource: 'product', operation: 'getProvisioningDetails', productId: rl(orderable.id) }));
	const provisioning = {};
	for (const d of details) provisioning[d.key] = d.possibleValues?.[0] ?? 'value-1';
	ctx.data.pax8 = {
		companyId: all(ps.companies)[0].id,
		orderId: all(ps.orders)[0]?.id,
		contactCompanyId: contactEntry[0],
		contactId: contactEntry[1][0].id,
		subscriptionId: all(ps.subscriptions).find((s) => s.status === 'Active').id,
		usageSummaryId: all(ps.usageSummaries)[0].id,
		webhookId: all(ps.webhooks)[0].id,
		productId: orderable.id,
		provisioning,
	};
	const ids = c.fake.ids;
	const items = connect.ok(await c.run({ resource: 'product', operation: 'getItems', productId: rl(ids.usageProducts[0]), returnAll: true }));
	const [asset] = connect.ok(await c.run({ resource: 'asset', operation: 'getAll', returnAll: false, limit: 1, filters: { product: ids.usageProducts[0] } }));
	ctx.data.connect = {
		requestId: ids.requests[0],
		usageFileId: ids.usageFiles[0],
		productId: ids.products[0],
		productId2: ids.products[1],
		usageProductId: ids.usageProducts[0],
		contractId: ids.contracts[0],
		mpn: items.find((i) => i.mpn).mpn,
		assetId: asset.id,
	};
	const ns = n.fake.state;
	const note = [...ns.notes.values()].find((x) => ns.orders.has(x.order_id));
	const profile = [...ns.profiles.values()][0];
	const [stockProduct, stockNode] = [...ns.stock.keys()][0].split('|');
	ctx.data.newstore = {
		orderId: [...ns.orders.keys()][0],
		profileId: profile.id,
		profileEmail: profile.email,
		noteId: note.id,
		noteOrderId: note.order_id,
		productId: stockProduct,
		fulfillmentNodeId: stockNode,
	};
	for (const env of [p, c, n]) env.fake.violations.length = 0;
});

test.after(async () => {
	if (COLLECT) require('node:fs').writeFileSync(COLLECT, findings.join('\n'));
	await Promise.all([ctx?.pax8.fake.close(), ctx?.connect.fake.close(), ctx?.newstore.fake.close()]);
	process.off('unhandledRejection', onUnhandled);
	process.off('uncaughtException', onUnhandled);
});

let sequence = 0;
/** Counts the judge keeps for the summary (one object per target). */
let outcomeNotes = { vendorRefusals: 0, regexRefusals: 0 };

/**
 * Runs one case: `count` input items, the bad value in item `bad` (through `={{ $json.v }}`), or
 * given literally to every item (then item 0 is the bad one). Answers what the judge needs.
 */
async function runCase(target, generated, { mode, count, bad }) {
	const env = ctx[target.vendor];
	const n = ++sequence;
	const valueOf = (i) => (target.value ? target.value(ctx, generated, n, i) : generated);
	const value = mode === 'good' ? undefined : valueOf(bad);
	const goodOf = (i) => target.good(ctx, n, i);
	const json = (i, isBad) => {
		const v = isBad ? value : goodOf(i);
		const base = target.item ? target.item(ctx, v, n, i, isBad) : v === undefined ? {} : { v };
		return { ...base, u: `bi-${n}-${i}` };
	};
	let items;
	let ref;
	if (mode === 'literal') {
		items = Array.from({ length: count }, (_, i) => ({ json: { u: `bi-${n}-${i}` } }));
		ref = value;
	} else {
		items = Array.from({ length: count }, (_, i) => ({ json: json(i, i === bad) }));
		ref = target.pair ? ['={{ $json.v[0] }}', '={{ $json.v[1] }}'] : '={{ $json.v }}';
	}
	const parameters = target.params(ctx, ref, n);
	target.beforeCase?.(ctx);
	// One item at a time (so the items before the bad one are exactly the requests sent), no
	// retries, and no client-side rate limit (Pax8's 1,000/min would pace thousands of cases).
	parameters.options = { maxRetries: 0, concurrency: 1, rateLimit: 0, ...(parameters.options ?? {}) };
	const before = env.fake.requests.length;
	const violationsBefore = env.fake.violations.length;
	let result = await env.run(parameters, { items });
	// n8n checks a resource locator's regex in a VM with a 250 ms timeout before the run; on a
	// loaded machine that check can time out (nothing has run yet): try again.
	for (let retry = 0; retry < 3 && /^Regular expression execution timed out$/.test(result.error?.message ?? ''); retry++) {
		result = await env.run(parameters, { items });
	}
	const sent = apiRequestsOf[target.vendor]({ requests: env.fake.requests.slice(before) });
	const violations = env.fake.violations.splice(violationsBefore);
	return { value, result, sent, violations };
}

/** Problems with the outcome of one case (empty: the case passed). */
function judge(target, { value, result, sent, violations }, { mode, bad }, perItem) {
	const problems = [];
	const labels = [target.label].flat().filter(Boolean);
	const names = (message) => (target.named ? target.named(message, value) : labels.some((label) => message.includes(`Parameter "${label}"`)));
	const error = result.error;
	const vendorRefusal = (v) => target.vendorRefusal?.(v, sent, value) === true;
	const spec = violations.filter((v) => !vendorRefusal(v));
	if (spec.length) problems.push(`request(s) against the vendor spec: ${show(spec.map((v) => `${v.method} ${v.path}: ${v.errors.join('; ')}`))}`);
	if (spec.length < violations.length) outcomeNotes.vendorRefusals++;
	const accepted = (mode === 'literal' && target.acceptEmpty && value === '') || (target.optional && !target.pair && unset(value)) || target.accept(value);
	if (!error && result.status === 'success') {
		if (!accepted) problems.push('the run succeeded with a value that is not valid');
		const wire = target.wire?.(sent, value);
		if (wire) problems.push(`sent: ${wire}`);
		return problems;
	}
	if (!error) return [`status ${result.status} without an error`];
	const message = String(error.message ?? '');
	const name = error.name ?? error.constructor?.name;
	if (LEAK.test(message) || LEAK.test(String(error.description ?? ''))) problems.push(`an internal error leaked: ${message}`);
	// An object written out as "[object Object]" (unless that is what the user wrote).
	if (message.includes('[object Object]') && !show(value).includes('[object Object]')) problems.push(`an object shown as [object Object]: ${message}`);
	if (name === 'NodeOperationError') {
		if (target.conversationMissing && /has no conversation for/.test(message)) return problems;
		if (!names(message)) problems.push(`the message does not name ${labels.map((l) => `"${l}"`).join(' or ') || 'the field'}: ${message}`);
		if (!message.includes(`[item ${bad}]`)) problems.push(`the message does not say [item ${bad}]: ${message}`);
		// n8n marks the failed item from the error's context.
		if (error.context?.itemIndex !== undefined && error.context.itemIndex !== bad) problems.push(`the error's itemIndex is ${error.context.itemIndex}, not ${bad}`);
		const expected = target.runAll ? 0 : bad * perItem;
		if (sent.length !== expected) problems.push(`${sent.length} request(s) sent, expected ${expected} (only the good items before the bad one)`);
		return problems;
	}
	if (name === 'WorkflowHasIssuesError') {
		// n8n's own checks before the run: an empty required parameter, or (resource locators)
		// a typed value against the regex the node declares for it.
		const empty = mode === 'literal' && emptyish(value);
		const declared = mode === 'literal' && target.locatorPattern && !(typeof value === 'string' && target.locatorPattern.test(value));
		if (!empty && !declared) problems.push(`n8n refused the workflow for a value that is not empty: ${message}`);
		// n8n names a field inside a collection by its own display name ("Product ID").
		const bare = labels.some((label) => message.includes(`Parameter "${label.replace(/ \(in [^)]*\)$/, '')}"`));
		if (empty && !declared && !names(message) && !bare) problems.push(`n8n's refusal does not name the parameter: ${message}`);
		if (declared) outcomeNotes.regexRefusals++;
		if (sent.length) problems.push('requests were sent');
		return problems;
	}
	if (name === 'NodeApiError') {
		const code = String(error.httpCode ?? '');
		if (!(accepted && target.apiErrors.includes(code))) problems.push(`the vendor was asked with a value the node should have refused (HTTP ${code}): ${message}`);
		return problems;
	}
	problems.push(`unexpected ${name}: ${message}`);
	return problems;
}

const layouts = fc.record({ count: fc.integer({ min: 2, max: 3 }), at: fc.integer({ min: 1, max: 2 }) });

const TARGETS = targets();

TARGETS.forEach((target, index) => {
	test(target.id, async () => {
		// One good item alone: it must succeed, and tells how many requests a good item sends.
		const baseline = await runCase(target, undefined, { mode: 'good', count: 1, bad: -1 });
		assert.equal(baseline.result.error?.message, undefined, `the good value must work: ${baseline.result.error?.message} ${baseline.result.error?.description ?? ''}`);
		assert.deepEqual(baseline.violations, [], 'the good value matches the spec');
		const perItem = baseline.sent.length;
		const stat = { target: target.id, cases: 0, refused: 0, accepted: 0, vendor: 0, literal: 0 };
		outcomeNotes = stat.notes = { vendorRefusals: 0, regexRefusals: 0 };
		stats.push(stat);
		const numRuns = Math.max(1, Math.round(target.numRuns * RUNS_FACTOR));
		await fc.assert(
			fc.asyncProperty(target.arb(ctx), layouts, fc.boolean(), async (generated, layout, tryLiteral) => {
				stat.cases++;
				const literalValue = target.value ? undefined : generated;
				const literal = tryLiteral && target.literal && !target.pair && literalOk(literalValue);
				// Options are read for item 0 only: there the bad value goes to the first item.
				const shape = literal
					? { mode: 'literal', count: 2, bad: 0 }
					: { mode: 'expression', count: layout.count, bad: target.itemScoped ? Math.min(layout.at, layout.count - 1) : 0 };
				if (shape.mode === 'literal') stat.literal++;
				const outcome = await runCase(target, generated, shape);
				const problems = judge(target, outcome, shape, perItem);
				if (!outcome.result.error) stat.accepted++;
				else if (outcome.result.error.name === 'NodeApiError') stat.vendor++;
				else stat.refused++;
				if (problems.length && COLLECT) {
					findings.push(`${target.id}: ${problems.join(' | ')}\n  value: ${show(outcome.value)} (${shape.mode}, item ${shape.bad} of ${shape.count})\n  error: ${outcome.result.error?.name}: ${outcome.result.error?.message}`);
				} else if (problems.length) {
					throw new Error(
						`${target.id}: ${problems.join(' | ')}\n  value: ${show(outcome.value)} (${shape.mode}, item ${shape.bad} of ${shape.count})\n  error: ${outcome.result.error?.name}: ${outcome.result.error?.message}`,
					);
				}
			}),
			{ numRuns, seed: SEED + index, endOnFailure: true, includeErrorInReport: true },
		);
	});
});

test('summary: cases tried per target, no unhandled rejection', (t) => {
	// refused: a named NodeOperationError (or n8n's own refusal); accepted: the run succeeded
	// with a valid value; vendor: a valid value the vendor answered 404/409/422 (or left to it:
	// see `vendorRefusal` in the table); literal: given as typed, not through an expression.
	const columns = ['cases', 'refused', 'accepted', 'vendor', 'literal', 'left to vendor', 'n8n regex'];
	const width = Math.max(...stats.map((s) => s.target.length));
	t.diagnostic(`${'target'.padEnd(width)}  ${columns.join('  ')}`);
	for (const s of stats) {
		const cells = [s.cases, s.refused, s.accepted, s.vendor, s.literal, s.notes.vendorRefusals, s.notes.regexRefusals];
		t.diagnostic(`${s.target.padEnd(width)}  ${cells.map((cell, i) => String(cell).padStart(columns[i].length)).join('  ')}`);
	}
	const total = stats.reduce((sum, s) => sum + s.cases, 0);
	t.diagnostic(`${stats.length} targets, ${total} cases (seed ${SEED}, runs ×${RUNS_FACTOR})`);
	assert.equal(stats.length, TARGETS.length, 'every target ran');
	assert.deepEqual(unhandled.map((e) => String(e?.stack ?? e)), [], 'no unhandled rejection or uncaught exception');
});
