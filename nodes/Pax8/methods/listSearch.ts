import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { Transport } from '../../shared/transport';
import { PAX8, v1 } from '../vendor';

const PAGE_SIZE = 200;
const MAX_PAGES_PER_SEARCH = 10;
const MIN_RESULTS = 20;

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
	const needle = filter?.trim().toLowerCase();
	const results: Array<{ name: string; value: string }> = [];
	let page = Number(paginationToken ?? 0) || 0;
	let more = true;
	// A filtered page may hold no match: read on (a few pages at most) until some turn up.
	for (let read = 0; more && read < (needle ? MAX_PAGES_PER_SEARCH : 1); read++, page++) {
		const response = await transport.request({ method: 'GET', path: v1(path), qs: { ...qs, page, size: PAGE_SIZE } });
		const body = (response.body ?? {}) as IDataObject;
		const records = (Array.isArray(body.content) ? body.content : []) as IDataObject[];
		for (const result of records.map(toResult)) {
			if (!needle || result.name.toLowerCase().includes(needle) || result.value.toLowerCase() === needle) {
				results.push(result);
			}
		}
		more = records.length > 0 && page + 1 < Number(((body.page ?? {}) as IDataObject).totalPages ?? 0);
		if (results.length >= MIN_RESULTS) {
			page++;
			break;
		}
	}
	return { results, paginationToken: more ? String(page) : undefined };
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
