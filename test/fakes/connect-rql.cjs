'use strict';

/**
 * Resource Query Language (RQL) as the CloudBlue Connect API reads it, for the fake Connect server.
 *
 * Grammar: cloudblue/lib-rql `py_rql/grammar.py` (the LALR grammar Connect's django-rql filter
 * classes use). Pipeline as in `dj_rql`: the WHOLE query string is one RQL expression (it is
 * URL-decoded first, like `urllib.parse.unquote`: `%XX` decoded, `+` stays a plus), top-level `&` or
 * `,` is AND, `limit=`/`offset=` are ordinary comparisons picked out for pagination, `search=` is the
 * free-text filter, `ordering(...)`/`select(...)` may appear anywhere (one ordering at most).
 *
 *   parseRql(rawQueryString)                -> AST (throws RqlError RQL_001 when malformed)
 *   analyzeRql(ast, { filters, aliases })   -> { predicate, ordering, exclusions, limit, offset,
 *                                                 search, problems }
 *
 * `filters` describes the operation's declared filter parameters (see filtersFromOperation): the
 * fake rejects, like Connect, lookups a filter does not allow (RQL_002), ordering by a property that
 * is not orderable (RQL_001) and values of the wrong type (RQL_003). Filtering on a property the
 * operation does not declare is silently ignored by Connect (django-rql answers Q()); the fake
 * reports it as a problem so tests see it.
 *
 * Literal stars: `\*` is django-rql's escape; `%2A` is what Connect's RQL docs tell clients to send.
 * Both mean a literal `*` in like/ilike patterns (an unencoded `*` is the wildcard).
 */

const STAR = '\uE000'; // private-use stand-in for a %2A-encoded (literal) star

const COMPARISON = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const LIST = new Set(['in', 'out']);
const SEARCH = new Set(['like', 'ilike']);
const LOGICAL = new Set(['and', 'or', 'not']);
const RESERVED = new Set(['limit', 'offset', 'search']);

const PROP_RE = /[A-Za-z][\p{L}\p{N}_\-.]*/uy;
const VAL_FIRST = /[\p{L}\p{N}_\-*+\\\uE000]/u;
const VAL_REST = /[\p{L}\p{N}_.\s\-:+@*\\\uE000]/u;

class RqlError extends Error {
	/** code: RQL_001 parse / ordering, RQL_002 lookup, RQL_003 value */
	constructor(code, message) {
		super(message);
		this.code = code;
	}
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** Python's urllib.parse.unquote (UTF-8, invalid escapes kept), with %2A kept as a literal star. */
function unquote(raw) {
	const marked = raw.replace(/%2a/gi, STAR);
	return marked.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
		const bytes = Buffer.from(run.replace(/%/g, ''), 'hex');
		return bytes.toString('utf8');
	});
}

// ---------------------------------------------------------------------------------------------
// Parser (recursive descent over the lib-rql grammar)

function parseRql(rawQuery) {
	const text = unquote(String(rawQuery || '').replace(/^\?/, ''));
	let pos = 0;

	const fail = (message) => {
		const near = text.slice(pos, pos + 20);
		throw new RqlError(
			'RQL_001',
			`RQL Parsing error: ${message} at position ${pos}${near ? ` (near "${near}")` : ' (end of query)'}.`,
		);
	};
	const peek = () => text[pos];
	const expect = (ch) => {
		if (text[pos] !== ch) fail(`expected "${ch}"`);
		pos++;
	};
	const identAt = (at) => {
		PROP_RE.lastIndex = at;
		const m = PROP_RE.exec(text);
		return m ? m[0] : '';
	};

	function parseProp() {
		const name = identAt(pos);
		if (!name) fail('expected a property name');
		pos += name.length;
		return name;
	}

	function parseValue() {
		const ch = peek();
		if (ch === '"' || ch === "'") {
			const end = text.indexOf(ch, pos + 1);
			if (end < 0) fail('unterminated quoted value');
			const value = text.slice(pos + 1, end);
			pos = end + 1;
			return { kind: 'str', value, quoted: true };
		}
		if (text.startsWith('null()', pos)) {
			pos += 6;
			return { kind: 'null' };
		}
		if (text.startsWith('empty()', pos)) {
			pos += 7;
			return { kind: 'empty' };
		}
		if (text.startsWith('t(', pos)) {
			pos += 2;
			const items = [parseTupleItem()];
			while (peek() === ',') {
				pos++;
				items.push(parseTupleItem());
			}
			expect(')');
			return { kind: 'tuple', items };
		}
		if (ch === undefined || !VAL_FIRST.test(ch)) fail('expected a value');
		const start = pos;
		pos++;
		while (pos < text.length && VAL_REST.test(text[pos])) pos++;
		return { kind: 'str', value: text.slice(start, pos), quoted: false };
	}

	function parseTupleItem() {
		const node = parseTerm();
		if (node.type !== 'cmp' && node.type !== 'search') fail('a tuple holds comparisons only');
		return node;
	}

	function parseLogical(op) {
		expect('(');
		const args = [parseTerm()];
		while (peek() === ',') {
			pos++;
			args.push(parseTerm());
		}
		expect(')');
		if (args.length < 2) fail(`${op}() needs at least two expressions`);
		return { type: op, args };
	}

	function parseGroup() {
		expect('(');
		const first = parseTerm();
		if (peek() === ')') {
			pos++;
			return first;
		}
		const sep = peek();
		let type;
		if (sep === '|' || sep === ';') type = 'or';
		else if (sep === ',' || sep === '&') type = 'and';
		else fail('expected ")", "|", ";", "," or "&"');
		const args = [first];
		while (peek() === sep) {
			pos++;
			args.push(parseTerm());
		}
		expect(')');
		return { type, args };
	}

	function parseTerm() {
		if (peek() === '(') return parseGroup();
		const ident = identAt(pos);
		if (!ident) fail('expected an expression');
		const after = pos + ident.length;
		if (text[after] === '(') {
			pos = after;
			if (ident === 'and' || ident === 'or') return parseLogical(ident);
			if (ident === 'not') {
				expect('(');
				const inner = parseTerm();
				if (LOGICAL.has(inner.type))
					fail('not() takes a single comparison, not a logical expression');
				expect(')');
				return { type: 'not', arg: inner };
			}
			if (COMPARISON.has(ident)) {
				expect('(');
				const prop = parseProp();
				expect(',');
				const value = parseValue();
				expect(')');
				return { type: 'cmp', op: ident, prop, value };
			}
			if (LIST.has(ident)) {
				expect('(');
				const prop = parseProp();
				expect(',');
				expect('(');
				const values = [parseValue()];
				while (peek() === ',') {
					pos++;
					values.push(parseValue());
				}
				expect(')');
				expect(')');
				return { type: 'list', op: ident, prop, values };
			}
			if (SEARCH.has(ident)) {
				expect('(');
				const prop = parseProp();
				expect(',');
				const value = parseValue();
				expect(')');
				return { type: 'search', op: ident, prop, value };
			}
			if (ident === 'ordering' || ident === 'select') {
				expect('(');
				const props = [];
				if (peek() !== ')') {
					for (;;) {
						let sign = '';
						if (peek() === '-' || peek() === '+') sign = text[pos++];
						props.push(sign === '-' ? `-${parseProp()}` : parseProp());
						if (peek() !== ',') break;
						pos++;
					}
				}
				expect(')');
				return { type: ident, props };
			}
			pos = after;
			fail(`unknown operator "${ident}"`);
		}
		// infix forms: prop=value, prop=op=value
		pos = after;
		if (peek() !== '=') fail('expected "=" after a property name');
		pos++;
		const opIdent = identAt(pos);
		if (COMPARISON.has(opIdent) && text[pos + opIdent.length] === '=') {
			pos += opIdent.length + 1;
			return { type: 'cmp', op: opIdent, prop: ident, value: parseValue(), infix: true };
		}
		return { type: 'cmp', op: 'eq', prop: ident, value: parseValue(), infix: true, simple: true };
	}

	if (text === '') return null;
	const terms = [parseTerm()];
	while (peek() === '&' || peek() === ',') {
		pos++;
		terms.push(parseTerm());
	}
	if (pos < text.length) fail('unexpected character');
	return terms.length === 1 ? terms[0] : { type: 'and', args: terms, top: true };
}

// ---------------------------------------------------------------------------------------------
// Filter metadata from an OpenAPI operation

/**
 * Declared query parameters of one operation -> Map(name -> { lookups:Set, ordering, type, format,
 * enum }). Lookups and ordering come from Connect's generated descriptions
 * ("**lookups:** eq, ne, in ... **ordering:** true"). Parameters without lookups are select-only.
 */
function filtersFromOperation(operation) {
	const filters = new Map();
	for (const param of operation.parameters || []) {
		if (!param || param.in !== 'query' || RESERVED.has(param.name)) continue;
		const description = param.description || '';
		const lookupMatch = /\*\*lookups:\*\*\s*([^\n]*)/.exec(description);
		const schema = param.schema || {};
		filters.set(param.name, {
			lookups: new Set(
				lookupMatch
					? lookupMatch[1]
							.split(',')
							.map((s) => s.trim())
							.filter(Boolean)
					: [],
			),
			ordering: /\*\*ordering:\*\*\s*true/.test(description),
			type: schema.type || 'string',
			format: schema.format,
			enum: Array.isArray(schema.enum) ? schema.enum.map(String) : null,
		});
	}
	return filters;
}

// ---------------------------------------------------------------------------------------------
// Values and comparisons

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME =
	/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?$/i;

/** Django parse_datetime / parse_date (naive values are UTC, as Connect runs in UTC). */
function parseDateValue(value) {
	const v = value.trim();
	if (ISO_DATE.test(v)) return Date.parse(`${v}T00:00:00Z`);
	if (!ISO_DATETIME.test(v)) return NaN;
	let normalized = v.replace(' ', 'T').replace(/\s+/, '');
	if (!/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(normalized.slice(10))) normalized += 'Z';
	normalized = normalized.replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(/([+-]\d{2})$/, '$1:00');
	return Date.parse(normalized);
}

/** Text of a value as the filter sees it (%2A stand-ins become plain stars outside patterns). */
const plain = (value) => value.value.replace(/\uE000/g, '*');

function likeMatcher(raw, insensitive) {
	// `\*` and %2A are literal stars, `*` is the wildcard; `**` is invalid in django-rql
	const pattern = raw.replace(/\\\*/g, STAR);
	if (pattern.includes('**')) return null;
	const regex = pattern
		.split('*')
		.map((part) => part.replace(/\uE000/g, '*').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	const re = new RegExp(`^${regex}$`, insensitive ? 'is' : 's');
	return (leaf) => leaf !== null && leaf !== undefined && re.test(String(leaf));
}

/** Every leaf value at a dotted path; arrays on the way are fanned out (Django joins). */
function leaves(object, parts, index = 0, out = []) {
	if (object === null || object === undefined) return out;
	if (Array.isArray(object)) {
		for (const element of object) leaves(element, parts, index, out);
		return out;
	}
	if (index === parts.length) {
		out.push(object);
		return out;
	}
	if (typeof object !== 'object') return out;
	return leaves(object[parts[index]], parts, index + 1, out);
}

const isNullish = (v) => v === null || v === undefined;

/** Typed comparison of a stored leaf against a query string. */
function compareLeaf(leaf, text, meta) {
	if (isNullish(leaf)) return null;
	if (typeof leaf === 'number') {
		const n = Number(text);
		return Number.isNaN(n) ? null : leaf - n;
	}
	if (typeof leaf === 'boolean') {
		const b = text === 'true' ? true : text === 'false' ? false : null;
		return b === null ? null : Number(leaf) - Number(b);
	}
	const s = String(leaf);
	const dateLike = (meta && /date/.test(meta.format || '')) || ISO_DATETIME.test(s);
	if (dateLike) {
		const a = parseDateValue(s);
		const b = parseDateValue(text);
		if (!Number.isNaN(a) && !Number.isNaN(b)) return a - b;
	}
	return s < text ? -1 : s > text ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Analysis: validation against the operation's filters, predicate, ordering

/**
 * @param {object|null} ast  parseRql() result
 * @param {object} opts
 * @param {Map} opts.filters         filtersFromOperation()
 * @param {object} [opts.aliases]    filter name -> object path (for names that are not the path)
 * @param {(item:object, text:string) => boolean} [opts.searchFn]  free-text search
 * @returns {{predicate:Function|null, ordering:Array|null, exclusions:string[], limit:string|undefined,
 *   offset:string|undefined, problems:{code:string,message:string}[]}}
 */
function analyzeRql(ast, { filters, aliases = {}, searchFn } = {}) {
	const problems = [];
	const result = {
		predicate: null,
		ordering: null,
		exclusions: [],
		limit: undefined,
		offset: undefined,
		search: undefined,
		problems,
	};
	if (!ast) return result;
	let orderings = 0;

	const pathOf = (name) => {
		const aliased = aliases[name];
		const path = aliased || (name.includes('.') ? name : name.split('__').join('.'));
		return path.split('.');
	};
	const problem = (code, message) => {
		problems.push({ code, message });
		return null;
	};

	function checkValue(name, meta, value, op) {
		if (value.kind !== 'str' || !meta) return;
		const text = plain(value);
		if (meta.type === 'integer' && !/^-?\d+$/.test(text))
			return problem('RQL_003', `RQL Value error: "${text}" is not an integer (filter ${name}).`);
		if (meta.type === 'number' && Number.isNaN(Number(text)))
			return problem('RQL_003', `RQL Value error: "${text}" is not a number (filter ${name}).`);
		if (meta.type === 'boolean' && text !== 'true' && text !== 'false')
			return problem('RQL_003', `RQL Value error: "${text}" is not true/false (filter ${name}).`);
		if (/date/.test(meta.format || '') && Number.isNaN(parseDateValue(text)))
			return problem(
				'RQL_003',
				`RQL Value error: "${text}" is not a date or date-time (filter ${name}).`,
			);
		if (
			meta.enum &&
			(op === 'eq' || op === 'ne' || op === 'in' || op === 'out') &&
			!meta.enum.includes(text)
		)
			return problem(
				'RQL_003',
				`RQL Value error: "${text}" is not one of ${meta.enum.join(', ')} (filter ${name}).`,
			);
	}

	/** Declared filter and allowed lookup, or null (problem recorded). */
	function filterFor(name, lookup) {
		const meta = filters && filters.get(name);
		if (!meta) {
			return problem(
				'RQL_001',
				`RQL filter "${name}" is not declared for this operation (Connect silently ignores unknown filters).`,
			);
		}
		if (!meta.lookups.size) {
			return problem('RQL_001', `RQL filter "${name}" is select-only and cannot be filtered on.`);
		}
		if (!meta.lookups.has(lookup)) {
			return problem(
				'RQL_002',
				`RQL Lookup error: lookup "${lookup}" is not supported by filter "${name}" (allowed: ${[...meta.lookups].join(', ')}).`,
			);
		}
		return meta;
	}

	function compile(node) {
		switch (node.type) {
			case 'and':
			case 'or': {
				const parts = node.args.map((arg) => compile(arg)).filter(Boolean);
				if (!parts.length) return null;
				if (parts.length === 1) return parts[0];
				return node.type === 'and'
					? (item) => parts.every((p) => p(item))
					: (item) => parts.some((p) => p(item));
			}
			case 'not': {
				const inner = compile(node.arg);
				return inner ? (item) => !inner(item) : null;
			}
			case 'ordering':
				if (++orderings > 1)
					return problem(
						'RQL_001',
						'Bad ordering filter: query can contain only one ordering operation.',
					);
				result.ordering = node.props.map((prop) => {
					const desc = prop.startsWith('-');
					const name = desc ? prop.slice(1) : prop;
					const meta = filters && filters.get(name);
					if (!meta || !meta.ordering) problem('RQL_001', `Bad ordering filter: ${name}.`);
					return { name, path: pathOf(name), desc, meta };
				});
				return null;
			case 'select':
				for (const prop of node.props)
					if (prop.startsWith('-')) result.exclusions.push(prop.slice(1));
				return null;
			case 'search':
				return compileSearch(node);
			case 'list':
				return compileList(node);
			case 'cmp':
				return compileComparison(node);
			default:
				return problem('RQL_001', `RQL Parsing error: unexpected ${node.type}.`);
		}
	}

	function compileComparison(node) {
		const { prop, op, value } = node;
		if (prop === 'limit' || prop === 'offset') {
			if (op !== 'eq' || value.kind !== 'str')
				return problem('RQL_001', `Limit and offset are set incorrectly.`);
			result[prop] = plain(value);
			return null;
		}
		if (prop === 'search') {
			if (op !== 'eq') return problem('RQL_001', `Bad search filter: ${op}.`);
			const text = value.kind === 'str' ? plain(value).replace(/^\*|\*$/g, '') : '';
			result.search = text;
			if (!text || !searchFn) return null;
			return (item) => searchFn(item, text);
		}
		const nullValue = value.kind === 'null';
		const emptyValue = value.kind === 'empty';
		if ((nullValue || emptyValue) && op !== 'eq' && op !== 'ne')
			return problem(
				'RQL_002',
				`RQL Lookup error: ${op} cannot be used with ${nullValue ? 'null()' : 'empty()'} (filter ${prop}).`,
			);
		const lookup = nullValue ? 'null' : op;
		const meta = filterFor(prop, lookup);
		if (!meta) return null;
		checkValue(prop, meta, value, op);
		const parts = pathOf(prop);

		let test;
		if (nullValue) test = (vals) => vals.every(isNullish);
		else if (emptyValue) test = (vals) => vals.some((v) => v === '');
		else if (value.kind === 'tuple') {
			const inner = value.items.map((item) => {
				const sub = compileTupleItem(item);
				return sub;
			});
			return op === 'ne'
				? (item) => !leaves(item, parts).some((el) => inner.every((p) => p(el)))
				: (item) => leaves(item, parts).some((el) => inner.every((p) => p(el)));
		} else {
			const text = plain(value);
			const cmp = {
				eq: (c) => c === 0,
				ne: (c) => c === 0,
				gt: (c) => c > 0,
				ge: (c) => c >= 0,
				lt: (c) => c < 0,
				le: (c) => c <= 0,
			}[op];
			test = (vals) =>
				vals.some((v) => {
					const c = compareLeaf(v, text, meta);
					return c !== null && cmp(c);
				});
		}
		if (op === 'ne') return (item) => !test(leaves(item, parts));
		return (item) => test(leaves(item, parts));
	}

	function compileTupleItem(node) {
		// comparisons inside t(...) are relative to one element; no filter metadata applies
		const parts = node.prop.split('.');
		if (node.type === 'search') {
			const match = likeMatcher(
				node.value.kind === 'str' ? node.value.value : '',
				node.op === 'ilike',
			);
			return (el) => Boolean(match) && leaves(el, parts).some(match);
		}
		const text = node.value.kind === 'str' ? plain(node.value) : null;
		return (el) => {
			const vals = leaves(el, parts);
			if (node.value.kind === 'null') return (node.op === 'ne') !== vals.every(isNullish);
			const hit = vals.some((v) => {
				const c = compareLeaf(v, text, null);
				if (c === null) return false;
				return { eq: c === 0, ne: c === 0, gt: c > 0, ge: c >= 0, lt: c < 0, le: c <= 0 }[node.op];
			});
			return node.op === 'ne' ? !hit : hit;
		};
	}

	function compileList(node) {
		const meta = filterFor(node.prop, node.op);
		if (!meta) return null;
		for (const value of node.values) checkValue(node.prop, meta, value, node.op);
		const parts = pathOf(node.prop);
		const texts = node.values.filter((v) => v.kind === 'str').map(plain);
		const withNull = node.values.some((v) => v.kind === 'null');
		const test = (vals) =>
			(withNull && vals.every(isNullish)) ||
			vals.some((v) => texts.some((t) => compareLeaf(v, t, meta) === 0));
		return node.op === 'in'
			? (item) => test(leaves(item, parts))
			: (item) => !test(leaves(item, parts));
	}

	function compileSearch(node) {
		const meta = filterFor(node.prop, node.op);
		if (!meta) return null;
		if (node.value.kind !== 'str')
			return problem(
				'RQL_003',
				`RQL Value error: ${node.op} needs a text pattern (filter ${node.prop}).`,
			);
		const match = likeMatcher(node.value.value, node.op === 'ilike');
		if (!match)
			return problem(
				'RQL_003',
				`RQL Value error: "${node.value.value}" is not a valid pattern (filter ${node.prop}).`,
			);
		const parts = pathOf(node.prop);
		return (item) => leaves(item, parts).some(match);
	}

	result.predicate = compile(ast);
	return result;
}

// ---------------------------------------------------------------------------------------------
// Ordering and projection

/** PostgreSQL order: NULLs sort as the largest value (last ascending, first descending). */
function sortByOrdering(items, ordering) {
	const keyed = items.map((item, index) => ({
		item,
		index,
		keys: ordering.map(({ path }) => {
			const vals = leaves(item, path);
			const v = vals.length ? vals[0] : null;
			if (isNullish(v)) return null;
			if (typeof v === 'string' && ISO_DATETIME.test(v)) return parseDateValue(v);
			return typeof v === 'string' ? v.toLowerCase() : v;
		}),
	}));
	keyed.sort((a, b) => {
		for (let i = 0; i < ordering.length; i++) {
			const x = a.keys[i];
			const y = b.keys[i];
			let c = 0;
			if (x === null && y === null) c = 0;
			else if (x === null) c = 1;
			else if (y === null) c = -1;
			else c = x < y ? -1 : x > y ? 1 : 0;
			if (c !== 0) return ordering[i].desc ? -c : c;
		}
		return a.index - b.index;
	});
	return keyed.map((k) => k.item);
}

/** Copy of `item` without the excluded dotted paths (select(-a.b)). */
function project(item, exclusions) {
	if (!exclusions.length) return item;
	const copy = structuredClone(item);
	for (const path of exclusions) {
		const parts = path.split('.');
		const drop = (node, i) => {
			if (node === null || typeof node !== 'object') return;
			if (Array.isArray(node)) return node.forEach((el) => drop(el, i));
			if (i === parts.length - 1) delete node[parts[i]];
			else drop(node[parts[i]], i + 1);
		};
		drop(copy, 0);
	}
	return copy;
}

module.exports = {
	RqlError,
	STAR,
	analyzeRql,
	filtersFromOperation,
	leaves,
	parseDateValue,
	parseRql,
	project,
	sortByOrdering,
	unquote,
};
