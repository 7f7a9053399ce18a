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
import * as listSearch from './methods/listSearch';
import { asset, hub, marketplace, product, subscriptionAsset, tierAccount, tierAccountRequest, tierConfig } from './resources/catalog';
import { note } from './resources/note';
import { request } from './resources/request';
import { tierConfigRequest } from './resources/tierConfigRequest';
import { usageFile, usageRecord } from './resources/usage';
import { CONNECT } from './vendor';

export const CONNECT_RESOURCES: Resource[] = [
	asset,
	request,
	hub,
	marketplace,
	note,
	product,
	subscriptionAsset,
	tierAccount,
	tierAccountRequest,
	tierConfig,
	tierConfigRequest,
	usageFile,
	usageRecord,
];

export class CloudBlueConnect implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CloudBlue Connect',
		name: 'cloudBlueConnect',
		icon: { light: 'file:cloudblue.svg', dark: 'file:cloudblue.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Process CloudBlue Connect fulfillment and tier requests, report usage and read the catalogue',
		defaults: { name: 'CloudBlue Connect' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cloudBlueConnectApi', required: true }],
		properties: buildProperties(CONNECT_RESOURCES, CONNECT),
	};

	methods = { listSearch: { ...listSearch } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations.call(this, CONNECT, CONNECT_RESOURCES);
	}
}
