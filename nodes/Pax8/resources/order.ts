import type { IDataObject } from 'n8n-workflow';

import { op, type Resource } from '../../shared/operation';
import { choice, collection, text } from '../../shared/props';
import { describe, type Params } from '../../shared/params';
import { pathOf } from '../../shared/transport';
import { BILLING_TERMS, billingTermOptions, companyLocator, idField } from '../fields';
import { v1 } from '../vendor';

/**
 * Provisioning details as Pax8 wants them (`[{key, values: [string]}]`), from that form or
 * from the shorter `{ "msDomain": "contoso" }` object form.
 */
export function provisioningDetails(value: unknown, fail: (problem: string) => never): IDataObject[] {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return [];
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			fail(`is not valid JSON: ${(error as Error).message}`);
		}
	}
	// Values are text; numbers and true/false are written as text, anything else is refused.
	const texts = (key: string, values: unknown[]): string[] =>
		values
			.filter((v) => v !== undefined && v !== null)
			.map((v) => (['string', 'number', 'boolean'].includes(typeof v) ? String(v) : fail(`"${key}" must have text values, got ${describe(v)}`)));
	if (Array.isArray(parsed)) {
		return parsed.map((entry: IDataObject, index) => {
			if (!entry || typeof entry !== 'object' || typeof entry.key !== 'string' || !entry.key) {
				fail(`entry ${index + 1} needs a "key"`);
			}
			const values = Array.isArray(entry.values) ? entry.values : [entry.values ?? entry.value];
			return { key: entry.key, values: texts(entry.key, values) };
		});
	}
	if (parsed && typeof parsed === 'object') {
		return Object.entries(parsed as IDataObject).map(([key, v]) => ({
			key: key.trim() ? key : fail('has an empty key'),
			values: texts(key, Array.isArray(v) ? v : [v]),
		}));
	}
	return fail('must be a JSON list like [{"key":"msDomain","values":["contoso"]}] or an object like {"msDomain":"contoso"}');
}

/** Checks one line item and puts it in the shape of `CreateLineItem`. */
function lineItem(p: Params, name: string, raw: IDataObject, index: number): IDataObject {
	const at = `${name}.lineItem ${index + 1}`;
	const check = (field: string, kind: Parameters<Params['convert']>[2], required = false): IDataObject[string] => {
		const value = raw[field];
		if (value === undefined || value === null || value === '') {
			if (required) p.fail(name, `line item ${index + 1} needs "${field}"`);
			return undefined;
		}
		return p.convert(`${at}.${field}`, value, kind) as IDataObject[string];
	};
	const item: IDataObject = {
		productId: check('productId', 'uuid', true),
		lineItemNumber: check('lineItemNumber', 'integer') ?? index + 1,
		quantity: check('quantity', 'integer', true),
		billingTerm: check('billingTerm', (v, fail) =>
			typeof v === 'string' && BILLING_TERMS.includes(v) ? v : fail(`must be one of ${BILLING_TERMS.join(', ')}`),
		true),
	};
	const optional: Array<[string, Parameters<Params['convert']>[2]]> = [
		['commitmentTermId', 'uuid'],
		['provisionStartDate', 'dateTime'],
		['parentLineItemNumber', 'integer'],
		['parentSubscriptionId', 'uuid'],
	];
	for (const [field, kind] of optional) {
		const value = check(field, kind);
		if (value !== undefined) item[field] = value;
	}
	const details = raw.provisioningDetails;
	if (details !== undefined && details !== '' && details !== null) {
		const list = p.convert(`${at}.provisioningDetails`, details, provisioningDetails) as IDataObject[];
		if (list.length) item.provisioningDetails = list;
	}
	if ((item.quantity as number) < 1) p.fail(name, `line item ${index + 1} needs a quantity of at least 1`);
	return item;
}

/** GET order answers `Pax8Partner` where create takes `Pax8 Partner`: give one spelling. */
export function normalizeOrder(order: IDataObject): IDataObject {
	return order.orderedBy === 'Pax8Partner' ? { ...order, orderedBy: 'Pax8 Partner' } : order;
}

export const order: Resource = {
	value: 'order',
	name: 'Order',
	operations: [
		op({
			value: 'create',
			name: 'Create',
			action: 'Create an order',
			description:
				'Order products for a company. Use Product → Get Provisioning Details and Get Dependencies to find the provisioning keys and commitment terms.',
			properties: [
				companyLocator('The company the order is for'),
				choice('Line Items Input', 'lineItemsInput', [
					{ name: 'Fields', value: 'fields' },
					{ name: 'JSON', value: 'json' },
				]),
				{
					displayName: 'Line Items',
					name: 'lineItems',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					placeholder: 'Add Line Item',
					default: {},
					displayOptions: { show: { lineItemsInput: ['fields'] } },
					options: [
						{
							displayName: 'Line Item',
							name: 'lineItem',
							values: [
								{
									displayName: 'Billing Term',
									name: 'billingTerm',
									type: 'options',
									options: billingTermOptions,
									default: 'Monthly',
								},
								{
									displayName: 'Commitment Term ID',
									name: 'commitmentTermId',
									type: 'string',
									default: '',
									description: 'Required when the product requires a commitment (see Product → Get Dependencies)',
								},
								{
									displayName: 'Line Item Number',
									name: 'lineItemNumber',
									type: 'number',
									default: 0,
									description: 'Reference for add-on line items; 0 numbers the items 1, 2, 3… in order',
								},
								{
									displayName: 'Parent Line Item Number',
									name: 'parentLineItemNumber',
									type: 'number',
									default: 0,
									description: 'For an add-on: the line item number of its parent in this order (0 for none)',
								},
								{
									displayName: 'Parent Subscription ID',
									name: 'parentSubscriptionId',
									type: 'string',
									default: '',
									description: 'For an add-on: the existing subscription it belongs to',
								},
								{ displayName: 'Product ID', name: 'productId', type: 'string', default: '', required: true },
								{ displayName: 'Provision Start Date', name: 'provisionStartDate', type: 'dateTime', default: '' },
								{
									displayName: 'Provisioning Details (JSON)',
									name: 'provisioningDetails',
									type: 'json',
									default: '{}',
									description:
										'E.g. {"msDomain":"contoso"} or [{"key":"msDomain","values":["contoso"]}] (see Product → Get Provisioning Details).',
								},
								{ displayName: 'Quantity', name: 'quantity', type: 'number', typeOptions: { minValue: 1 }, default: 1 },
							],
						},
					],
				},
				{
					displayName: 'Line Items (JSON)',
					name: 'lineItemsJson',
					type: 'json',
					default: '[]',
					displayOptions: { show: { lineItemsInput: ['json'] } },
					description:
						'A list of line items as Pax8 documents them: productId, quantity, billingTerm, and optional commitmentTermId, provisionStartDate, lineItemNumber, parentLineItemNumber, parentSubscriptionId, provisioningDetails',
				},
				{
					displayName: 'Validate Only',
					name: 'validateOnly',
					type: 'boolean',
					default: false,
					description:
						'Whether to only check the order with Pax8 (isMock) without placing it; nothing is stored and nothing is billed',
				},
				collection('additionalFields', [
					choice('Ordered By', 'orderedBy', ['Customer', 'Pax8', 'Pax8 Partner'], { default: 'Pax8 Partner' }),
					text('Ordered By User Email', 'orderedByUserEmail', { placeholder: 'name@email.com' }),
				]),
			],
			normalize: normalizeOrder,
			request: (p) => {
				const companyId = p.required('companyId', 'uuid');
				let raw: IDataObject[];
				if (p.raw('lineItemsInput', 'fields') === 'json') {
					raw = p.jsonOf<IDataObject[]>('lineItemsJson', 'array');
				} else {
					const collection = (p.raw('lineItems', {}) ?? {}) as IDataObject;
					raw = ((collection.lineItem as IDataObject[]) ?? []).map((entry) => {
						// 0 in the number fields means "not set" in the form.
						const copy = { ...entry };
						for (const key of ['lineItemNumber', 'parentLineItemNumber']) if (copy[key] === 0) delete copy[key];
						return copy;
					});
				}
				const name = p.raw('lineItemsInput', 'fields') === 'json' ? 'lineItemsJson' : 'lineItems';
				if (!raw.length) p.fail(name, 'needs at least one line item');
				const lineItems = raw.map((entry, index) => lineItem(p, name, entry ?? {}, index));
				const numbers = lineItems.map((item) => item.lineItemNumber);
				if (new Set(numbers).size !== numbers.length) p.fail(name, 'has two line items with the same line item number');
				const extra = p.collection('additionalFields', { orderedByUserEmail: 'email' });
				const validateOnly = p.get<boolean>('validateOnly', 'boolean') === true;
				return {
					method: 'POST',
					path: v1('/orders'),
					qs: validateOnly ? { isMock: true } : undefined,
					body: { companyId, ...extra, lineItems },
					// A dry run stores nothing, so sending it again is harmless.
					idempotent: validateOnly,
				};
			},
		}),
		op({
			value: 'get',
			name: 'Get',
			action: 'Get an order',
			properties: [idField('orderId', 'Order ID')],
			normalize: normalizeOrder,
			request: (p) => ({ method: 'GET', path: pathOf(v1('/orders/{id}'), { id: p.required('orderId', 'uuid') }) }),
		}),
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many orders',
			description: 'Orders, oldest first; optionally of one company',
			paginate: true,
			normalize: normalizeOrder,
			properties: [
				collection('filters', [text('Company ID', 'companyId')]),
			],
			request: (p) => ({ method: 'GET', path: v1('/orders'), qs: p.collection('filters', { companyId: 'uuid' }) }),
		}),
	],
};
