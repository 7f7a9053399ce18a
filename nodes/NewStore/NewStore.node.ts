import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { buildProperties } from '../shared/describe';
import { executeOperations } from '../shared/executor';
import type { Resource } from '../shared/operation';
import { searchIntegrations, searchProfiles } from './methods/listSearch';
import { customerProfile } from './resources/customerProfile';
import { eventStream } from './resources/eventStream';
import { fulfillmentRequest, inventory } from './resources/fulfillment';
import { order } from './resources/order';
import { orderInjection } from './resources/orderInjection';
import { orderNote } from './resources/orderNote';
import { NEWSTORE } from './vendor';

export const NEWSTORE_RESOURCES: Resource[] = [
	customerProfile,
	eventStream,
	fulfillmentRequest,
	inventory,
	order,
	orderInjection,
	orderNote,
];

export class NewStore implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'NewStore',
		name: 'newStore',
		icon: { light: 'file:newstore.svg', dark: 'file:newstore.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Inject orders and manage orders, order notes, customer profiles, fulfillment, inventory and event streams in NewStore',
		defaults: { name: 'NewStore' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'newStoreApi', required: true }],
		properties: buildProperties(NEWSTORE_RESOURCES, NEWSTORE),
	};

	methods = {
		listSearch: { searchIntegrations, searchProfiles },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations.call(this, NEWSTORE, NEWSTORE_RESOURCES);
	}
}
