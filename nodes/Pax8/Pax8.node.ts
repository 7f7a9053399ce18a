import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { buildProperties } from '../shared/describe';
import { executeOperations } from '../shared/executor';
import type { Resource } from '../shared/operation';
import { searchCompanies, searchProducts, searchSubscriptions } from './methods/listSearch';
import { company } from './resources/company';
import { contact } from './resources/contact';
import { invoice } from './resources/invoice';
import { order } from './resources/order';
import { product } from './resources/product';
import { subscription } from './resources/subscription';
import { usageSummary } from './resources/usageSummary';
import { webhook } from './resources/webhook';
import { PAX8 } from './vendor';
import { getTopicActions, getTopics } from './webhooks';

export const PAX8_RESOURCES: Resource[] = [company, contact, invoice, order, product, subscription, usageSummary, webhook];

export class Pax8 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pax8',
		name: 'pax8',
		icon: { light: 'file:pax8.svg', dark: 'file:pax8.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage Pax8 companies, contacts, products, orders, subscriptions, invoices, usage and webhooks',
		defaults: { name: 'Pax8' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pax8Api', required: true }],
		properties: buildProperties(PAX8_RESOURCES, PAX8),
	};

	methods = {
		listSearch: { searchCompanies, searchProducts, searchSubscriptions },
		loadOptions: { getTopics, getTopicActions },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations.call(this, PAX8, PAX8_RESOURCES);
	}
}
