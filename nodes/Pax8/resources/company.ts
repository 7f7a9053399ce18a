import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { op, type Resource } from '../../shared/operation';
import { choice, collection, sortCollection, text } from '../../shared/props';
import type { Params } from '../../shared/params';
import { pathOf } from '../../shared/transport';
import { companyLocator, sortValue } from '../fields';
import { v1 } from '../vendor';

const flags: INodeProperties[] = [
	{
		displayName: 'Bill on Behalf Of Enabled',
		name: 'billOnBehalfOfEnabled',
		type: 'boolean',
		default: false,
		description: 'Whether Pax8 handles billing transactions for this company (otherwise the partner does)',
	},
	{
		displayName: 'Order Approval Required',
		name: 'orderApprovalRequired',
		type: 'boolean',
		default: false,
		description: "Whether the company's self-service orders need approval",
	},
	{
		displayName: 'Self Service Allowed',
		name: 'selfServiceAllowed',
		type: 'boolean',
		default: false,
		description: 'Whether the company has self-service privileges',
	},
];

const addressFields: INodeProperties[] = [
	text('City', 'city'),
	text('Country Code', 'country', { placeholder: 'US', description: 'Two-letter ISO 3166-1 code' }),
	text('Postal Code', 'postalCode'),
	text('State or Province', 'stateOrProvince'),
	text('Street', 'street'),
	text('Street 2', 'street2'),
];
const ADDRESS_KEYS = addressFields.map((f) => f.name);

/** Splits an Update Fields collection into the company body with a nested address. */
function companyBody(fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	const address: IDataObject = {};
	for (const [key, value] of Object.entries(fields)) {
		if (ADDRESS_KEYS.includes(key)) address[key] = value;
		else body[key] = value;
	}
	if (Object.keys(address).length) body.address = address;
	return body;
}

const fieldKinds = { country: 'country', billOnBehalfOfEnabled: 'boolean', selfServiceAllowed: 'boolean', orderApprovalRequired: 'boolean' } as const;

/** Flattens a company for Simplify: the fields people filter and join on. */
function simplifyCompany(company: IDataObject): IDataObject {
	const address = (company.address ?? {}) as IDataObject;
	return {
		id: company.id,
		name: company.name,
		status: company.status,
		externalId: company.externalId,
		phone: company.phone,
		website: company.website,
		city: address.city,
		stateOrProvince: address.stateOrProvince,
		country: address.country,
		updatedDate: company.updatedDate,
	};
}

const companyId = (p: Params) => pathOf(v1('/companies/{id}'), { id: p.required('companyId', 'uuid') });

export const company: Resource = {
	value: 'company',
	name: 'Company',
	operations: [
		op({
			value: 'create',
			name: 'Create',
			action: 'Create a company',
			description: 'Create a company; it stays Inactive until it has primary Admin, Billing and Technical contacts',
			properties: [
				text('Name', 'name', { required: true }),
				text('Phone', 'phone', { required: true }),
				text('Website', 'website', { required: true, placeholder: 'https://example.com' }),
				text('Street', 'street', { required: true }),
				text('City', 'city', { required: true }),
				text('Postal Code', 'postalCode', { required: true }),
				text('Country Code', 'country', { required: true, placeholder: 'US', description: 'Two-letter ISO 3166-1 code' }),
				...flags,
				collection('additionalFields', [
					{
						...text('Contacts (JSON)', 'contacts'),
						type: 'json',
						default: '[]',
						description:
							'Contacts created with the company, e.g. [{"firstName":"Ann","lastName":"Lee","email":"ann@example.com","phone":"555-0100","types":[{"type":"Admin","primary":true}]}]. With primary contacts for every type the company starts Active.',
					},
					text('External ID', 'externalId', { description: 'Your own reference for the company' }),
					text('State or Province', 'stateOrProvince'),
					text('Street 2', 'street2'),
				]),
			],
			request: (p) => {
				const extra = p.collection('additionalFields', {
					contacts: (value, fail) => {
						let parsed = value;
						if (typeof value === 'string') {
							try {
								parsed = JSON.parse(value);
							} catch (error) {
								fail(`is not valid JSON: ${(error as Error).message}`);
							}
						}
						if (!Array.isArray(parsed)) fail('must be a JSON list of contacts');
						return parsed;
					},
				});
				const address: IDataObject = {
					street: p.required('street'),
					city: p.required('city'),
					postalCode: p.required('postalCode'),
					country: p.required('country', 'country'),
				};
				if (extra.street2) address.street2 = extra.street2;
				if (extra.stateOrProvince) address.stateOrProvince = extra.stateOrProvince;
				const body: IDataObject = {
					name: p.required('name'),
					address,
					phone: p.required('phone'),
					website: p.required('website'),
					billOnBehalfOfEnabled: p.get('billOnBehalfOfEnabled', 'boolean') ?? false,
					selfServiceAllowed: p.get('selfServiceAllowed', 'boolean') ?? false,
					orderApprovalRequired: p.get('orderApprovalRequired', 'boolean') ?? false,
				};
				if (extra.externalId) body.externalId = extra.externalId;
				if (Array.isArray(extra.contacts) && extra.contacts.length) body.contacts = extra.contacts;
				return { method: 'POST', path: v1('/companies'), body };
			},
		}),
		op({
			value: 'get',
			name: 'Get',
			action: 'Get a company',
			properties: [companyLocator()],
			simplify: simplifyCompany,
			request: (p) => ({ method: 'GET', path: companyId(p) }),
		}),
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many companies',
			paginate: true,
			simplify: simplifyCompany,
			properties: [
				collection('filters', [
					{ ...flags[0], default: true },
					text('City', 'city'),
					text('Country', 'country'),
					{ ...flags[1], default: true },
					text('Postal Code', 'postalCode'),
					{ ...flags[2], default: true },
					text('State or Province', 'stateOrProvince'),
					choice('Status', 'status', ['Active', 'Deleted', 'Inactive']),
				]),
				sortCollection([
					['City', 'city'],
					['Country', 'country'],
					['Name', 'name'],
					['Postal Code', 'postalCode'],
					['State or Province', 'stateOrProvince'],
				]),
			],
			request: (p) => ({
				method: 'GET',
				path: v1('/companies'),
				qs: { ...p.collection('filters', fieldKinds), sort: sortValue(p.collection('sort')) },
			}),
		}),
		op({
			value: 'update',
			name: 'Update',
			action: 'Update a company',
			description: 'Change the given fields of a company (PATCH)',
			properties: [
				companyLocator(),
				collection('updateFields', [
					...flags,
					...addressFields,
					text('External ID', 'externalId'),
					text('Name', 'name'),
					text('Phone', 'phone'),
					text('Website', 'website'),
				]),
			],
			request: (p) => {
				const path = companyId(p);
				const fields = p.collection('updateFields', fieldKinds);
				if (!Object.keys(fields).length) p.fail('updateFields', 'needs at least one field to change');
				return { method: 'PATCH', path, body: companyBody(fields) };
			},
		}),
	],
};
