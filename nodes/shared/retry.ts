import type { RetryPolicy } from './types';

/**
 * The usual policy: up to 3 retries of reads on 408/5xx, any request on 429 (not processed),
 * back-off from 1 s doubling to at most 30 s per wait and 2 min in all. Vendors override parts.
 */
export const STANDARD_RETRY: RetryPolicy = {
	maxRetries: 3,
	retryStatuses: [408, 500, 502, 503, 504],
	notProcessedStatuses: [429],
	neverRetryStatuses: [],
	baseDelayMs: 1000,
	factor: 2,
	maxDelayMs: 30_000,
	maxTotalWaitMs: 120_000,
};

/** Reads `Retry-After` as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(parseFloat(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/** Exponential back-off with "equal jitter": half fixed, half random, capped. */
export function backoffDelay(policy: RetryPolicy, retryNumber: number, random = Math.random): number {
	const exponential = policy.baseDelayMs * Math.pow(policy.factor, retryNumber - 1);
	const capped = Math.min(policy.maxDelayMs, exponential);
	if (policy.jitter === false) return Math.round(capped);
	return Math.round(capped / 2 + (random() * capped) / 2);
}

/** Transport failures where the request certainly never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
/** Transport failures where the server may or may not have processed the request. */
const MAYBE_SENT_CODES = new Set([
	'ECONNRESET',
	'ECONNABORTED',
	'ETIMEDOUT',
	'EPIPE',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	'UND_ERR_SOCKET',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'ERR_STREAM_PREMATURE_CLOSE',
]);

export type Outcome = { status: number } | { code: string };

/** Whether a transport failure certainly happened before the request reached the server. */
export function notSent(code: string | undefined): boolean {
	return code !== undefined && NOT_SENT_CODES.has(code);
}

/** Whether a failed attempt may be sent again, by the rules of the policy. */
export function isRetryable(policy: RetryPolicy, outcome: Outcome, idempotent: boolean): boolean {
	if ('status' in outcome) {
		const { status } = outcome;
		if (policy.neverRetryStatuses.includes(status)) return false;
		if (policy.notProcessedStatuses.includes(status)) return true;
		return idempotent && policy.retryStatuses.includes(status);
	}
	if (NOT_SENT_CODES.has(outcome.code)) return true;
	return idempotent && MAYBE_SENT_CODES.has(outcome.code);
}

/** Finds a network error code anywhere in an error's cause chain. */
export function networkErrorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
		if (typeof candidate.code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+|ERR_[A-Z_]+)$/.test(candidate.code)) {
			return candidate.code;
		}
		if (candidate.message === 'socket hang up' || candidate.message === 'terminated') return 'ECONNRESET';
		current = candidate.cause;
	}
	return undefined;
}
