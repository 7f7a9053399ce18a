import type { IDataObject } from 'n8n-workflow';

import { pageSizePaginator } from '../shared/pagination';
import { STANDARD_RETRY } from '../shared/retry';
import type { VendorPolicy } from '../shared/types';

/** Pax8's error bodies: `{type, message, details[]}`, `{errors[]}` or OAuth `{error_description}`. */
function parseError(body: unknown): { message: string; description?: string; code?: string } | undefined {
	if (!body || typeof body !== 'object') {
		return typeof body === 'string' && body.trim() && !/^\s*</.test(body) ? { message: body.trim().slice(0, 300) } : undefined;
	}
	const b = body as IDataObject;
	const details = Array.isArray(b.details)
		? (b.details as IDataObject[]).map((d) => String(d.message ?? '')).filter(Boolean)
		: [];
	const errors = Array.isArray(b.errors) ? (b.errors as unknown[]).map(String) : [];
	const message =
		(typeof b.message === 'string' && b.message) ||
		details[0] ||
		errors[0] ||
		(typeof b.error_description === 'string' && b.error_description) ||
		(typeof b.error === 'string' && b.error) ||
		'';
	if (!message) return undefined;
	const rest = [...details, ...errors].filter((m) => m !== message);
	return {
		message,
		description: rest.length ? rest.map((m) => `• ${m}`).join('\n') : undefined,
		code: typeof b.type === 'string' ? b.type : undefined,
	};
}

/** Pax8 answers an expired or invalid access token with 401 (`WWW-Authenticate: Bearer error="invalid_token"`). */
export function isStaleToken(status: number): boolean {
	return status === 401;
}

export const PAX8: VendorPolicy = {
	name: 'pax8',
	displayName: 'Pax8',
	credentialType: 'pax8Api',
	baseUrl: (credentials) => String(credentials.baseUrl || 'https://api.pax8.com'),
	retry: STANDARD_RETRY,
	// Pax8 allows about 1,000 calls a minute (unconfirmed figure, see README).
	rateLimit: { calls: 1000, intervalMs: 60_000, burst: 10 },
	paginator: pageSizePaginator({ maxPageSize: 200 }),
	parseError,
	requestIdHeaders: ['x-request-id', 'x-correlation-id', 'x-amzn-requestid'],
	// A 401 goes to the session below (one renewal for all items), not to n8n's per-request refresh.
	authRetryStatuses: [],
	session: {
		refreshes: () => true,
		tokenField: 'accessToken',
		expiresAtField: 'expiresAt',
		marginMs: 60_000,
		isStaleToken,
	},
	retryOptions: true,
	hints: {
		400: 'Pax8 did not accept the request: check the parameters named in the message.',
		401: 'Pax8 refused the access token, also a newly fetched one: check the Client ID, Client Secret and Audience of the Pax8 credential (partner endpoints need the audience https://api.pax8.com).',
		403: 'The Pax8 credential may not do this, or the record does not belong to your partner account.',
		404: 'Check the ID: it does not exist or is not visible to your partner account.',
		422: 'Pax8 refused the values for a business rule; the details say which.',
		429: 'Pax8 limits calls to about 1,000 a minute: lower the Rate Limit or Concurrency option.',
	},
};

/** Paths of the partner API (`/v1`) and the webhooks API (`/api/v2`). */
export const v1 = (path: string) => `/v1${path}`;
export const v2 = (path: string) => `/api/v2${path}`;
