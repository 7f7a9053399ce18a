import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

/** Any n8n context that can send authenticated requests. */
export type RequestContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IHookFunctions
	| IWebhookFunctions;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request as an operation describes it; the transport adds base URL, auth, retries. */
export interface ApiRequest {
	method: HttpMethod;
	/** Path below the vendor base URL, e.g. `/companies/{id}` already filled in. */
	path: string;
	/** Overrides the credential's base URL (e.g. a second API surface of the same vendor). */
	baseUrl?: string;
	qs?: IDataObject;
	/** A query string sent as written (already encoded), e.g. RQL: `and(eq(status,pending))`. */
	rawQuery?: string;
	body?: unknown;
	headers?: IDataObject;
	/**
	 * Whether sending the request twice is harmless. Defaults to true for GET/PUT/DELETE and
	 * false for POST/PATCH; an operation may declare a POST idempotent (e.g. a dry run).
	 */
	idempotent?: boolean;
	/** Answer a 404 instead of throwing (existence checks, deleting what may be gone). */
	allowNotFound?: boolean;
	/** Response body type; JSON unless a binary download is wanted. */
	encoding?: 'json' | 'arraybuffer';
}

export interface ApiResponse {
	status: number;
	headers: Record<string, string>;
	body: unknown;
}

/** Which failures are retried and how long to wait: one small object per vendor. */
export interface RetryPolicy {
	/** Retries after the first attempt (user-tunable through node Options → Max Retries). */
	maxRetries: number;
	/** Statuses retried for idempotent requests. */
	retryStatuses: number[];
	/** Statuses that say "not processed": retried for every request, writes included. */
	notProcessedStatuses: number[];
	/** Statuses never retried, whatever else says (NewStore's 403 means an IP block). */
	neverRetryStatuses: number[];
	/** First back-off delay; doubles each attempt (delay = base × factor^(n−1)). */
	baseDelayMs: number;
	factor: number;
	/** Cap on one wait, and on the sum of all waits of one request. */
	maxDelayMs: number;
	maxTotalWaitMs: number;
	/** Randomise each wait between half and all of it (default); false waits exactly. */
	jitter?: boolean;
}

/**
 * A credential that fetches its own expiring token into a hidden field (preAuthentication).
 * The transport fetches a new one shortly before the stored expiry, and once when the vendor
 * refuses the token as stale, one request at a time for all items. A stale-token status must not
 * be in `authRetryStatuses`: n8n would then refresh per request (each item its own token).
 */
export interface SessionPolicy {
	/** Whether this credential fetches tokens (false: a token managed elsewhere, used as given). */
	refreshes(credentials: IDataObject): boolean;
	/** The hidden expirable field holding the token, and the one holding its expiry (epoch ms). */
	tokenField: string;
	expiresAtField: string;
	/** Fetch a new token this long before the stored expiry. */
	marginMs: number;
	/** Whether a refused answer says the token is stale (worth one new token and one retry). */
	isStaleToken(status: number, body: unknown): boolean;
}

export interface RateLimit {
	/** Calls allowed per interval, and the interval. 0 calls = no client-side limit. */
	calls: number;
	intervalMs: number;
	/** Calls that may go out at once before pacing starts. */
	burst: number;
}

/** What a vendor's error body says, reduced to what a user needs. */
export interface VendorError {
	message: string;
	description?: string;
	code?: string;
	/** Replaces the vendor's hint for the status (the body tells more than the status does). */
	hint?: string;
}

/** One page: its items and, when there is one, the request for the next page. */
export interface Page {
	items: IDataObject[];
	next?: ApiRequest;
	/** Total number of items the API reports, when it does. */
	total?: number;
}

/** A pagination style: how to ask for a page and how to read one. */
export interface Paginator {
	/** The largest page the API allows. */
	maxPageSize: number;
	first(request: ApiRequest, pageSize: number): ApiRequest;
	read(response: ApiResponse, request: ApiRequest, pageSize: number): Page;
	/** Page `index` (0-based) of the listing `first` starts, for APIs that address pages by number or offset. */
	pageAt?(first: ApiRequest, index: number, pageSize: number): ApiRequest;
}

export interface VendorPolicy {
	/** Short machine name, used in limiter keys and logs. */
	name: string;
	displayName: string;
	credentialType: string;
	/** Base URL from the (non-secret) credential fields. */
	baseUrl(credentials: IDataObject): string;
	retry: RetryPolicy;
	rateLimit: RateLimit;
	paginator: Paginator;
	parseError(body: unknown, status: number): VendorError | undefined;
	/** Response headers that carry the vendor's request id, for traces. */
	requestIdHeaders: string[];
	/** Statuses on which n8n refreshes the credential's token and retries once, per request (none when `session` handles them). */
	authRetryStatuses: number[];
	/** A hint per status shown under the vendor's message. */
	hints?: Partial<Record<number, string>>;
	/** Expiring tokens the transport keeps fresh (see SessionPolicy). */
	session?: SessionPolicy;
	/** Show Backoff Factor and Retry On Statuses in the node Options. */
	retryOptions?: boolean;
}

/** One step of a request's history, kept for the error trace (never holds secrets). */
export interface TraceEntry {
	method: string;
	url: string;
	attempt: number;
	status?: number;
	code?: string;
	waitedMs?: number;
	durationMs: number;
	requestId?: string;
}

export type Json = IDataObject;
