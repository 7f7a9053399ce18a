import type { INodeProperties } from 'n8n-workflow';

import { describe, type Kind } from '../shared/params';

/** Documented ID prefixes of Connect objects. */
export const PREFIX = {
	request: 'PR',
	tierConfigRequest: 'TCR',
	usageFile: 'UF',
	usageRecord: 'UR',
	product: 'PRD',
	asset: 'AS',
	marketplace: 'MP',
	hub: 'HB',
	template: 'TL',
	tierAccount: 'TA',
	tierConfig: 'TC',
	tierAccountRequest: 'TAR',
	contract: 'CRD',
	conversation: 'CO',
	webhook: 'WH',
} as const;

export type IdType = keyof typeof PREFIX;

/** A parameter kind checking `<PREFIX>-…` (digits, letters, dashes), upper-cased. */
export function connectId(type: IdType): Kind {
	const prefix = PREFIX[type];
	const pattern = new RegExp(`^${prefix}-[A-Z0-9][A-Z0-9-]*$`);
	return (value, fail) => {
		const text = typeof value === 'string' ? value.trim().toUpperCase() : '';
		if (!pattern.test(text)) {
			fail(`must be a Connect ID starting with ${prefix}- (e.g. ${prefix}-1234-5678), got ${describe(value)}`);
		}
		return text;
	};
}

/** A resource locator: pick from a searchable list, or type the ID (checked by prefix). */
export function locator(
	name: string,
	displayName: string,
	type: IdType,
	searchListMethod?: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	const prefix = PREFIX[type];
	const byId = {
		displayName: 'By ID',
		name: 'id',
		type: 'string' as const,
		placeholder: `e.g. ${prefix}-1234-5678-9012`,
		validation: [
			{
				type: 'regex' as const,
				properties: { regex: `^${prefix}-[A-Za-z0-9][A-Za-z0-9-]*$`, errorMessage: `Must start with ${prefix}-` },
			},
		],
	};
	const common = { displayName, name, required: true, ...extra };
	if (!searchListMethod) {
		return { ...common, type: 'resourceLocator', default: { mode: 'id', value: '' }, modes: [byId] };
	}
	return {
		...common,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod, searchable: true } },
			byId,
		],
	};
}
