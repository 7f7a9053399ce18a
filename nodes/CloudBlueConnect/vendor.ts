import type { IDataObject } from 'n8n-workflow';

import { limitOffsetPaginator } from '../shared/pagination';
import { STANDARD_RETRY } from '../shared/retry';
import type { VendorError, VendorPolicy } from '../shared/types';

/**
 * Connect errors: `{ error_code, errors[], params }` → `REQ_005: There are empty required
 * parameters (param_a, param_b)`. Non-JSON bodies fall back to their text.
 */
export function parseConnectError(body: unknown): VendorError | undefined {
	if (typeof body === 'string') {
		const text = body.trim();
		return text && !text.startsWith('<') ? { message: text.slice(0, 300) } : undefined;
	}
	if (!body || typeof body !== 'object') return undefined;
	const b = body as IDataObject;
	const errors = Array.isArray(b.errors) ? (b.errors as unknown[]).map(String).filter(Boolean) : [];
	const params = (b.params ?? {}) as IDataObject;
	const named = Object.values(params)
		.flatMap((value) => (Array.isArray(value) ? value : [value]))
		.filter((value) => typeof value === 'string' || typeof value === 'number')
		.map(String);
	let text = errors.join('; ') || (typeof b.detail === 'string' ? b.detail : '') || (typeof b.message === 'string' ? b.message : '');
	if (!text) return undefined;
	if (named.length) text = `${text.replace(/\.\s*$/, '')} (${named.join(', ')})`;
	const code = typeof b.error_code === 'string' ? b.error_code : undefined;
	return { message: code ? `${code}: ${text}` : text, code };
}

export const CONNECT: VendorPolicy = {
	name: 'connect',
	displayName: 'CloudBlue Connect',
	credentialType: 'cloudBlueConnectApi',
	baseUrl: (credentials) => String(credentials.endpoint || 'https://api.connect.cloudblue.com/public/v1'),
	// The official client retries 5xx and connection errors 3 times about a second apart.
	retry: STANDARD_RETRY,
	// Connect documents no rate limit: off unless the user sets one.
	rateLimit: { calls: 0, intervalMs: 60_000, burst: 10 },
	paginator: limitOffsetPaginator({ maxPageSize: 1000 }),
	parseError: parseConnectError,
	requestIdHeaders: ['x-request-id', 'x-correlation-id', 'request-id'],
	authRetryStatuses: [],
	retryOptions: true,
	hints: {
		400: 'Connect refused the request in its current state; the code and message say why.',
		401: 'Check the API key of the CloudBlue Connect credential (Integrations → Tokens in the portal).',
		403: 'The API token lacks a permission this call needs: extend its permissions in the portal.',
		404: 'Check the ID: it does not exist or is not visible to this account.',
		429: 'Connect throttled the calls: set a Rate Limit option or lower Concurrency.',
	},
};
