import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { PAX8, v2 } from '../Pax8/vendor';
import { getTopicActions, getTopics, topicProperties, webhookExtras, webhookTopics } from '../Pax8/webhooks';
import { labelsOf, Params } from '../shared/params';
import { selectNew, startAt, type PollState } from '../shared/pollState';
import { boolean, choice, collection, number, text } from '../shared/props';
import { deliveryKey, firstSighting, refuse, tooLarge } from '../shared/deliveries';
import { newSecret, sameSecret } from '../shared/secrets';
import { pathOf, Transport } from '../shared/transport';
import { pollEvents, type PollEvent } from './polling';

const show = (mode: string) => ({ displayOptions: { show: { mode: [mode] } } });

/**
 * Secrets of this process's registrations, by workflow and node. n8n keeps a test webhook's
 * static data only after create() returns, and the sample Pax8 sends on "Listen for test
 * event" can arrive before that: the secret is found here meanwhile.
 */
const registered = new Map<string, Array<{ webhookId: string; secret: string; url: string }>>();

/**
 * The latest delivery per workflow and node. n8n runs a manual execution of a node that can
 * poll through poll(), even when a (test) webhook delivery started it: poll() answers with it.
 */
const lastDelivery = new Map<string, IDataObject>();

const keyOf = (ctx: IHookFunctions | IWebhookFunctions | IPollFunctions) => `${ctx.getWorkflow().id}:${ctx.getNode().id}`;

/** The trigger's output for a delivery (or a topic's sample payload). */
function eventOf(body: IDataObject): IDataObject {
	const topicEntry = (body.webhookTopic ?? {}) as IDataObject;
	const payload = (body.payloadData ?? {}) as IDataObject;
	const filters = (topicEntry.filters ?? []) as IDataObject[];
	const action = (typeof payload.action === 'string' && payload.action) || (filters.length === 1 ? filters[0].action : null) || null;
	return {
		topic: topicEntry.topic as string,
		action: action as string | null,
		sentAt: (body.sentAt as string) ?? null,
		webhookId: (body.webhookId as string) ?? null,
		accountId: (body.accountId as string) ?? null,
		payload,
	};
}

/** Options of webhook mode. */
const WEBHOOK_OPTIONS = collection('options', [
	text('Contact Email', 'contactEmail', { placeholder: 'name@email.com', description: 'Pax8 writes here when deliveries keep failing' }),
	number('Error Threshold', 'errorThreshold', { default: 3, typeOptions: { minValue: 0, maxValue: 20 }, description: 'Retries of a failed delivery' }),
	boolean('Send Test Event When Listening', 'sendTestEvent', {
		default: true,
		description: 'Whether "Listen for test event" in the editor asks Pax8 to send the topic\'s sample payload at once',
	}),
]);

/** Display names for messages about the webhook parameters. */
const WEBHOOK_LABELS = labelsOf([...topicProperties(), WEBHOOK_OPTIONS]);

export class Pax8Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pax8 Trigger',
		name: 'pax8Trigger',
		icon: { light: 'file:pax8.svg', dark: 'file:pax8.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["mode"] === "webhook" ? $parameter["topic"] : $parameter["event"]}}',
		description: 'Starts a workflow when something happens in your Pax8 account',
		defaults: { name: 'Pax8 Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pax8Api', required: true }],
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
			choice(
				'Mode',
				'mode',
				[
					{ name: 'Webhook', value: 'webhook', description: 'Pax8 notifies n8n (webhooks API v2; needs a URL Pax8 can reach)' },
					{ name: 'Polling', value: 'polling', description: 'Ask Pax8 on the schedule below (for accounts without webhook access)' },
				],
				{ default: 'webhook' },
			),
			...topicProperties().map((property) => ({ ...property, ...show('webhook') })),
			{ ...WEBHOOK_OPTIONS, ...show('webhook') },
			choice(
				'Event',
				'event',
				[
					{ name: 'New Order', value: 'newOrder' },
					{ name: 'New or Changed Subscription', value: 'subscription', description: 'New subscriptions and changes of status or quantity' },
					{ name: 'New Invoice', value: 'newInvoice' },
				],
				{ default: 'newOrder', ...show('polling') },
			),
			text('Company ID', 'companyId', { description: 'Only this company (empty: all companies)', ...show('polling') }),
			{
				displayName: 'Watch',
				name: 'watch',
				type: 'multiOptions',
				options: [
					{ name: 'Quantity', value: 'quantity' },
					{ name: 'Status', value: 'status' },
				],
				default: ['quantity', 'status'],
				description: 'Which changes of a subscription start the workflow (new subscriptions always do)',
				displayOptions: { show: { mode: ['polling'], event: ['subscription'] } },
			},
		],
	};

	methods = { loadOptions: { getTopics, getTopicActions } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const manual = this.getMode() === 'manual';
		// In webhook mode n8n still schedules polls (Poll Times is added to every polling node): they do nothing.
		if (this.getNodeParameter('mode') !== 'polling' && !manual) return null;
		if (this.getNodeParameter('mode') !== 'polling') {
			// A manual run in webhook mode: the delivery that started it, else the topic's sample.
			const topic = String(this.getNodeParameter('topic', '') ?? '');
			const delivered = lastDelivery.get(keyOf(this));
			if (delivered && delivered.topic === topic) return [this.helpers.returnJsonArray(delivered)];
			const transport = await Transport.for(this, PAX8, { maxRetries: 1 });
			const response = await transport.request({ method: 'GET', path: v2('/webhooks/topic-definitions'), qs: { topic, page: 0, size: 10 } });
			const definitions = (((response.body ?? {}) as IDataObject).content ?? []) as IDataObject[];
			const sample = definitions.find((d) => d.topic === topic)?.samplePayload as IDataObject | undefined;
			return sample ? [this.helpers.returnJsonArray(eventOf(sample))] : null;
		}
		const event = pollEvents[this.getNodeParameter('event', 'newOrder') as string] as PollEvent | undefined;
		if (!event) throw new NodeOperationError(this.getNode(), 'Parameter "Event" is not known');
		const companyId = String(this.getNodeParameter('companyId', '') ?? '').trim();
		if (companyId && !/^[0-9a-f-]{36}$/i.test(companyId)) {
			throw new NodeOperationError(this.getNode(), `Parameter "Company ID" must be a UUID, got "${companyId.slice(0, 60)}"`);
		}
		const transport = await Transport.for(this, PAX8);
		const data = this.getWorkflowStaticData('node');
		const cursor = (data.state as PollState | undefined)?.cursor;
		const records = await event.fetch(transport, { companyId: companyId || undefined, since: manual ? undefined : cursor });
		const out = (list: IDataObject[]) => (list.length ? [this.helpers.returnJsonArray(list)] : null);
		if (event.kind === 'snapshot') {
			const watch = (this.getNodeParameter('watch', ['quantity', 'status']) as string[]) ?? [];
			const previous = data.snapshot as Record<string, string> | undefined;
			const { fresh, snapshot } = event.diff(previous, records, watch);
			if (manual) return out(records.slice(-1));
			data.snapshot = snapshot;
			return previous ? out(fresh) : null;
		}
		const state = data.state as PollState | undefined;
		if (manual) return out(records.slice(-1));
		if (!state) {
			// First activation: start after what exists now instead of replaying history.
			data.state = startAt(records, event.key, event.time) as unknown as IDataObject;
			return null;
		}
		const { fresh, state: next } = selectNew(state, records, event.key, event.time);
		data.state = next as unknown as IDataObject;
		return out(fresh);
	}

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const id = data.webhookId as string | undefined;
				if (!id || !data.secret) return false;
				const transport = await Transport.for(this, PAX8);
				const found = await transport.request({ method: 'GET', path: v2(pathOf('/webhooks/{id}', { id })), allowNotFound: true });
				if (found.status === 404) return false;
				const webhook = (found.body ?? {}) as IDataObject;
				const topics = ((webhook.webhookTopics ?? []) as IDataObject[]).map((t) => t.topic);
				return webhook.url === this.getNodeWebhookUrl('default') && webhook.active === true && topics.includes(this.getNodeParameter('topic'));
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				// Parameters are checked, as the Pax8 node's Webhook → Create checks them, before
				// anything is sent to Pax8 (a token request included).
				const params = Params.forTrigger(this, WEBHOOK_LABELS);
				const topics = webhookTopics(params);
				const options = webhookExtras(params, 'options');
				const transport = await Transport.for(this, PAX8);
				if (data.webhookId) {
					// A registration of ours that no longer fits (URL, topic, or stopped): replace it, never add a second.
					await transport.request({ method: 'DELETE', path: v2(pathOf('/webhooks/{id}', { id: String(data.webhookId) })), allowNotFound: true });
				}
				const secret = newSecret();
				const workflow = this.getWorkflow();
				const body: IDataObject = {
					displayName: `n8n: ${workflow.name ?? workflow.id} (${this.getNode().name})`.slice(0, 120),
					url: this.getNodeWebhookUrl('default'),
					authorization: secret,
					active: true,
					webhookTopics: topics,
				};
				if (options.contactEmail) body.contactEmail = options.contactEmail;
				if (options.errorThreshold !== undefined) body.errorThreshold = options.errorThreshold;
				const created = (await transport.request({ method: 'POST', path: v2('/webhooks'), body })).body as IDataObject;
				data.webhookId = String(created.id);
				data.secret = secret;
				data.webhookUrl = body.url;
				const others = (registered.get(keyOf(this)) ?? []).filter((r) => r.url !== body.url);
				registered.set(keyOf(this), [...others, { webhookId: data.webhookId, secret, url: String(body.url) }]);
				if (this.getMode() === 'manual' && options.sendTestEvent !== false) {
					// "Listen for test event": ask Pax8 for the topic's sample delivery right away.
					const topic = String(topics[0].topic);
					await transport
						.request({ method: 'POST', path: v2(pathOf('/webhooks/{id}/topics/{topic}/test', { id: data.webhookId, topic })) })
						.catch((error: Error) => this.logger.warn(`Pax8 did not send a test event: ${error.message}`));
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const url = this.getNodeWebhookUrl('default');
				const list = registered.get(keyOf(this)) ?? [];
				// A test registration may end before n8n keeps its static data: this process knows it.
				const mine = list.find((r) => r.url === url);
				const stored = data.webhookId && (data.webhookUrl === undefined || data.webhookUrl === url) ? String(data.webhookId) : undefined;
				const id = mine?.webhookId ?? stored;
				if (id) {
					const transport = await Transport.for(this, PAX8);
					// Already gone (404) is what we want; anything else is reported.
					await transport.request({ method: 'DELETE', path: v2(pathOf('/webhooks/{id}', { id })), allowNotFound: true });
				}
				registered.set(keyOf(this), list.filter((r) => r !== mine));
				if (!data.webhookId || data.webhookId === id) {
					delete data.webhookId;
					delete data.secret;
					delete data.webhookUrl;
				}
				return true;
			},
		},
	};

	/**
	 * A delivery: Pax8 does not sign deliveries, it sends back the authorization string the
	 * webhook was registered with. Anything else gets 401 and starts nothing.
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const data = this.getWorkflowStaticData('node');
		const secrets = [data.secret, ...(registered.get(keyOf(this)) ?? []).map((r) => r.secret)].filter(
			(v): v is string => typeof v === 'string' && v !== '',
		);
		const presented = String(this.getHeaderData().authorization ?? '').trim();
		if (!presented || !secrets.some((secret) => sameSecret(presented, secret))) return refuse(this, 401, 'Unauthorized');
		const body = this.getBodyData() as IDataObject;
		if (tooLarge(this, body)) return refuse(this, 413, 'Delivery too large');
		const topicEntry = (body?.webhookTopic ?? {}) as IDataObject;
		if (!body || typeof body !== 'object' || Array.isArray(body) || typeof topicEntry.topic !== 'string') {
			return refuse(this, 400, 'Expected a Pax8 webhook delivery: {webhookTopic, payloadData, sentAt, …}');
		}
		// Pax8 retries deliveries it thinks failed: a repeat of one already accepted is
		// acknowledged (so Pax8 stops) but starts nothing.
		if (!firstSighting(deliveryKey('pax8', this.getNode().id, body))) {
			return { webhookResponse: { received: true, duplicate: true } };
		}
		const event = eventOf(body);
		lastDelivery.set(keyOf(this), event);
		return { workflowData: [this.helpers.returnJsonArray(event)] };
	}
}

