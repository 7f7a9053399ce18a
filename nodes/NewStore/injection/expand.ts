import type { InjectionProblem } from './validate';

/**
 * NewStore wants one item entry per unit (there is no quantity field). The node's form lets a
 * user enter an item once with a `quantity`; these helpers turn that into one entry per unit.
 */

/** Largest quantity of one entry: a guard against a typo expanding into millions of entries. */
export const MAX_QUANTITY = 1000;

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep copy of JSON-like data (plain objects, lists, primitives). */
function copy<T>(value: T): T {
	if (Array.isArray(value)) return value.map((v) => copy(v) as unknown) as T;
	if (isObject(value)) {
		const out: Obj = {};
		for (const [key, inner] of Object.entries(value)) out[key] = copy(inner);
		return out as T;
	}
	return value;
}

/** A problem when `value` is not a usable quantity; absent (undefined, null, '') means 1. */
export function checkQuantity(value: unknown, path: string): InjectionProblem | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
		return { path, message: 'must be a whole number of at least 1' };
	}
	if (value > MAX_QUANTITY) return { path, message: `must be at most ${MAX_QUANTITY}` };
	return undefined;
}

/**
 * Repeats each item `quantity` times (deep copies, without the `quantity` key). Never throws: an
 * entry with a bad quantity is kept once and reported at `${path}[index].quantity`; entries that
 * are not objects pass through unchanged for the validator to report.
 */
export function expandQuantities(items: readonly unknown[], path = 'items'): { items: unknown[]; problems: InjectionProblem[] } {
	const out: unknown[] = [];
	const problems: InjectionProblem[] = [];
	items.forEach((entry, index) => {
		if (!isObject(entry)) {
			out.push(copy(entry));
			return;
		}
		const { quantity, ...rest } = entry;
		const problem = checkQuantity(quantity, `${path}[${index}].quantity`);
		if (problem) problems.push(problem);
		const times = problem || quantity === undefined || quantity === null || quantity === '' ? 1 : (quantity as number);
		for (let i = 0; i < times; i++) out.push(copy(rest));
	});
	return { items: out, problems };
}
