import type { INodeProperties } from 'n8n-workflow';

import { op, type Resource } from '../../shared/operation';
import type { Params } from '../../shared/params';
import { choice, text } from '../../shared/props';
import { pathOf } from '../../shared/transport';
import { type IdType, locator } from '../fields';
import { action, getMany, getOne, idOf } from '../ops';

const ordering: Array<[string, string]> = [
	['Created', 'created'],
	['Name', 'name'],
	['Updated', 'updated'],
];

const assetId = locator('assetId', 'Asset', 'asset');
const productId = locator('productId', 'Product', 'product', 'searchProducts');
const productPath = (suffix: string) => (p: Params) => pathOf(`/products/{id}${suffix}`, { id: idOf(p, 'productId', 'product') });

export const asset: Resource = {
	value: 'asset',
	name: 'Asset',
	operations: [
		getOne({ noun: 'an asset', path: '/assets/{id}', id: assetId, type: 'asset' }),
		getMany({
			nouns: 'assets',
			path: '/assets',
			filters: {
				statuses: ['active', 'draft', 'new', 'processing', 'suspended', 'terminated', 'terminating'],
				status: 'status',
				product: 'product.id',
				marketplace: 'marketplace.id',
				created: 'created',
				updated: 'updated',
				ordering: [
					['Created', 'created'],
					['Updated', 'updated'],
				],
			},
		}),
		getMany({
			value: 'getRequests',
			name: 'Get Requests',
			nouns: 'requests of an asset',
			description: 'The fulfillment requests of one asset',
			properties: [assetId],
			path: (p) => pathOf('/assets/{id}/requests', { id: idOf(p, 'assetId', 'asset') }),
			filters: {},
		}),
	],
};

export const product: Resource = {
	value: 'product',
	name: 'Product',
	operations: [
		getOne({ noun: 'a product', path: '/products/{id}', id: productId, type: 'product' }),
		getMany({ nouns: 'products', path: '/products', filters: { statuses: ['draft', 'published'], status: 'status', ordering } }),
		getMany({ value: 'getItems', name: 'Get Items', nouns: 'items of a product', properties: [productId], path: productPath('/items'), filters: {} }),
		getMany({
			value: 'getParameters',
			name: 'Get Parameters',
			nouns: 'parameters of a product',
			properties: [productId],
			path: productPath('/parameters'),
			filters: {},
		}),
		op({
			value: 'getTemplates',
			name: 'Get Templates',
			action: 'Get many templates of a product',
			description: 'Templates used to approve (fulfillment) or inquire requests',
			paginate: true,
			properties: [
				productId,
				choice('Scope', 'scope', [
					{ name: 'Any', value: '' },
					{ name: 'Asset', value: 'asset' },
					{ name: 'Tier 1', value: 'tier1' },
					{ name: 'Tier 2', value: 'tier2' },
				]),
				choice('Type', 'templateType', [
					{ name: 'Any', value: '' },
					{ name: 'Fulfillment', value: 'fulfillment' },
					{ name: 'Inquire', value: 'inquire' },
				]),
			],
			request: (p) => ({
				method: 'GET',
				path: productPath('/templates')(p),
				qs: { scope: p.get('scope') || undefined, type: p.get('templateType') || undefined },
			}),
		}),
	],
};

const simpleDirectory = (value: string, name: string, path: string, id: INodeProperties, type: IdType, singular: string, plural: string): Resource => ({
	value,
	name,
	operations: [getOne({ noun: singular, path: `${path}/{id}`, id, type }), getMany({ nouns: plural, path, filters: { ordering } })],
});

export const marketplace = simpleDirectory('marketplace', 'Marketplace', '/marketplaces', locator('marketplaceId', 'Marketplace', 'marketplace', 'searchMarketplaces'), 'marketplace', 'a marketplace', 'marketplaces');
export const hub = simpleDirectory('hub', 'Hub', '/hubs', locator('hubId', 'Hub', 'hub', 'searchHubs'), 'hub', 'a hub', 'hubs');
export const tierAccount = simpleDirectory('tierAccount', 'Tier Account', '/tier/accounts', locator('tierAccountId', 'Tier Account', 'tierAccount'), 'tierAccount', 'a tier account', 'tier accounts');

export const tierConfig: Resource = {
	value: 'tierConfig',
	name: 'Tier Config',
	operations: [
		getOne({ noun: 'a tier config', path: '/tier/configs/{id}', id: locator('tierConfigId', 'Tier Config', 'tierConfig'), type: 'tierConfig' }),
		getMany({
			nouns: 'tier configs',
			path: '/tier/configs',
			filters: { statuses: ['active', 'processing'], status: 'status', product: 'product.id', marketplace: 'marketplace.id', created: 'created', updated: 'updated' },
		}),
	],
};

const tarId = locator('tierAccountRequestId', 'Tier Account Request', 'tierAccountRequest');

export const tierAccountRequest: Resource = {
	value: 'tierAccountRequest',
	name: 'Tier Account Request',
	operations: [
		action({
			value: 'accept',
			name: 'Accept',
			action: 'Accept a tier account request',
			path: '/tier/account-requests/{id}/accept',
			id: tarId,
			type: 'tierAccountRequest',
		}),
		getMany({
			nouns: 'tier account requests',
			path: '/tier/account-requests',
			filters: { statuses: ['accepted', 'ignored', 'pending'], status: 'status', product: 'product.id' },
		}),
		action({
			value: 'ignore',
			name: 'Ignore',
			action: 'Ignore a tier account request',
			path: '/tier/account-requests/{id}/ignore',
			id: tarId,
			type: 'tierAccountRequest',
			properties: [text('Reason', 'reason', { required: true })],
			body: (p) => ({ reason: p.required('reason') }),
		}),
	],
};

export const subscriptionAsset: Resource = {
	value: 'subscriptionAsset',
	name: 'Subscription Asset',
	description: 'Recurring (billing) assets',
	operations: [
		getOne({ noun: 'a subscription asset', path: '/subscriptions/assets/{id}', id: locator('subscriptionAssetId', 'Subscription Asset', 'asset'), type: 'asset' }),
		getMany({
			nouns: 'subscription assets',
			path: '/subscriptions/assets',
			filters: { statuses: ['active', 'suspended', 'terminated', 'terminating'], status: 'status', product: 'product.id', marketplace: 'marketplace.id' },
		}),
	],
};
