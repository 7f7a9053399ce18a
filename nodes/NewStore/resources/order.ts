import { op, type Resource } from '../../shared/operation';
import { choice } from '../../shared/props';
import { pathOf } from '../../shared/transport';
import { idText, pathId } from '../fields';

/** The orders media type that pages `/v0/orders` and gives the richer order view. */
export const ORDERS_V2 = 'application/x.newstore.orders+json;version=2';

const ORDER_FIELDS = ['id', 'origin_id', 'status', 'channel_type', 'placed_at', 'currency', 'customer', 'store_id', 'totals'];

export const order: Resource = {
	value: 'order',
	name: 'Order',
	operations: [
		op({
			value: 'get',
			name: 'Get',
			action: 'Get an order',
			description: 'Get a sales order by its NewStore UUID or its external (human-readable) ID. The answer carries the external ID in its ID field and the UUID in origin_id.',
			properties: [
				choice(
					'ID Type',
					'idType',
					[
						{ name: 'Internal (NewStore UUID)', value: 'internal' },
						{ name: 'External (Order ID From the Channel)', value: 'external' },
					],
					{ default: 'internal' },
				),
				idText('orderId', 'Order ID'),
			],
			request: (p) => ({
				method: 'GET',
				path: pathOf('/v0/orders/{id}', { id: p.required('orderId', pathId) }),
				qs: { id_type: p.required('idType') },
				headers: { Accept: ORDERS_V2 },
			}),
			simplify: ORDER_FIELDS,
		}),
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Get the orders of a customer',
			description: 'Get the sales orders of a customer, 50 per request',
			properties: [idText('customerId', 'Customer ID', { description: 'The customer (profile) ID the orders belong to' })],
			paginate: true,
			maxPageSize: 50,
			// Paging works only with the version=2 media type.
			request: (p) => ({
				method: 'GET',
				path: '/v0/orders',
				qs: { customer_id: p.required('customerId', pathId) },
				headers: { Accept: ORDERS_V2 },
			}),
			simplify: ORDER_FIELDS,
		}),
	],
};
