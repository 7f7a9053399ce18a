/**
 * Resource Query Language for Connect list endpoints: building filters from form fields with
 * correct quoting and encoding, and checking user-written RQL before it is sent.
 * Grammar: https://connect.cloudblue.com/community/developers/api/rql/ (server: lib-rql).
 */

export type RqlScalar = string | number | boolean | null;

const SAFE_VALUE = /^[A-Za-z0-9_.\-:@+]+$/;

/**
 * One value, encoded for a query string: `null()`/`empty()` constants, plain tokens as they
 * are, anything else double-quoted and percent-encoded (`*` too, so it is never a wildcard).
 */
export function rqlValue(value: RqlScalar): string {
	if (value === null) return 'null()';
	if (typeof value === 'boolean' || typeof value === 'number') return String(value);
	if (value === '') return 'empty()';
	if (SAFE_VALUE.test(value)) return value;
	return `"${encodeURIComponent(value).replace(/\*/g, '%2A')}"`;
}

/**
 * A `like`/`ilike` pattern: `*` stays a wildcard. Connect URL-decodes the whole query before
 * parsing, so encoding alone does not protect delimiters: a pattern with anything but plain
 * characters is quoted as well.
 */
export function rqlPattern(pattern: string): string {
	const encoded = pattern
		.split('*')
		.map((part) => encodeURIComponent(part).replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
		.join('*');
	return /^[A-Za-z0-9_.\-:@+*]*$/.test(pattern) ? encoded : `"${encoded}"`;
}

const PROPERTY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function property(name: string): string {
	if (!PROPERTY.test(name)) throw new Error(`"${name}" is not a property name`);
	return name;
}

export const rql = {
	eq: (prop: string, value: RqlScalar) => `eq(${property(prop)},${rqlValue(value)})`,
	ne: (prop: string, value: RqlScalar) => `ne(${property(prop)},${rqlValue(value)})`,
	ge: (prop: string, value: RqlScalar) => `ge(${property(prop)},${rqlValue(value)})`,
	le: (prop: string, value: RqlScalar) => `le(${property(prop)},${rqlValue(value)})`,
	in: (prop: string, values: RqlScalar[]) =>
		values.length === 1
			? `eq(${property(prop)},${rqlValue(values[0])})`
			: `in(${property(prop)},(${values.map(rqlValue).join(',')}))`,
	ilike: (prop: string, pattern: string) => `ilike(${property(prop)},${rqlPattern(pattern)})`,
	and: (...terms: string[]) => {
		const kept = terms.filter(Boolean);
		return kept.length <= 1 ? (kept[0] ?? '') : `and(${kept.join(',')})`;
	},
	ordering: (fields: string[]) => `ordering(${fields.join(',')})`,
};

const OPERATORS = new Set([
	'eq',
	'ne',
	'gt',
	'ge',
	'lt',
	'le',
	'in',
	'out',
	'like',
	'ilike',
	'and',
	'or',
	'not',
	'null',
	'empty',
	'ordering',
	'select',
	'search',
	't',
]);

/** Operators whose first argument is a property name. */
const PROPERTY_FIRST = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in', 'out', 'like', 'ilike']);

/** Deepest nesting of calls and parentheses accepted in user-written RQL. */
const MAX_DEPTH = 64;

export class RqlSyntaxError extends Error {
	constructor(
		message: string,
		readonly position: number,
	) {
		super(message);
	}
}

/**
 * Checks the structure of RQL a user wrote: balanced parentheses and quotes, known operator
 * names, comparison operators with a property and a value, nothing after the end. Returns the
 * query trimmed; throws `RqlSyntaxError` naming the position.
 */
export function checkRql(query: string): string {
	const text = query.trim().replace(/^[?&]+/, '');
	let i = 0;
	const fail = (message: string): never => {
		throw new RqlSyntaxError(`${message} at position ${i + 1}`, i);
	};
	const word = () => {
		const start = i;
		while (i < text.length && /[A-Za-z0-9_.\-:@+%*]/.test(text[i])) i++;
		return text.slice(start, i);
	};
	const quoted = () => {
		const quote = text[i++];
		while (i < text.length && text[i] !== quote) i++;
		if (i >= text.length) fail(`Unclosed ${quote} quote`);
		i++;
	};
	const value = (): void => {
		if (text[i] === '"' || text[i] === "'") return quoted();
		if (text[i] === '(') {
			// a tuple (v1,v2) or a nested expression
			i++;
			if (++depth > MAX_DEPTH) fail(`Nested more than ${MAX_DEPTH} levels deep`);
			if (text[i] === ')') fail('Empty parentheses');
			for (;;) {
				argument();
				if (text[i] === ',') {
					i++;
					continue;
				}
				break;
			}
			if (text[i] !== ')') fail('Expected ")"');
			i++;
			depth--;
			return;
		}
		const name = word();
		if (text[i] === '(') {
			if (!OPERATORS.has(name)) fail(`Unknown RQL operator "${name}"`);
			call(name);
			return;
		}
		if (name === '') fail(text[i] === ',' || text[i] === ')' ? 'Expected a value' : `Unexpected "${text[i] ?? 'end'}"`);
		// Connect's values start with a letter, digit, _, -, +, * (or an encoded %xx).
		if (!/^[A-Za-z0-9_\-+*%]/.test(name)) fail(`A value cannot start with "${name[0]}"`);
	};
	const argument = () => value();
	let depth = 0;
	const call = (name: string) => {
		i++; // (
		// Deeper nesting is no filter anyone writes, and would exhaust the stack of a parser.
		if (++depth > MAX_DEPTH) fail(`Nested more than ${MAX_DEPTH} levels deep`);
		let count = 0;
		if (text[i] !== ')') {
			for (;;) {
				if (PROPERTY_FIRST.has(name) && count === 0 && !/[A-Za-z]/.test(text[i] ?? '')) fail(`${name}() takes a property name first`);
				if ((name === 'in' || name === 'out') && count === 1 && (text[i] !== '(' || text[i + 1] === ')')) {
					fail(`${name}() takes a list of values in parentheses, e.g. ${name}(status,(pending,approved))`);
				}
				argument();
				count++;
				if (text[i] === ',') {
					i++;
					continue;
				}
				break;
			}
		}
		if (text[i] !== ')') fail(`Expected ")" to close ${name}(`);
		i++;
		depth--;
		if (['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'like', 'ilike', 'in', 'out'].includes(name) && count !== 2) {
			fail(`${name}() takes a property and a value, got ${count} argument${count === 1 ? '' : 's'}`);
		}
		if ((name === 'and' || name === 'or') && count < 2) fail(`${name}() takes at least two expressions`);
		if (name === 'not' && count !== 1) fail('not() takes one expression');
		if (['null', 'empty'].includes(name) && count !== 0) fail(`${name}() takes no arguments`);
	};
	const term = () => {
		const start = i;
		const name = word();
		if (!name) fail(`Unexpected "${text[i] ?? 'end'}"`);
		if (text[i] === '(') {
			// Paging is the node's (limit and offset parameters from Return All / Limit).
			if (name === 'limit') fail('limit() is not taken here: use Return All / Limit');
			if (name === 'null' || name === 'empty') fail(`${name}() is a value, not a filter`);
			if (!OPERATORS.has(name)) {
				i = start;
				fail(`Unknown RQL operator "${name}"`);
			}
			return call(name);
		}
		if (text[i] === '=') {
			// prop=value or prop=op=value
			if (!/^[A-Za-z]/.test(name)) fail(`"${name}" is not a property name`);
			i++;
			if (i >= text.length || text[i] === '&') fail(`Expected a value after "${name}="`);
			const next = word();
			if (text[i] === '=' && OPERATORS.has(next)) {
				i++;
				value();
			} else if (text[i] === '(' && OPERATORS.has(next)) {
				call(next);
			} else if (text[i] === '"' || text[i] === "'") {
				quoted();
			}
			return;
		}
		fail(`Expected "(" or "=" after "${name}"`);
	};
	if (!text) return '';
	for (;;) {
		if (text[i] === '(') value();
		else term();
		if (i >= text.length) break;
		if (text[i] === '&') {
			i++;
			if (i >= text.length) fail('Nothing after "&"');
			continue;
		}
		fail(`Unexpected "${text[i]}"`);
	}
	return text;
}
