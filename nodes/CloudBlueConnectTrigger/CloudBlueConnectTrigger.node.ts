import { randomBytes } from 'crypto';
import type {
	IDataObject,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { simplifyRequest, REQUEST_STATUSES, REQUEST_TYPES } from '../CloudBlueConnect/resources/request';
import { rql } from '../CloudBlueConnect/rql';
import { CONNECT } from '../CloudBlueConnect/vendor';
import { collect } from '../shared/pagination';
import { selectNew, startAt, type PollState } from '../shared/pollState';
import { boolean, choice, collection, humanize } from '../shared/props';
import { deliveryKey, firstSighting, refuse, tooLarge } from '../shared/deliveries';
import { pathOf, Transport } from '../shared/transport';
import { verifyHs256 } from './jwt';

type RequestContext = IPollFunctions | IHookFunctions | IWebhookFunctions | ILoadOptionsFunctions;

/** What each event lists, how it is filtered, keyed and timed. */
interface EventSpec {
	objectClass: string;
	path: string;
	productPath: string;
	types?: string[];
	statuses: string[];
	/** RQL property of the time the cursor follows; none = newest page only (status changes). */
	timeProperty?: string;
	/** RQL property newest-first listings are ordered by. */
	orderProperty: string;
	time: (record: IDataObject) => string;
	key: (record: IDataObject) => string;
}

const at = (value: unknown): string => (typeof value === 'string' ? value : '');
const eventTime = (record: IDataObject, name: string): string =>
	at(((record.events as IDataObject | undefined)?.[name] as IDataObject | undefined)?.at);

export const EVENTS: Record<string, EventSpec> = {
	fulfillmentRequest: {
		objectClass: 'fulfillment_request',
		path: '/requests',
		productPath: 'asset.product.id',
		types: REQUEST_TYPES,
		statuses: REQUEST_STATUSES,
		timeProperty: 'created',
		orderProperty: 'created',
		time: (r) => at(r.created) || eventTime(r, 'created'),
		key: (r) => String(r.id),
	},
	tierConfigRequest: {
		objectClass: 'tier_config_request',
		path: '/tier/config-requests',
		productPath: 'configuration.product.id',
		types: ['adjustment', 'setup', 'update'],
		statuses: ['approved', 'draft', 'failed', 'inquiring', 'pending', 'tiers_setup'],
		timeProperty: 'created',
		orderProperty: 'created',
		time: (r) => eventTime(r, 'created') || at(r.created),
		key: (r) => String(r.id),
	},
	usageFileStatus: {
		objectClass: 'usage_file',
		path: '/usage/files',
		productPath: 'product.id',
		statuses: ['accepted', 'closed', 'deleted', 'draft', 'invalid', 'pending', 'processing', 'ready', 'rejected', 'uploaded', 'uploading'],
		orderProperty: 'created.at',
		// The newest event of a file is when its status last changed.
		time: (r) =>
			Object.values((r.events ?? {}) as Record<string, IDataObject>)
				.map((e) => at(e?.at))
				.filter(Boolean)
				.sort()
				.pop() ?? '',
		key: (r) => `${r.id}:${r.status}`,
	},
};

const STATE_KEY = 'connectPoll';
/** Newest page read for events without a time filter (usage file status changes). */
const STATUS_PAGE = 1000;
const MAX_PAGES_PER_POLL = 50;

function settings(ctx: RequestContext) {
	const event = ctx.getNodeParameter('event') as keyof typeof EVENTS;
	const spec = EVENTS[event];
	if (!spec) throw new NodeOperationError(ctx.getNode(), `Unknown event "${String(event)}"`);
	const products = String(ctx.getNodeParameter('products', '') ?? '')
		.split(',')
		.map((p) => p.trim().toUpperCase())
		.filter(Boolean);
	for (const product of products) {
		if (!/^PRD-[A-Z0-9-]+$/.test(product)) {
			throw new NodeOperationError(ctx.getNode(), `Parameter "Product IDs" holds "${product}", which is not a product ID (PRD-…)`);
		}
	}
	const statuses = (ctx.getNodeParameter('statuses', []) as string[]) ?? [];
	const types = spec.types ? ((ctx.getNodeParameter('types', []) as string[]) ?? []) : [];
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return { event, spec, products, statuses, types, options };
}

/** The RQL filter of the chosen event (without the time condition). */
function baseFilter(s: ReturnType<typeof settings>, productIds = s.products): string[] {
	const terms: string[] = [];
	if (s.statuses.length) terms.push(rql.in('status', s.statuses));
	if (productIds.length) terms.push(rql.in(s.spec.productPath, productIds));
	if (s.types.length) terms.push(rql.in('type', s.types));
	return terms;
}

/** Requests whose asset carries a non-empty `migration_info` parameter need migration first. */
function needsMigration(record: IDataObject): boolean {
	const params = (((record.asset ?? {}) as IDataObject).params ?? []) as IDataObject[];
	return params.some((p) => p.id === 'migration_info' && p.value !== undefined && p.value !== null && p.value !== '');
}

function output(s: ReturnType<typeof settings>, records: IDataObject[]): INodeExecutionData[] {
	const skipMigration = s.options.skipMigration === true;
	const simplify = s.options.simplify === true && s.event === 'fulfillmentRequest';
	return records
		.filter((r) => !(skipMigration && s.event === 'fulfillmentRequest' && needsMigration(r)))
		.map((r) => ({ json: simplify ? simplifyRequest(r) : r }));
}

/** Newest records first, at most `limit`. */
async function newest(transport: Transport, s: ReturnType<typeof settings>, limit: number, productIds?: string[]) {
	const order = `-${s.spec.orderProperty}`;
	return await collect(
		transport,
		{ method: 'GET', path: s.spec.path, rawQuery: [rql.and(...baseFilter(s, productIds)), rql.ordering([order])].filter(Boolean).join('&') },
		{ returnAll: false, limit },
	);
}

/** Everything at or after the cursor, oldest first (bounded). */
async function since(transport: Transport, s: ReturnType<typeof settings>, cursor: string | undefined) {
	if (!s.spec.timeProperty) return await newest(transport, s, STATUS_PAGE);
	const terms = baseFilter(s);
	if (cursor) terms.push(rql.ge(s.spec.timeProperty, cursor));
	return await collect(
		transport,
		{ method: 'GET', path: s.spec.path, rawQuery: [rql.and(...terms), rql.ordering([s.spec.timeProperty])].filter(Boolean).join('&') },
		{ returnAll: false, limit: CONNECT.paginator.maxPageSize * MAX_PAGES_PER_POLL },
	);
}

export class CloudBlueConnectTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CloudBlue Connect Trigger',
		name: 'cloudBlueConnectTrigger',
		icon: { light: 'file:cloudblue.svg', dark: 'file:cloudblue.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts a workflow for new CloudBlue Connect requests or usage file changes',
		defaults: { name: 'CloudBlue Connect Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cloudBlueConnectApi', required: true }],
		webhooks: [
			{
				name: 'default',
				// Only registered in webhook mode: an empty method adds no webhook.
				httpMethod: '={{$parameter["mode"] === "webhook" ? "POST" : ""}}',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			choice('Mode', 'mode', [
				{ name: 'Polling', value: 'polling', description: 'Ask Connect on the schedule below (no public URL needed; poll no more often than every 2 minutes)' },
				{ name: 'Webhook', value: 'webhook', description: 'Connect notifies n8n (needs a URL Connect can reach; one registration per product)' },
			]),
			choice('Event', 'event', [
				{ name: 'New Fulfillment Request', value: 'fulfillmentRequest' },
				{ name: 'New Tier Config Request', value: 'tierConfigRequest' },
				{ name: 'Usage File Status Changed', value: 'usageFileStatus' },
			]),
			{
				displayName: 'Product IDs',
				name: 'products',
				type: 'string',
				default: '',
				placeholder: 'PRD-123-456-789, PRD-987-654-321',
				description: 'Products to watch, comma-separated. Required for webhooks (Connect registers them per product); empty polls all products.',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: REQUEST_STATUSES.map((s) => ({ name: humanize(s), value: s })),
				default: ['pending'],
				displayOptions: { show: { event: ['fulfillmentRequest', 'tierConfigRequest'] } },
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: EVENTS.usageFileStatus.statuses.map((s) => ({ name: humanize(s), value: s })),
				default: ['pending'],
				displayOptions: { show: { event: ['usageFileStatus'] } },
			},
			{
				displayName: 'Request Types',
				name: 'types',
				type: 'multiOptions',
				options: REQUEST_TYPES.map((s) => ({ name: humanize(s), value: s })),
				default: [],
				description: 'Empty for all types',
				displayOptions: { show: { event: ['fulfillmentRequest'] } },
			},
			{
				displayName: 'Request Types',
				name: 'types',
				type: 'multiOptions',
				options: ['adjustment', 'setup', 'update'].map((s) => ({ name: humanize(s), value: s })),
				default: [],
				description: 'Empty for all types',
				displayOptions: { show: { event: ['tierConfigRequest'] } },
			},
			collection('options', [
				boolean('Skip Requests Needing Migration', 'skipMigration', {
					description: 'Whether to leave out requests whose asset has a migration_info parameter (they need migrating first)',
				}),
				boolean('Simplify', 'simplify', { description: 'Whether to return a simplified version of the response instead of the raw data' }),
			]),
		],
	};

	methods = {
		loadOptions: {
			async getProducts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const transport = await Transport.for(this, CONNECT, { maxRetries: 1 });
				const products = await collect(transport, { method: 'GET', path: '/products' }, { returnAll: false, limit: 1000 });
				return products.map((p) => ({ name: `${p.name} (${p.id})`, value: String(p.id) }));
			},
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const manual = this.getMode() === 'manual';
		// In webhook mode n8n still schedules polls (Poll Times is added to every polling node):
		// they do nothing, but "Fetch Test Event" returns a sample in both modes.
		if (this.getNodeParameter('mode') !== 'polling' && !manual) return null;
		const s = settings(this);
		const transport = await Transport.for(this, CONNECT);
		if (manual) {
			const sample = await newest(transport, s, 1);
			return sample.length ? [output(s, sample)] : null;
		}
		const data = this.getWorkflowStaticData('node');
		const state = data[STATE_KEY] as PollState | undefined;
		if (!state) {
			// First activation: start after what exists now instead of replaying history.
			const existing = s.spec.timeProperty ? await newest(transport, s, 1) : await newest(transport, s, STATUS_PAGE);
			data[STATE_KEY] = startAt(existing, s.spec.key, s.spec.time) as unknown as IDataObject;
			return null;
		}
		const records = await since(transport, s, state.cursor);
		const { fresh, state: next } = selectNew(state, records, s.spec.key, s.spec.time);
		data[STATE_KEY] = next as unknown as IDataObject;
		const items = output(s, fresh);
		return items.length ? [items] : null;
	}

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const ids = (data.webhookIds as string[] | undefined) ?? [];
				if (!ids.length) return false;
				const transport = await Transport.for(this, CONNECT);
				const url = this.getNodeWebhookUrl('default');
				for (const id of ids) {
					const found = await transport.request({
						method: 'GET',
						path: pathOf('/notifications/webhooks/{id}', { id }),
						allowNotFound: true,
					});
					const hook = (found.body ?? {}) as IDataObject;
					if (found.status === 404 || hook.external_url !== url || hook.active === false) return false;
				}
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const s = settings(this);
				if (!s.products.length) {
					throw new NodeOperationError(this.getNode(), 'Parameter "Product IDs" is required in webhook mode: Connect registers webhooks per product');
				}
				const transport = await Transport.for(this, CONNECT);
				const data = this.getWorkflowStaticData('node');
				// Registrations of ours that no longer fit are replaced, never added to.
				for (const id of (data.webhookIds as string[] | undefined) ?? []) {
					await transport.request({ method: 'DELETE', path: pathOf('/notifications/webhooks/{id}', { id }), allowNotFound: true });
				}
				const secret = `JWT-${randomBytes(32).toString('hex')}`;
				const ids: string[] = [];
				for (const product of s.products) {
					const created = (
						await transport.request({
							method: 'POST',
							path: '/notifications/webhooks',
							body: {
								label: `n8n: ${this.getWorkflow().name ?? this.getWorkflow().id} (${s.event})`.slice(0, 100),
								description: 'Created by the n8n CloudBlue Connect Trigger; removed when the workflow is deactivated',
								object_class: s.spec.objectClass,
								type: 'event',
								product_id: product,
								external_url: this.getNodeWebhookUrl('default'),
								jwt_secret: secret,
								active: true,
								http_method: 'POST',
								data: {},
								headers: { 'Content-Type': 'application/json' },
							},
						})
					).body as IDataObject;
					ids.push(String(created.id));
				}
				data.webhookIds = ids;
				data.webhookSecret = secret;
				// Deliveries emit only what changed after this moment (no flood of older requests).
				data.registeredAt = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const ids = (data.webhookIds as string[] | undefined) ?? [];
				const transport = await Transport.for(this, CONNECT);
				for (const id of ids) {
					// Already gone (404) is what we want; anything else is reported.
					await transport.request({
						method: 'DELETE',
						path: pathOf('/notifications/webhooks/{id}', { id }),
						allowNotFound: true,
					});
				}
				delete data.webhookIds;
				delete data.webhookSecret;
				delete data.registeredAt;
				return true;
			},
		},
	};

	/**
	 * A delivery: checked by its HS256 JWT, then the objects it announces are listed and those
	 * that changed since the previous successful delivery (or since registration) are emitted.
	 * n8n does not keep what a webhook() writes to static data between deliveries, so this works
	 * without stored state; a replayed token is refused by this process's memory of the tokens it
	 * accepted (until they expire).
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const data = this.getWorkflowStaticData('node');
		const secret = data.webhookSecret as string | undefined;
		const header = String(this.getHeaderData().authentication ?? '');
		const token = header.replace(/^Bearer\s+/i, '');
		const check = secret && token ? verifyHs256(token, secret) : { ok: false as const, reason: 'missing token' };
		if (!check.ok) return refuse(this, 401, 'Unauthorized');
		// A token is good for one delivery: a replay of it is refused (within its lifetime).
		const exp = typeof check.claims.exp === 'number' ? check.claims.exp * 1000 - Date.now() : undefined;
		if (!firstSighting(deliveryKey('connect', this.getNode().id, check.signature), exp)) return refuse(this, 401, 'Unauthorized');
		const body = this.getBodyData() as IDataObject;
		if (tooLarge(this, body)) return refuse(this, 413, 'Delivery too large');
		const s = settings(this);
		// Connect's samples show the class both singular and plural (fulfillment_requests).
		const objectClass = typeof body.object_class === 'string' ? body.object_class.replace(/s$/, '') : undefined;
		if (objectClass && objectClass !== s.spec.objectClass) return { workflowData: [[]] };
		const product = typeof body.product_id === 'string' ? body.product_id.toUpperCase() : undefined;
		const registered = Date.parse(String(data.registeredAt ?? '')) || 0;
		const lastSuccess = Date.parse(String(body.last_success_at ?? '')) || 0;
		const since = Math.max(registered, lastSuccess);
		// Deliveries only announce; list the objects they are about.
		const transport = await Transport.for(this, CONNECT);
		const records = await newest(transport, s, STATUS_PAGE, product ? [product] : s.products);
		const fresh = records.filter((r) => (Date.parse(s.spec.time(r)) || 0) >= since).reverse();
		return { workflowData: [output(s, fresh)] };
	}
}
