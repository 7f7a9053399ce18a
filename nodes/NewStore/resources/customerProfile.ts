import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { nodeErrorOf } from '../../shared/executor';
import { op, type OperationContext, type Resource } from '../../shared/operation';
import { describe, type Params } from '../../shared/params';
import { boolean, collection, sortCollection, text } from '../../shared/props';
import { pathOf } from '../../shared/transport';
import { attributePairs, attributesField, idText, pathId, profileLocator } from '../fields';

/** Customer Profile API versions: the newest is the default. */
export const PROFILE_VERSIONS = [
	{ name: '2.0.0 (Default)', value: '2.0.0', path: '/customer/profiles' },
	{ name: '1.0.0 (Legacy)', value: '1.0.0', path: '/v1/customer/profiles' },
];

/** NewStore answers a profile search with at most this many profiles. */
export const PROFILE_SEARCH_CEILING = 10_000;

const PROFILE_FIELDS = ['id', 'display_id', 'email', 'first_name', 'last_name', 'full_name', 'phone_number', 'created_at', 'updated_at'];

const versionProperties: INodeProperties[] = [
	{
		displayName: 'API Version',
		name: 'apiVersion',
		type: 'options',
		options: PROFILE_VERSIONS.map(({ name, value }) => ({ name, value })),
		default: '2.0.0',
		description: 'Request and response shapes follow the version chosen',
	},
	{
		displayName: 'Profiles Path',
		name: 'profilesPath',
		type: 'string',
		default: '/customer/profiles',
		description: 'Where the tenant serves Customer Profile API 2.0.0; change only if NewStore gave you another path',
		displayOptions: { show: { apiVersion: ['2.0.0'] } },
	},
	{
		displayName: 'Profiles Path',
		name: 'profilesPath',
		type: 'string',
		default: '/v1/customer/profiles',
		description: "Where the tenant serves Customer Profile API 1.0.0 — not in NewStore's published spec, so confirm it with NewStore",
		displayOptions: { show: { apiVersion: ['1.0.0'] } },
	},
];

const isV1 = (p: Params) => p.raw('apiVersion', '2.0.0') === '1.0.0';

const basePath = (p: Params): string => {
	const path = p.required<string>('profilesPath');
	// No `.`/`..` or empty segments: URLs resolve those to another path than the one shown.
	if (!/^\/[\w\-./]*$/.test(path) || /\/\.{1,2}(\/|$)|\/\/./.test(path)) {
		p.fail('profilesPath', `must be a path starting with "/", got "${path.slice(0, 60)}"`);
	}
	return path.replace(/\/+$/, '');
};

const profilePath = (p: Params, suffix = '') =>
	`${basePath(p)}${pathOf(`/{id}${suffix}`, { id: p.required('profileId', pathId) })}`;

const e164 = (value: unknown, fail: (problem: string) => never) => {
	const phone = typeof value === 'string' ? value.replace(/[\s()-]/g, '') : '';
	if (!/^\+[1-9]\d{1,14}$/.test(phone)) return fail(`must be a phone number in E.164 form such as +14155550123, got ${describe(value)}`);
	return phone;
};

const profileFields = (): INodeProperties[] => [
	text('First Name', 'firstName', { description: 'Version 2.0.0 only; use with Last Name instead of Full Name' }),
	text('Last Name', 'lastName', { description: 'Version 2.0.0 only' }),
	text('Full Name', 'fullName', { description: 'Up to 256 characters; not together with First/Last Name' }),
	text('Phone Number', 'phoneNumber', { placeholder: '+14155550123', description: 'E.164 form' }),
	text('Store ID', 'storeId'),
	text('Created By', 'createdBy', { description: 'Who creates the profile, e.g. an associate or integration' }),
];

/** An attribute value checked against its data type (sent as text, as the spec wants). */
function checked(value: string, dataType: string | undefined, p: Params, field: string): string {
	if (dataType === 'number' && (value.trim() === '' || !Number.isFinite(Number(value)))) {
		p.fail(field, `has a number attribute with the value "${value}"`);
	}
	if (dataType === 'boolean' && !['true', 'false'].includes(value.trim().toLowerCase())) {
		p.fail(field, `has a boolean attribute with the value "${value}"`);
	}
	return dataType === 'boolean' ? value.trim().toLowerCase() : value;
}

/** The extended attributes as the API wants them: `{name: {data_type, value}}` (both versions). */
function attributes(p: Params, source: unknown, field: string): IDataObject | undefined {
	const pairs = attributePairs(source, (problem) => p.fail(field, problem));
	if (!pairs.length) return undefined;
	const out: IDataObject = {};
	for (const pair of pairs) {
		const dataType = pair.dataType ?? 'string';
		out[pair.name] = { data_type: dataType, value: checked(pair.value, dataType, p, field) };
	}
	return out;
}

/** Profile fields from a collection, in the version's shape, checked before sending. */
function profileBody(p: Params, name: string): IDataObject {
	const fields = p.collection(name, { phoneNumber: e164 });
	const body: IDataObject = {};
	const split = fields.firstName !== undefined || fields.lastName !== undefined;
	if (isV1(p)) {
		// Version 1.0.0 knows only the full name.
		const full = fields.fullName ?? (split ? [fields.firstName, fields.lastName].filter(Boolean).join(' ') : undefined);
		if (full !== undefined) body.full_name = full;
	} else {
		if (split && fields.fullName !== undefined) {
			p.fail(`${name}.fullName`, 'cannot be combined with First Name or Last Name in version 2.0.0 (NewStore would answer 400)');
		}
		if (fields.firstName !== undefined) body.first_name = fields.firstName;
		if (fields.lastName !== undefined) body.last_name = fields.lastName;
		if (fields.fullName !== undefined) body.full_name = fields.fullName;
	}
	if (typeof body.full_name === 'string' && body.full_name.length > 256) p.fail(`${name}.fullName`, 'must be at most 256 characters');
	if (fields.phoneNumber !== undefined) body.phone_number = fields.phoneNumber;
	if (fields.storeId !== undefined) body.store_id = fields.storeId;
	if (fields.createdBy !== undefined) body.created_by = fields.createdBy;
	if (fields.email !== undefined) body.email = p.convert(`${name}.email`, fields.email, "email") as string;
	return body;
}

const ADDRESS_FIELDS = (): INodeProperties[] => [
	text('Address Line 1', 'addressLine1'),
	text('Address Line 2', 'addressLine2'),
	text('City', 'city'),
	text('Company Name', 'companyName'),
	text('Contact Phone', 'contactPhone'),
	text('Full Name', 'fullName'),
	text('State', 'state'),
	text('ZIP Code', 'zipCode'),
];

const ADDRESS_KEYS: Record<string, string> = {
	addressLine1: 'address_line_1',
	addressLine2: 'address_line_2',
	city: 'city',
	companyName: 'company_name',
	contactPhone: 'contact_phone',
	countryCode: 'country_code',
	fullName: 'full_name',
	state: 'state',
	zipCode: 'zip_code',
};

function addressBody(fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	for (const [key, value] of Object.entries(fields)) if (ADDRESS_KEYS[key]) body[ADDRESS_KEYS[key]] = value;
	return body;
}

const addressPath = (p: Params) => profilePath(p, pathOf('/addresses/{address}', { address: p.required('addressId', pathId) }));

/** Search results matching an email exactly (the search matches parts of emails, names and phones). */
async function findByEmail(c: OperationContext, email: string): Promise<IDataObject | undefined> {
	const response = await c.send({ method: 'GET', path: basePath(c.params), qs: { q: email, offset: 0, count: 100 } });
	const profiles = ((response.body as IDataObject)?.profiles ?? []) as IDataObject[];
	return profiles.find((profile) => String(profile.email ?? '').toLowerCase() === email.toLowerCase());
}

function conflict(c: OperationContext, response: { message: string }): NodeApiError {
	return new NodeApiError(
		c.ctx.getNode(),
		{ message: response.message },
		{
			message: 'The customer profile was changed by someone else after it was read (HTTP 409)',
			description: 'Nothing was written. Run the node again to apply the changes to the latest version of the profile.',
			httpCode: '409',
			itemIndex: c.itemIndex,
		},
	);
}

/** Whether the profile already holds every value of the change (a retried write that landed). */
function holds(profile: IDataObject, change: IDataObject): boolean {
	return Object.entries(change).every(([key, value]) => JSON.stringify(profile[key]) === JSON.stringify(value));
}

/**
 * PATCH with optimistic locking: sends the `updated_at` it read as `last_updated_at`. A 409
 * means someone changed the record in between — unless it was our own retried write that had
 * landed, which a fresh read shows.
 */
async function lockedPatch(c: OperationContext, path: string, change: IDataObject, current?: IDataObject): Promise<IDataObject> {
	const read = current ?? ((await c.send({ method: 'GET', path })).body as IDataObject);
	const body = { ...change, last_updated_at: read.updated_at };
	try {
		// Retrying is safe: a stale time makes NewStore refuse rather than apply twice.
		return (await c.send({ method: 'PATCH', path, body, idempotent: true })).body as IDataObject;
	} catch (caught) {
		const error = nodeErrorOf(c.ctx.getNode(), caught, c.itemIndex);
		if (!(error instanceof NodeApiError) || error.httpCode !== '409') throw error;
		const latest = (await c.send({ method: 'GET', path })).body as IDataObject;
		if (holds(latest, change)) return latest;
		throw conflict(c, error);
	}
}

export const customerProfile: Resource = {
	value: 'customerProfile',
	name: 'Customer Profile',
	properties: versionProperties,
	operations: [
		op({
			value: 'create',
			name: 'Create',
			action: 'Get or create a customer profile',
			description: 'Find the profile with this email or create it; the output says which (created: true/false)',
			properties: [
				text('Email', 'email', { required: true, placeholder: 'name@email.com' }),
				collection('additionalFields', profileFields()),
				attributesField('extendedAttributes', true),
			],
			run: async (c) => {
				const p = c.params;
				const email = p.required<string>('email', 'email');
				const body: IDataObject = { email, ...profileBody(p, 'additionalFields') };
				const extended = attributes(p, p.raw('extendedAttributes', {}), 'extendedAttributes');
				if (extended) body.extended_attributes = extended;
				if (isV1(p)) {
					// 1.0.0 answers 200 for an existing profile and 201 for a new one.
					const response = await c.send({ method: 'POST', path: basePath(p), body, idempotent: true });
					return { created: response.status === 201, ...(response.body as IDataObject) };
				}
				// 2.0.0 answers 201 either way and returns an existing profile unchanged: look first.
				const existing = await findByEmail(c, email);
				if (existing) return { created: false, ...existing };
				const response = await c.send({ method: 'POST', path: basePath(p), body, idempotent: true });
				return { created: true, ...(response.body as IDataObject) };
			},
			simplify: ['created', ...PROFILE_FIELDS],
		}),
		op({
			value: 'get',
			name: 'Get',
			action: 'Get a customer profile',
			properties: [profileLocator()],
			request: (p) => ({ method: 'GET', path: profilePath(p) }),
			simplify: PROFILE_FIELDS,
		}),
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Search customer profiles',
			description: 'Search profiles by part of an email, name or phone number (NewStore returns at most 10,000)',
			properties: [
				text('Query', 'query', { description: 'Part of an email, full name or phone number; empty lists all' }),
				sortCollection([
					['Created At', 'created_at'],
					['Email', 'email'],
					['Full Name', 'full_name'],
					['Updated At', 'updated_at'],
				]),
			],
			paginate: true,
			maxPageSize: 500,
			simplify: PROFILE_FIELDS,
			run: async (c) => {
				const p = c.params;
				const qs: IDataObject = {};
				const query = p.get<string>('query');
				if (query) qs.q = query;
				const sort = p.raw('sort', {}) as IDataObject;
				if (sort.field) qs.sort = `${sort.field}|${sort.direction ?? 'asc'}`;
				const returnAll = p.raw('returnAll', false) === true;
				const limit = returnAll ? PROFILE_SEARCH_CEILING : Math.min(p.get<number>('limit', 'integer') ?? 50, PROFILE_SEARCH_CEILING);
				let total = 0;
				const profiles = await c.list(
					{ method: 'GET', path: basePath(p), qs },
					{ returnAll: false, limit, onPage: (page) => (total = page.total ?? total) },
				);
				if (returnAll && total > PROFILE_SEARCH_CEILING) {
					c.ctx.addExecutionHints({
						message: `NewStore returns at most the first ${PROFILE_SEARCH_CEILING.toLocaleString('en-US')} profiles of a search; ${total.toLocaleString('en-US')} match. Narrow the Query to get the others.`,
						location: 'outputPane',
					});
				}
				return profiles;
			},
		}),
		op({
			value: 'requestDeletion',
			name: 'Request Deletion',
			action: 'Request deletion of a customer profile',
			description: 'Ask NewStore to delete the profile and its personal data (done in the background)',
			properties: [profileLocator()],
			request: (p) => ({ method: 'POST', path: profilePath(p), body: { operation: 'delete' } }),
			empty: (p) => ({ deletionRequested: true, id: p.raw('profileId') as string }),
		}),
		op({
			value: 'update',
			name: 'Update',
			action: 'Update a customer profile',
			description: 'Change the given fields; version 2.0.0 sends the last-updated time it read so no change is lost',
			properties: [
				profileLocator(),
				collection('updateFields', [text('Email', 'email', { placeholder: 'name@email.com' }), ...profileFields()]),
				attributesField('extendedAttributes', true),
				boolean('Replace Extended Attributes', 'replaceAttributes', {
					description: 'Whether the attributes given replace all existing ones (otherwise they are merged into them)',
				}),
			],
			simplify: PROFILE_FIELDS,
			run: async (c) => {
				const p = c.params;
				const path = profilePath(p);
				const change = profileBody(p, 'updateFields');
				const extended = attributes(p, p.raw('extendedAttributes', {}), 'extendedAttributes');
				if (!Object.keys(change).length && !extended) p.fail('updateFields', 'needs at least one field to change (or Extended Attributes)');
				const current = (await c.send({ method: 'GET', path })).body as IDataObject;
				if (extended) {
					// The API replaces the whole map: merge unless asked to replace.
					const existing = (current.extended_attributes ?? {}) as IDataObject;
					change.extended_attributes = p.raw('replaceAttributes', false) === true ? extended : { ...existing, ...extended };
				}
				if (isV1(p)) return (await c.send({ method: 'PATCH', path, body: change, idempotent: true })).body as IDataObject;
				return await lockedPatch(c, path, change, current);
			},
		}),
		op({
			value: 'createAddress',
			name: 'Create Address',
			action: 'Add an address to a customer profile',
			description: 'Add an address; an identical existing one is returned instead (created: false)',
			properties: [
				profileLocator(),
				text('Country Code', 'countryCode', { required: true, placeholder: 'US', description: 'ISO 3166-1 alpha-2' }),
				collection('additionalFields', ADDRESS_FIELDS()),
			],
			run: async (c) => {
				const p = c.params;
				const body = addressBody({ ...p.collection('additionalFields'), countryCode: p.required('countryCode', 'country') });
				// Not repeated on a 5xx: a repeat of a create that landed would say created: false.
				const response = await c.send({ method: 'POST', path: profilePath(p, '/addresses'), body });
				return { created: response.status === 201, ...(response.body as IDataObject) };
			},
		}),
		op({
			value: 'deleteAddress',
			name: 'Delete Address',
			action: 'Delete an address of a customer profile',
			properties: [profileLocator(), idText('addressId', 'Address ID')],
			request: (p) => ({ method: 'DELETE', path: addressPath(p) }),
			empty: (p) => ({ deleted: true, id: p.raw('addressId') as string }),
		}),
		op({
			value: 'getAllAddresses',
			name: 'Get Many Addresses',
			action: 'Get the addresses of a customer profile',
			properties: [profileLocator()],
			paginate: true,
			maxPageSize: 1000,
			request: (p) => ({ method: 'GET', path: profilePath(p, '/addresses') }),
		}),
		op({
			value: 'updateAddress',
			name: 'Update Address',
			action: 'Update an address of a customer profile',
			properties: [
				profileLocator(),
				idText('addressId', 'Address ID'),
				collection('updateFields', [text('Country Code', 'countryCode', { placeholder: 'US' }), ...ADDRESS_FIELDS()]),
			],
			run: async (c) => {
				const fields = c.params.collection('updateFields', { countryCode: 'country' });
				if (!Object.keys(fields).length) c.params.fail('updateFields', 'needs at least one field to change');
				return await lockedPatch(c, addressPath(c.params), addressBody(fields));
			},
		}),
	],
};

