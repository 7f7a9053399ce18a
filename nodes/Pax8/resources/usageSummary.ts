import { op, type Resource } from '../../shared/operation';
import { collection, date, sortCollection, text } from '../../shared/props';
import { pathOf } from '../../shared/transport';
import { idField, sortValue, subscriptionLocator } from '../fields';
import { v1 } from '../vendor';

const usageSummaryId = idField('usageSummaryId', 'Usage Summary ID');

export const usageSummary: Resource = {
	value: 'usageSummary',
	name: 'Usage Summary',
	operations: [
		op({
			value: 'get',
			name: 'Get',
			action: 'Get a usage summary',
			properties: [usageSummaryId],
			request: (p) => ({
				method: 'GET',
				path: pathOf(v1('/usage-summaries/{id}'), { id: p.required('usageSummaryId', 'uuid') }),
			}),
		}),
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many usage summaries',
			description: 'Usage summaries of a subscription',
			paginate: true,
			properties: [
				subscriptionLocator(),
				collection('filters', [text('Company ID', 'companyId'), text('Resource Group', 'resourceGroup')]),
				sortCollection([
					['Current Charges', 'currentCharges'],
					['Partner Total', 'partnerTotal'],
					['Resource Group', 'resourceGroup'],
				]),
			],
			request: (p) => ({
				method: 'GET',
				path: pathOf(v1('/subscriptions/{id}/usage-summaries'), { id: p.required('subscriptionId', 'uuid') }),
				qs: { ...p.collection('filters', { companyId: 'uuid' }), sort: sortValue(p.collection('sort')) },
			}),
		}),
		op({
			value: 'getLines',
			name: 'Get Lines',
			action: 'Get the usage lines of a usage summary',
			description: 'Usage lines of one day',
			paginate: true,
			properties: [
				usageSummaryId,
				date('Usage Date', 'usageDate', { required: true }),
				collection('filters', [text('Product ID', 'productId')]),
			],
			request: (p) => ({
				method: 'GET',
				path: pathOf(v1('/usage-summaries/{id}/usage-lines'), { id: p.required('usageSummaryId', 'uuid') }),
				qs: { usageDate: p.required('usageDate', 'date'), ...p.collection('filters', { productId: 'uuid' }) },
			}),
		}),
	],
};
