import { op, type Resource } from '../../shared/operation';
import { describe, type Params } from '../../shared/params';
import { boolean, choice, collection, date, number, text } from '../../shared/props';
import { pathOf } from '../../shared/transport';
import { idField } from '../fields';
import { v2 } from '../vendor';
import { hideAuthorization, topicProperties, webhookExtras, webhookTopics } from '../webhooks';

const STATUSES = ['FAILED', 'PENDING', 'RETRYING', 'SUCCESS'].map((value) => ({ name: value[0] + value.slice(1).toLowerCase(), value }));

const webhookId = idField('webhookId', 'Webhook ID');
const webhookPath = (p: Params, suffix = '') => pathOf(v2(`/webhooks/{id}${suffix}`), { id: p.required('webhookId', 'uuid') });

const url = (value: unknown, fail: (problem: string) => never) => {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!/^https:\/\/\S+$/i.test(text) && !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/\S*$/i.test(text)) {
		return fail(`must be an https URL Pax8 can reach, got ${describe(value)}`);
	}
	return text.replace(/^https?/i, (scheme) => scheme.toLowerCase());
};

/**
 * A topic name as it goes into a path: not `.`/`..` (which the URL would resolve to another
 * path) and no half of a UTF-16 surrogate pair (which cannot be URL-encoded).
 */
const topicName = (value: unknown, fail: (problem: string) => never) => {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text || text === '.' || text === '..' || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) {
		return fail(`must be a topic name such as INVOICE, got ${describe(value)}`);
	}
	return text;
};

/** Pax8 webhooks API v2: manage webhooks and their deliveries (the Pax8 Trigger manages its own). */
export const webhook: Resource = {
	value: 'webhook',
	name: 'Webhook',
	operations: [
		op({
			value: 'create',
			name: 'Create',
			action: 'Create a webhook',
			properties: [
				text('Display Name', 'displayName', { required: true }),
				text('URL', 'url', { required: true, placeholder: 'https://example.com/pax8-events' }),
				...topicProperties(),
				collection('additionalFields', [
					boolean('Active', 'active', { default: true, description: 'Whether deliveries start at once (Pax8 defaults to inactive)' }),
					text('Authorization', 'authorization', {
						typeOptions: { password: true },
						description: 'Sent back by Pax8 as the Authorization header of every delivery',
					}),
					text('Contact Email', 'contactEmail', { placeholder: 'name@email.com', description: 'Told when deliveries keep failing' }),
					number('Error Threshold', 'errorThreshold', { default: 3, typeOptions: { minValue: 0, maxValue: 20 } }),
				]),
			],
			request: (p) => {
				const extra = webhookExtras(p, 'additionalFields');
				return {
					method: 'POST',
					path: v2('/webhooks'),
					body: {
						displayName: p.required('displayName'),
						url: p.required('url', url),
						active: extra.active ?? true,
						webhookTopics: webhookTopics(p),
						...(extra.authorization ? { authorization: extra.authorization } : {}),
						...(extra.contactEmail ? { contactEmail: extra.contactEmail } : {}),
						...(extra.errorThreshold !== undefined ? { errorThreshold: extra.errorThreshold } : {}),
					},
				};
			},
			normalize: hideAuthorization,
		}),
		op({
			value: 'delete',
			name: 'Delete',
			action: 'Delete a webhook',
			properties: [webhookId],
			request: (p) => ({ method: 'DELETE', path: webhookPath(p) }),
			empty: (p) => ({ deleted: true, id: p.raw('webhookId') as string }),
		}),
		op({
			value: 'get',
			name: 'Get',
			action: 'Get a webhook',
			properties: [webhookId],
			request: (p) => ({ method: 'GET', path: webhookPath(p) }),
			normalize: hideAuthorization,
		}),
		op({
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many webhooks',
			paginate: true,
			properties: [
				collection('filters', [
					boolean('Active', 'active'),
					choice('Last Delivery Status', 'status', STATUSES, { default: 'FAILED' }),
					text('Query', 'query', { description: 'Text to look for in the webhooks' }),
					text('Topic', 'topic', { placeholder: 'INVOICE' }),
				]),
			],
			request: (p) => ({ method: 'GET', path: v2('/webhooks'), qs: p.collection('filters', { active: 'boolean' }) }),
			normalize: hideAuthorization,
		}),
		op({
			value: 'getLogs',
			name: 'Get Logs',
			action: 'Get the delivery logs of a webhook',
			paginate: true,
			properties: [
				webhookId,
				collection('filters', [
					date('End Date', 'endDate'),
					text('Query', 'query'),
					date('Start Date', 'startDate'),
					choice('Status', 'status', STATUSES, { default: 'FAILED' }),
					text('Topic Name', 'topicName', { placeholder: 'INVOICE' }),
				]),
			],
			request: (p) => ({
				method: 'GET',
				path: webhookPath(p, '/logs'),
				qs: p.collection('filters', { startDate: 'dateTime', endDate: 'dateTime' }),
			}),
		}),
		op({
			value: 'retryDelivery',
			name: 'Retry Delivery',
			action: 'Retry a webhook delivery',
			description: 'Ask Pax8 to send a logged delivery again',
			properties: [webhookId, idField('logId', 'Log ID', 'From Get Logs')],
			request: (p) => ({ method: 'POST', path: pathOf(`${webhookPath(p, '/logs')}/{log}/retry`, { log: p.required('logId', 'uuid') }) }),
			empty: (p) => ({ success: true, id: p.raw('logId') as string }),
		}),
		op({
			value: 'sendTestEvent',
			name: 'Send Test Event',
			action: 'Send a test event to a webhook',
			description: 'Pax8 sends the topic\'s sample payload to the webhook URL at once',
			properties: [webhookId, text('Topic', 'testTopic', { required: true, placeholder: 'INVOICE', description: 'A topic the webhook subscribes to' })],
			request: (p) => ({
				method: 'POST',
				path: pathOf(`${webhookPath(p, '/topics')}/{topic}/test`, { topic: p.required('testTopic', topicName) }),
			}),
			normalize: hideAuthorization,
		}),
	],
};
