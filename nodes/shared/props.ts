import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** Small builders for the parameter shapes every vendor node repeats. */

type Extra = Partial<INodeProperties>;

export const text = (displayName: string, name: string, extra: Extra = {}): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	...extra,
});

export const number = (displayName: string, name: string, extra: Extra = {}): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	default: 0,
	...extra,
});

export const date = (displayName: string, name: string, extra: Extra = {}): INodeProperties => ({
	displayName,
	name,
	type: 'dateTime',
	default: '',
	...extra,
});

/** A readable option name for an API value: `tiers_setup` → `Tiers Setup`. */
export const humanize = (value: string): string =>
	value.replace(/[_-]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());

export const choice = (
	displayName: string,
	name: string,
	values: Array<string | INodePropertyOptions>,
	extra: Extra = {},
): INodeProperties => {
	const options = values
		.map((v) => (typeof v === 'string' ? { name: v, value: v } : v))
		.sort((a, b) => a.name.localeCompare(b.name));
	const first = options[0].value;
	return { displayName, name, type: 'options', options, default: first, ...extra };
};

export const boolean = (displayName: string, name: string, extra: Extra = {}): INodeProperties => ({
	displayName,
	name,
	type: 'boolean',
	default: false,
	...extra,
});

const COLLECTIONS: Record<string, [string, string]> = {
	filters: ['Filters', 'Add Filter'],
	additionalFields: ['Additional Fields', 'Add Field'],
	updateFields: ['Update Fields', 'Add Field'],
	options: ['Options', 'Add Option'],
};

/**
 * A collection, children sorted by name. Filters / Additional Fields / Update Fields get their
 * usual labels; any other name takes `displayName` and `placeholder` from `extra`.
 */
export function collection(name: string, options: INodeProperties[], extra: Extra = {}): INodeProperties {
	const [displayName, placeholder] = COLLECTIONS[name] ?? [name, 'Add Field'];
	return {
		displayName,
		name,
		type: 'collection',
		placeholder,
		default: {},
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
		...extra,
	};
}

/** A Sort collection: a field from the API's list and a direction (each vendor formats it). */
export function sortCollection(fields: Array<[string, string]>): INodeProperties {
	const firstField = fields[0][1];
	return {
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort',
		default: {},
		options: [
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
				default: 'asc',
			},
			{
				displayName: 'Field',
				name: 'field',
				type: 'options',
				options: fields.map(([name, value]) => ({ name, value })).sort((a, b) => a.name.localeCompare(b.name)),
				default: firstField,
			},
		],
	};
}
