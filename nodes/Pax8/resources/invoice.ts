import { op, type Resource } from '../../shared/operation';
import { choice, collection, date, number, sortCollection, text } from '../../shared/props';
import { textOf } from '../../shared/params';
import { pathOf } from '../../shared/transport';
import { idField, sortValue } from '../fields';
import { v1 } from '../vendor';

const invoiceId = idField('invoiceId', 'Invoice ID');

export const invoice: Resource = {
	value: 'invoice',
	name: 'Invoice',
	operations: [
		op({
			value: 'get',
			name: 'Get',
			action: 'Get an invoice',
			properties: [invoiceId],
			request: (p) => ({ method: 'GET', path: pathOf(v1('/invoices/{id}'), { id: p.required('invoiceId', 'uuid') }) }),
		}),
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many invoices',
			paginate: true,
			properties: [
				collection('filters', [
					number('Balance', 'balance'),
					number('Carried Balance', 'carriedBalance'),
					text('Company ID', 'companyId'),
					date('Due Date', 'dueDate'),
					date('Invoice Date', 'invoiceDate'),
					date('Invoice Date From', 'invoiceDateRangeStart', { description: 'Invoices dated on or after this day' }),
					date('Invoice Date To', 'invoiceDateRangeEnd', { description: 'Invoices dated on or before this day' }),
					choice('Status', 'status', ['Carried', 'Credited', 'Nothing Due', 'Paid', 'Unpaid', 'Void'], { default: 'Unpaid' }),
					number('Total', 'total'),
				]),
				sortCollection([
					['Balance', 'balance'],
					['Carried Balance', 'carriedBalance'],
					['Due Date', 'dueDate'],
					['Invoice Date', 'invoiceDate'],
					['Partner Name', 'partnerName'],
					['Status', 'status'],
					['Total', 'total'],
				]),
			],
			request: (p) => {
				const filters = p.collection('filters', {
					companyId: 'uuid',
					dueDate: 'date',
					invoiceDate: 'date',
					invoiceDateRangeStart: 'date',
					invoiceDateRangeEnd: 'date',
					total: 'number',
					balance: 'number',
					carriedBalance: 'number',
				});
				if (
					filters.invoiceDateRangeStart &&
					filters.invoiceDateRangeEnd &&
					String(filters.invoiceDateRangeStart) > String(filters.invoiceDateRangeEnd)
				) {
					p.fail('filters.invoiceDateRangeEnd', 'is before Invoice Date From');
				}
				return { method: 'GET', path: v1('/invoices'), qs: { ...filters, sort: sortValue(p.collection('sort')) } };
			},
		}),
		op({
			value: 'getItems',
			name: 'Get Items',
			action: 'Get the items of an invoice',
			paginate: true,
			properties: [invoiceId],
			request: (p) => ({
				method: 'GET',
				path: pathOf(v1('/invoices/{id}/items'), { id: p.required('invoiceId', 'uuid') }),
			}),
		}),
		op({
			value: 'getDraftItems',
			name: 'Get Draft Items',
			action: 'Get draft invoice items',
			description:
				'Items of the invoice being built (a snapshot: the final invoice on the 5th may differ and excludes arrears usage)',
			paginate: true,
			properties: [
				{
					displayName: 'Month',
					name: 'monthOffset',
					type: 'options',
					options: [
						{ name: 'Current Month', value: 0 },
						{ name: 'Next Month', value: 1 },
					],
					default: 1,
				},
				collection('filters', [text('Company ID', 'companyId')]),
			],
			request: (p) => ({
				method: 'GET',
				path: v1('/invoices/draftItems'),
				qs: {
					monthOffset: p.get('monthOffset', (v, fail) => (['0', '1'].includes(textOf(v)?.trim() ?? '') ? Number(v) : fail('must be 0 (current month) or 1 (next month)'))),
					...p.collection('filters', { companyId: 'uuid' }),
				},
			}),
		}),
	],
};
