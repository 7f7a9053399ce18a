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

const COLLECTIONS = {
	filters: ['Filters', 'Add Filter'],
	additionalFields: ['Additional Fields', 'Add Field'],
	updateFields: ['Update Fields', 'Add Field'],
} as const;

/** A Filters / Additional Fields / Update Fields collection, children sorted by name. */
export function collection(
	name: keyof typeof COLLECTIONS,
	options: INodeProperties[],
	extra: Extra = {},
): INodeProperties {
	const [displayName, placeholder] = COLLECTIONS[name];
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
