import type { IDataObject } from 'n8n-workflow';

import { offsetCountPaginator } from '../shared/pagination';
import type { VendorError, VendorPolicy } from '../shared/types';

/** NewStore answers a blocked client (too many requests from one IP) with a non-JSON 403. */
export const IP_BLOCK_MESSAGE =
	'NewStore has blocked this client for about five minutes (HTTP 403 without a JSON body: too many requests from this IP address)';

function isJsonBody(body: unknown): body is IDataObject {
	return !!body && typeof body === 'object' && !Array.isArray(body);
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** The scope a 403 says is missing, e.g. `…does not grant the required 'audit-events:read' scope`. */
export function missingScope(body: unknown): string | undefined {
	if (!isJsonBody(body)) return undefined;
	const words = [body.detail, body.message, body.title, ...(Array.isArray(body.messages) ? body.messages : [])]
		.map(text)
		.join(' ');
	const match = /required\s+['"`]?([a-z][\w-]*(?::[\w-]+)+)['"`]?\s+scope/i.exec(words) ?? /scope\s+['"`]([^'"`]+)['"`]/i.exec(words);
	return match?.[1];
}

/**
 * NewStore's error bodies, in the order the reference gives: problem+json `detail`, `/v0`
 * `message`, config `messages[]`, provider `error_description`, legacy `error.code`, `title`,
 * then the raw text. `error_code` and `request_id` go into the description.
 */
export function parseNewStoreError(body: unknown, status: number): VendorError | undefined {
	if (status === 403 && !isJsonBody(body)) {
		return {
			message: IP_BLOCK_MESSAGE,
			code: 'ip_blocked',
			hint: 'Wait five minutes before sending more requests: every request sent meanwhile extends the block. Lower Concurrency or the Rate Limit option.',
		};
	}
	if (!isJsonBody(body)) {
		const raw = text(body);
		return raw && !raw.startsWith('<') ? { message: raw.slice(0, 300) } : undefined;
	}
	const legacy = isJsonBody(body.error) ? text(body.error.code) : '';
	const messages = Array.isArray(body.messages) ? body.messages.map(text).filter(Boolean) : [];
	const found =
		text(body.detail) ||
		text(body.message) ||
		messages[0] ||
		text(body.error_description) ||
		legacy ||
		text(body.title) ||
		text(body.error);
	const code = text(body.error_code) || legacy || (typeof body.error === 'string' ? body.error : '') || undefined;
	const scope = status === 403 ? missingScope(body) : undefined;
	let message = found || `NewStore answered HTTP ${status}`;
	if (scope) message = `The NewStore API client lacks the scope "${scope}": ${message}`;
	const details = [
		...messages.slice(found === messages[0] ? 1 : 0),
		...(code ? [`error code: ${code}`] : []),
		...(text(body.request_id) ? [`request id: ${text(body.request_id)}`] : []),
	];
	return {
		message,
		code,
		description: details.length ? details.join('\n') : undefined,
		hint: scope ? `Add the scope "${scope}" to the API client in Omnichannel Manager, or to Role / Scope of the credential.` : undefined,
	};
}

/** A JSON 403 that is not about a scope: NewStore's answer to an expired or invalid token. */
export function isStaleToken(status: number, body: unknown): boolean {
	return status === 403 && isJsonBody(body) && missingScope(body) === undefined;
}

export const NEWSTORE_RETRY_STATUSES = [408, 413, 500, 502, 503, 504, 521, 522, 524];

export const NEWSTORE: VendorPolicy = {
	name: 'newstore',
	displayName: 'NewStore',
	credentialType: 'newStoreApi',
	baseUrl: (credentials) => {
		const override = text(credentials.baseUrl);
		if (override) return override;
		const tenant = text(credentials.tenant);
		const stage = text(credentials.environment) || 'p';
		return `https://${tenant}.${stage}.newstore.net`;
	},
	retry: {
		maxRetries: 3,
		retryStatuses: NEWSTORE_RETRY_STATUSES,
		notProcessedStatuses: [429],
		// 403 is how NewStore signals an IP block: retrying keeps the client blocked.
		neverRetryStatuses: [403],
		// The connector's rule: factor × 2^(n−1) seconds, at most 120 s, no jitter.
		baseDelayMs: 1000,
		factor: 2,
		maxDelayMs: 120_000,
		maxTotalWaitMs: 300_000,
		jitter: false,
	},
	// Production tenants allow 200 calls a second, development tenants 100.
	rateLimit: { calls: 100, intervalMs: 1000, burst: 20 },
	paginator: offsetCountPaginator({ maxPageSize: 500, itemsKey: ['profiles', 'addresses', 'orders', 'items', 'integrations'] }),
	parseError: parseNewStoreError,
	requestIdHeaders: ['x-request-id', 'x-newstore-request-id', 'x-amzn-requestid'],
	authRetryStatuses: [401],
	session: {
		refreshes: (credentials) => credentials.authentication !== 'accessToken',
		tokenField: 'sessionToken',
		expiresAtField: 'sessionExpiresAt',
		marginMs: 60_000,
		isStaleToken,
	},
	retryOptions: true,
	hints: {
		400: 'NewStore did not accept the request: the message names the field.',
		401: 'NewStore received no token: check the Authentication settings of the NewStore credential.',
		403: 'NewStore refused the token. A fetched token was renewed once; an Access Token is used as given and must be renewed where it is managed.',
		404: 'Check the ID: it does not exist in this tenant.',
		409: 'The record changed or the action conflicts with its current state: read it again and retry.',
		429: 'NewStore limits calls per tenant (200 a second in production, 100 in development): lower the Rate Limit or Concurrency option.',
	},
};
