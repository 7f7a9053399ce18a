import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { nodeErrorOf } from '../../shared/executor';
import { op, type OperationContext, type Resource } from '../../shared/operation';
import { describe, textOf, type Params } from '../../shared/params';
import { boolean, choice, collection, date, number, text } from '../../shared/props';
import { attributePairs, attributesField, stringList } from '../fields';
import { expandQuantities } from '../injection/expand';
import { validateInjectedOrder, type InjectionProblem } from '../injection/validate';

const CHANNEL_TYPES = [
	{ name: 'Mobile', value: 'mobile' },
	{ name: 'Store', value: 'store' },
	{ name: 'Web', value: 'web' },
];

const show = (inputMode: string) => ({ displayOptions: { show: { inputMode: [inputMode] } } });

const addressValues = (): INodeProperties[] => [
	text('First Name', 'first_name'),
	text('Last Name', 'last_name'),
	text('Address Line 1', 'address_line_1'),
	text('Address Line 2', 'address_line_2'),
	text('City', 'city'),
	text('State', 'state'),
	text('ZIP Code', 'zip_code'),
	text('Country', 'country', { placeholder: 'US', description: 'ISO 3166-1 alpha-2 code' }),
	text('Phone', 'phone'),
];

const addressField = (displayName: string, name: string): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	placeholder: `Add ${displayName}`,
	default: {},
	options: [{ displayName: 'Address', name: 'address', values: addressValues() }],
	...show('fields'),
});

const properties: INodeProperties[] = [
	{
		displayName: 'Input Mode',
		name: 'inputMode',
		type: 'options',
		options: [
			{ name: 'Fields Below', value: 'fields', description: 'Build the order from the fields of this node' },
			{ name: 'JSON', value: 'json', description: 'Send a complete InjectedOrderRequest payload' },
		],
		default: 'fields',
	},
	{
		displayName: 'Order JSON',
		name: 'payload',
		type: 'json',
		default: '{}',
		required: true,
		description:
			'The whole order injection payload. An item may carry "quantity": it is sent as that many entries, as NewStore wants.',
		...show('json'),
	},
	text('External ID', 'externalId', { required: true, description: 'Your order ID; injection is idempotent on it', ...show('fields') }),
	text('Shop', 'shop', { required: true, default: 'storefront', ...show('fields') }),
	text('Shop Locale', 'shopLocale', { required: true, default: 'en-US', description: 'RFC 5646 tag, e.g. en-US', ...show('fields') }),
	choice('Channel Type', 'channelType', CHANNEL_TYPES, { default: 'web', ...show('fields') }),
	text('Channel Name', 'channelName', { required: true, placeholder: 'webstore', ...show('fields') }),
	text('Currency', 'currency', { required: true, default: 'USD', description: 'ISO 4217 code', ...show('fields') }),
	{
		displayName: 'Line Items',
		name: 'lineItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Line Item',
		default: {},
		required: true,
		description: 'A quantity is sent as one entry per unit. The items ship together; for several shipments use JSON mode.',
		options: [
			{
				displayName: 'Line Item',
				name: 'item',
				values: [
					text('External Item ID', 'externalItemId', { description: 'Your ID of the order line' }),
					text('Product ID', 'productId'),
					number('Quantity', 'quantity', { default: 1, typeOptions: { minValue: 1 } }),
					number('Price', 'price', { typeOptions: { numberPrecision: 2 }, description: 'Price paid for one unit' }),
					number('List Price', 'listPrice', { typeOptions: { numberPrecision: 2 }, description: 'Defaults to Price' }),
					number('Tax Amount', 'taxAmount', { typeOptions: { numberPrecision: 2 }, description: 'Tax for one unit' }),
					number('Tax Rate', 'taxRate', { typeOptions: { numberPrecision: 4, minValue: 0, maxValue: 1 }, description: 'E.g. 0.2 for 20%' }),
					text('Tax Name', 'taxName', { default: 'Tax' }),
				],
			},
		],
		...show('fields'),
	},
	text('Shipping Service Level', 'serviceLevel', {
		required: true,
		placeholder: 'GROUND',
		description: 'Service level identifier of the shipment',
		...show('fields'),
	}),
	number('Shipping Price', 'shippingPrice', { typeOptions: { numberPrecision: 2 }, ...show('fields') }),
	number('Shipping Tax', 'shippingTax', { typeOptions: { numberPrecision: 2 }, ...show('fields') }),
	{
		displayName: 'Payments',
		name: 'payments',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Payment',
		default: {},
		options: [
			{
				displayName: 'Payment',
				name: 'payment',
				values: [
					choice('Type', 'type', [{ name: 'Authorized', value: 'authorized' }, { name: 'Captured', value: 'captured' }], { default: 'captured' }),
					number('Amount', 'amount', { typeOptions: { numberPrecision: 2 } }),
					text('Method', 'method', { default: 'credit_card', description: 'E.g. credit_card, gift_card, paypal, cash' }),
					text('Processor', 'processor', { default: 'stripe', description: 'E.g. stripe, paypal, cash' }),
					date('Processed At', 'processedAt'),
					text('Correlation Reference', 'correlationRef', { description: 'Unique within the order, e.g. the PSP transaction ID' }),
				],
			},
		],
		...show('fields'),
	},
	addressField('Shipping Address', 'shippingAddress'),
	addressField('Billing Address', 'billingAddress'),
	{ ...attributesField('extendedAttributes'), ...show('fields') },
	{
		...collection('additionalFields', [
			text('Associate ID', 'associate_id'),
			text('Customer Email', 'customer_email', { placeholder: 'name@email.com' }),
			text('Customer Language', 'customer_language', { placeholder: 'en', description: 'ISO 639-1' }),
			text('Customer Name', 'customer_name'),
			text('External Customer ID', 'external_customer_id'),
			boolean('Is Fulfilled', 'is_fulfilled'),
			boolean('Is Historical', 'is_historical'),
			boolean('Is Preconfirmed', 'is_preconfirmed'),
			text('Notification Blacklist', 'notification_blacklist', { description: 'Comma-separated notification names not to send' }),
			date('Placed At', 'placed_at'),
			choice(
				'Price Method',
				'price_method',
				[
					{ name: 'Tax Included', value: 'tax_included' },
					{ name: 'Tax Excluded', value: 'tax_excluded' },
				],
				{ default: 'tax_excluded' },
			),
			text('Store ID', 'store_id'),
		]),
		...show('fields'),
	},
	boolean('Skip Validation', 'skipValidation', {
		description: 'Whether to send the payload without checking it first (NewStore still checks it)',
	}),
];

/** A number from a row of a fixed collection, checked, with the row in the message. */
function rowNumber(p: Params, name: string, row: number, value: unknown, fallback?: number): number {
	if ((value === undefined || value === null || value === '') && fallback !== undefined) return fallback;
	const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof parsed !== 'number' || !Number.isFinite(parsed)) {
		p.fail(name, `must be a number in row ${row + 1}, got ${describe(value)}`);
	}
	return parsed as number;
}

/** Text from a row of a fixed collection (numbers as written); an object or list is refused. */
function rowText(p: Params, name: string, row: number, value: unknown, required = false): string {
	const text = textOf(value);
	if (text === undefined) p.fail(name, `must be text in row ${row + 1}, got ${describe(value)}`);
	// NewStore refuses an empty one (the validator leaves empty values to NewStore).
	if (required && !(text as string).trim()) p.fail(name, `is required in row ${row + 1}`);
	return (text as string).trim();
}

const rows = (value: unknown, key: string): IDataObject[] => {
	const list = ((value ?? {}) as IDataObject)[key];
	return Array.isArray(list) ? (list as IDataObject[]) : [];
};

const dropEmpty = (record: IDataObject): IDataObject =>
	Object.fromEntries(Object.entries(record).filter(([, value]) => value !== '' && value !== undefined && value !== null));

/** The InjectedOrderRequest built from the form (quantities still as `quantity`). */
function payloadFromFields(p: Params): IDataObject {
	const items = rows(p.raw('lineItems', {}), 'item');
	if (!items.length) p.fail('lineItems', 'needs at least one line item');
	// One shipment: NewStore refuses several shipments that each name a service level (use JSON for those).
	const entries = items.map((row, index) => {
		const price = rowNumber(p, 'lineItems.price', index, row.price);
		const taxRate = rowNumber(p, 'lineItems.taxRate', index, row.taxRate, 0);
		const entry: IDataObject = {
			external_item_id: rowText(p, 'lineItems.externalItemId', index, row.externalItemId, true),
			product_id: rowText(p, 'lineItems.productId', index, row.productId, true),
			quantity: row.quantity === undefined ? 1 : (row.quantity as number),
			price: {
				item_price: price,
				item_list_price: rowNumber(p, 'lineItems.listPrice', index, row.listPrice || undefined, price),
				item_tax_lines: [
					{
						amount: rowNumber(p, 'lineItems.taxAmount', index, row.taxAmount, 0),
						rate: taxRate,
						name: rowText(p, 'lineItems.taxName', index, row.taxName) || 'Tax',
					},
				],
			},
		};
		return entry;
	});
	const serviceLevel = p.required<string>('serviceLevel');
	const payload: IDataObject = {
		external_id: p.required('externalId'),
		shop: p.required('shop'),
		shop_locale: p.required('shopLocale'),
		channel_type: p.required('channelType'),
		channel_name: p.required('channelName'),
		currency: p.required<string>('currency').toUpperCase(),
		shipments: [
			{
				items: entries,
				shipping_option: {
					service_level_identifier: serviceLevel,
					price: p.get<number>('shippingPrice', 'number') ?? 0,
					tax: p.get<number>('shippingTax', 'number') ?? 0,
				},
			},
		],
	};
	const payments = rows(p.raw('payments', {}), 'payment').map((row, index) => ({
		type: row.type,
		amount: rowNumber(p, 'payments.amount', index, row.amount),
		method: row.method,
		processor: row.processor,
		processed_at: p.convert('payments.processedAt', row.processedAt || new Date().toISOString(), 'dateTime'),
		correlation_ref: rowText(p, 'payments.correlationRef', index, row.correlationRef) || `${String(payload.external_id)}-payment-${index + 1}`,
	}));
	if (payments.length) payload.payments = payments as IDataObject[];
	for (const [name, key] of [
		['shippingAddress', 'shipping_address'],
		['billingAddress', 'billing_address'],
	]) {
		const address = (((p.raw(name, {}) ?? {}) as IDataObject).address ?? undefined) as IDataObject | undefined;
		if (address && Object.keys(dropEmpty(address)).length) {
			const clean = dropEmpty(address);
			if (typeof clean.country === 'string') clean.country = clean.country.toUpperCase();
			payload[key] = clean;
		}
	}
	const attributes = attributePairs(p.raw('extendedAttributes', {}), (problem) => p.fail('extendedAttributes', problem));
	if (attributes.length) payload.extended_attributes = attributes.map(({ name, value }) => ({ name, value }));
	const extra = p.collection('additionalFields', { placed_at: 'dateTime', notification_blacklist: stringList });
	return { ...payload, ...extra };
}

/** Expands every item's quantity into one entry per unit. */
function expand(payload: IDataObject): { payload: IDataObject; problems: InjectionProblem[] } {
	if (!Array.isArray(payload.shipments)) return { payload, problems: [] };
	const problems: InjectionProblem[] = [];
	const shipments = (payload.shipments as unknown[]).map((shipment, index) => {
		if (!shipment || typeof shipment !== 'object' || !Array.isArray((shipment as IDataObject).items)) return shipment;
		const expanded = expandQuantities((shipment as IDataObject).items as unknown[], `shipments[${index}].items`);
		problems.push(...expanded.problems);
		return { ...(shipment as IDataObject), items: expanded.items };
	});
	return { payload: { ...payload, shipments: shipments as IDataObject[] }, problems };
}

/** The form field a problem of a payload built from the fields comes from (parameter name). */
function formParameter(path: string): string {
	const item = /^shipments\[\d+\]\.items\[\d+\](?:\.(.+))?$/.exec(path);
	if (item) {
		const rest = item[1] ?? '';
		const plain: Record<string, string> = {
			external_item_id: 'externalItemId',
			product_id: 'productId',
			quantity: 'quantity',
			'price.item_price': 'price',
			'price.item_list_price': 'listPrice',
		};
		const tax = /^price\.item_tax_lines\[\d+\]\.(amount|rate|name)$/.exec(rest);
		if (tax) return `lineItems.${{ amount: 'taxAmount', rate: 'taxRate', name: 'taxName' }[tax[1]]}`;
		return plain[rest] ? `lineItems.${plain[rest]}` : 'lineItems';
	}
	const option = /^shipments\[\d+\]\.shipping_option\.(\w+)/.exec(path);
	if (option) return ({ price: 'shippingPrice', tax: 'shippingTax' } as Record<string, string>)[option[1]] ?? 'serviceLevel';
	if (path.startsWith('shipments')) return 'lineItems';
	const payment = /^payments\[\d+\]\.(\w+)/.exec(path);
	if (payment) return `payments.${({ processed_at: 'processedAt', correlation_ref: 'correlationRef' } as Record<string, string>)[payment[1]] ?? payment[1]}`;
	if (path.startsWith('payments')) return 'payments';
	const address = /^(shipping|billing)_address(?:\.(\w+))?/.exec(path);
	if (address) return `${address[1]}Address${address[2] ? `.${address[2]}` : ''}`;
	if (path.startsWith('extended_attributes')) return 'extendedAttributes';
	const key = path.split(/[.[]/)[0];
	const top: Record<string, string> = {
		external_id: 'externalId',
		shop: 'shop',
		shop_locale: 'shopLocale',
		channel_type: 'channelType',
		channel_name: 'channelName',
		currency: 'currency',
	};
	return top[key] ?? `additionalFields.${key}`;
}

function invalid(c: OperationContext, problems: InjectionProblem[], fromJson: boolean): NodeOperationError {
	const [first] = problems;
	const list = problems.slice(0, 25).map((problem) => `• ${problem.path} ${problem.message}`);
	if (problems.length > 25) list.push(`… and ${problems.length - 25} more`);
	// The parameter the problem is in: Order JSON, or the form field the value came from.
	const parameter = c.params.label(fromJson ? 'payload' : formParameter(first.path));
	return new NodeOperationError(
		c.ctx.getNode(),
		`Parameter "${parameter}" is not valid: ${first.path || 'the order'} ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''} [item ${c.itemIndex}]`,
		{
			itemIndex: c.itemIndex,
			description: `${list.join('\n')}\n\nNothing was sent. Turn on Skip Validation to let NewStore judge the payload itself.`,
		},
	);
}

const CLEARER: Record<string, (externalId: string) => { message: string; description: string }> = {
	same_order_injection_with_different_data: (id) => ({
		message: `An order with external ID "${id}" was already injected with different content`,
		description:
			'NewStore keeps the first order for an external ID and refuses changed content. Send changes through the order APIs, or inject under a new external ID if this is really another order.',
	}),
	maximum_allowed_number_of_items_exceeded: () => ({
		message: 'The order has more items than the tenant allows, and NewStore cancelled it',
		description:
			'Raise "big_sales_order" in the order injection configuration (GET/PATCH /v1/r/config/order_injection), then inject the order again.',
	}),
};

async function inject(c: OperationContext) {
	const p = c.params;
	const fromJson = p.raw('inputMode', 'fields') === 'json';
	const raw = fromJson ? p.jsonOf<IDataObject>('payload', 'object') : payloadFromFields(p);
	const { payload, problems } = expand(raw);
	if (p.raw('skipValidation', false) !== true) {
		problems.push(...validateInjectedOrder(payload));
		if (problems.length) throw invalid(c, problems, fromJson);
	} else if (problems.length) {
		throw invalid(c, problems, fromJson);
	}
	try {
		// Idempotent on external_id: a retry with the identical payload returns the same order.
		return (await c.send({ method: 'POST', path: '/v0/d/fulfill_order', body: payload, idempotent: true })).body as IDataObject;
	} catch (caught) {
		const error = nodeErrorOf(c.ctx.getNode(), caught, c.itemIndex);
		const code = error instanceof NodeApiError ? String(error.context.vendorCode ?? '') : '';
		const clearer = CLEARER[code];
		if (!clearer) throw error;
		const { message, description } = clearer(typeof payload.external_id === 'string' ? payload.external_id : '');
		throw new NodeApiError(
			c.ctx.getNode(),
			{ message: (error as NodeApiError).message, code },
			{ message, description: `${description}\n\nNewStore said: ${(error as NodeApiError).message}`, httpCode: (error as NodeApiError).httpCode ?? undefined, itemIndex: c.itemIndex },
		);
	}
}

/** Order Injection API 0.1. */
export const orderInjection: Resource = {
	value: 'orderInjection',
	name: 'Order Injection',
	operations: [
		op({
			value: 'inject',
			name: 'Inject Order',
			action: 'Inject an order',
			description: 'Create an order placed in another channel; repeating it with the same payload returns the same order',
			properties,
			run: inject,
		}),
	],
};
