import type { IDataObject } from 'n8n-workflow';

import { op, type Resource } from '../../shared/operation';
import { text } from '../../shared/props';
import { pathOf } from '../../shared/transport';
import { idText, pathId, stringList } from '../fields';

export const fulfillmentRequest: Resource = {
	value: 'fulfillmentRequest',
	name: 'Fulfillment Request',
	operations: [
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Get the fulfillment requests of an order',
			description: 'Get the fulfillment requests NewStore routed an order into (empty while it is not routed)',
			properties: [idText('orderId', 'Order ID', { description: 'The NewStore order UUID' })],
			clientLimit: true,
			itemsKey: 'fulfillment_requests',
			request: (p) => ({
				method: 'GET',
				path: pathOf('/v0/fulfillment_requests/{id}', { id: p.required('orderId', pathId) }),
			}),
		}),
	],
};

export const inventory: Resource = {
	value: 'inventory',
	name: 'Inventory',
	operations: [
		op({
			value: 'getAvailability',
			name: 'Get Availability',
			action: 'Get available to promise quantities',
			description: 'Available-to-promise quantity of products at a fulfillment location, one item per product',
			properties: [
				text('Product IDs', 'productIds', { required: true, description: 'Comma-separated product IDs (up to 500)' }),
				idText('fulfillmentNodeId', 'Fulfillment Node ID', { description: 'The DC or store that fulfills' }),
			],
			itemsKey: 'items',
			request: (p) => {
				const products = p.required<string[]>('productIds', stringList);
				if (!products.length) p.fail('productIds', 'needs at least one product ID');
				if (products.length > 500) p.fail('productIds', `may list at most 500 products, got ${products.length}`);
				const long = products.find((product) => product.length > 256);
				if (long) p.fail('productIds', `has a product ID longer than 256 characters: "${long.slice(0, 40)}…"`);
				const node = p.required<string>('fulfillmentNodeId', pathId);
				const atpKeys: IDataObject[] = products.map((product) => ({ product_id: product, fulfillment_node_id: node }));
				// A lookup: asking twice changes nothing.
				return { method: 'POST', path: '/v0/availabilities', body: { atp_keys: atpKeys }, idempotent: true };
			},
		}),
		op({
			value: 'getStockInsights',
			name: 'Get Stock Insights',
			action: 'Get stock insights of a product',
			description: 'Allocations, reservations and future allocations of a product at a fulfillment location',
			properties: [
				idText('productId', 'Product ID'),
				idText('fulfillmentNodeId', 'Fulfillment Node ID', { description: 'The DC or store that holds the stock' }),
			],
			request: (p) => ({
				method: 'GET',
				path: '/v0/stock/insights',
				qs: { product_id: p.required('productId', pathId), fulfillment_node_id: p.required('fulfillmentNodeId', pathId) },
			}),
		}),
	],
};
