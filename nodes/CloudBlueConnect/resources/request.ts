import type { IDataObject } from 'n8n-workflow';

import { op, type Resource } from '../../shared/operation';
import { choice, date, text } from '../../shared/props';
import { pathOf } from '../../shared/transport';
import { locator } from '../fields';
import { action, conversationOf, getMany, getOne, idOf } from '../ops';
import { parameterChanges, parameterErrors, paramList } from './params';

export const REQUEST_STATUSES = ['approved', 'draft', 'failed', 'inquiring', 'pending', 'tiers_setup'];
export const REQUEST_TYPES = ['adjustment', 'cancel', 'change', 'purchase', 'resume', 'suspend'];

const requestId = locator('requestId', 'Request', 'request', 'searchRequests');
const path = '/requests/{id}';

/** The fields of a request people act on, flattened, with parameters as an ID → value map. */
export function simplifyRequest(request: IDataObject): IDataObject {
	const asset = (request.asset ?? {}) as IDataObject;
	const product = (asset.product ?? {}) as IDataObject;
	const marketplace = (request.marketplace ?? asset.marketplace ?? {}) as IDataObject;
	const customer = (((asset.tiers ?? {}) as IDataObject).customer ?? {}) as IDataObject;
	const params: IDataObject = {};
	for (const param of (asset.params ?? []) as IDataObject[]) params[String(param.id)] = param.value ?? null;
	return {
		id: request.id,
		type: request.type,
		status: request.status,
		created: request.created,
		updated: request.updated,
		assetId: asset.id,
		assetExternalId: asset.external_id,
		productId: product.id,
		productName: product.name,
		marketplaceId: marketplace.id,
		customerId: customer.id,
		customerName: customer.name,
		params,
		reason: request.reason,
		note: request.note,
	};
}

/** Template or activation tile for Approve. */
const approveProperties = [
	choice('Approve With', 'approveWith', [
		{ name: 'Template', value: 'template', description: "One of the product's fulfillment templates" },
		{ name: 'Activation Tile', value: 'activationTile', description: 'Markdown shown to the customer (being deprecated by Connect)' },
	]),
	locator('templateId', 'Template', 'template', 'searchFulfillmentTemplates', {
		displayOptions: { show: { approveWith: ['template'] } },
	}),
	text('Activation Tile', 'activationTile', {
		typeOptions: { rows: 5 },
		required: true,
		displayOptions: { show: { approveWith: ['activationTile'] } },
		description: 'Markdown text of the activation tile',
	}),
	date('Effective Date', 'effectiveDate', { description: 'When the change takes effect; empty for now' }),
];

export const request: Resource = {
	value: 'request',
	name: 'Fulfillment Request',
	operations: [
		op({
			...action({
				value: 'approve',
				name: 'Approve',
				action: 'Approve a fulfillment request',
				path: `${path}/approve`,
				id: requestId,
				type: 'request',
				properties: approveProperties,
				body: (p) => {
					const body: IDataObject = {};
					if (p.raw('approveWith', 'template') === 'activationTile') body.activation_tile = p.required('activationTile');
					else body.template_id = idOf(p, 'templateId', 'template');
					const effective = p.get<string>('effectiveDate', 'dateTime');
					if (effective) body.effective_date = effective;
					return body;
				},
			}),
			simplify: simplifyRequest,
		}),
		action({
			value: 'fail',
			name: 'Fail',
			action: 'Fail a fulfillment request',
			description: 'Reject the request with a reason the customer sees (Connect adds it to the conversation)',
			path: `${path}/fail`,
			id: requestId,
			type: 'request',
			properties: [text('Reason', 'reason', { required: true, typeOptions: { rows: 2 } })],
			body: (p) => ({ reason: p.required('reason') }),
		}),
		{ ...getOne({ noun: 'a fulfillment request', path, id: requestId, type: 'request' }), simplify: simplifyRequest },
		getMany({
			nouns: 'fulfillment requests',
			path: '/requests',
			simplify: simplifyRequest,
			filters: {
				statuses: REQUEST_STATUSES,
				status: 'status',
				types: REQUEST_TYPES,
				type: 'type',
				product: 'asset.product.id',
				asset: 'asset.id',
				marketplace: 'asset.marketplace.id',
				created: 'created',
				updated: 'updated',
				ordering: [
					['Created', 'created'],
					['Status', 'status'],
					['Updated', 'updated'],
				],
			},
		}),
		op({
			value: 'inquire',
			name: 'Inquire',
			action: 'Inquire for missing parameters',
			description:
				'Mark the listed parameters with what is wrong, move the request to Inquiring, and optionally add a note — what the Connect SDK does',
			properties: [
				requestId,
				parameterErrors,
				text('Inquire Template ID', 'templateId', { placeholder: 'TL-123-456-789', description: "Optional: one of the product's inquire templates" }),
				text('Note', 'note', { typeOptions: { rows: 2 }, description: 'Optional message added to the request conversation' }),
			],
			simplify: simplifyRequest,
			run: async (c) => {
				const { params: p } = c;
				const id = idOf(p, 'requestId', 'request');
				const params = paramList(p, true);
				const template = p.get<string>('templateId', (v, fail) => (typeof v === 'string' && /^TL-[A-Z0-9-]+$/i.test(v.trim()) ? v.trim().toUpperCase() : fail('must start with TL-')));
				const note = p.get<string>('note');
				const target = pathOf(path, { id });
				await c.send({ method: 'PUT', path: target, body: { asset: { params } } });
				const inquired = await c.send({ method: 'POST', path: `${target}/inquire`, body: template ? { template_id: template } : {} });
				if (note) {
					const conversation = await conversationOf(c, id);
					await c.send({ method: 'POST', path: pathOf('/conversations/{id}/messages', { id: String(conversation.id) }), body: { text: note } });
				}
				return inquired.body as IDataObject;
			},
		}),
		action({
			value: 'pend',
			name: 'Pend',
			action: 'Move an inquiring request back to pending',
			path: `${path}/pend`,
			id: requestId,
			type: 'request',
		}),
		op({
			value: 'render',
			name: 'Render',
			action: 'Render the activation template of a request',
			description: 'The activation markdown the customer sees, rendered for this request',
			properties: [requestId],
			run: async (c) => {
				const id = idOf(c.params, 'requestId', 'request');
				const response = await c.send({ method: 'GET', path: pathOf(`${path}/render`, { id }), headers: { Accept: 'text/markdown, text/plain, */*' } });
				return { id, markdown: typeof response.body === 'string' ? response.body : JSON.stringify(response.body) };
			},
		}),
		op({
			value: 'updateParameters',
			name: 'Update Parameters',
			action: 'Update parameters of a request',
			description: 'Set values, value errors or structured values of request parameters, with an optional note',
			properties: [requestId, parameterChanges, text('Note', 'note', { description: 'Optional note stored on the request' })],
			simplify: simplifyRequest,
			request: (p) => {
				const body: IDataObject = { asset: { params: paramList(p) } };
				const note = p.get<string>('note');
				if (note) body.note = note;
				return { method: 'PUT', path: pathOf(path, { id: idOf(p, 'requestId', 'request') }), body };
			},
		}),
	],
};
