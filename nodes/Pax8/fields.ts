import type { INodeProperties } from 'n8n-workflow';

const UUID_REGEX = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** A searchable resource locator for a Pax8 record (list mode + ID mode checked as UUID). */
function locator(name: string, displayName: string, searchListMethod: string, description?: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 3f2b8c1e-1d2a-4c3b-9e8f-0a1b2c3d4e5f',
				validation: [{ type: 'regex', properties: { regex: UUID_REGEX, errorMessage: 'Not a valid UUID' } }],
			},
		],
	};
}

export const companyLocator = (description?: string) => locator('companyId', 'Company', 'searchCompanies', description);
export const productLocator = (description?: string) => locator('productId', 'Product', 'searchProducts', description);
export const subscriptionLocator = (description?: string) =>
	locator('subscriptionId', 'Subscription', 'searchSubscriptions', description);

/** A plain UUID field. */
export function idField(name: string, displayName: string, description?: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 3f2b8c1e-1d2a-4c3b-9e8f-0a1b2c3d4e5f',
		description,
	};
}

export const BILLING_TERMS = ['Monthly', 'Annual', '2-Year', '3-Year', 'One-Time', 'Trial', 'Activation'];

export const billingTermOptions = BILLING_TERMS.map((term) => ({ name: term, value: term })).sort((a, b) =>
	a.name.localeCompare(b.name),
);

/** `field,direction` from a Sort collection, or undefined. */
export function sortValue(sort: { field?: string; direction?: string }): string | undefined {
	if (!sort.field) return undefined;
	return `${sort.field},${sort.direction ?? 'asc'}`;
}
