import type { IDataObject } from 'n8n-workflow';

import { op, type Resource } from '../../shared/operation';
import { describe, type Params } from '../../shared/params';
import { collection, date, text } from '../../shared/props';
import { pathOf } from '../../shared/transport';
import { integrationLocator, pathId } from '../fields';

export const EVENT_STREAM_PATH = '/api/v1/org/integrations/eventstream';

/** The callback API key authenticates deliveries: never put it into output. */
export function hideApiKey(integration: IDataObject): IDataObject {
	const callback = integration.callback_parameters as IDataObject | undefined;
	if (!callback || typeof callback !== 'object' || callback.api_key === undefined) return integration;
	return { ...integration, callback_parameters: { ...callback, api_key: '[hidden]' } };
}

const integrationPath = (p: Params, suffix = '') =>
	pathOf(`${EVENT_STREAM_PATH}/{id}${suffix}`, { id: p.required('integrationId', pathId) });

const callbackUrl = (value: unknown, fail: (problem: string) => never) => {
	const url = typeof value === 'string' ? value.trim() : '';
	if (!/^https?:\/\/[^\s]+$/i.test(url)) return fail(`must be an http(s) URL, got ${describe(value)}`);
	// NewStore checks the scheme case-sensitively (`^https?://`).
	return url.replace(/^https?/i, (scheme) => scheme.toLowerCase());
};

const action = (value: 'start' | 'stop', name: string, actionText: string) =>
	op({
		value,
		name,
		action: actionText,
		properties: [integrationLocator()],
		request: (p) => ({ method: 'POST', path: integrationPath(p, `/_${value}`), body: {}, idempotent: true }),
		empty: (p) => ({ success: true, id: p.raw('integrationId') as string }),
		normalize: hideApiKey,
	});

/** Event stream webhook integrations (the NewStore Trigger manages its own). */
export const eventStream: Resource = {
	value: 'eventStream',
	name: 'Event Stream Integration',
	operations: [
		op({
			value: 'create',
			name: 'Create',
			action: 'Create an event stream integration',
			description: 'Register a webhook that receives the event stream; NewStore starts it at once',
			properties: [
				text('Integration ID', 'id', { required: true, placeholder: 'erp-orders', description: 'Your name for it, unique in the tenant' }),
				text('Callback URL', 'callbackUrl', { required: true, placeholder: 'https://example.com/newstore-events' }),
				text('Callback API Key', 'apiKey', {
					required: true,
					typeOptions: { password: true },
					description: 'NewStore sends it as "Authorization: Bearer <key>" with every delivery',
				}),
				collection('additionalFields', [
					date('Starts At', 'startsAt', { description: 'Replay events from this time (makes a temporary integration with Ends At)' }),
					date('Ends At', 'endsAt'),
					text('Filter Conditions (JSON)', 'filterConditions', { description: 'Raw filter_conditions object as NewStore documents it' }),
				]),
			],
			request: (p) => {
				const extra = p.collection('additionalFields', { startsAt: 'dateTime', endsAt: 'dateTime', filterConditions: 'json' });
				const body: IDataObject = {
					id: p.required('id', pathId),
					integration_type: extra.endsAt ? 'temporary' : 'permanent',
					callback_parameters: { callback_url: p.required('callbackUrl', callbackUrl), api_key: p.required('apiKey') },
				};
				if (extra.startsAt) body.starts_at = extra.startsAt;
				if (extra.endsAt) body.ends_at = extra.endsAt;
				if (extra.filterConditions) body.filter_conditions = extra.filterConditions;
				return { method: 'POST', path: EVENT_STREAM_PATH, body };
			},
			empty: (p) => ({ success: true, id: p.raw('id') as string }),
			normalize: hideApiKey,
		}),
		op({
			value: 'delete',
			name: 'Delete',
			action: 'Delete an event stream integration',
			properties: [integrationLocator()],
			request: (p) => ({ method: 'DELETE', path: integrationPath(p) }),
			empty: (p) => ({ deleted: true, id: p.raw('integrationId') as string }),
		}),
		op({
			value: 'get',
			name: 'Get',
			action: 'Get an event stream integration',
			properties: [integrationLocator()],
			request: (p) => ({ method: 'GET', path: integrationPath(p) }),
			normalize: hideApiKey,
		}),
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Get event stream integrations',
			clientLimit: true,
			itemsKey: 'integrations',
			request: () => ({ method: 'GET', path: EVENT_STREAM_PATH }),
			normalize: hideApiKey,
		}),
		action('start', 'Start', 'Start an event stream integration'),
		action('stop', 'Stop', 'Stop an event stream integration'),
	],
};
