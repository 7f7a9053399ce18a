import type { IDataObject, ILoadOptionsFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { describe, textOf, type Params } from '../shared/params';
import { humanize } from '../shared/props';
import { Transport } from '../shared/transport';
import { PAX8, v2 } from './vendor';

/**
 * Topics and actions when the topic definitions cannot be read (no webhook access yet, or
 * offline): the ones Pax8 documents. The live list from `/webhooks/topic-definitions` wins.
 */
export const FALLBACK_TOPICS: Record<string, { name: string; actions: string[] }> = {
	COMPANY: { name: 'Company', actions: ['CREATED', 'UPDATED'] },
	INVOICE: { name: 'Invoice', actions: ['CREATED'] },
	ORDER: { name: 'Order', actions: ['CREATED'] },
	PRODUCT: { name: 'Product', actions: ['CREATED', 'UPDATED'] },
	SUBSCRIPTION: { name: 'Subscription', actions: ['CREATED', 'UPDATED', 'CANCELLED'] },
};

const OPERATORS = ['CONTAINS', 'EQUALS', 'GREATER_THAN', 'IN', 'LESS_THAN', 'NOT_EQUALS', 'NOT_IN'];

/** The topic definitions, or the fallback list when Pax8 cannot be asked. */
async function topicDefinitions(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	try {
		const transport = await Transport.for(ctx, PAX8, { maxRetries: 1 });
		const response = await transport.request({ method: 'GET', path: v2('/webhooks/topic-definitions'), qs: { page: 0, size: 100 } });
		const content = ((response.body ?? {}) as IDataObject).content;
		if (Array.isArray(content) && content.length) return content as IDataObject[];
	} catch {
		// Fall through to the documented topics.
	}
	return Object.entries(FALLBACK_TOPICS).map(([topic, { name, actions }]) => ({
		topic,
		name,
		availableFilters: actions.map((action) => ({ action, actionDisplayName: humanize(action.toLowerCase()) })),
	}));
}

export async function getTopics(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await topicDefinitions(this))
		.map((d) => ({ name: String(d.name ?? d.topic), value: String(d.topic), description: d.description as string | undefined }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getTopicActions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const topic = String(this.getCurrentNodeParameter('topic') ?? '');
	const definition = (await topicDefinitions(this)).find((d) => d.topic === topic);
	const filters = (definition?.availableFilters ?? []) as IDataObject[];
	return filters
		.map((f) => ({ name: String(f.actionDisplayName ?? humanize(String(f.action).toLowerCase())), value: String(f.action) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Topic, actions and filter conditions of a webhook registration. */
export function topicProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Topic Name or ID',
			name: 'topic',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getTopics' },
			default: '',
			required: true,
			description:
				'What the webhook is about, from Pax8\'s topic definitions. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Action Names or IDs',
			name: 'actions',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getTopicActions', loadOptionsDependsOn: ['topic'] },
			default: [],
			description:
				'Actions of the topic that are delivered; none selected means all. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Conditions',
			name: 'conditions',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Condition',
			default: {},
			description: 'Only deliver events whose data meets all conditions (fields as in the topic definition, e.g. companyId)',
			options: [
				{
					displayName: 'Condition',
					name: 'condition',
					values: [
						{ displayName: 'Field', name: 'field', type: 'string', default: '', placeholder: 'companyId' },
						{
							displayName: 'Operator',
							name: 'operator',
							type: 'options',
							options: OPERATORS.map((value) => ({ name: humanize(value.toLowerCase()), value })),
							default: 'EQUALS',
						},
						{ displayName: 'Values', name: 'values', type: 'string', default: '', description: 'Comma-separated' },
					],
				},
			],
		},
	];
}

/** Contact Email and Error Threshold of a webhook (children of `collectionName`), checked. */
export function webhookExtras(p: Params, collectionName: string): IDataObject {
	const extra = p.collection(collectionName, { contactEmail: 'email', errorThreshold: 'integer' });
	const threshold = extra.errorThreshold as number | undefined;
	if (threshold !== undefined && (threshold > 20 || threshold < 0)) p.fail(`${collectionName}.errorThreshold`, 'must be between 0 and 20');
	return extra;
}

/** `webhookTopics[]` from the topic parameters (conditions apply to every chosen action). */
/**
 * Read through `Params`: the Pax8 node's (one item) or the Pax8 Trigger's (`Params.forTrigger`,
 * messages without an item), so both check the same way.
 */
export function webhookTopics(p: Params): IDataObject[] {
	// Text only: an expression giving an object is refused, not sent as "[object Object]".
	const given = p.raw('topic', '');
	const topic = textOf(given)?.trim() ?? p.fail('topic', `must be text, got ${describe(given)}`);
	if (!topic) p.fail('topic', 'is required');
	const actions = p.raw('actions', []) ?? [];
	if (!Array.isArray(actions)) p.fail('actions', `must be a list of action names, got ${describe(actions)}`);
	const badAction = actions.find((action) => typeof action !== 'string' || !action.trim());
	if (badAction !== undefined) p.fail('actions', `must hold action names only, got ${describe(badAction)}`);
	const rows = (((p.raw('conditions', {}) as IDataObject) ?? {}).condition ?? []) as IDataObject[];
	if (!Array.isArray(rows)) p.fail('conditions', `must be a list of conditions, got ${describe(rows)}`);
	const conditions = rows.map((row, index) => {
		if (typeof row !== 'object' || row === null || Array.isArray(row)) p.fail('conditions', `must hold conditions only, got ${describe(row)}`);
		const text = (name: string) =>
			textOf(row[name]) ?? p.fail(`conditions.${name}`, `must be text in condition ${index + 1}, got ${describe(row[name])}`);
		const field = text('field').trim();
		if (!field) p.fail('conditions.field', `is empty in condition ${index + 1}`);
		const values = text('values')
			.split(',')
			.map((v) => v.trim())
			.filter(Boolean);
		if (!values.length) p.fail('conditions.values', `is empty in condition ${index + 1}`);
		return { field, operator: text('operator') || 'EQUALS', value: values };
	});
	if (conditions.length && !actions.length) {
		p.fail('actions', 'must name at least one action when conditions are set (Pax8 attaches conditions to actions)');
	}
	return [{ topic, filters: (actions as string[]).map((action) => ({ action, conditions })) }];
}

/** The authorization string authenticates deliveries: never put it into output. */
export function hideAuthorization(webhook: IDataObject): IDataObject {
	const out = webhook.authorization === undefined ? webhook : { ...webhook, authorization: '[hidden]' };
	if (out.webhook && typeof out.webhook === 'object') return { ...out, webhook: hideAuthorization(out.webhook as IDataObject) };
	return out;
}
