import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { pathOf, Transport } from '../../shared/transport';
import { rql } from '../rql';
import { CONNECT } from '../vendor';

const PAGE_SIZE = 100;

/**
 * One page of a Connect listing for a resource locator: `ilike` on the name (or ID) when the
 * user types, `limit`/`offset` paging through `paginationToken`.
 */
async function searchList(
	ctx: ILoadOptionsFunctions,
	path: string,
	filter: string | undefined,
	paginationToken: string | undefined,
	options: { searchOn?: string[]; base?: string[]; order?: string; label: (record: IDataObject) => string },
): Promise<INodeListSearchResult> {
	const transport = await Transport.for(ctx, CONNECT, { maxRetries: 1 });
	const offset = Number(paginationToken ?? 0) || 0;
	const terms = [...(options.base ?? [])];
	const needle = filter?.trim();
	if (needle) {
		const fields = options.searchOn ?? ['name', 'id'];
		terms.push(fields.length === 1 ? rql.ilike(fields[0], `*${needle}*`) : `or(${fields.map((f) => rql.ilike(f, `*${needle}*`)).join(',')})`);
	}
	const response = await transport.request({
		method: 'GET',
		path,
		rawQuery: [rql.and(...terms), options.order ? rql.ordering([options.order]) : ''].filter(Boolean).join('&'),
		qs: { limit: PAGE_SIZE, offset },
	});
	const records = (Array.isArray(response.body) ? response.body : []) as IDataObject[];
	const range = /\/(\d+)$/.exec(response.headers['content-range'] ?? '');
	const total = range ? Number(range[1]) : undefined;
	const next = offset + records.length;
	const more = records.length > 0 && (total !== undefined ? next < total : records.length === PAGE_SIZE);
	return {
		results: records.map((r) => ({ name: options.label(r), value: String(r.id) })),
		paginationToken: more ? String(next) : undefined,
	};
}

const nameAndId = (r: IDataObject) => `${r.name ?? r.id} (${r.id})`;

export async function searchProducts(this: ILoadOptionsFunctions, filter?: string, token?: string) {
	return await searchList(this, '/products', filter, token, { label: nameAndId });
}

export async function searchMarketplaces(this: ILoadOptionsFunctions, filter?: string, token?: string) {
	return await searchList(this, '/marketplaces', filter, token, { label: nameAndId });
}

export async function searchHubs(this: ILoadOptionsFunctions, filter?: string, token?: string) {
	return await searchList(this, '/hubs', filter, token, { label: nameAndId });
}

export async function searchUsageFiles(this: ILoadOptionsFunctions, filter?: string, token?: string) {
	return await searchList(this, '/usage/files', filter, token, {
		label: (r) => `${r.name ?? r.id} — ${r.status} (${r.id})`,
	});
}

export async function searchRequests(this: ILoadOptionsFunctions, filter?: string, token?: string) {
	return await searchList(this, '/requests', filter, token, {
		searchOn: ['id', 'asset.id', 'asset.external_id'],
		base: [rql.in('status', ['pending', 'inquiring'])],
		order: '-created',
		label: (r) => {
			const asset = (r.asset ?? {}) as IDataObject;
			return `${r.id} — ${r.type} ${r.status} — ${((asset.product ?? {}) as IDataObject).name ?? ''}`;
		},
	});
}

export async function searchTierConfigRequests(this: ILoadOptionsFunctions, filter?: string, token?: string) {
	return await searchList(this, '/tier/config-requests', filter, token, {
		searchOn: ['id'],
		base: [rql.in('status', ['pending', 'inquiring'])],
		order: '-created',
		label: (r) => `${r.id} — ${r.type} ${r.status}`,
	});
}

/** Templates of the product of the request (or tier config request) chosen in the node. */
async function templatesFor(ctx: ILoadOptionsFunctions, scope: 'asset' | 'tier', filter?: string): Promise<INodeListSearchResult> {
	const transport = await Transport.for(ctx, CONNECT, { maxRetries: 1 });
	const param = scope === 'asset' ? 'requestId' : 'tierConfigRequestId';
	const id = String(ctx.getCurrentNodeParameter(param, { extractValue: true }) ?? '').trim();
	if (!id) return { results: [] };
	const object = (await transport.request({ method: 'GET', path: pathOf(`${scope === 'asset' ? '/requests' : '/tier/config-requests'}/{id}`, { id }) })).body as IDataObject;
	const holder = (scope === 'asset' ? object.asset : object.configuration) as IDataObject | undefined;
	const productId = ((holder?.product ?? {}) as IDataObject).id;
	if (!productId) return { results: [] };
	const response = await transport.request({
		method: 'GET',
		path: pathOf('/products/{productId}/templates', { productId: String(productId) }),
		qs: { ...(scope === 'asset' ? { scope: 'asset' } : {}), type: 'fulfillment', limit: 1000 },
	});
	const needle = filter?.trim().toLowerCase();
	const templates = (Array.isArray(response.body) ? response.body : []) as IDataObject[];
	return {
		results: templates
			.filter((t) => (scope === 'asset' ? true : String(t.scope ?? '').startsWith('tier')))
			.map((t) => ({ name: `${t.name ?? t.title ?? t.id} (${t.id})`, value: String(t.id) }))
			.filter((r) => !needle || r.name.toLowerCase().includes(needle)),
	};
}

export async function searchFulfillmentTemplates(this: ILoadOptionsFunctions, filter?: string) {
	return await templatesFor(this, 'asset', filter);
}

export async function searchTierTemplates(this: ILoadOptionsFunctions, filter?: string) {
	return await templatesFor(this, 'tier', filter);
}
