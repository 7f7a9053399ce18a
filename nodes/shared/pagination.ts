import type { IDataObject } from 'n8n-workflow';

import type { Transport } from './transport';
import type { ApiRequest, ApiResponse, Page, Paginator } from './types';

/** Hard cap on pages per listing, whatever the API reports: no endless loops. */
export const MAX_PAGES = 100_000;

function asItems(value: unknown): IDataObject[] {
	return Array.isArray(value) ? (value as IDataObject[]) : [];
}

function withQuery(request: ApiRequest, qs: IDataObject): ApiRequest {
	return { ...request, qs: { ...(request.qs ?? {}), ...qs } };
}

/**
 * Page number and size, `{ content, page: { number, totalPages } }` (Pax8 partner API).
 * `flat` reads the paging fields from the top level instead (Pax8 topic definitions).
 */
export function pageSizePaginator(options: {
	maxPageSize: number;
	itemsKey?: string;
	flat?: boolean;
}): Paginator {
	const itemsKey = options.itemsKey ?? 'content';
	return {
		maxPageSize: options.maxPageSize,
		first: (request, pageSize) => withQuery(request, { page: 0, size: pageSize }),
		pageAt: (first, index) => withQuery(first, { page: index }),
		read(response, request) {
			const body = (response.body ?? {}) as IDataObject;
			const items = asItems(body[itemsKey]);
			const info = (options.flat ? body : (body.page as IDataObject | undefined)) ?? {};
			const number = Number(info.number ?? request.qs?.page ?? 0);
			const totalPages = Number(info.totalPages ?? 0);
			const total = info.totalElements !== undefined ? Number(info.totalElements) : undefined;
			const more = items.length > 0 && Number.isFinite(totalPages) && number + 1 < totalPages;
			return { items, total, next: more ? withQuery(request, { page: number + 1 }) : undefined };
		},
	};
}

/** `limit`/`offset` with `Content-Range: items a-b/total` (CloudBlue Connect). */
export function limitOffsetPaginator(options: { maxPageSize: number }): Paginator {
	return {
		maxPageSize: options.maxPageSize,
		first: (request, pageSize) => withQuery(request, { limit: pageSize, offset: 0 }),
		pageAt: (first, index, pageSize) => withQuery(first, { offset: index * pageSize }),
		read(response, request, pageSize) {
			const items = asItems(response.body);
			const offset = Number(request.qs?.offset ?? 0);
			const range = /items\s+(\d+)-(\d+)\/(\d+|\*)/i.exec(response.headers['content-range'] ?? '');
			const total = range && range[3] !== '*' ? Number(range[3]) : undefined;
			const nextOffset = offset + items.length;
			const more =
				items.length > 0 && (total !== undefined ? nextOffset < total : items.length >= pageSize);
			return { items, total, next: more ? withQuery(request, { offset: nextOffset }) : undefined };
		},
	};
}

/** `offset`/`count` with `pagination_info: { offset, count, total }` (NewStore). */
export function offsetCountPaginator(options: {
	maxPageSize: number;
	/** Where the records are; with several keys, the first present (one paginator per vendor). */
	itemsKey: string | string[];
	countParam?: string;
}): Paginator {
	const countParam = options.countParam ?? 'count';
	const keys = Array.isArray(options.itemsKey) ? options.itemsKey : [options.itemsKey];
	return {
		maxPageSize: options.maxPageSize,
		first: (request, pageSize) => withQuery(request, { offset: 0, [countParam]: pageSize }),
		pageAt: (first, index, pageSize) => withQuery(first, { offset: index * pageSize }),
		read(response, request, pageSize) {
			const body = (response.body ?? {}) as IDataObject;
			const items = asItems(body[keys.find((key) => Array.isArray(body[key])) ?? keys[0]]);
			const info = (body.pagination_info ?? {}) as IDataObject;
			const offset = Number(request.qs?.offset ?? 0);
			const total = info.total !== undefined ? Number(info.total) : undefined;
			const nextOffset = offset + items.length;
			const more =
				items.length > 0 && (total !== undefined ? nextOffset < total : items.length >= pageSize);
			return { items, total, next: more ? withQuery(request, { offset: nextOffset }) : undefined };
		},
	};
}

export interface CollectOptions {
	returnAll: boolean;
	limit?: number;
	itemIndex?: number;
	/** A smaller page size than the paginator's largest (an endpoint with a lower maximum). */
	maxPageSize?: number;
	/** Called for every page as it arrives (e.g. to warn at an API ceiling). */
	onPage?: (page: Page, response: ApiResponse) => void;
}

/** Requests of one listing in flight at once, once the total is known (see `collect`). */
export const PAGES_AHEAD = 3;

const requestKey = (r: ApiRequest) => JSON.stringify([r.method, r.baseUrl, r.path, r.qs, r.rawQuery]);

/**
 * Fetches pages until the listing ends or enough items arrived. Items are appended to one
 * array as pages arrive; nothing fetched so far is copied again. Once a full page tells the
 * total, up to PAGES_AHEAD pages are requested at once (numbered or offset paging only), so
 * the API prepares one page while the previous one is read; pages are still read in order,
 * and a page the listing does not ask for next is simply not used.
 */
export async function collect(
	transport: Transport,
	request: ApiRequest,
	options: CollectOptions,
	paginator: Paginator = transport.vendor.paginator,
): Promise<IDataObject[]> {
	const wanted = options.returnAll ? Infinity : Math.max(0, options.limit ?? 50);
	const pageSize = Math.min(options.maxPageSize ?? paginator.maxPageSize, paginator.maxPageSize, Number.isFinite(wanted) ? Math.max(1, wanted) : Infinity);
	const out: IDataObject[] = [];
	if (wanted === 0) return out;
	const first = paginator.first(request, pageSize);
	let next: ApiRequest | undefined = first;
	const ahead = new Map<string, Promise<ApiResponse>>();
	let requestedUpTo = 0;
	let previous: string | undefined;
	let reportedTotal: number | undefined;
	for (let pages = 0; next && pages < MAX_PAGES; pages++) {
		const early = ahead.get(requestKey(next));
		ahead.delete(requestKey(next));
		const response = await (early ?? transport.request(next, options.itemIndex));
		const page = paginator.read(response, next, pageSize);
		options.onPage?.(page, response);
		if (page.total !== undefined) reportedTotal = page.total;
		// An API that ignores the paging parameters sends the same page again: stop, do not loop.
		const fingerprint = page.items.length ? `${page.items.length}:${JSON.stringify(page.items[0])}:${JSON.stringify(page.items[page.items.length - 1])}` : undefined;
		if (fingerprint !== undefined && fingerprint === previous) {
			throw transport.error(`sent the same page twice after ${out.length} records: it ignored the paging parameters`, [], {
				itemIndex: options.itemIndex,
				hint: 'Nothing more was read, to avoid an endless loop. Check the base URL (a proxy may drop query parameters) or narrow the listing with filters.',
			});
		}
		previous = fingerprint;
		for (const item of page.items) {
			out.push(item);
			if (out.length >= wanted) return out;
		}
		if (page.total !== undefined && out.length >= page.total) break;
		if (!page.items.length && reportedTotal !== undefined && out.length < reportedTotal) {
			throw transport.error(`stopped listing early: ${out.length} of ${reportedTotal} reported records arrived`, [], {
				itemIndex: options.itemIndex,
				hint: 'An empty page came before the reported total was reached: the records changed while they were read, or the API pages differently. Run the node again.',
			});
		}
		next = page.next;
		// Ahead only while the API's own next page is the one its number or offset addresses.
		if (next && paginator.pageAt && page.total !== undefined && page.items.length === pageSize && requestKey(paginator.pageAt(first, pages + 1, pageSize)) === requestKey(next)) {
			const lastPage = Math.min(MAX_PAGES, Math.ceil(Math.min(page.total, wanted) / pageSize)) - 1;
			requestedUpTo = Math.max(requestedUpTo, pages + 1);
			while (requestedUpTo < Math.min(lastPage, pages + PAGES_AHEAD)) {
				requestedUpTo++;
				const sent = transport.request(paginator.pageAt(first, requestedUpTo, pageSize), options.itemIndex);
				// A page not read in the end must not surface as an unhandled rejection.
				sent.catch(() => undefined);
				ahead.set(requestKey(paginator.pageAt(first, requestedUpTo, pageSize)), sent);
			}
		}
	}
	return out;
}
