import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { describe, type Kind } from '../shared/params';

/**
 * An identifier that goes into a path: non-empty, no spaces, not absurdly long, and not `.` or
 * `..` (which URLs resolve to the parent path: `/v0/orders/..` would be `/v0/`).
 */
export const pathId: Kind = (value, fail) => {
	const id = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
	if (id === undefined) return fail(`must be an ID, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'number' ? String(value) : typeof value}`);
	if (!id || /\s/.test(id) || id.length > 256) return fail(`must be an ID without spaces, got "${id.slice(0, 60)}"`);
	if (id === '.' || id === '..') return fail(`must be an ID, got "${id}"`);
	// Half of a UTF-16 surrogate pair cannot be put into a URL (encodeURIComponent throws).
	if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(id)) return fail('must be an ID, got text with a broken character');
	return id;
};

/** Comma-separated text or a list → trimmed, non-empty strings. */
export const stringList: Kind = (value, fail) => {
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
	if (!parts) return fail('must be a comma-separated list');
	const out = parts.map((part) => (typeof part === 'string' || (typeof part === 'number' && Number.isFinite(part)) ? String(part).trim() : undefined));
	if (out.some((part) => part === undefined)) return fail('must be a list of text values');
	return (out as string[]).filter(Boolean);
};

export function idText(name: string, displayName: string, extra: Partial<INodeProperties> = {}): INodeProperties {
	return { displayName, name, type: 'string', default: '', required: true, ...extra };
}

/** A resource locator with a searchable list and an ID mode. */
export function locator(
	name: string,
	displayName: string,
	searchListMethod: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod, searchable: true } },
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. 5a1f0c2e-…' },
		],
		...extra,
	};
}

export const profileLocator = () =>
	locator('profileId', 'Customer Profile', 'searchProfiles', { description: 'Search by email, name or phone' });

export const integrationLocator = () => locator('integrationId', 'Integration', 'searchIntegrations');

/** Text of a name or value: text, numbers and true/false; anything else (objects, lists) is not. */
const attributeText = (value: unknown): string | undefined =>
	value === undefined || value === null ? '' : ['string', 'number', 'boolean'].includes(typeof value) ? String(value) : undefined;

/**
 * `name=value` pairs from a fixed collection of extended attributes. A name or value that is not
 * text (an expression giving an object or a list) goes to `fail`, if given, else is skipped.
 */
export function attributePairs(
	value: unknown,
	fail?: (problem: string) => never,
): Array<{ name: string; value: string; dataType?: string }> {
	const rows = value && typeof value === 'object' ? (value as IDataObject).attribute : undefined;
	if (!Array.isArray(rows)) return [];
	const pairs: Array<{ name: string; value: string; dataType?: string }> = [];
	(rows as unknown[]).forEach((entry, index) => {
		const row = (entry && typeof entry === 'object' ? entry : {}) as IDataObject;
		const name = attributeText(row.name);
		const text = attributeText(row.value);
		if (name === undefined || text === undefined) {
			fail?.(`attribute ${index + 1} must have text as its ${name === undefined ? 'name' : 'value'}, got ${name === undefined ? describe(row.name) : describe(row.value)}`);
			return;
		}
		if (name.trim() === '') return;
		pairs.push({ name: name.trim(), value: text, dataType: typeof row.dataType === 'string' && row.dataType ? row.dataType : undefined });
	});
	return pairs;
}

/** A fixed collection of extended attributes (name, value, optional data type). */
export function attributesField(name: string, withDataType = false): INodeProperties {
	const values: INodeProperties[] = [
		{ displayName: 'Name', name: 'name', type: 'string', default: '' },
		{ displayName: 'Value', name: 'value', type: 'string', default: '' },
	];
	if (withDataType) {
		values.push({
			displayName: 'Data Type',
			name: 'dataType',
			type: 'options',
			options: [
				{ name: 'Boolean', value: 'boolean' },
				{ name: 'Number', value: 'number' },
				{ name: 'String', value: 'string' },
			],
			default: 'string',
		});
	}
	return {
		displayName: 'Extended Attributes',
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Attribute',
		default: {},
		options: [{ displayName: 'Attribute', name: 'attribute', values }],
	};
}

/**
 * NewStore note timestamps use Go's default format (`2012-10-31 15:50:13.793654 +0000 UTC`):
 * turned into ISO 8601; anything else is left as it came.
 */
export function goTimeToIso<T>(value: T): T | string {
	if (typeof value !== 'string') return value;
	const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? ([+-])(\d{2})(\d{2})(?: [A-Z]{2,5})?$/.exec(value.trim());
	if (!match) return value;
	const fraction = (match[3] ?? '').slice(0, 4).padEnd(4, '0');
	const iso = `${match[1]}T${match[2]}${fraction === '0000' ? '' : fraction}${match[4]}${match[5]}:${match[6]}`;
	const parsed = new Date(iso);
	return Number.isNaN(parsed.getTime()) ? value : parsed.toISOString();
}
