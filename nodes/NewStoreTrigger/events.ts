import { createHash } from 'node:crypto';

/** Event names NewStore documents for the event stream (the full list is longer). */
export const NEWSTORE_EVENTS = [
	'fulfillment_request.assigned',
	'fulfillment_request.items_completed',
	'fulfillment_request.items_failed',
	'fulfillment_request.items_ready_for_handover',
	'order.cancelled',
	'order.completed',
	'order.created',
	'order.items_cancelled',
	'order.items_swapped',
	'order.opened',
	'order.shipped',
	'payment_account.amount_refunded',
	'refund_request.issued',
	'return.processed',
];

/** A stable integration ID per workflow and trigger node (NewStore keys integrations by it). */
export function integrationIdOf(workflowId: string, nodeId: string): string {
	const safe = String(workflowId).toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40);
	const node = createHash('sha256').update(String(nodeId)).digest('hex').slice(0, 8);
	return `n8n-${safe}-${node}`;
}
