import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { Transport } from '../../shared/transport';
import { PAX8, v1 } from '../vendor';

const PAGE_SIZE = 200;

/**
 * One page of a Pax8 listing for a resource locator. Pax8 has no name search on companies or
 * subscriptions, so those pages are filtered here; products use the API's own `search`.
 */
async function searchPage(
	ctx: ILoadOptionsFunctions,
	path: string,
	qs: IDataObject,
	paginationToken: string | undefined,
	toResult: (record: IDataObject) => { name: string; value: string },
	filter?: string,
): Promise<INodeListSearchResult> {
	const transport = await Transport.for(ctx, PAX8, { maxRetries: 1 });
	const page = Number(paginationToken ?? 0) || 0;
	const response = await transport.request({
		method: 'GET',
		path: v1(path),
		qs: { ...qs, page, size: PAGE_SIZE },
	});
	const body = (response.body ?? {}) as IDataObject;
	const records = (Array.isArray(body.content) ? body.content : []) as IDataObject[];
	const needle = filter?.trim().toLowerCase();
	const results = records
		.map(toResult)
		.filter((r) => !needle || r.name.toLowerCase().includes(needle) || r.value.toLowerCase() === needle);
	const info = (body.page ?? {}) as IDataObject;
	const more = page + 1 < Number(info.totalPages ?? 0);
	return { results, paginationToken: more ? String(page + 1) : undefined };
}

export async function searchCompanies(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchPage(
		this,
		'/companies',
		{ sort: 'name,asc' },
		paginationToken,
		(c) => ({ name: `${c.name}${c.status && c.status !== 'Active' ? ` (${c.status})` : ''}`, value: String(c.id) }),
		filter,
	);
}

export async function searchProducts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchPage(
		this,
		'/products',
		{ sort: 'name,asc', ...(filter?.trim() ? { search: filter.trim() } : {}) },
		paginationToken,
		(p) => ({ name: `${p.name} — ${p.vendorName ?? ''}${p.sku ? ` (${p.sku})` : ''}`, value: String(p.id) }),
	);
}

export async function searchSubscriptions(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchPage(
		this,
		'/subscriptions',
		{},
		paginationToken,
		(s) => ({
			name: `${s.productName ?? s.productId} × ${s.quantity ?? '?'} — ${s.status ?? ''} (${String(s.id).slice(0, 8)})`,
			value: String(s.id),
		}),
		filter,
	);
}
