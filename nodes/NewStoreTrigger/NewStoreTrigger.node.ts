import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { humanize } from '../shared/props';
import { pathOf, Transport } from '../shared/transport';
import { EVENT_STREAM_PATH } from '../NewStore/resources/eventStream';
import { NEWSTORE } from '../NewStore/vendor';
import { deliveryKey, firstSighting, refuse, tooLarge } from '../shared/deliveries';
import { newSecret, sameSecret } from '../shared/secrets';
import { integrationIdOf, NEWSTORE_EVENTS } from './events';

/** The event names this trigger emits; empty means every event. */
function wantedEvents(ctx: IWebhookFunctions): Set<string> {
	const chosen = (ctx.getNodeParameter('events', []) as string[]) ?? [];
	const custom = String(ctx.getNodeParameter('customEvents', '') ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	return new Set([...chosen, ...custom]);
}

const pathOfIntegration = (id: string, suffix = '') => `${EVENT_STREAM_PATH}/${pathOf('{id}', { id })}${suffix}`;

export class NewStoreTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'NewStore Trigger',
		name: 'newStoreTrigger',
		icon: { light: 'file:newstore.svg', dark: 'file:newstore.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ") || "all events"}}',
		description: 'Starts the workflow when NewStore publishes an event on its event stream',
		defaults: { name: 'NewStore Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'newStoreApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					'On activation this node registers and starts an event stream integration in NewStore that sends events to this workflow; on deactivation it stops it',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: NEWSTORE_EVENTS.map((name) => ({ name: humanize(name.replace('.', ' ')), value: name, description: name })),
				default: [],
				description: 'Events that start the workflow; leave empty (and Custom Event Names empty) for all. Other events are acknowledged and dropped.',
			},
			{
				displayName: 'Custom Event Names',
				name: 'customEvents',
				type: 'string',
				default: '',
				placeholder: 'order.items_returned, appeasement.created',
				description: 'More event names, comma-separated, exactly as NewStore sends them',
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const id = data.integrationId as string | undefined;
				if (!id || !data.apiKey) return false;
				const transport = await Transport.for(this, NEWSTORE);
				const found = await transport.request({ method: 'GET', path: pathOfIntegration(id), allowNotFound: true });
				if (found.status === 404) return false;
				const integration = (found.body ?? {}) as IDataObject;
				const callback = (integration.callback_parameters ?? {}) as IDataObject;
				const keyMatches = callback.api_key === undefined || callback.api_key === data.apiKey;
				return integration.status === 'running' && callback.callback_url === this.getNodeWebhookUrl('default') && keyMatches;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const id = integrationIdOf(this.getWorkflow().id ?? 'workflow', this.getNode().id);
				const url = this.getNodeWebhookUrl('default') as string;
				const transport = await Transport.for(this, NEWSTORE);
				const found = await transport.request({ method: 'GET', path: pathOfIntegration(id), allowNotFound: true });
				if (found.status !== 404) {
					const callback = ((found.body as IDataObject)?.callback_parameters ?? {}) as IDataObject;
					const ours = callback.callback_url === url && !!data.apiKey && data.integrationId === id;
					if (ours && (callback.api_key === undefined || callback.api_key === data.apiKey)) {
						// Our own integration, stopped at deactivation: start it again.
						await transport.request({ method: 'POST', path: pathOfIntegration(id, '/_start'), body: {}, idempotent: true });
						return true;
					}
					// Another URL or a key we no longer know: there is no update, so replace it.
					await transport.request({ method: 'DELETE', path: pathOfIntegration(id), allowNotFound: true });
				}
				const apiKey = newSecret();
				const created = await transport.request({
					method: 'POST',
					path: EVENT_STREAM_PATH,
					body: { id, integration_type: 'permanent', callback_parameters: { callback_url: url, api_key: apiKey } },
				});
				data.integrationId = id;
				data.apiKey = apiKey;
				if ((created.body as IDataObject | undefined)?.status !== 'running') {
					await transport.request({ method: 'POST', path: pathOfIntegration(id, '/_start'), body: {}, idempotent: true });
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const id = data.integrationId as string | undefined;
				if (!id) return true;
				const transport = await Transport.for(this, NEWSTORE);
				// Stopped, not deleted: activating again starts the same integration.
				await transport.request({ method: 'POST', path: pathOfIntegration(id, '/_stop'), body: {}, idempotent: true, allowNotFound: true });
				return true;
			},
		},
	};

	/**
	 * A delivery: `Authorization: Bearer <key>` must carry the key registered with the
	 * integration (else 401, no execution). Events not chosen are acknowledged and dropped.
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const data = this.getWorkflowStaticData('node');
		const stored = typeof data.apiKey === 'string' ? data.apiKey : '';
		const header = String(this.getHeaderData().authorization ?? '');
		const presented = /^Bearer\s+(.+)$/i.exec(header.trim())?.[1] ?? '';
		if (!stored || !presented || !sameSecret(presented, stored)) return refuse(this, 401, 'Unauthorized');
		const body = this.getBodyData() as IDataObject;
		if (tooLarge(this, body)) return refuse(this, 413, 'Delivery too large');
		if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.name !== 'string' || !body.name) {
			return refuse(this, 400, 'Expected a NewStore event: {tenant, name, published_at, payload}');
		}
		const wanted = wantedEvents(this);
		if (wanted.size && !wanted.has(body.name)) {
			return { webhookResponse: { received: true, ignored: true } };
		}
		// NewStore delivers at least once: a repeat of a delivery already accepted is acknowledged
		// (an error would interrupt the stream) but starts nothing.
		if (!firstSighting(deliveryKey('newstore', this.getNode().id, body))) {
			return { webhookResponse: { received: true, duplicate: true } };
		}
		const event: IDataObject = {
			name: body.name,
			published_at: body.published_at ?? null,
			tenant: body.tenant ?? null,
			payload: (body.payload ?? {}) as IDataObject,
		};
		return { workflowData: [this.helpers.returnJsonArray(event)] };
	}
}
