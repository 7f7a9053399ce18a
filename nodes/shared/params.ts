import { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, IGetNodeParameterOptions, IHookFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An address as JSON Schema's `format: email` takes it (ajv-formats' check; the vendors' specs declare it). */
export const EMAIL_PATTERN =
	/^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** How a value is checked and converted before it goes on the wire. */
export type Kind =
	| 'string'
	| 'uuid'
	| 'date'
	| 'dateTime'
	| 'number'
	| 'integer'
	| 'boolean'
	| 'email'
	| 'country'
	| 'json'
	| ((value: unknown, fail: (problem: string) => never) => unknown);

/** Display names of every parameter (collection children as `Child (in Parent)`). */
export function labelsOf(properties: INodeProperties[]): Map<string, string> {
	const labels = new Map<string, string>();
	const walk = (props: INodeProperties[], parent?: INodeProperties) => {
		for (const prop of props) {
			const key = parent ? `${parent.name}.${prop.name}` : prop.name;
			labels.set(key, parent ? `${prop.displayName} (in ${parent.displayName})` : prop.displayName);
			for (const option of prop.options ?? []) {
				if ('displayName' in option && 'type' in option) walk([option as INodeProperties], prop);
				if ('values' in option) walk(option.values, prop);
			}
		}
	};
	walk(properties);
	return labels;
}

/** A plain `{}` (what n8n stores for an untouched collection), not a Date, Map or other object. */
function isPlainObject(value: unknown): boolean {
	if (typeof value !== 'object' || value === null) return false;
	const proto = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}

function isEmpty(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '') ||
		(isPlainObject(value) && Object.keys(value as object).length === 0)
	);
}

/**
 * A value given for a text field as text: text, numbers and true/false as written, nothing for
 * null/undefined (''), and `undefined` for anything else (an expression giving an object, a list,
 * NaN or Infinity).
 */
export function textOf(value: unknown): string | undefined {
	if (value === undefined || value === null) return '';
	return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' ? String(value) : undefined;
}

/** A short rendering of any value for messages (never throws, whatever an expression gave). */
export function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'function') return 'a function';
	const text = String(value);
	return `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
}

/**
 * Parses any ISO 8601 / RFC 2822 / SQL / epoch-ms form, or a Date or luxon DateTime. Invalid
 * dates and years outside 1–9999 (which ISO 8601 writes with a sign and six digits, a form
 * APIs refuse) are not dates.
 */
export function parseDate(value: unknown): DateTime | undefined {
	const usable = (parsed: DateTime): DateTime | undefined => {
		if (!parsed.isValid || parsed.year < 1 || parsed.year > 9999) return undefined;
		// An offset of a day or more (`+25:00`) is no RFC 3339 offset: give the same time in UTC.
		return Math.abs(parsed.offset) < 24 * 60 ? parsed : parsed.toUTC();
	};
	if (value instanceof Date) return usable(DateTime.fromJSDate(value, { zone: 'utc' }));
	if (DateTime.isDateTime(value)) return usable(value);
	if (typeof value === 'number' && Number.isFinite(value)) return usable(DateTime.fromMillis(value, { zone: 'utc' }));
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	for (const parse of [DateTime.fromISO, DateTime.fromRFC2822, DateTime.fromSQL, DateTime.fromHTTP]) {
		const parsed = parse(text, { setZone: true });
		if (parsed.isValid) return usable(parsed);
	}
	return undefined;
}

/**
 * The parameters of one item, read and checked before any request is sent. Every problem is
 * a `NodeOperationError` naming the parameter (by its display name) and the item.
 */
export class Params {
	/**
	 * `itemless`: parameters of a trigger's activation (no input items), so messages name no
	 * item; `ctx` is then the trigger's context read as `forTrigger()` shows.
	 */
	constructor(
		private readonly ctx: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>,
		readonly index: number,
		private readonly labels: Map<string, string>,
		private readonly itemless = false,
	) {}

	/** The parameters of a trigger's activation (webhook setup), checked like an action's. */
	static forTrigger(ctx: Pick<IHookFunctions, 'getNode' | 'getNodeParameter'>, labels: Map<string, string>): Params {
		const reader = {
			getNode: () => ctx.getNode(),
			getNodeParameter: (name: string, _index: number, fallback?: unknown, options?: IGetNodeParameterOptions) =>
				ctx.getNodeParameter(name, fallback as never, options),
		} as unknown as Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>;
		return new Params(reader, 0, labels, true);
	}

	get node(): INode {
		return this.ctx.getNode();
	}

	label(name: string): string {
		return this.where(name).label;
	}

	/**
	 * The display name of a parameter, and for a value inside one (`lineItems.lineItem 2.quantity`,
	 * `lineItemsJson.lineItem 1.productId`) also where in it: the child's display name when the
	 * form has that child ("Quantity (in Line Items)", "line item 2"), else the parent's
	 * ("Line Items (JSON)", "line item 1, productId").
	 */
	private where(name: string): { label: string; at?: string } {
		const known = this.labels.get(name);
		if (known) return { label: known };
		const [head, ...rest] = name.split('.');
		const parent = this.labels.get(head);
		if (!parent || !rest.length) return { label: name };
		const words = (part: string) => part.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
		const child = this.labels.get(`${head}.${rest[rest.length - 1]}`);
		if (child && rest.length > 1) return { label: child, at: rest.slice(0, -1).map(words).join(', ') };
		return { label: parent, at: [...rest.slice(0, -1).map(words), rest[rest.length - 1]].join(', ') };
	}

	fail(name: string, problem: string, description?: string): never {
		const { label, at } = this.where(name);
		throw new NodeOperationError(
			this.node,
			`Parameter "${label}"${at ? ` (${at})` : ''} ${problem}${this.itemless ? '' : ` [item ${this.index}]`}`,
			this.itemless ? { description } : { itemIndex: this.index, description },
		);
	}

	/**
	 * The raw value (resource locators resolved to their value). An expression n8n cannot
	 * resolve (e.g. one giving a function) is reported with the parameter and item.
	 */
	raw(name: string, fallback?: unknown): unknown {
		try {
			return this.ctx.getNodeParameter(name, this.index, fallback, { extractValue: true });
		} catch (error) {
			const { message, description } = error as { message?: string; description?: string };
			return this.fail(this.failingChild(name), `could not be read: ${message ?? String(error)}`, description ?? undefined);
		}
	}

	/**
	 * In a collection or fixed collection, the child whose expression fails, named as labels
	 * know it (`parameters.parameter 1.structuredValue`); else the parameter itself.
	 */
	private failingChild(name: string): string {
		const fails = (path: string) => {
			try {
				this.ctx.getNodeParameter(path, this.index, undefined);
				return false;
			} catch {
				return true;
			}
		};
		let stored: unknown = name.includes('.') ? undefined : this.node.parameters?.[name];
		let path = name;
		let label = name;
		for (let depth = 0; depth < 3 && stored && typeof stored === 'object'; depth++) {
			const entries: Array<[string, string, unknown]> = Array.isArray(stored)
				? stored.map((inner, i) => [`${path}[${i}]`, `${label} ${i + 1}`, inner])
				: Object.entries(stored).map(([key, inner]) => [`${path}.${key}`, `${label}.${key}`, inner]);
			const found = entries.find(([candidate]) => fails(candidate));
			if (!found) break;
			[path, label, stored] = found;
		}
		return label;
	}

	/** Checks and converts a value of a kind; `name` is only used in messages. */
	convert(name: string, value: unknown, kind: Kind): unknown {
		const fail = (problem: string): never => this.fail(name, problem);
		if (typeof kind === 'function') return kind(value, fail);
		switch (kind) {
			case 'string':
				if (typeof value === 'string') return value.trim();
				if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
				return fail(`must be text, got ${describe(value)}`);
			case 'uuid': {
				const text = typeof value === 'string' ? value.trim() : value;
				if (typeof text !== 'string' || !UUID_PATTERN.test(text)) {
					return fail(`must be a UUID like 3f2b8c1e-1d2a-4c3b-9e8f-0a1b2c3d4e5f, got ${describe(value)}`);
				}
				return text.toLowerCase();
			}
			case 'email': {
				const text = typeof value === 'string' ? value.trim() : '';
				if (!EMAIL_PATTERN.test(text)) return fail(`must be an email address, got ${describe(value)}`);
				return text;
			}
			case 'country': {
				const text = typeof value === 'string' ? value.trim().toUpperCase() : '';
				if (!/^[A-Z]{2}$/.test(text)) return fail(`must be a two-letter ISO 3166 country code such as US, got ${describe(value)}`);
				return text;
			}
			case 'number':
			case 'integer': {
				const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
				if (typeof number !== 'number' || !Number.isFinite(number)) return fail(`must be a number, got ${describe(value)}`);
				if (kind === 'integer' && !Number.isInteger(number)) return fail(`must be a whole number, got ${describe(value)}`);
				return number;
			}
			case 'boolean':
				if (typeof value === 'boolean') return value;
				if (value === 'true' || value === 'false') return value === 'true';
				return fail(`must be true or false, got ${describe(value)}`);
			case 'date':
			case 'dateTime': {
				const parsed = parseDate(value);
				if (!parsed) return fail(`must be a date such as 2024-05-31 or 2024-05-31T12:00:00Z, got ${describe(value)}`);
				return kind === 'date' ? parsed.toISODate() : parsed.toISO({ suppressMilliseconds: true });
			}
			case 'json': {
				if (typeof value === 'object' && value !== null) return value;
				if (typeof value !== 'string') return fail(`must be JSON, got ${describe(value)}`);
				try {
					return JSON.parse(value);
				} catch (error) {
					return fail(`is not valid JSON: ${(error as Error).message}`);
				}
			}
		}
	}

	/** A value of a kind, or undefined when empty and optional. */
	get<T = unknown>(name: string, kind: Kind = 'string', options: { required?: boolean } = {}): T {
		const value = this.raw(name, undefined);
		if (isEmpty(value)) {
			if (options.required) this.fail(name, 'is required');
			return undefined as T;
		}
		return this.convert(name, value, kind) as T;
	}

	required<T = unknown>(name: string, kind: Kind = 'string'): T {
		return this.get<T>(name, kind, { required: true });
	}

	/** A JSON parameter that must hold an object (or, with `array`, a list). */
	jsonOf<T>(name: string, shape: 'object' | 'array'): T {
		const value = this.required<unknown>(name, 'json');
		if (shape === 'array' ? !Array.isArray(value) : typeof value !== 'object' || value === null || Array.isArray(value)) {
			this.fail(name, shape === 'array' ? 'must be a JSON list' : 'must be a JSON object');
		}
		return value as T;
	}

	/**
	 * A collection (Filters, Additional Fields…) with empty entries dropped and the named
	 * children checked by kind; the others pass through as given.
	 */
	collection(name: string, kinds: Record<string, Kind> = {}): IDataObject {
		const value = this.raw(name, {}) as IDataObject;
		if (value === null || typeof value !== 'object' || Array.isArray(value)) {
			return this.fail(name, `must be a set of fields, got ${describe(value)}`);
		}
		const out: IDataObject = {};
		for (const [key, inner] of Object.entries(value)) {
			if (isEmpty(inner)) continue;
			const kind = kinds[key];
			out[key] = kind ? (this.convert(`${name}.${key}`, inner, kind) as IDataObject[string]) : inner;
		}
		return out;
	}
}
