import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { operationProperties, requestOptionsProperty } from './describe';
import type { Operation, OperationContext, OperationResult, Resource } from './operation';
import { collect } from './pagination';
import { describe, labelsOf, Params, textOf } from './params';
import { Transport, type TransportSettings } from './transport';
import type { ApiResponse, RetryPolicy, VendorPolicy } from './types';

/**
 * Runs `worker` for indexes 0..count-1 with at most `concurrency` at once. The first index
 * runs alone so that a credential's token is fetched once, not once per parallel item.
 * After a failure no new index starts; the failure is rethrown once running ones settle.
 */
export async function runPool(
	count: number,
	concurrency: number,
	worker: (index: number) => Promise<void>,
): Promise<void> {
	if (count === 0) return;
	await worker(0);
	let next = 1;
	let failure: { error: unknown } | undefined;
	const lane = async () => {
		while (!failure && next < count) {
			const index = next++;
			try {
				await worker(index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count - 1)) }, lane));
	if (failure) throw failure.error;
}

function isExecutionData(value: unknown): value is INodeExecutionData {
	return !!value && typeof value === 'object' && 'json' in value && typeof (value as INodeExecutionData).json === 'object';
}

/** Paired output items of one input item. */
function toItems(result: OperationResult, itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return list.map((entry) =>
		isExecutionData(entry)
			? { ...entry, pairedItem: { item: itemIndex } }
			: { json: entry as IDataObject, pairedItem: { item: itemIndex } },
	);
}

function pick(record: IDataObject, keys: string[]): IDataObject {
	const out: IDataObject = {};
	for (const key of keys) if (record[key] !== undefined) out[key] = record[key];
	return out;
}

/** Longest timeout a timer can wait (2^31 − 1 ms, about 24.8 days); longer ones would fire at once. */
const MAX_TIMEOUT_SECONDS = Math.floor(2_147_483_647 / 1000);

/** The Options' display names as the form shows them ("Concurrency", "Max Retries"…). */
function optionLabels(vendor: VendorPolicy): Map<string, string> {
	const options = requestOptionsProperty(vendor);
	const labels = new Map<string, string>([[options.name, options.displayName]]);
	for (const option of (options.options ?? []) as INodeProperties[]) labels.set(`${options.name}.${option.name}`, option.displayName);
	return labels;
}

/**
 * The node-wide Options as transport settings, read for item 0 and checked like every other
 * parameter (a value that is no number names the option and the item); ranges are clamped.
 * An empty option (null, blank text) means the form's default.
 */
export function readSettings(ctx: IExecuteFunctions, vendor: VendorPolicy): TransportSettings & { concurrency: number } {
	const params = new Params(ctx, 0, optionLabels(vendor));
	const options = params.raw('options', {});
	if (options === null || typeof options !== 'object' || Array.isArray(options)) {
		return params.fail('options', `must be a set of fields, got ${describe(options)}`);
	}
	const given = options as IDataObject;
	const numberOf = (key: string): number | undefined => {
		const value = given[key];
		if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
		return params.convert(`options.${key}`, value, 'number') as number;
	};
	const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, value));
	const concurrency = numberOf('concurrency');
	const settings: TransportSettings & { concurrency: number } = {
		concurrency: concurrency === undefined ? 5 : clamp(concurrency, 1, 50),
	};
	const maxRetries = numberOf('maxRetries');
	if (maxRetries !== undefined) settings.maxRetries = clamp(maxRetries, 0, 10);
	const rateLimit = numberOf('rateLimit');
	if (rateLimit !== undefined) {
		const perMinute = vendor.rateLimit.intervalMs >= 60_000;
		settings.rateLimit = {
			calls: Math.max(0, rateLimit),
			intervalMs: perMinute ? 60_000 : 1000,
			burst: vendor.rateLimit.burst,
		};
	}
	const timeout = numberOf('timeout');
	if (timeout !== undefined) settings.timeoutMs = clamp(timeout, 1, MAX_TIMEOUT_SECONDS) * 1000;
	const retry = retryOverrides(params, given, numberOf, vendor);
	if (retry) settings.retry = retry;
	return settings;
}

/** Retry On Statuses: text (or a list) of HTTP error statuses, separated by commas, spaces or semicolons. */
function statusesOf(params: Params, value: unknown): number[] {
	const name = 'options.retryOnStatuses';
	const parts = (Array.isArray(value) ? value : [value]).map(textOf);
	if (parts.some((part) => part === undefined)) {
		return params.fail(name, `must list HTTP error statuses (400–599) separated by commas, got ${describe(value)}`);
	}
	const words = parts.join(',').split(/[\s,;]+/).filter(Boolean);
	const bad = words.find((word) => {
		const status = Number(word);
		return !(Number.isInteger(status) && status >= 400 && status < 600);
	});
	if (bad !== undefined) {
		return params.fail(name, `must list HTTP error statuses (400–599) separated by commas; ${describe(bad)} is not one`);
	}
	return words.map(Number);
}

/** Backoff Factor and Retry On Statuses from the Options, checked. */
function retryOverrides(
	params: Params,
	options: IDataObject,
	numberOf: (key: string) => number | undefined,
	vendor: VendorPolicy,
): Partial<RetryPolicy> | undefined {
	if (!vendor.retryOptions) return undefined;
	const retry: Partial<RetryPolicy> = {};
	const factor = numberOf('backoffFactor');
	if (factor !== undefined) {
		if (factor < 0) params.fail('options.backoffFactor', `must be a number of seconds ≥ 0, got ${describe(factor)}`);
		retry.baseDelayMs = Math.round(factor * 1000);
	}
	// Empty text is a list of no statuses (nothing retried on a status); null is "not given".
	if (options.retryOnStatuses !== undefined && options.retryOnStatuses !== null) {
		const statuses = statusesOf(params, options.retryOnStatuses);
		const never = vendor.retry.neverRetryStatuses;
		const wanted = statuses.filter((status) => !never.includes(status));
		// 429 means "not processed": retried for writes too when listed; the rest only for safe requests.
		retry.notProcessedStatuses = vendor.retry.notProcessedStatuses.filter((status) => wanted.includes(status));
		retry.retryStatuses = wanted.filter((status) => !retry.notProcessedStatuses?.includes(status));
	}
	return retry;
}

function findOperation(
	resources: Resource[],
	resource: string,
	operation: string,
	ctx: IExecuteFunctions,
): { operation: Operation; resource: Resource } {
	const owner = resources.find((r) => r.value === resource);
	const found = owner?.operations.find((o) => o.value === operation);
	if (!owner || !found) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" of resource "${resource}" is not known`);
	}
	return { operation: found, resource: owner };
}

/** One operation for one item: the declared request, or the operation's own code. */
async function runOperation(operation: Operation, c: OperationContext): Promise<OperationResult> {
	if (operation.run) return await operation.run(c);
	if (!operation.request) throw new NodeOperationError(c.ctx.getNode(), `Operation "${operation.name}" has nothing to run`);
	const request = operation.request(c.params);
	if (operation.paginate) return await c.list(request);
	const response = await c.send(request);
	const result = bodyToResult(operation, response, c.params);
	return operation.clientLimit ? limited(result, c.params) : result;
}

/** Return All / Limit over a list the API answered at once. */
export function limited(result: OperationResult, params: Params): OperationResult {
	if (!Array.isArray(result) || params.raw('returnAll', false) === true) return result;
	const limit = params.get<number>('limit', 'integer') ?? 50;
	return (result as IDataObject[]).slice(0, Math.max(0, limit));
}

function bodyToResult(operation: Operation, response: ApiResponse, params: Params): OperationResult {
	const body = response.body;
	if (body === undefined || body === null || body === '') {
		return operation.empty ? operation.empty(params) : { success: true };
	}
	if (operation.itemsKey) {
		const items = (body as IDataObject)[operation.itemsKey];
		return Array.isArray(items) ? (items as IDataObject[]) : [];
	}
	if (typeof body !== 'object') return { data: body as string };
	return body as IDataObject | IDataObject[];
}

/** Simplify and normalise records (never touches items that carry binary data). */
function shape(operation: Operation, result: OperationResult, params: Params): OperationResult {
	const simplify = operation.simplify && (params.raw('simplify', false) as boolean);
	if (!simplify && !operation.normalize) return result;
	const reshape = (record: IDataObject): IDataObject => {
		const normal = operation.normalize ? operation.normalize(record) : record;
		if (!simplify) return normal;
		return typeof operation.simplify === 'function' ? operation.simplify(normal) : pick(normal, operation.simplify as string[]);
	};
	if (Array.isArray(result)) {
		return (result as Array<IDataObject | INodeExecutionData>).map((entry) =>
			isExecutionData(entry) ? entry : reshape(entry),
		) as OperationResult;
	}
	return isExecutionData(result) ? result : reshape(result as IDataObject);
}

/** A caught error as n8n's node error (unexpected errors are wrapped with the item). */
export function nodeErrorOf(node: INode, caught: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	return caught instanceof NodeApiError || caught instanceof NodeOperationError
		? caught
		: new NodeOperationError(node, caught as Error, { itemIndex });
}

/** The error item `continueOnFail` puts out for a failed input item. */
function errorItem(error: Error & { description?: string | null; httpCode?: string | null; context?: IDataObject }, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error.httpCode) json.httpCode = error.httpCode;
	if (error.context?.vendorCode) json.code = error.context.vendorCode;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * The shared `execute()` of every vendor node: per item (bounded concurrency, output in input
 * order), check parameters, run the operation, simplify, pair; continue-on-fail per item.
 */
export async function executeOperations(
	this: IExecuteFunctions,
	vendor: VendorPolicy,
	resources: Resource[],
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const found = findOperation(resources, resource, operationName, this);
	const operation = found.operation;
	const labels = labelsOf([...(found.resource.properties ?? []), ...operationProperties(operation)] as INodeProperties[]);
	const settings = readSettings(this, vendor);
	const transport = await Transport.for(this, vendor, settings);
	const results: INodeExecutionData[][] = new Array(items.length);
	const context = (itemIndex: number): OperationContext => {
		const params = new Params(this, itemIndex, labels);
		return {
			ctx: this,
			params,
			transport,
			itemIndex,
			item: items[itemIndex],
			send: async (request) => await transport.request(request, itemIndex),
			list: async (request, extra = {}) => {
				const returnAll = params.raw('returnAll', false) === true;
				// Limit is hidden (and unreadable) while Return All is on.
				const limit = returnAll ? undefined : params.get<number>('limit', 'integer') ?? 50;
				return await collect(transport, request, {
					returnAll,
					limit,
					itemIndex,
					maxPageSize: operation.maxPageSize,
					...extra,
				});
			},
		};
	};
	const asNodeError = (caught: unknown, itemIndex: number) => nodeErrorOf(this.getNode(), caught, itemIndex);

	if (operation.runAll) {
		// One result for all input items, paired with each of them.
		const pairedItem = items.map((_, item) => ({ item }));
		try {
			const c = context(0);
			const result = shape(operation, await operation.runAll(c, items), c.params);
			return [toItems(result, 0).map((entry) => ({ ...entry, pairedItem }))];
		} catch (caught) {
			const error = asNodeError(caught, 0);
			if (this.continueOnFail()) return [[{ ...errorItem(error, 0), pairedItem }]];
			throw error;
		}
	}

	await runPool(items.length, settings.concurrency, async (itemIndex) => {
		const c = context(itemIndex);
		try {
			results[itemIndex] = toItems(shape(operation, await runOperation(operation, c), c.params), itemIndex);
		} catch (caught) {
			const error = asNodeError(caught, itemIndex);
			if (this.continueOnFail()) {
				results[itemIndex] = [errorItem(error, itemIndex)];
				return;
			}
			throw error;
		}
	});
	return [results.flat()];
}
