import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Kind } from '../shared/params';

/** An identifier that goes into a path: non-empty, no spaces, not absurdly long. */
export const pathId: Kind = (value, fail) => {
	const id = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
	if (id === undefined) return fail(`must be an ID, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`);
	if (!id || /\s/.test(id) || id.length > 256) return fail(`must be an ID without spaces, got "${id.slice(0, 60)}"`);
	return id;
};

/** Comma-separated text or a list → trimmed, non-empty strings. */
export const stringList: Kind = (value, fail) => {
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
	if (!parts) return fail('must be a comma-separated list');
	const out = parts.map((part) => (typeof part === 'string' || typeof part === 'number' ? String(part).trim() : undefined));
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

/** `name=value` pairs from a fixed collection of extended attributes. */
export function attributePairs(value: unknown): Array<{ name: string; value: string; dataType?: string }> {
	const rows = ((value ?? {}) as IDataObject).attribute;
	if (!Array.isArray(rows)) return [];
	return (rows as IDataObject[])
		.filter((row) => String(row.name ?? '').trim() !== '')
		.map((row) => ({
			name: String(row.name).trim(),
			value: row.value === undefined || row.value === null ? '' : String(row.value),
			dataType: row.dataType ? String(row.dataType) : undefined,
		}));
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
