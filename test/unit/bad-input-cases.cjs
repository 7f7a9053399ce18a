'use strict';
// Hostile values (fast-check arbitraries) and the table of target parameters of the
// property-based bad-input test (bad-input.test.cjs). Each target names one parameter of one
// operation as the node shows it, how to build the node's parameters around a value, a good
// value for the other input items, and the hostile values to try.
const fc = require('fast-check');
const { DateTime } = require('luxon');

const rl = (value) => ({ __rl: true, mode: 'id', value });
const all = (collection) => (collection instanceof Map ? [...collection.values()] : [...(collection ?? [])]).flat();

// ---------------------------------------------------------------------------------------------
// Hostile values

const HUGE = 'A'.repeat(70_000);

/** Values that trip naive code: wrong types, empty-ish, special numbers, odd characters. */
const CONSTANTS = [
	null,
	undefined,
	[],
	{},
	[null],
	[[]],
	['a', 'b'],
	{ a: null },
	{ a: { b: { c: [null, { d: undefined }] } } },
	{ value: 'x' },
	{ __rl: true, mode: 'id', value: 'x' },
	NaN,
	Infinity,
	-Infinity,
	-0,
	0,
	-1,
	1.5,
	2 ** 53 + 2,
	1e308,
	-1e308,
	5e-324,
	true,
	false,
	'',
	' ',
	'   ',
	'\t\n\r',
	'\u0000',
	'\u0007',
	'\u200b',
	'\u202e',
	'\ufeff',
	'😀',
	'\ud800',
	'null',
	'undefined',
	'NaN',
	'Infinity',
	'true',
	'[object Object]',
	'[]',
	'{}',
	'.',
	'..',
	'../..',
	'/',
	'//',
	'a/b',
	'a b',
	'?',
	'?a=1',
	'#',
	'#frag',
	'%',
	'%00',
	'%2F',
	'%2e%2e',
	"'",
	'"',
	'\\',
	"' OR 1=1 --",
	"'; DROP TABLE users; --",
	'or(eq(id,*))',
	'eq(status,pending)&limit=100000',
	')',
	'(',
	',',
	'*',
	'a,b',
	'<script>alert(1)</script>',
	'${7*7}',
	'{{ $json }}',
	HUGE,
	' '.repeat(5000),
	'\n'.repeat(100),
	'é'.repeat(300),
];

/** Values only an expression can produce (a Code node or `{{ }}` returning JS objects). */
const EXOTIC = [
	new Date(NaN),
	new Date(8.64e15),
	new Date('2024-05-31T00:00:00Z'),
	DateTime.invalid('bad input test'),
	DateTime.fromISO('+275760-09-13T00:00:00Z'),
	10n,
	Symbol('bad'),
	() => 'f',
	new Map([['a', 1]]),
	new Set([1]),
	Object.create(null),
	new Error('an error object'),
	Buffer.from('abc'),
	new Uint8Array([1, 2]),
	Promise.resolve(1),
];

const hostile = fc.oneof(
	{ weight: 6, arbitrary: fc.constantFrom(...CONSTANTS) },
	{ weight: 1, arbitrary: fc.constantFrom(...EXOTIC) },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
	{
		weight: 2,
		arbitrary: fc.string({
			unit: fc.constantFrom(' ', '/', '.', '?', '#', '%', '&', '=', ',', '(', ')', '"', "'", '\\', '\n', '\u0000', 'a', '1', '-', '*', 'é'),
			maxLength: 16,
		}),
	},
	{ weight: 1, arbitrary: fc.double() },
	{ weight: 1, arbitrary: fc.integer() },
	{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
	{ weight: 1, arbitrary: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }) },
	{ weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.anything({ maxDepth: 1 }), { maxKeys: 4 }) },
);

/** Small edits of a valid text: what a typo or a bad mapping makes of it. */
function nearly(validText) {
	return fc.oneof(
		fc.constantFrom(
			validText,
			validText.toUpperCase(),
			validText.toLowerCase(),
			` ${validText} `,
			`${validText}\n`,
			validText.slice(1),
			validText.slice(0, -1),
			`${validText}0`,
			`${validText}/../x`,
			`${validText}?x=1`,
			`${validText}#x`,
			`${validText}%`,
			`${validText} ${validText}`,
			`${validText},${validText}`,
			`{${validText}}`,
			`"${validText}"`,
			`\u200b${validText}`,
			validText.replace(/-/g, ''),
			validText.replace(/-/g, '_'),
			validText.replace(/\d/, '٣'),
			validText.replace(/[a-f0-9]/i, 'g'),
			[validText],
			{ value: validText },
			{ __rl: true, mode: 'id', value: validText },
		),
		fc
			.tuple(fc.nat(validText.length), fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }))
			.map(([at, insert]) => validText.slice(0, at) + insert + validText.slice(at)),
		fc.nat(Math.max(0, validText.length - 1)).map((at) => validText.slice(0, at) + validText.slice(at + 1)),
	);
}

/** Hostile values mixed with near-misses of `validText` (evaluated lazily: IDs come from the fakes). */
const around = (validText, extra = []) =>
	fc.oneof({ weight: 3, arbitrary: hostile }, { weight: 2, arbitrary: nearly(validText) }, ...extra.map((arbitrary) => ({ weight: 1, arbitrary })));

const DATE_TEXTS = [
	'2024-05-31',
	'2024-05-31T12:00:00Z',
	'2024-02-30',
	'2023-02-29',
	'2024-13-01',
	'2024-00-10',
	'2024-05-00',
	'0000-00-00',
	'0000-01-01',
	'0001-01-01',
	'9999-12-31',
	'10000-01-01',
	'+275760-09-13',
	'-000001-01-01',
	'2024-05-31T24:00:00Z',
	'2024-05-31T23:59:60Z',
	'2024-05-31T12:00:00+25:00',
	'2024-05-31T12:00:00 Z',
	'31/05/2024',
	'05/31/2024',
	'31.05.2024',
	'May 31 2024',
	'Fri, 31 May 2024 12:00:00 GMT',
	'2024-05-31 12:00:00',
	'yesterday',
	'now',
	'2024-W22-5',
	'2024-152',
	'20240531',
	'T12:00',
	'12:00',
	'2024',
	'2024-05',
	'2024-05-31T',
	'2024-5-31',
	'2024-05-31T12:00:00.123456789Z',
	'1717156800',
	'1717156800000',
];
const DATE_NUMBERS = [0, -1, 1717156800, 1717156800000, 1e15, 8.64e15, 8.64e15 + 1, -8.64e15 - 1, 1e20, -1e20, 1.5, 253402300800000];

const dates = fc.oneof(
	{ weight: 3, arbitrary: hostile },
	{ weight: 3, arbitrary: fc.constantFrom(...DATE_TEXTS, ...DATE_NUMBERS) },
	{ weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
	{ weight: 1, arbitrary: fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15) }).map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())) },
	{ weight: 1, arbitrary: fc.integer({ min: -100_000, max: 300_000 }).map((year) => `${year}-01-01`) },
);

const NUMBER_TEXTS = ['1', ' 5 ', '1e3', '1e400', '-1e400', '0x10', '0b11', '1,5', '1.5', '1.', '.5', '-0', '+3', '1_000', '１２', '١٢', '5 apples', '3.000000000000000001'];
const numbers = fc.oneof(
	{ weight: 3, arbitrary: hostile },
	{ weight: 2, arbitrary: fc.constantFrom(...NUMBER_TEXTS) },
	{ weight: 1, arbitrary: fc.double() },
	{ weight: 1, arbitrary: fc.integer({ min: -10, max: 10 }) },
	{ weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()).map(String) },
);

const EMAILS = ['a@b.co', 'name@example.com', 'no-at-sign', '@example.com', 'a@', 'a@b', 'a b@c.de', 'a@b.c d', 'a@@b.co', 'a@b..co', '<a@b.co>', 'a@b.co\n', 'ä@ö.de', 'x'.repeat(300) + '@example.com'];
const emails = fc.oneof({ weight: 3, arbitrary: hostile }, { weight: 2, arbitrary: fc.constantFrom(...EMAILS) }, { weight: 1, arbitrary: fc.emailAddress() });

const RQL_TEXTS = [
	'eq(status,pending)',
	'and(eq(status,pending),ne(type,purchase))',
	'and(eq(status,pending)',
	'eq(status,pending))',
	'eqq(status,pending)',
	'eq(status)',
	'eq(status,pending,x)',
	'not(eq(a,b),eq(c,d))',
	'null(1)',
	'status=pending',
	'status=eq=pending',
	'eq(status,"a#b")',
	'eq(status,"pending#")',
	'eq(status,"a&b")',
	'eq(status,"a b")',
	'eq(status,"100%")',
	"eq(status,'a')",
	'eq(status,"unclosed)',
	'in(status,())',
	'in(status,pending)',
	'and(eq(status,pending))',
	'or(eq(status,pending),eq(status,"x#y"))',
	'eq(status,pending)&',
	'&eq(status,pending)',
	'?eq(status,pending)',
	'eq(status,pending)&limit=10',
	'eq(status,pending)#frag',
	'eq(status,pending) or 1=1',
	"eq(id,'1' OR '1'='1')",
	'eq(id,1);DROP TABLE requests',
	'select(+asset)',
	'ordering(-created)',
	'limit(100000)',
	'in(status,(pending,approved))',
	'in(status,())',
	'ilike(asset.id,*AS*)',
	'eq(a.b.c.d.e.f,1)',
	'(eq(a,b))',
	'eq(ä,ö)',
	'eq(status,pending)\u0000',
	'eq(status,"\ud800")',
	'eq(status,.x)',
	'eq(status,a!b)',
	'eq(..,1)',
	'status=',
	'..=',
	'??()',
	'eq(\nstatus,pending)',
	'and(' .repeat(200) + ')'.repeat(200),
	'and('.repeat(5000),
	'eq(' + 'a'.repeat(10000) + ',1)',
];
const rqlText = fc.oneof(
	{ weight: 3, arbitrary: hostile },
	{ weight: 3, arbitrary: fc.constantFrom(...RQL_TEXTS) },
	{
		weight: 2,
		arbitrary: fc
			.array(fc.constantFrom('eq(', 'ne(', 'and(', 'or(', 'not(', 'in(', 'status', ',', ')', '(', '"', "'", 'a b', '#', '&', '%', '=', '*', 'null()', '?', '\\', '/', '..', 'ü'), { maxLength: 12 })
			.map((parts) => parts.join('')),
	},
);

// ---------------------------------------------------------------------------------------------
// Helpers for the table

/** What JSON Schema's `format: email` takes (ajv-formats' fast check, as the fakes use it). */
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isText = (v) => typeof v === 'string';
const uuidOk = (v) => isText(v) && UUID.test(v.trim());
const connectIdOk = (prefix) => (v) => isText(v) && new RegExp(`^${prefix}-[A-Z0-9][A-Z0-9-]*$`).test(v.trim().toUpperCase());

function emptyish(value) {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** What the node takes as "not given" for an optional parameter (n8n stores `{}` for nothing). */
function unset(value) {
	if (emptyish(value)) return true;
	if (typeof value !== 'object' || Array.isArray(value)) return false;
	const proto = Object.getPrototypeOf(value);
	return (proto === Object.prototype || proto === null) && Object.keys(value).length === 0;
}

/** Accepts what `check(text)` accepts after trimming; never non-text. */
const textWhere = (check) => (v) => isText(v) && check(v.trim());

const sqlDate = /^\d{4}-\d{2}-\d{2}$/;

// ---------------------------------------------------------------------------------------------
// Structured values: a valid payload with one thing broken.

/** Every path (list of keys) in a JSON-like tree, the root included. */
function pathsOf(value, prefix = []) {
	const out = [prefix];
	if (Array.isArray(value)) value.forEach((inner, i) => out.push(...pathsOf(inner, [...prefix, i])));
	else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) out.push(...pathsOf(inner, [...prefix, key]));
	return out;
}

const MUTATIONS = ['delete', 'null', 'hostile', 'swapType', 'wrapList', 'emptyList', 'emptyObject', 'nearText', 'extraKey', 'duplicate', 'negate', 'huge'];

/**
 * A mutation of a payload: a path (as an index into its paths, wrapped) and what to do there.
 * Applied to a fresh copy of the valid payload by `mutate()`; printed as it is in failures.
 */
const mutation = fc.record({ at: fc.nat(10_000), op: fc.constantFrom(...MUTATIONS), value: hostile, text: fc.string({ unit: 'binary', maxLength: 4 }) });

const clone = (value) => (value === undefined ? undefined : structuredClone(value));

/** Applies a `mutation` to a copy of `valid`; answers the broken payload and where it broke. */
function mutate(valid, m) {
	const root = { root: clone(valid) };
	const paths = pathsOf(root.root).map((path) => ['root', ...path]);
	const path = paths[m.at % paths.length];
	const key = path.at(-1);
	const parent = path.slice(0, -1).reduce((node, k) => node[k], root);
	const current = parent[key];
	switch (m.op) {
		case 'delete':
			if (Array.isArray(parent)) parent.splice(key, 1);
			else delete parent[key];
			break;
		case 'null':
			parent[key] = null;
			break;
		case 'hostile':
			parent[key] = m.value;
			break;
		case 'swapType':
			parent[key] = typeof current === 'number' ? String(current) : typeof current === 'string' && current.trim() !== '' && Number.isFinite(Number(current)) ? Number(current) : typeof current === 'string' ? 0 : typeof current === 'boolean' ? String(current) : JSON.stringify(current ?? null);
			break;
		case 'wrapList':
			parent[key] = [current];
			break;
		case 'emptyList':
			parent[key] = [];
			break;
		case 'emptyObject':
			parent[key] = {};
			break;
		case 'nearText':
			parent[key] = typeof current === 'string' ? `${current}${m.text}` : typeof current === 'number' ? current + 0.001 : m.text;
			break;
		case 'extraKey':
			if (current && typeof current === 'object' && !Array.isArray(current)) current[`x${m.text}`] = m.value;
			else parent[key] = m.value;
			break;
		case 'duplicate':
			if (Array.isArray(current)) current.push(clone(current[0]));
			else parent[key] = [current, current];
			break;
		case 'negate':
			parent[key] = typeof current === 'number' ? -current - 1 : -1;
			break;
		case 'huge':
			parent[key] = typeof current === 'number' ? 1e21 : HUGE;
			break;
	}
	return { payload: root.root, where: path.slice(1).join('.') || '(root)', op: m.op };
}

module.exports = {
	fc,
	emptyish,
	unset,
	mutation,
	mutate,
	rl,
	all,
	hostile,
	nearly,
	around,
	dates,
	numbers,
	emails,
	rqlText,
	CONSTANTS,
	EXOTIC,
	HUGE,
	UUID,
	uuidOk,
	connectIdOk,
	textWhere,
	sqlDate,
	isText,
};

/** Whether a spec error like `body/shipments/0/price must be number` is about a falsy value. */
function falsyAt(body, error) {
	const match = /^body\/(\S+)/.exec(error);
	if (!match) return false;
	let value = { body };
	for (const key of ['body', ...match[1].split('/')]) value = value == null ? undefined : value[key];
	return value === null || value === 0 || value === '' || value === false || (Array.isArray(value) && value.length === 0);
}

// ---------------------------------------------------------------------------------------------
// The table of target parameters.
//
// Each target: `vendor`; `label` (the display name(s) the error must quote); `params(ctx, ref, n)`
// the node parameters with `ref` where the value goes (`={{ $json.v }}` or the value itself);
// `good(ctx, n)` the value of the other input items; `arb(ctx)` the values tried; `accept(v)`
// whether the value is valid (only then may the run succeed); `apiErrors` HTTP codes a valid
// value may still get from the vendor (e.g. 404: a well-formed ID nobody has); `wire(sent, v)`
// what must hold for the requests of a successful run. Optional: `item(ctx, v, n, i)` the input
// item's JSON (default `{ v }`), `value(ctx, generated, n, i)` turning a generated value into
// the one fed, `itemScoped: false` (read from item 0 only), `runAll` (all items at once),
// `literal: false` (expressions only), `named(message, v)` for messages naming something else.

/** Text of a primitive (what the node takes as text), undefined for anything else. */
const textOf = (v) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
/** Whether String() can turn a value into text (it throws for some objects). */
const stringifies = (v) => {
	try {
		String(v);
		return true;
	} catch {
		return false;
	}
};
const textOk = (max = Infinity) => (v) => (isText(v) || (typeof v === 'number' && Number.isFinite(v))) && String(v).trim() !== '' && String(v).length <= max;
const dateValue = (v) => {
	if (v instanceof Date) return !Number.isNaN(v.getTime());
	if (DateTime.isDateTime(v)) return v.isValid;
	return (isText(v) && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v));
};
/** A calendar date YYYY-MM-DD that exists, years 0001–9999. */
const realDate = (text) => {
	if (typeof text !== 'string' || !sqlDate.test(text)) return false;
	const parsed = DateTime.fromISO(text, { zone: 'utc' });
	return parsed.isValid && parsed.year >= 1;
};
/** An ISO 8601 date-time with a 4-digit year that exists. */
const realDateTime = (text) => typeof text === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && DateTime.fromISO(text).isValid;
const numberValue = (v) => (typeof v === 'number' && Number.isFinite(v)) || (isText(v) && v.trim() !== '' && Number.isFinite(Number(v)));
const integerValue = (v) => numberValue(v) && Number.isInteger(Number(v));

function targets() {
	const list = [];
	const add = (target) => list.push({ numRuns: 40, literal: true, itemScoped: true, apiErrors: [], accept: () => false, ...target });

	// ----- Pax8 -----
	const pax8Id = (id, label, operation, build, good, extra = {}) =>
		add({
			id: `Pax8 ${operation} › ${label}`,
			vendor: 'pax8',
			label,
			params: build,
			good,
			arb: (ctx) => around(good(ctx), [fc.uuid()]),
			accept: uuidOk,
			apiErrors: ['404'],
			wire: (sent) => (sent.every((r) => !/\/\.\.?(\/|$)/.test(r.path)) ? undefined : 'a dot segment in the path'),
			...extra,
		});
	pax8Id('companyId', 'Company', 'company.get', (ctx, ref) => ({ resource: 'company', operation: 'get', companyId: rl(ref) }), (ctx) => ctx.data.pax8.companyId, { locatorPattern: UUID });
	pax8Id('orderId', 'Order ID', 'order.get', (ctx, ref) => ({ resource: 'order', operation: 'get', orderId: ref }), (ctx) => ctx.data.pax8.orderId);
	pax8Id(
		'contactId',
		'Contact ID',
		'contact.get',
		(ctx, ref) => ({ resource: 'contact', operation: 'get', companyId: rl(ctx.data.pax8.contactCompanyId), contactId: ref }),
		(ctx) => ctx.data.pax8.contactId,
	);
	pax8Id(
		'subscriptionId',
		'Subscription',
		'subscription.getHistory',
		(ctx, ref) => ({ resource: 'subscription', operation: 'getHistory', subscriptionId: rl(ref) }),
		(ctx) => ctx.data.pax8.subscriptionId,
		{ locatorPattern: UUID },
	);
	add({
		id: 'Pax8 invoice.getAll › Invoice Date (in Filters)',
		vendor: 'pax8',
		label: 'Invoice Date (in Filters)',
		optional: true,
		params: (ctx, ref) => ({ resource: 'invoice', operation: 'getAll', returnAll: false, limit: 1, filters: { invoiceDate: ref } }),
		good: () => '2025-06-01',
		arb: () => dates,
		accept: dateValue,
		wire: (sent) => (sent.every((r) => r.query.invoiceDate === undefined || realDate(r.query.invoiceDate)) ? undefined : `invoiceDate sent as ${JSON.stringify(sent.map((r) => r.query.invoiceDate))}`),
	});
	add({
		id: 'Pax8 invoice.getAll › Invoice Date From / To (date range)',
		vendor: 'pax8',
		label: ['Invoice Date From (in Filters)', 'Invoice Date To (in Filters)'],
		pair: true,
		optional: true,
		params: (ctx, [from, to]) => ({ resource: 'invoice', operation: 'getAll', returnAll: false, limit: 1, filters: { invoiceDateRangeStart: from, invoiceDateRangeEnd: to } }),
		good: () => ['2025-01-01', '2025-12-31'],
		arb: () => fc.tuple(fc.oneof(dates, fc.constant('2025-03-01')), fc.oneof(dates, fc.constant('2025-02-01'), fc.constant('2025-03-01T00:00:00Z'))),
		accept: ([from, to]) => [from, to].every((v) => unset(v) || dateValue(v)),
		wire: (sent) =>
			sent.every((r) => {
				const [from, to] = [r.query.invoiceDateRangeStart, r.query.invoiceDateRangeEnd];
				return (from === undefined || realDate(from)) && (to === undefined || realDate(to)) && !(from && to && from > to);
			})
				? undefined
				: `range sent as ${JSON.stringify(sent.map((r) => [r.query.invoiceDateRangeStart, r.query.invoiceDateRangeEnd]))}`,
	});
	add({
		id: 'Pax8 invoice.getAll › Total (in Filters)',
		vendor: 'pax8',
		label: 'Total (in Filters)',
		optional: true,
		params: (ctx, ref) => ({ resource: 'invoice', operation: 'getAll', returnAll: false, limit: 1, filters: { total: ref } }),
		good: () => 100,
		arb: () => numbers,
		accept: numberValue,
		wire: (sent) => (sent.every((r) => r.query.total === undefined || (Number.isFinite(Number(r.query.total)) && r.query.total !== '')) ? undefined : 'total sent as a non-number'),
	});
	add({
		id: 'Pax8 usageSummary.getLines › Usage Date (required date)',
		vendor: 'pax8',
		label: 'Usage Date',
		params: (ctx, ref) => ({ resource: 'usageSummary', operation: 'getLines', usageSummaryId: ctx.data.pax8.usageSummaryId, usageDate: ref, returnAll: false, limit: 1 }),
		good: () => '2025-05-01',
		arb: () => dates,
		accept: dateValue,
		wire: (sent) => (sent.every((r) => realDate(r.query.usageDate)) ? undefined : `usageDate sent as ${JSON.stringify(sent.map((r) => r.query.usageDate))}`),
	});
	add({
		id: 'Pax8 webhook.getLogs › Start Date (in Filters) (date-time)',
		vendor: 'pax8',
		label: 'Start Date (in Filters)',
		optional: true,
		params: (ctx, ref) => ({ resource: 'webhook', operation: 'getLogs', webhookId: ctx.data.pax8.webhookId, returnAll: false, limit: 1, filters: { startDate: ref } }),
		good: () => '2025-05-01T00:00:00Z',
		arb: () => dates,
		accept: dateValue,
		wire: (sent) => (sent.every((r) => r.query.startDate === undefined || realDateTime(r.query.startDate)) ? undefined : `startDate sent as ${JSON.stringify(sent.map((r) => r.query.startDate))}`),
	});
	add({
		id: 'Pax8 subscription.update › Quantity (in Update Fields)',
		vendor: 'pax8',
		label: ['Quantity (in Update Fields)', 'Update Fields'],
		params: (ctx, ref) => ({ resource: 'subscription', operation: 'update', subscriptionId: rl(ctx.data.pax8.subscriptionId), updateFields: { quantity: ref } }),
		good: () => 2,
		arb: () => numbers,
		// The form declares a minimum of 1.
		accept: (v) => integerValue(v) && Number(v) >= 1,
		apiErrors: ['422'],
		wire: (sent) => (sent.filter((r) => r.method === 'PUT').every((r) => Number.isInteger(r.body.quantity) && r.body.quantity >= 1) ? undefined : 'quantity sent below 1 or not whole'),
	});
	add({
		id: 'Pax8 subscription.update › Price (in Update Fields)',
		vendor: 'pax8',
		label: ['Price (in Update Fields)', 'Update Fields'],
		params: (ctx, ref) => ({ resource: 'subscription', operation: 'update', subscriptionId: rl(ctx.data.pax8.subscriptionId), updateFields: { price: ref } }),
		good: () => 12.5,
		arb: () => numbers,
		accept: numberValue,
		apiErrors: ['422'],
		wire: (sent) => (sent.filter((r) => r.method === 'PUT').every((r) => Number.isFinite(r.body.price)) ? undefined : 'price sent as a non-number'),
	});
	const provisioningOk = (list) => list === undefined || (Array.isArray(list) && list.every((e) => e && typeof e.key === 'string' && e.key && Array.isArray(e.values) && e.values.every((x) => typeof x === 'string')));
	add({
		id: 'Pax8 subscription.update › Provisioning Details (JSON) (in Update Fields)',
		vendor: 'pax8',
		label: 'Provisioning Details (JSON) (in Update Fields)',
		optional: true,
		params: (ctx, ref) => ({ resource: 'subscription', operation: 'update', subscriptionId: rl(ctx.data.pax8.subscriptionId), updateFields: { quantity: 2, provisioningDetails: ref } }),
		good: () => '[{"key":"msDomain","values":["contoso"]}]',
		arb: () =>
			fc.oneof(
				hostile,
				mutation.map((m) => mutate([{ key: 'msDomain', values: ['contoso'] }], m).payload),
				mutation.map((m) => mutate({ msDomain: 'contoso' }, m).payload),
				mutation.map((m) => JSON.stringify(mutate([{ key: 'msDomain', values: ['contoso'] }], m).payload) ?? ''),
				fc.constantFrom('[', '{"a":', '[{"key":1}]', '{"msDomain":{"x":1}}', '[{"values":["a"]}]', '[]', '{}', '[1,2]', '"text"', '42', 'null'),
			),
		accept: (v) => v !== null && (typeof v === 'object' || isText(v)),
		apiErrors: ['422'],
		wire: (sent) => (sent.filter((r) => r.method === 'PUT').every((r) => provisioningOk(r.body.provisioningDetails)) ? undefined : `provisioningDetails sent as ${JSON.stringify(sent.filter((r) => r.method === 'PUT').map((r) => r.body.provisioningDetails)).slice(0, 200)}`),
	});
	const BILLING = ['Monthly', 'Annual', '2-Year', '3-Year', 'One-Time', 'Trial', 'Activation'];
	const lineItemsOk = (sent) =>
		sent
			.filter((r) => r.method === 'POST')
			.every((r) => Array.isArray(r.body.lineItems) && r.body.lineItems.length > 0 && r.body.lineItems.every((li) => UUID.test(li.productId) && Number.isInteger(li.quantity) && li.quantity >= 1 && BILLING.includes(li.billingTerm) && provisioningOk(li.provisioningDetails)))
			? undefined
			: 'line items sent malformed';
	const goodLine = (ctx) => ({ productId: ctx.data.pax8.productId, quantity: 1, billingTerm: 'Monthly', provisioningDetails: ctx.data.pax8.provisioning });
	add({
		id: 'Pax8 order.create › Line Items (JSON) (mutated payloads)',
		vendor: 'pax8',
		label: 'Line Items (JSON)',
		params: (ctx, ref) => ({ resource: 'order', operation: 'create', companyId: rl(ctx.data.pax8.companyId), lineItemsInput: 'json', lineItemsJson: ref, validateOnly: true }),
		good: (ctx) => JSON.stringify([goodLine(ctx)]),
		value: (ctx, g) => (g && g.mutation ? (g.asText ? JSON.stringify(mutate([goodLine(ctx)], g.mutation).payload) ?? '' : mutate([goodLine(ctx)], g.mutation).payload) : g.plain),
		arb: () =>
			fc.oneof(
				{ weight: 4, arbitrary: fc.record({ mutation, asText: fc.boolean() }) },
				{ weight: 1, arbitrary: hostile.map((plain) => ({ plain })) },
				{ weight: 1, arbitrary: fc.constantFrom('[', '[{"productId":', '[{}]', '[null]', '[[]]', '{}', '[]', '"x"', 'null').map((plain) => ({ plain })) },
			),
		accept: (v) => v !== null && (typeof v === 'object' || isText(v)),
		apiErrors: ['404', '422'],
		wire: lineItemsOk,
	});
	const formLine = (ctx, overrides) => ({ lineItem: [{ productId: ctx.data.pax8.productId, quantity: 1, billingTerm: 'Monthly', provisioningDetails: JSON.stringify(ctx.data.pax8.provisioning), lineItemNumber: 0, parentLineItemNumber: 0, ...overrides }] });
	for (const [field, label, arb, accept, good] of [
		['productId', 'Product ID (in Line Items)', (ctx) => around(ctx.data.pax8.productId, [fc.uuid()]), uuidOk, (ctx) => ctx.data.pax8.productId],
		['quantity', 'Quantity (in Line Items)', () => numbers, (v) => integerValue(v) && Number(v) >= 1, () => 1],
		['provisioningDetails', 'Provisioning Details (JSON) (in Line Items)', () => fc.oneof(hostile, fc.constantFrom('[', '{"a":', '[{"key":1}]', '[{"values":["a"]}]', '[1]', '"x"', '[]', '{"msDomain":{"a":1}}')), (v) => v !== null && (typeof v === 'object' || isText(v)), (ctx) => JSON.stringify(ctx.data.pax8.provisioning)],
		['provisionStartDate', 'Provision Start Date (in Line Items)', () => dates, dateValue, () => '2025-01-01T00:00:00Z'],
	]) {
		add({
			id: `Pax8 order.create › ${label} (form)`,
			vendor: 'pax8',
			label: [label, 'Line Items'],
			// An empty optional field is left out; an empty Product ID or Quantity is "needed".
			optional: field === 'provisioningDetails' || field === 'provisionStartDate',
			params: (ctx, ref) => ({ resource: 'order', operation: 'create', companyId: rl(ctx.data.pax8.companyId), lineItemsInput: 'fields', lineItems: formLine(ctx, { [field]: ref }), validateOnly: true }),
			good,
			arb,
			accept,
			apiErrors: ['404', '422'],
			wire: lineItemsOk,
		});
	}
	add({
		id: 'Pax8 contact.create › Email',
		vendor: 'pax8',
		label: 'Email',
		params: (ctx, ref) => ({ resource: 'contact', operation: 'create', companyId: rl(ctx.data.pax8.companyId), firstName: 'Bad', lastName: 'Input', email: ref, phone: '555-0100', types: ['Admin'] }),
		good: () => 'bad.input@example.com',
		arb: () => emails,
		accept: textWhere((t) => EMAIL.test(t)),
		apiErrors: ['422'],
		numRuns: 30,
	});
	add({
		id: 'Pax8 company.create › Country Code',
		vendor: 'pax8',
		label: 'Country Code',
		params: (ctx, ref) => ({ resource: 'company', operation: 'create', name: 'Bad Input Co', phone: '555-0100', website: 'https://example.com', street: '1 Main St', city: 'Town', postalCode: '12345', country: ref }),
		good: () => 'US',
		arb: () => fc.oneof(hostile, nearly('US'), fc.constantFrom('USA', 'us', 'U$', 'ZZ', 'EU', 'UK', 'XK', 'D E')),
		accept: textWhere((t) => /^[A-Za-z]{2}$/.test(t)),
		apiErrors: ['422'],
		numRuns: 30,
	});
	add({
		id: 'Pax8 webhook.create › URL',
		vendor: 'pax8',
		label: 'URL',
		params: (ctx, ref) => ({ resource: 'webhook', operation: 'create', displayName: 'Bad input', url: ref, topic: 'INVOICE' }),
		good: () => 'https://example.com/hooks/pax8',
		arb: () => fc.oneof(hostile, nearly('https://example.com/hooks/pax8'), fc.webUrl(), fc.constantFrom('http://example.com/x', 'ftp://example.com', 'https://', 'https:// example.com', 'javascript:alert(1)', 'https://exa mple.com', '//example.com/x')),
		accept: textWhere((t) => /^https:\/\/\S+$/i.test(t) || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/\S*$/i.test(t)),
		apiErrors: ['400', '422'],
		numRuns: 30,
	});

	// ----- CloudBlue Connect -----
	const connectId = (label, prefix, operation, build, good, extra = {}) =>
		add({
			id: `Connect ${operation} › ${label} (${prefix}-)`,
			vendor: 'connect',
			label,
			params: build,
			good,
			arb: (ctx) =>
				fc.oneof(
					{ weight: 3, arbitrary: around(good(ctx)) },
					{ weight: 1, arbitrary: fc.constantFrom(`${prefix}-`, `${prefix}-/..`, `${prefix}-1/../../x`, `${prefix}-1?limit=1`, `${prefix}-1#`, `${prefix}-1%2F`, `${prefix}--`, `${prefix}-1 2`, `${prefix.toLowerCase()}-123`, `X${prefix}-1`, `${prefix}_1`, `PR-1`, `TCR-1`, `UF-1`, `${prefix}-ÄÖ`) },
				),
			accept: connectIdOk(prefix),
			apiErrors: ['404'],
			locatorPattern: new RegExp(`^${prefix}-[A-Za-z0-9][A-Za-z0-9-]*$`),
			...extra,
		});
	connectId('Request', 'PR', 'request.get', (ctx, ref) => ({ resource: 'request', operation: 'get', requestId: rl(ref) }), (ctx) => ctx.data.connect.requestId);
	connectId('Usage File', 'UF', 'usageFile.get', (ctx, ref) => ({ resource: 'usageFile', operation: 'get', usageFileId: rl(ref) }), (ctx) => ctx.data.connect.usageFileId);
	connectId('Product', 'PRD', 'product.get', (ctx, ref) => ({ resource: 'product', operation: 'get', productId: rl(ref) }), (ctx) => ctx.data.connect.productId);
	connectId(
		'Contract ID',
		'CRD',
		'usageFile.create',
		(ctx, ref) => ({ resource: 'usageFile', operation: 'create', productId: rl(ctx.data.connect.usageProductId), contractId: ref, name: 'bad input', periodFrom: '2025-05-01', periodTo: '2025-05-31' }),
		(ctx) => ctx.data.connect.contractId,
		{ apiErrors: ['400', '404'], numRuns: 30 },
	);
	add({
		id: 'Connect request.getAll › RQL (in Filters)',
		vendor: 'connect',
		label: 'RQL (in Filters)',
		optional: true,
		params: (ctx, ref) => ({ resource: 'request', operation: 'getAll', returnAll: false, limit: 1, filters: { rql: ref } }),
		good: () => 'eq(status,pending)',
		arb: () => rqlText,
		accept: (v) => isText(v) || typeof v === 'number',
		// Connect refuses filters it does not offer (the node checks syntax only): a 400 whose
		// reason is a known filter rule, not a parse error, is the vendor's to give.
		apiErrors: ['400'],
		vendorRefusal: (violation) => violation.errors.every((e) => !/Parsing error/i.test(e)),
		numRuns: 80,
	});
	add({
		id: 'Connect request.getAll › Product IDs (in Filters)',
		vendor: 'connect',
		label: 'Product IDs (in Filters)',
		optional: true,
		params: (ctx, ref) => ({ resource: 'request', operation: 'getAll', returnAll: false, limit: 1, filters: { product: ref } }),
		good: (ctx) => `${ctx.data.connect.productId}, ${ctx.data.connect.productId2}`,
		arb: (ctx) => fc.oneof(around(ctx.data.connect.productId), fc.constantFrom('PRD-1,', ',PRD-1', 'PRD-1,,PRD-2', 'PRD-1;PRD-2', 'PRD-1 PRD-2', 'PRD-1,MP-2', ['PRD-1', null], ['PRD-1', 5], ['PRD-1', ['PRD-2']], [' PRD-1 '])),
		accept: (v) => {
			const parts = (Array.isArray(v) ? v : isText(v) ? v.split(',') : [v]).map((x) => (isText(x) ? x.trim() : x)).filter((x) => x !== '');
			// No IDs at all (an empty list, only commas) filters nothing.
			return parts.every((x) => connectIdOk('PRD')(x));
		},
		wire: (sent) => (sent.every((r) => !/%23|#|&[^l]/.test(r.rawQuery.replace(/&limit=\d+|&offset=\d+/g, ''))) ? undefined : `query ${sent.map((r) => r.rawQuery).join(' ')}`),
	});
	add({
		id: 'Connect request.getAll › Created After (in Filters) (date-time)',
		vendor: 'connect',
		label: 'Created After (in Filters)',
		optional: true,
		params: (ctx, ref) => ({ resource: 'request', operation: 'getAll', returnAll: false, limit: 1, filters: { createdAfter: ref } }),
		good: () => '2025-01-01T00:00:00Z',
		arb: () => dates,
		accept: dateValue,
	});
	add({
		id: 'Connect usageFile.create › Period From / Period To (date range)',
		vendor: 'connect',
		label: ['Period From', 'Period To'],
		pair: true,
		params: (ctx, [from, to]) => ({ resource: 'usageFile', operation: 'create', productId: rl(ctx.data.connect.usageProductId), contractId: ctx.data.connect.contractId, name: 'bad input', periodFrom: from, periodTo: to }),
		good: () => ['2025-05-01', '2025-05-31'],
		arb: () => fc.tuple(fc.oneof(dates, fc.constant('2025-05-10')), fc.oneof(dates, fc.constant('2025-05-01'), fc.constant('2025-05-10T23:00:00Z'))),
		accept: ([from, to]) => dateValue(from) && dateValue(to),
		wire: (sent) =>
			sent.filter((r) => r.method === 'POST').every((r) => realDate(r.body.period?.from) && realDate(r.body.period?.to) && r.body.period.from <= r.body.period.to)
				? undefined
				: `period sent as ${JSON.stringify(sent.map((r) => r.body?.period))}`,
		numRuns: 30,
	});
	add({
		id: 'Connect usageFile.create › Currency',
		vendor: 'connect',
		label: 'Currency',
		optional: true,
		params: (ctx, ref) => ({ resource: 'usageFile', operation: 'create', productId: rl(ctx.data.connect.usageProductId), contractId: ctx.data.connect.contractId, name: 'bad input', periodFrom: '2025-05-01', periodTo: '2025-05-31', currency: ref }),
		good: () => 'USD',
		arb: () => fc.oneof(hostile, nearly('USD'), fc.constantFrom('usd', 'US', 'USDD', 'U$D', '€', 'EUR ', ' eur', '123')),
		accept: (v) => isText(v) && /^[A-Za-z]{3}$/.test(v.trim()),
		// An empty currency means the default (USD).
		acceptEmpty: true,
		numRuns: 30,
	});
	add({
		id: 'Connect note.add › Object ID',
		vendor: 'connect',
		label: 'Object ID',
		params: (ctx, ref) => ({ resource: 'note', operation: 'add', instanceId: ref, text: 'bad input test', type: 'private' }),
		good: (ctx) => ctx.data.connect.requestId,
		arb: (ctx) => fc.oneof(around(ctx.data.connect.requestId), fc.constantFrom('AS-1', 'PR-', 'TCR-/..', 'UF-1?x', 'pr-1-2')),
		accept: (v) => isText(v) && /^(PR|TCR|UF)-[A-Z0-9][A-Z0-9-]*$/.test(v.trim().toUpperCase()),
		apiErrors: ['404'],
		// A well-formed ID without a conversation is reported by the node itself.
		conversationMissing: true,
		numRuns: 30,
	});
	add({
		id: 'Connect note.add › Text (length, Longer Text: Reject)',
		vendor: 'connect',
		label: 'Text',
		params: (ctx, ref) => ({ resource: 'note', operation: 'add', instanceId: ctx.data.connect.requestId, text: ref, type: 'private', overLimit: 'reject', maxLength: 50 }),
		good: () => 'a short note',
		arb: () => fc.oneof(hostile, fc.string({ minLength: 45, maxLength: 55 }), fc.string({ unit: 'grapheme', minLength: 20, maxLength: 60 }), fc.constantFrom('x'.repeat(50), 'x'.repeat(51), ' '.repeat(60) + 'x', '😀'.repeat(25), '😀'.repeat(26))),
		accept: (v) => (typeof v === 'boolean' || textOk()(v)) && String(v).trim().length <= 50,
		numRuns: 40,
	});
	add({
		id: 'Connect request.updateParameters › Structured Value (JSON) (in Parameters)',
		vendor: 'connect',
		label: 'Structured Value (JSON) (in Parameters)',
		optional: true,
		params: (ctx, ref) => ({ resource: 'request', operation: 'updateParameters', requestId: rl(ctx.data.connect.requestId), parameters: { parameter: [{ id: 'admin_url', value: 'https://admin.example', structuredValue: ref }] } }),
		good: () => '{}',
		arb: () => fc.oneof(hostile, fc.constantFrom('{', '{"a":', '[1]', '"x"', 'null', '{"a":{"b":null}}', '{}')),
		// JSON text is the node's to parse; `{}` and null mean "none".
		accept: (v) => v !== null && (typeof v === 'object' || isText(v)),
		apiErrors: ['400'],
		// What an object must hold depends on the parameter's type, which only Connect knows.
		vendorRefusal: (violation) => violation.errors.every((e) => /structured_value (must have required property|must match exactly one schema|must NOT have additional properties)/.test(e)),
	});
	// Usage records: the input items are the records (Create From Records, all items at once).
	const goodRecord = (ctx, i = 0) => ({
		mpn: ctx.data.connect.mpn,
		qty: i + 1,
		from: '2025-05-01T00:00:00Z',
		to: '2025-05-01T23:59:59Z',
		assetId: ctx.data.connect.assetId,
		item_search_criteria: 'item.mpn',
		asset_search_criteria: 'asset.id',
	});
	const COLUMN_OF = { mpn: 'item_search_value', qty: 'quantity', from: 'start_time_utc', to: 'end_time_utc', assetId: 'asset_search_value' };
	add({
		id: 'Connect usageFile.createFromRecords › usage records (input items)',
		vendor: 'connect',
		label: null,
		runAll: true,
		literal: false,
		params: (ctx) => ({
			resource: 'usageFile',
			operation: 'createFromRecords',
			productId: rl(ctx.data.connect.usageProductId),
			contractId: ctx.data.connect.contractId,
			name: 'bad input records',
			periodFrom: '2025-05-01',
			periodTo: '2025-05-31',
			mapping: { item_search_value: 'mpn', quantity: 'qty', start_time_utc: 'from', end_time_utc: 'to', asset_search_value: 'assetId' },
			usageOptions: { maxWait: 0 },
		}),
		good: (ctx) => goodRecord(ctx),
		value: (ctx, g) => mutate(goodRecord(ctx), g).payload,
		item: (ctx, v, n, i, bad) => (bad ? (v && typeof v === 'object' && !Array.isArray(v) ? v : { broken: v }) : goodRecord(ctx, i)),
		arb: () => mutation,
		accept: () => true,
		// The message names the column (and the input field it came from).
		named: (message) => /not valid; nothing was uploaded: (\w+) \(input field "([^"]+)"\)/.test(message) && Object.entries(COLUMN_OF).every(([field, column]) => !message.includes(`${column} (input field`) || message.includes(`(input field "${field}")`)),
		numRuns: 40,
	});

	// ----- NewStore -----
	const PATH_ID_ARB = (good) =>
		fc.oneof(
			{ weight: 3, arbitrary: around(good) },
			{ weight: 1, arbitrary: fc.constantFrom('.', '..', './', '../x', '...', '%2e%2e', 'a/b', 'a?b', 'a#b', 'a%b', 'x'.repeat(256), 'x'.repeat(257), 12345, -1, 1.5) },
		);
	const pathIdOk = (v) => {
		const id = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : isText(v) ? v.trim() : '';
		return id !== '' && !/\s/.test(id) && id.length <= 256 && id !== '.' && id !== '..';
	};
	const onePathSegment = (prefix) => (sent) => (sent.every((r) => r.path.startsWith(prefix) && /^[^/]+$/.test(r.path.slice(prefix.length).split('/')[0])) ? undefined : `path ${sent.map((r) => r.path).join(' ')}`);
	add({
		id: 'NewStore order.get › Order ID',
		vendor: 'newstore',
		label: 'Order ID',
		params: (ctx, ref) => ({ resource: 'order', operation: 'get', idType: 'internal', orderId: ref }),
		good: (ctx) => ctx.data.newstore.orderId,
		arb: (ctx) => PATH_ID_ARB(ctx.data.newstore.orderId),
		accept: pathIdOk,
		apiErrors: ['404'],
		wire: onePathSegment('/v0/orders/'),
		numRuns: 50,
	});
	add({
		id: 'NewStore customerProfile.get › Customer Profile',
		vendor: 'newstore',
		label: 'Customer Profile',
		params: (ctx, ref) => ({ resource: 'customerProfile', operation: 'get', profileId: rl(ref) }),
		good: (ctx) => ctx.data.newstore.profileId,
		arb: (ctx) => PATH_ID_ARB(ctx.data.newstore.profileId),
		// n8n turns a date an expression gives for a resource locator into its ISO text.
		accept: (v) => pathIdOk(DateTime.isDateTime(v) && v.isValid ? v.toISO() : v),
		apiErrors: ['404'],
		wire: onePathSegment('/customer/profiles/'),
	});
	add({
		id: 'NewStore orderNote.update › Note ID',
		vendor: 'newstore',
		label: 'Note ID',
		params: (ctx, ref) => ({ resource: 'orderNote', operation: 'update', orderId: ctx.data.newstore.noteOrderId, noteId: ref, updateFields: { text: 'bad input test' } }),
		good: (ctx) => ctx.data.newstore.noteId,
		arb: (ctx) => PATH_ID_ARB(ctx.data.newstore.noteId),
		accept: pathIdOk,
		apiErrors: ['400', '404'],
		wire: (sent) => (sent.every((r) => /^\/v0\/d\/orders\/[^/]+\/notes\/[^/]+$/.test(r.path)) ? undefined : `path ${sent.map((r) => r.path).join(' ')}`),
	});
	add({
		id: 'NewStore orderNote.create › Text (at most 4,000 characters)',
		vendor: 'newstore',
		label: 'Text',
		params: (ctx, ref) => ({ resource: 'orderNote', operation: 'create', orderId: ctx.data.newstore.noteOrderId, text: ref, source: 'n8n', sourceType: 'integration' }),
		good: () => 'bad input test',
		arb: () => fc.oneof(hostile, fc.constantFrom('x'.repeat(4000), 'x'.repeat(4001), '😀'.repeat(2000), '😀'.repeat(2001), ' '.repeat(4001), `${' '.repeat(3999)}x`), fc.string({ unit: 'binary', minLength: 3990, maxLength: 4010 })),
		accept: (v) => textOk(4000)(v),
	});
	add({
		id: 'NewStore customerProfile.update › Phone Number (in Update Fields)',
		vendor: 'newstore',
		label: ['Phone Number (in Update Fields)', 'Update Fields'],
		params: (ctx, ref) => ({ resource: 'customerProfile', operation: 'update', profileId: rl(ctx.data.newstore.profileId), updateFields: { phoneNumber: ref } }),
		good: () => '+14155550123',
		arb: () => fc.oneof(hostile, nearly('+14155550123'), fc.constantFrom('4155550123', '+0123', '+1 (415) 555-0123', '+1234567890123456', '00 49 30 1234', '+49-30-1234567', '+1415555012３')),
		accept: (v) => isText(v) && /^\+[1-9]\d{1,14}$/.test(v.replace(/[\s()-]/g, '')),
		apiErrors: ['409'],
		numRuns: 30,
	});
	add({
		id: 'NewStore customerProfile.create › Email',
		vendor: 'newstore',
		label: 'Email',
		params: (ctx, ref) => ({ resource: 'customerProfile', operation: 'create', email: ref }),
		good: (ctx) => ctx.data.newstore.profileEmail,
		arb: () => emails,
		accept: textWhere((t) => EMAIL.test(t)),
		numRuns: 30,
	});
	for (const dataType of ['number', 'boolean']) {
		add({
			id: `NewStore customerProfile.update › Extended Attributes (${dataType} value)`,
			vendor: 'newstore',
			label: ['Extended Attributes', 'Update Fields', 'Value (in Extended Attributes)'],
			params: (ctx, ref) => ({ resource: 'customerProfile', operation: 'update', profileId: rl(ctx.data.newstore.profileId), updateFields: {}, extendedAttributes: { attribute: [{ name: 'bad_input', value: ref, dataType }] } }),
			good: () => (dataType === 'number' ? '42' : 'true'),
			arb: () => fc.oneof(hostile, numbers, fc.constantFrom('TRUE', 'yes', '1', 'false ', 'tru', 't')),
			accept: (v) => {
				const text = v === undefined || v === null ? '' : textOf(v);
				if (text === undefined) return false;
				return dataType === 'number' ? text.trim() !== '' && Number.isFinite(Number(text)) : ['true', 'false'].includes(text.trim().toLowerCase());
			},
			apiErrors: ['409'],
			// Any value becomes text; what matters is what is sent.
			wire: (sent) =>
				sent
					.filter((r) => r.method === 'PATCH')
					.every((r) => {
						const value = r.body.extended_attributes?.bad_input?.value;
						return typeof value === 'string' && (dataType === 'number' ? Number.isFinite(Number(value)) && value.trim() !== '' : ['true', 'false'].includes(value));
					})
					? undefined
					: `attribute sent as ${JSON.stringify(sent.map((r) => r.body?.extended_attributes?.bad_input))}`,
			numRuns: 30,
		});
	}
	add({
		id: 'NewStore eventStream.create › Callback URL',
		vendor: 'newstore',
		label: 'Callback URL',
		// NewStore allows 25 integrations: start each case without the earlier ones.
		beforeCase: (ctx) => ctx.newstore.fake.state.integrations.clear(),
		params: (ctx, ref) => ({ resource: 'eventStream', operation: 'create', id: '={{ $json.u }}', callbackUrl: ref, apiKey: 'bad-input-key' }),
		good: () => 'https://example.com/newstore-events',
		arb: () => fc.oneof(hostile, nearly('https://example.com/newstore-events'), fc.webUrl(), fc.constantFrom('ftp://x', 'https://', 'http://', 'https:// x', 'javascript:alert(1)', '//x.com')),
		accept: textWhere((t) => /^https?:\/\/[^\s]+$/i.test(t)),
		apiErrors: ['400'],
		numRuns: 30,
	});
	add({
		id: 'NewStore customerProfile.get › Profiles Path',
		vendor: 'newstore',
		label: 'Profiles Path',
		// A well-formed path NewStore does not serve (a typo) is NewStore's to refuse.
		vendorRefusal: (violation) => violation.errors.every((e) => /is not an operation of the specification/.test(e)),
		params: (ctx, ref) => ({ resource: 'customerProfile', operation: 'get', profileId: rl(ctx.data.newstore.profileId), apiVersion: '2.0.0', profilesPath: ref }),
		good: () => '/customer/profiles',
		arb: () => fc.oneof(hostile, nearly('/customer/profiles'), fc.constantFrom('/customer/profiles/', '/customer/../admin', '/../x', '/customer/./profiles', '/v1/customer/profiles', 'customer/profiles', '/customer//profiles', '/customer/profiles?x=1')),
		accept: (v) => isText(v) && /^\/[\w\-./]*$/.test(v.trim()) && !/(^|\/)\.\.?(\/|$)/.test(v.trim()),
		apiErrors: ['404'],
		wire: (sent) => (sent.every((r) => !/(^|\/)\.\.?(\/|$)/.test(r.path)) ? undefined : `path ${sent.map((r) => r.path).join(' ')}`),
		numRuns: 30,
	});
	add({
		id: 'NewStore inventory.getAvailability › Product IDs',
		vendor: 'newstore',
		label: 'Product IDs',
		params: (ctx, ref) => ({ resource: 'inventory', operation: 'getAvailability', productIds: ref, fulfillmentNodeId: ctx.data.newstore.fulfillmentNodeId }),
		good: (ctx) => ctx.data.newstore.productId,
		arb: (ctx) => fc.oneof(hostile, nearly(ctx.data.newstore.productId), fc.constantFrom(',', ', ,', [null], [1, 2], [['x']], Array.from({ length: 501 }, (_, i) => `P${i}`).join(','))),
		accept: (v) => {
			const parts = Array.isArray(v) ? v : isText(v) ? v.split(',') : null;
			return !!parts && parts.every((p) => isText(p) || (typeof p === 'number' && Number.isFinite(p))) && parts.map((p) => String(p).trim()).filter(Boolean).length > 0 && parts.length <= 500;
		},
		apiErrors: ['400', '404'],
		numRuns: 30,
	});
	// Order injection: a valid payload with one thing broken, as an object or as JSON text.
	const injection = (ctx, externalId) => ({
		external_id: externalId,
		shop: 'storefront-catalog-en',
		shop_locale: 'en-US',
		channel_type: 'web',
		channel_name: 'webshop',
		currency: 'USD',
		placed_at: '2025-06-01T10:00:00Z',
		customer_email: 'ada.lovelace@example.com',
		shipping_address: { first_name: 'Ada', last_name: 'Lovelace', address_line_1: '1 Main St', city: 'New York', state: 'NY', zip_code: '10001', country: 'US' },
		shipments: [
			{
				items: [{ external_item_id: 'A', product_id: ctx.data.newstore.productId, quantity: 2, price: { item_price: 89, item_list_price: 89, item_tax_lines: [{ amount: 7.12, rate: 0.08, name: 'Tax' }] } }],
				shipping_option: { service_level_identifier: 'GROUND', price: 5, tax: 0.4 },
			},
		],
		payments: [{ type: 'captured', amount: 197.64, method: 'credit_card', processor: 'stripe', processed_at: '2025-06-01T10:00:00Z', correlation_ref: 'pay-1' }],
		extended_attributes: [{ name: 'campaign', value: 'spring' }],
	});
	add({
		id: 'NewStore orderInjection.inject › Order JSON (mutated payloads)',
		vendor: 'newstore',
		label: 'Order JSON',
		// The validator leaves falsy values (0, '', [], null, false) to NewStore, on purpose
		// (connector semantics, see newstore-injection-validate.test.cjs): a spec violation at a
		// falsy value is NewStore's refusal, reported in the summary, not a failure here.
		// Also left to NewStore: its 400 `invalid_shipments` for service levels mixed with offer tokens
		// (the node refuses more than one shipment naming a service level before sending).
		vendorRefusal: (violation, sent) => violation.errors.every((e) => falsyAt(sent.at(-1)?.body, e) || /^(Multiple shipping options|Mixed shipping option types)/.test(e)),
		params: (ctx, ref) => ({ resource: 'orderInjection', operation: 'inject', inputMode: 'json', payload: ref }),
		good: (ctx, n, i) => injection(ctx, `BI-${n}-${i}`),
		value: (ctx, g, n, i) => {
			if (!g.mutation) return g.plain;
			const { payload } = mutate(injection(ctx, `BI-${n}-${i}`), g.mutation);
			return g.asText ? JSON.stringify(payload) ?? '' : payload;
		},
		arb: () =>
			fc.oneof(
				{ weight: 6, arbitrary: fc.record({ mutation, asText: fc.boolean() }) },
				{ weight: 1, arbitrary: hostile.map((plain) => ({ plain })) },
				{ weight: 1, arbitrary: fc.constantFrom('{', '[]', '[{}]', 'null', '"x"', '{"shipments":null}', '{"external_id":"x"}').map((plain) => ({ plain })) },
			),
		accept: (v) => v !== null && (typeof v === 'object' || isText(v)),
		// NewStore's own business checks (e.g. an unknown product) come after the spec's.
		apiErrors: ['400', '409', '422'],
		numRuns: 120,
	});
	const injectFields = (ctx, row) => ({
		resource: 'orderInjection',
		operation: 'inject',
		inputMode: 'fields',
		externalId: '={{ $json.u }}',
		shop: 'storefront-catalog-en',
		shopLocale: 'en-US',
		channelType: 'web',
		channelName: 'webshop',
		currency: 'USD',
		lineItems: { item: [{ externalItemId: 'L1', productId: ctx.data.newstore.productId, quantity: 1, price: 59.5, listPrice: 59.5, taxAmount: 4.76, taxRate: 0.08, taxName: 'Tax', ...row }] },
		serviceLevel: 'GROUND',
		shippingPrice: 5,
		shippingTax: 0.4,
	});
	add({
		id: 'NewStore orderInjection.inject › Product ID (in Line Items) (form)',
		vendor: 'newstore',
		label: 'Product ID (in Line Items)',
		params: (ctx, ref) => injectFields(ctx, { productId: ref }),
		good: (ctx) => ctx.data.newstore.productId,
		arb: (ctx) => around(ctx.data.newstore.productId),
		// Text (or a number written as text) of 1–64 characters; n8n gives a date in a fixed
		// collection to the node as its text ("Invalid DateTime" for an invalid one).
		accept: (v) => {
			const t = DateTime.isDateTime(v) ? v.toString() : v;
			return (typeof t === 'string' || typeof t === 'boolean' || (typeof t === 'number' && Number.isFinite(t))) && String(t).trim().length >= 1 && [...String(t).trim()].length <= 64;
		},
		apiErrors: ['400', '404', '422'],
		numRuns: 30,
	});
	for (const [field, label, accept, good] of [
		// Empty means the form's default, 1.
		['quantity', 'Quantity (in Line Items)', (v) => unset(v) || (integerValue(v) && typeof v === 'number' && v >= 1 && v <= 1000), 1],
		['price', 'Price (in Line Items)', (v) => numberValue(v), 59.5],
		['taxRate', 'Tax Rate (in Line Items)', (v) => v === undefined || v === null || v === '' || (numberValue(v) && Number(v) >= 0 && Number(v) <= 1), 0.08],
	]) {
		add({
			id: `NewStore orderInjection.inject › ${label} (form)`,
			vendor: 'newstore',
			label,
			params: (ctx, ref) => injectFields(ctx, { [field]: ref }),
			good: () => good,
			arb: () => numbers,
			accept,
			apiErrors: ['400', '422'],
			numRuns: 30,
		});
	}

	// ----- Options (node-wide, read for item 0 only), for all three vendors -----
	// A cheap read per vendor carries the option; the error must name the option and item 0.
	// The vendor's policy says which Options its form has (Backoff Factor and Retry On Statuses
	// only with `retryOptions`) and whether the rate limit counts per minute or per second.
	const OPTION_HOSTS = {
		pax8: { name: 'Pax8', policy: require('../../dist/nodes/Pax8/vendor.js').PAX8, params: (ctx) => ({ resource: 'company', operation: 'get', companyId: rl(ctx.data.pax8.companyId) }) },
		connect: { name: 'Connect', policy: require('../../dist/nodes/CloudBlueConnect/vendor.js').CONNECT, params: (ctx) => ({ resource: 'request', operation: 'get', requestId: rl(ctx.data.connect.requestId) }) },
		newstore: { name: 'NewStore', policy: require('../../dist/nodes/NewStore/vendor.js').NEWSTORE, params: (ctx) => ({ resource: 'order', operation: 'get', idType: 'internal', orderId: ctx.data.newstore.orderId }) },
	};
	/**
	 * A valid rate limit below 100,000 calls is raised by 1,000,000: the limiter is shared by the
	 * whole process, and a valid "1 per minute" would pace the cases (and every later one) for real.
	 */
	const fastRate = (v) => {
		if (!numberValue(v) || !(Number(v) > 0 && Number(v) < 100_000)) return v;
		return typeof v === 'number' ? v + 1_000_000 : String(Number(v) + 1_000_000);
	};
	/** What an expression gives that is no number nor text (an object, a list, a function…). */
	const NOT_TEXT = [{ a: 1 }, { value: '5' }, [5], ['5', '6'], true, () => 5, Object.create(null), new Date('2024-05-31T00:00:00Z'), Symbol('x'), 10n];
	const OPTION_NUMBERS = fc.oneof(
		{ weight: 4, arbitrary: numbers },
		{ weight: 1, arbitrary: fc.constantFrom(0, 1, 50, 51, 1e6, 1e308, -1e308, 2 ** 31, '7', ' 10 ', '2.5', '0', '-3', 'abc', '5 s', '1,5') },
		{ weight: 1, arbitrary: fc.constantFrom(...NOT_TEXT) },
	);
	const optionTarget = (vendor, key, label, extra = {}) => {
		const host = OPTION_HOSTS[vendor];
		add({
			id: `${host.name} Options › ${label}`,
			vendor,
			label,
			itemScoped: false,
			// Empty (null, blank text) means the form's default.
			optional: true,
			params: (ctx, ref) => ({ ...host.params(ctx), options: { [key]: ref } }),
			arb: () => OPTION_NUMBERS,
			accept: numberValue,
			numRuns: 25,
			...extra,
		});
	};
	for (const vendor of Object.keys(OPTION_HOSTS)) {
		const unit = OPTION_HOSTS[vendor].policy.rateLimit.intervalMs >= 60_000 ? 'Minute' : 'Second';
		optionTarget(vendor, 'concurrency', 'Concurrency', { good: () => 3 });
		optionTarget(vendor, 'maxRetries', 'Max Retries', { good: () => 2 });
		optionTarget(vendor, 'rateLimit', `Rate Limit (Calls per ${unit})`, { good: () => 0, arb: () => OPTION_NUMBERS.map(fastRate) });
		optionTarget(vendor, 'timeout', 'Timeout (Seconds)', { good: () => 30 });
	}
	/** Retry On Statuses as the node reads it: text, a number or a list of them, each word a status 400–599. */
	const statusesOk = (v) => {
		// In a list, null is an empty entry.
		const parts = (Array.isArray(v) ? v : [v]).map((part) => (part === null || part === undefined ? '' : typeof part === 'number' && !Number.isFinite(part) ? undefined : textOf(part)));
		if (parts.some((part) => part === undefined)) return false;
		return parts
			.join(',')
			.split(/[\s,;]+/)
			.filter(Boolean)
			.every((word) => Number.isInteger(Number(word)) && Number(word) >= 400 && Number(word) < 600);
	};
	const STATUS_TEXTS = ['500', '500,502', '500;502 503', ' 429 ', '399', '600', '5xx', '500,,502', ',500', '500.5', '1e3', '0x1F4', [500, 502], ['500'], [500, [502]], [500, null], '-500', 500];
	for (const vendor of Object.keys(OPTION_HOSTS).filter((v) => OPTION_HOSTS[v].policy.retryOptions)) {
		optionTarget(vendor, 'backoffFactor', 'Backoff Factor (Seconds)', { good: () => 0.01, accept: (v) => numberValue(v) && Number(v) >= 0 });
		optionTarget(vendor, 'retryOnStatuses', 'Retry On Statuses', {
			good: () => '429, 500, 502',
			arb: () =>
				fc.oneof(
					{ weight: 3, arbitrary: hostile },
					{ weight: 3, arbitrary: fc.constantFrom(...STATUS_TEXTS) },
					{ weight: 2, arbitrary: fc.constantFrom(...NOT_TEXT) },
					{ weight: 2, arbitrary: fc.array(fc.integer({ min: 300, max: 700 }), { maxLength: 4 }).map((a) => a.join(',')) },
				),
			accept: statusesOk,
			// Empty text is a list of no statuses (nothing retried on a status).
			acceptEmpty: true,
			numRuns: 30,
		});
	}
	return list;
}

module.exports.targets = targets;
