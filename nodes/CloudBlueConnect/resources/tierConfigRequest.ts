import type { IDataObject } from 'n8n-workflow';

import { op, type OperationContext, type Resource } from '../../shared/operation';
import { date, text } from '../../shared/props';
import { pathOf } from '../../shared/transport';
import { locator } from '../fields';
import { action, getMany, getOne, idOf } from '../ops';
import { parameterChanges, parameterErrors, paramList } from './params';

const tcrId = locator('tierConfigRequestId', 'Tier Config Request', 'tierConfigRequest', 'searchTierConfigRequests');
const path = '/tier/config-requests/{id}';

/**
 * PUT needs the configuration reference (the spec marks it required) besides the changed
 * parameters: read it from the request first.
 */
async function putParams(
	send: OperationContext['send'],
	id: string,
	params: IDataObject[],
	notes?: string,
): Promise<IDataObject> {
	const target = pathOf(path, { id });
	const current = (await send({ method: 'GET', path: target })).body as IDataObject;
	const configuration = (current.configuration ?? {}) as IDataObject;
	const body: IDataObject = { configuration: { id: configuration.id }, params };
	if (notes) body.notes = notes;
	return (await send({ method: 'PUT', path: target, body })).body as IDataObject;
}

export const tierConfigRequest: Resource = {
	value: 'tierConfigRequest',
	name: 'Tier Config Request',
	operations: [
		action({
			value: 'approve',
			name: 'Approve',
			action: 'Approve a tier config request',
			path: `${path}/approve`,
			id: tcrId,
			type: 'tierConfigRequest',
			properties: [
				locator('templateId', 'Template', 'template', 'searchTierTemplates'),
				date('Effective Date', 'effectiveDate'),
			],
			body: (p) => {
				const template: IDataObject = { id: idOf(p, 'templateId', 'template') };
				const effective = p.get<string>('effectiveDate', 'dateTime');
				if (effective) template.effective_date = effective;
				return { template };
			},
		}),
		action({
			value: 'fail',
			name: 'Fail',
			action: 'Fail a tier config request',
			path: `${path}/fail`,
			id: tcrId,
			type: 'tierConfigRequest',
			properties: [text('Reason', 'reason', { required: true })],
			body: (p) => ({ reason: p.required('reason') }),
		}),
		getOne({ noun: 'a tier config request', path, id: tcrId, type: 'tierConfigRequest' }),
		getMany({
			nouns: 'tier config requests',
			path: '/tier/config-requests',
			filters: {
				statuses: ['approved', 'draft', 'failed', 'inquiring', 'pending', 'tiers_setup'],
				status: 'status',
				types: ['adjustment', 'setup', 'update'],
				type: 'type',
				product: 'configuration.product.id',
				marketplace: 'configuration.marketplace.id',
				created: 'created',
				updated: 'updated',
				ordering: [
					['Created', 'created'],
					['Updated', 'updated'],
				],
			},
		}),
		op({
			value: 'inquire',
			name: 'Inquire',
			action: 'Inquire for missing tier parameters',
			description: 'Mark the listed parameters with what is wrong, then move the request to Inquiring',
			properties: [tcrId, parameterErrors],
			run: async (c) => {
				const id = idOf(c.params, 'tierConfigRequestId', 'tierConfigRequest');
				const params = paramList(c.params, true);
				await putParams(c.send, id, params);
				await c.send({ method: 'POST', path: pathOf(`${path}/inquire`, { id }) });
				return { success: true, id };
			},
		}),
		action({
			value: 'pend',
			name: 'Pend',
			action: 'Move an inquiring tier config request back to pending',
			path: `${path}/pend`,
			id: tcrId,
			type: 'tierConfigRequest',
		}),
		op({
			value: 'updateParameters',
			name: 'Update Parameters',
			action: 'Update parameters of a tier config request',
			properties: [tcrId, parameterChanges, text('Notes', 'notes')],
			run: async (c) =>
				await putParams(
					c.send,
					idOf(c.params, 'tierConfigRequestId', 'tierConfigRequest'),
					paramList(c.params),
					c.params.get<string>('notes'),
				),
		}),
	],
};
