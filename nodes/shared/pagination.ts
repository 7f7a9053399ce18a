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

/**
 * Fetches pages until the listing ends or enough items arrived. Items are appended to one
 * array as pages arrive; nothing fetched so far is copied again.
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
	let next: ApiRequest | undefined = paginator.first(request, pageSize);
	for (let pages = 0; next && pages < MAX_PAGES; pages++) {
		const response = await transport.request(next, options.itemIndex);
		const page = paginator.read(response, next, pageSize);
		options.onPage?.(page, response);
		for (const item of page.items) {
			out.push(item);
			if (out.length >= wanted) return out;
		}
		if (page.total !== undefined && out.length >= page.total) break;
		next = page.next;
	}
	return out;
}
