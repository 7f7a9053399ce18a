import type { IDataObject } from 'n8n-workflow';

import { op, type Resource } from '../../shared/operation';
import { choice, collection, date, number, sortCollection, text } from '../../shared/props';
import type { Params } from '../../shared/params';
import { pathOf } from '../../shared/transport';
import { BILLING_TERMS, billingTermOptions, sortValue, subscriptionLocator } from '../fields';
import { v1 } from '../vendor';
import { provisioningDetails } from './order';

const STATUSES = [
	'Active',
	'Activated',
	'Cancelled',
	'Converted',
	'PendingActivation',
	'PendingAutomated',
	'PendingCancel',
	'PendingManual',
	'Trial',
	'WaitingForDetails',
];

const billingTerm = choice('Billing Term', 'billingTerm', billingTermOptions, { default: 'Monthly' });

const subscriptionPath = (p: Params, suffix = '') =>
	pathOf(v1(`/subscriptions/{id}${suffix}`), { id: p.required('subscriptionId', 'uuid') });

/**
 * The spec names the commitment `commitmentTerm`, the live API sends `commitment`
 * (`{id, term, endDate}`): both names are filled so workflows can rely on either.
 */
export function normalizeSubscription(subscription: IDataObject): IDataObject {
	const commitment = subscription.commitment ?? subscription.commitmentTerm;
	if (commitment === undefined) return subscription;
	return { ...subscription, commitment, commitmentTerm: commitment };
}

const simplifySubscription = (s: IDataObject): IDataObject => ({
	id: s.id,
	companyId: s.companyId,
	productId: s.productId,
	productName: s.productName,
	quantity: s.quantity,
	price: s.price,
	currencyCode: s.currencyCode,
	billingTerm: s.billingTerm,
	status: s.status,
	startDate: s.startDate,
	endDate: s.endDate,
	commitmentTerm: (s.commitment as IDataObject | undefined)?.term,
});

export const subscription: Resource = {
	value: 'subscription',
	name: 'Subscription',
	operations: [
		op({
			value: 'cancel',
			name: 'Cancel',
			action: 'Cancel a subscription',
			properties: [
				subscriptionLocator(),
				date('Cancel Date', 'cancelDate', { description: 'When to cancel; empty cancels as soon as Pax8 allows' }),
			],
			request: (p) => ({
				method: 'DELETE',
				path: subscriptionPath(p),
				qs: { cancelDate: p.get('cancelDate', 'dateTime') },
			}),
			empty: (p) => ({ cancelled: true, id: p.raw('subscriptionId') as string }),
		}),
		op({
			value: 'get',
			name: 'Get',
			action: 'Get a subscription',
			properties: [subscriptionLocator()],
			simplify: simplifySubscription,
			normalize: normalizeSubscription,
			request: (p) => ({ method: 'GET', path: subscriptionPath(p) }),
		}),
		op({
			value: 'getHistory',
			name: 'Get History',
			action: 'Get the history of a subscription',
			description: 'Snapshots of the subscription over time, one item each',
			properties: [subscriptionLocator()],
			itemsKey: 'content',
			normalize: normalizeSubscription,
			request: (p) => ({ method: 'GET', path: subscriptionPath(p, '/history') }),
		}),
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many subscriptions',
			paginate: true,
			simplify: simplifySubscription,
			normalize: normalizeSubscription,
			properties: [
				collection('filters', [
					billingTerm,
					text('Company ID', 'companyId'),
					text('Product ID', 'productId'),
					choice('Status', 'status', STATUSES, { default: 'Active' }),
				]),
				sortCollection([
					['Billing Start', 'billingStart'],
					['Created Date', 'createdDate'],
					['End Date', 'endDate'],
					['Price', 'price'],
					['Quantity', 'quantity'],
					['Start Date', 'startDate'],
				]),
			],
			request: (p) => ({
				method: 'GET',
				path: v1('/subscriptions'),
				qs: {
					...p.collection('filters', { companyId: 'uuid', productId: 'uuid' }),
					sort: sortValue(p.collection('sort')),
				},
			}),
		}),
		op({
			value: 'update',
			name: 'Update',
			action: 'Update a subscription',
			description: 'Change quantity, price, billing term or start date (at least one of them)',
			properties: [
				subscriptionLocator(),
				collection('updateFields', [
					billingTerm,
					number('Price', 'price', { typeOptions: { numberPrecision: 2 } }),
					{
						...text('Provisioning Details (JSON)', 'provisioningDetails'),
						type: 'json',
						default: '[]',
						description: 'Replaces the whole list, e.g. [{"key":"msDomain","values":["contoso"]}]',
					},
					number('Quantity', 'quantity', { typeOptions: { minValue: 1 }, default: 1 }),
					date('Start Date', 'startDate'),
				]),
			],
			normalize: normalizeSubscription,
			request: (p) => {
				const path = subscriptionPath(p);
				const fields = p.collection('updateFields', {
					billingTerm: (v, fail) => (typeof v === 'string' && BILLING_TERMS.includes(v) ? v : fail(`must be one of ${BILLING_TERMS.join(', ')}`)),
					price: 'number',
					// The form's minimum: Pax8 refuses fewer than one unit.
					quantity: (v, fail) => {
						const quantity = p.convert('updateFields.quantity', v, 'integer') as number;
						return quantity >= 1 ? quantity : fail(`must be at least 1, got ${quantity}`);
					},
					startDate: 'dateTime',
					provisioningDetails,
				});
				if (Array.isArray(fields.provisioningDetails) && !fields.provisioningDetails.length) delete fields.provisioningDetails;
				if (!['quantity', 'price', 'billingTerm', 'startDate'].some((k) => fields[k] !== undefined)) {
					p.fail(
						'updateFields',
						'needs at least one of Quantity, Price, Billing Term or Start Date',
						'Pax8 rejects an update that changes only the provisioning details.',
					);
				}
				return { method: 'PUT', path, body: fields };
			},
		}),
	],
};
