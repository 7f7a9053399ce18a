import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { Operation, Resource } from './operation';
import type { VendorPolicy } from './types';

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

export function returnAllProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

/** Every property an operation shows, including the ones the executor adds. */
export function operationProperties(operation: Operation): INodeProperties[] {
	return [
		...(operation.properties ?? []),
		...(operation.paginate || operation.clientLimit ? returnAllProperties() : []),
		...(operation.simplify ? [simplifyProperty] : []),
	];
}

/** Node-wide Options: concurrency, retries, rate limit and timeout. */
export function requestOptionsProperty(vendor: VendorPolicy): INodeProperties {
	const perMinute = vendor.rateLimit.intervalMs >= 60_000;
	const unit = perMinute ? 'Minute' : 'Second';
	const maxRetries = vendor.retry.maxRetries;
	const defaultRate = perMinute
		? Math.round((vendor.rateLimit.calls * 60_000) / vendor.rateLimit.intervalMs)
		: Math.round((vendor.rateLimit.calls * 1000) / vendor.rateLimit.intervalMs);
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50 },
				default: 5,
				description: 'How many input items are processed at the same time. Output keeps the input order.',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: maxRetries,
				description:
					'How often a request that failed temporarily is sent again (reads always; writes only when the API did not process them)',
			},
			{
				displayName: `Rate Limit (Calls per ${unit})`,
				name: 'rateLimit',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: defaultRate,
				description: `Most calls per ${unit.toLowerCase()} this credential makes, shared by all items and executions of this n8n process. 0 turns the client-side limit off.`,
			},
			...retryOptionProperties(vendor),
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
				description: 'How long to wait for one answer before the attempt counts as failed',
			},
		],
	};
}

/** Backoff Factor and Retry On Statuses, for vendors whose users tune retries themselves. */
function retryOptionProperties(vendor: VendorPolicy): INodeProperties[] {
	if (!vendor.retryOptions) return [];
	const statuses = [...vendor.retry.notProcessedStatuses, ...vendor.retry.retryStatuses].sort((a, b) => a - b).join(', ');
	const factor = vendor.retry.baseDelayMs / 1000;
	const cap = `at most ${vendor.retry.maxDelayMs / 1000} s per wait`;
	const waits = vendor.retry.jitter === false ? cap : `randomly between half and all of that, ${cap}`;
	const never = vendor.retry.neverRetryStatuses.length ? ` ${vendor.retry.neverRetryStatuses.join(', ')} is never retried, even when listed.` : '';
	const retryOnHelp = `HTTP statuses retried, comma-separated. Reads and idempotent writes are retried on all of them; other writes only on 429 (not processed).${never}`;
	return [
		{
			displayName: 'Backoff Factor (Seconds)',
			name: 'backoffFactor',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: factor,
			description:
				`Wait before retry n is factor × 2^(n−1) seconds, ${waits}; a Retry-After header from the API wins`,
		},
		{
			displayName: 'Retry On Statuses',
			name: 'retryOnStatuses',
			type: 'string',
			default: statuses,
			description: retryOnHelp,
		},
	];
}

/** The node's `properties`: resource, operations and each operation's parameters. */
export function buildProperties(resources: Resource[], vendor: VendorPolicy): INodeProperties[] {
	const sorted = [...resources].sort(byName);
	const firstResource = sorted[0].value;
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: sorted.map((r): INodePropertyOptions => ({ name: r.name, value: r.value, description: r.description })),
			default: firstResource,
		},
	];
	for (const resource of sorted) {
		const operations = [...resource.operations].sort(byName);
		const defaultOperation = (operations.find((o) => o.value === 'get') ?? operations[0]).value;
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: operations.map(
				(o): INodePropertyOptions => ({
					name: o.name,
					value: o.value,
					action: o.action,
					description: o.description ?? o.action,
				}),
			),
			default: defaultOperation,
		});
	}
	for (const resource of sorted) {
		for (const property of resource.properties ?? []) {
			const show = { ...(property.displayOptions?.show ?? {}), resource: [resource.value] };
			properties.push({ ...property, displayOptions: { ...property.displayOptions, show } });
		}
	}
	for (const resource of sorted) {
		for (const operation of resource.operations) {
			for (const property of operationProperties(operation)) {
				const show = { ...(property.displayOptions?.show ?? {}), resource: [resource.value], operation: [operation.value] };
				properties.push({ ...property, displayOptions: { ...property.displayOptions, show } });
			}
		}
	}
	properties.push(requestOptionsProperty(vendor));
	return properties;
}
