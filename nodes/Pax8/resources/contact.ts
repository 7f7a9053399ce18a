import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { op, type Resource } from '../../shared/operation';
import { collection, text } from '../../shared/props';
import type { Params } from '../../shared/params';
import { pathOf } from '../../shared/transport';
import { companyLocator, idField } from '../fields';
import { v1 } from '../vendor';

const TYPES = [
	{ name: 'Admin', value: 'Admin' },
	{ name: 'Billing', value: 'Billing' },
	{ name: 'Technical', value: 'Technical' },
];

const typeFields: INodeProperties[] = [
	{
		displayName: 'Contact Types',
		name: 'types',
		type: 'multiOptions',
		options: TYPES,
		default: [],
		description: 'Roles of the contact at the company',
	},
	{
		displayName: 'Primary For',
		name: 'primaryFor',
		type: 'multiOptions',
		options: TYPES,
		default: [],
		description:
			'Roles for which this contact is the primary contact. A company needs a primary contact for every role; one contact may be primary for all.',
	},
];

/** `types[]` of `{type, primary}` from the two multi-selects (primary implies the type). */
export function contactTypes(types: unknown, primaryFor: unknown): IDataObject[] {
	const all = new Set<string>([...((types as string[]) ?? []), ...((primaryFor as string[]) ?? [])]);
	const primary = new Set<string>((primaryFor as string[]) ?? []);
	return TYPES.filter((t) => all.has(t.value)).map((t) => ({ type: t.value, primary: primary.has(t.value) }));
}

/** Live contacts carry extra phone fields; keep them but make sure `phone` is filled. */
function normalizeContact(contact: IDataObject): IDataObject {
	if (!contact.phone && contact.phoneNumber) return { ...contact, phone: contact.phoneNumber };
	return contact;
}

const contactPath = (p: Params) =>
	pathOf(v1('/companies/{companyId}/contacts/{contactId}'), {
		companyId: p.required('companyId', 'uuid'),
		contactId: p.required('contactId', 'uuid'),
	});

const contactId = idField('contactId', 'Contact ID');

export const contact: Resource = {
	value: 'contact',
	name: 'Contact',
	operations: [
		op({
			value: 'create',
			name: 'Create',
			action: 'Create a contact',
			properties: [
				companyLocator(),
				text('First Name', 'firstName', { required: true }),
				text('Last Name', 'lastName', { required: true }),
				text('Email', 'email', { required: true, placeholder: 'name@email.com' }),
				text('Phone', 'phone', { required: true }),
				...typeFields,
			],
			request: (p) => ({
				method: 'POST',
				path: pathOf(v1('/companies/{id}/contacts'), { id: p.required('companyId', 'uuid') }),
				body: {
					firstName: p.required('firstName'),
					lastName: p.required('lastName'),
					email: p.required('email', 'email'),
					phone: p.required('phone'),
					types: contactTypes(p.raw('types', []), p.raw('primaryFor', [])),
				},
			}),
			normalize: normalizeContact,
		}),
		op({
			value: 'delete',
			name: 'Delete',
			action: 'Delete a contact',
			properties: [companyLocator(), contactId],
			request: (p) => ({ method: 'DELETE', path: contactPath(p) }),
			empty: () => ({ deleted: true }),
		}),
		op({
			value: 'get',
			name: 'Get',
			action: 'Get a contact',
			properties: [companyLocator(), contactId],
			request: (p) => ({ method: 'GET', path: contactPath(p) }),
			normalize: normalizeContact,
		}),
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many contacts',
			description: 'Get the contacts of a company, newest first',
			properties: [companyLocator()],
			paginate: true,
			request: (p) => ({
				method: 'GET',
				path: pathOf(v1('/companies/{id}/contacts'), { id: p.required('companyId', 'uuid') }),
			}),
			normalize: normalizeContact,
		}),
		op({
			value: 'update',
			name: 'Update',
			action: 'Update a contact',
			description: 'Change the given fields; the other fields keep their current values',
			properties: [
				companyLocator(),
				contactId,
				collection('updateFields', [
					...typeFields,
					text('Email', 'email'),
					text('First Name', 'firstName'),
					text('Last Name', 'lastName'),
					text('Phone', 'phone'),
				]),
			],
			normalize: normalizeContact,
			// Pax8 replaces the whole contact on PUT: read it, apply the changes, write it back.
			run: async ({ params: p, send }) => {
				const path = contactPath(p);
				const fields = p.collection('updateFields', { email: 'email' });
				if (!Object.keys(fields).length) p.fail('updateFields', 'needs at least one field to change');
				const current = normalizeContact((await send({ method: 'GET', path })).body as IDataObject);
				const currentTypes = (Array.isArray(current.types) ? current.types : []) as IDataObject[];
				const body: IDataObject = {
					firstName: fields.firstName ?? current.firstName,
					lastName: fields.lastName ?? current.lastName,
					email: fields.email ?? current.email,
					phone: fields.phone ?? current.phone,
					types: contactTypes(
						fields.types ?? currentTypes.map((t) => t.type),
						fields.primaryFor ?? currentTypes.filter((t) => t.primary).map((t) => t.type),
					),
				};
				return (await send({ method: 'PUT', path, body })).body as IDataObject;
			},
		}),
	],
};
