import { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

function isEmpty(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '') ||
		(typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0)
	);
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	const text = String(value);
	return `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
}

/** Parses any ISO 8601 / RFC 2822 / SQL / epoch-ms form, or a Date or luxon DateTime. */
export function parseDate(value: unknown): DateTime | undefined {
	if (value instanceof Date) return DateTime.fromJSDate(value, { zone: 'utc' });
	if (DateTime.isDateTime(value)) return value;
	if (typeof value === 'number' && Number.isFinite(value)) return DateTime.fromMillis(value, { zone: 'utc' });
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	for (const parse of [DateTime.fromISO, DateTime.fromRFC2822, DateTime.fromSQL, DateTime.fromHTTP]) {
		const parsed = parse(text, { setZone: true });
		if (parsed.isValid) return parsed;
	}
	return undefined;
}

/**
 * The parameters of one item, read and checked before any request is sent. Every problem is
 * a `NodeOperationError` naming the parameter (by its display name) and the item.
 */
export class Params {
	constructor(
		private readonly ctx: IExecuteFunctions,
		readonly index: number,
		private readonly labels: Map<string, string>,
	) {}

	get node(): INode {
		return this.ctx.getNode();
	}

	label(name: string): string {
		return this.labels.get(name) ?? name;
	}

	fail(name: string, problem: string, description?: string): never {
		throw new NodeOperationError(
			this.node,
			`Parameter "${this.label(name)}" ${problem} [item ${this.index}]`,
			{ itemIndex: this.index, description },
		);
	}

	/** The raw value (resource locators resolved to their value). */
	raw(name: string, fallback?: unknown): unknown {
		return this.ctx.getNodeParameter(name, this.index, fallback, { extractValue: true });
	}

	/** Checks and converts a value of a kind; `name` is only used in messages. */
	convert(name: string, value: unknown, kind: Kind): unknown {
		const fail = (problem: string): never => this.fail(name, problem);
		if (typeof kind === 'function') return kind(value, fail);
		switch (kind) {
			case 'string':
				if (typeof value === 'string') return value.trim();
				if (typeof value === 'number' || typeof value === 'boolean') return String(value);
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
				if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) return fail(`must be an email address, got ${describe(value)}`);
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
		if (shape === 'array' ? !Array.isArray(value) : typeof value !== 'object' || Array.isArray(value)) {
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
