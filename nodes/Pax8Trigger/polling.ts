import type { IDataObject } from 'n8n-workflow';

import { normalizeOrder } from '../Pax8/resources/order';
import { v1 } from '../Pax8/vendor';
import { collect } from '../shared/pagination';
import type { Transport } from '../shared/transport';
import type { ApiRequest } from '../shared/types';

/** Most records one poll reads (50 pages of 200): a bound on the cost of a poll. */
export const MAX_POLL_RECORDS = 10_000;

interface FetchOptions {
	companyId?: string;
	/** The cursor: records older than this day need not be read (sorted listings only). */
	since?: string;
}

const time = (value: unknown): number => {
	const parsed = Date.parse(String(value ?? ''));
	return Number.isNaN(parsed) ? 0 : parsed;
};

const byTime = (field: string) => (a: IDataObject, b: IDataObject) => time(a[field]) - time(b[field]);

export interface CursorEvent {
	kind: 'cursor';
	/** Records, oldest first. */
	fetch(transport: Transport, options: FetchOptions): Promise<IDataObject[]>;
	key(record: IDataObject): string;
	time(record: IDataObject): string;
}

export interface SnapshotEvent {
	kind: 'snapshot';
	/** Records, oldest first. */
	fetch(transport: Transport, options: FetchOptions): Promise<IDataObject[]>;
	/** What is new or changed against the previous snapshot, and the snapshot to keep. */
	diff(
		previous: Record<string, string> | undefined,
		records: IDataObject[],
		watch: string[],
	): { fresh: IDataObject[]; snapshot: Record<string, string> };
}

export type PollEvent = CursorEvent | SnapshotEvent;

const WATCHED = ['status', 'quantity'];
const signature = (record: IDataObject) => WATCHED.map((field) => String(record[field] ?? '')).join('|');

/** Pax8 lists orders without a sort: every page is read (up to the bound), then sorted. */
const newOrder: CursorEvent = {
	kind: 'cursor',
	async fetch(transport, { companyId }) {
		const qs: IDataObject = companyId ? { companyId } : {};
		const orders = await collect(transport, { method: 'GET', path: v1('/orders'), qs }, { returnAll: false, limit: MAX_POLL_RECORDS });
		return orders.map(normalizeOrder).sort(byTime('createdDate'));
	},
	key: (order) => String(order.id),
	time: (order) => String(order.createdDate ?? ''),
};

/** Invoices newest first, read until the pages are older than the cursor's day. */
const newInvoice: CursorEvent = {
	kind: 'cursor',
	async fetch(transport, { companyId, since }) {
		const qs: IDataObject = { sort: 'invoiceDate,desc', ...(companyId ? { companyId } : {}) };
		const paginator = transport.vendor.paginator;
		const out: IDataObject[] = [];
		const sinceDay = since ? time(since.slice(0, 10)) : undefined;
		let next: ApiRequest | undefined = paginator.first({ method: 'GET', path: v1('/invoices'), qs }, paginator.maxPageSize);
		for (let read = 0; next && out.length < MAX_POLL_RECORDS; read++) {
			const page = paginator.read(await transport.request(next), next, paginator.maxPageSize);
			out.push(...page.items);
			const oldest = page.items[page.items.length - 1];
			// Without a cursor (first activation, sample) the newest page is enough.
			if (sinceDay === undefined || !oldest || time(oldest.invoiceDate) < sinceDay) break;
			next = page.next;
		}
		return out.sort(byTime('invoiceDate'));
	},
	key: (invoice) => String(invoice.id),
	time: (invoice) => String(invoice.invoiceDate ?? ''),
};

/** Every subscription (up to the bound), compared with the previous poll's status and quantity. */
const subscription: SnapshotEvent = {
	kind: 'snapshot',
	async fetch(transport, { companyId }) {
		const qs: IDataObject = { sort: 'createdDate,asc', ...(companyId ? { companyId } : {}) };
		return await collect(transport, { method: 'GET', path: v1('/subscriptions'), qs }, { returnAll: false, limit: MAX_POLL_RECORDS });
	},
	diff(previous, records, watch) {
		const snapshot: Record<string, string> = {};
		const fresh: IDataObject[] = [];
		for (const record of records) {
			const id = String(record.id);
			snapshot[id] = signature(record);
			if (!previous) continue;
			const before = previous[id];
			if (before === undefined) {
				fresh.push({ event: 'created', ...record });
				continue;
			}
			const old = before.split('|');
			const changes: IDataObject = {};
			WATCHED.forEach((field, index) => {
				if (watch.includes(field) && old[index] !== String(record[field] ?? '')) {
					changes[field] = { from: field === 'quantity' && old[index] !== '' ? Number(old[index]) : old[index], to: record[field] as string };
				}
			});
			if (Object.keys(changes).length) fresh.push({ event: 'changed', changes, ...record });
		}
		return { fresh, snapshot };
	},
};

export const pollEvents: Record<string, PollEvent> = { newOrder, newInvoice, subscription };
