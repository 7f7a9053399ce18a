import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { op, type Operation, type OperationContext } from '../shared/operation';
import type { Params } from '../shared/params';
import { pathOf } from '../shared/transport';
import type { ApiRequest } from '../shared/types';
import { connectId, type IdType } from './fields';
import { compileFilters, listFilterProperties, type ListFilters } from './filters';

/** Builders for the operation shapes Connect repeats across resources. */

/** The ID of the locator parameter `name`, checked against its prefix. */
export const idOf = (p: Params, name: string, type: IdType): string => p.required<string>(name, connectId(type));

/** `Get`: one object by its ID. */
export function getOne(o: {
	noun: string;
	path: string;
	id: INodeProperties;
	type: IdType;
	simplify?: Operation['simplify'];
}): Operation {
	return op({
		value: 'get',
		name: 'Get',
		action: `Get ${o.noun}`,
		properties: [o.id],
		simplify: o.simplify,
		request: (p) => ({ method: 'GET', path: pathOf(o.path, { id: idOf(p, o.id.name, o.type) }) }),
	});
}

/** `Get Many`: a listing with structured filters compiled to RQL, Return All / Limit. */
export function getMany(o: {
	nouns: string;
	path: string | ((p: Params) => string);
	filters: ListFilters;
	properties?: INodeProperties[];
	simplify?: Operation['simplify'];
	value?: string;
	name?: string;
	description?: string;
}): Operation {
	return op({
		value: o.value ?? 'getAll',
		name: o.name ?? 'Get Many',
		action: `Get many ${o.nouns}`,
		description: o.description,
		paginate: true,
		simplify: o.simplify,
		properties: [...(o.properties ?? []), ...listFilterProperties(o.filters)],
		request: (p) => ({
			method: 'GET',
			path: typeof o.path === 'function' ? o.path(p) : o.path,
			rawQuery: compileFilters(p, o.filters) || undefined,
		}),
	});
}

/**
 * An action `POST <path>/<action>` on an object. A 204 answer becomes
 * `{ success: true, id }`; otherwise the returned object is output.
 */
export function action(o: {
	value: string;
	name: string;
	action: string;
	description?: string;
	path: string;
	id: INodeProperties;
	type: IdType;
	properties?: INodeProperties[];
	body?: (p: Params) => IDataObject | undefined;
	method?: 'POST' | 'PUT';
}): Operation {
	return op({
		value: o.value,
		name: o.name,
		action: o.action,
		description: o.description,
		properties: [o.id, ...(o.properties ?? [])],
		request: (p): ApiRequest => ({
			method: o.method ?? 'POST',
			path: pathOf(o.path, { id: idOf(p, o.id.name, o.type) }),
			body: o.body?.(p),
		}),
		empty: (p) => ({ success: true, id: idOf(p, o.id.name, o.type) }),
	});
}

/** The conversation of a request, tier config request or usage file. */
export async function conversationOf(c: OperationContext, instanceId: string): Promise<IDataObject> {
	const found = await c.send({ method: 'GET', path: '/conversations', qs: { instance_id: instanceId, limit: 1 } });
	const list = Array.isArray(found.body) ? (found.body as IDataObject[]) : [];
	if (!list.length) {
		throw new NodeOperationError(c.ctx.getNode(), `Connect has no conversation for ${instanceId}`, {
			itemIndex: c.itemIndex,
			description: 'Conversations exist for fulfillment requests, tier config requests and usage files.',
		});
	}
	return list[0];
}
