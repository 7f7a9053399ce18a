import type {
	IAdditionalCredentialOptions,
	ICredentialsDecrypted,
	IDataObject,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { limiterFor } from './rateLimit';
import { redactText, redactUrl, redactValue } from './redact';
import { backoffDelay, isRetryable, networkErrorCode, notSent, parseRetryAfter, type Outcome } from './retry';
import type {
	ApiRequest,
	ApiResponse,
	RateLimit,
	RequestContext,
	RetryPolicy,
	TraceEntry,
	VendorPolicy,
} from './types';

export interface TransportSettings {
	/** Overrides the vendor's retry count (node Options → Max Retries). */
	maxRetries?: number;
	/** Overrides the vendor's client-side rate limit (node Options → Rate Limit). */
	rateLimit?: RateLimit;
	/** Per-attempt timeout. */
	timeoutMs?: number;
	/** Overrides parts of the vendor's retry policy (node Options → Backoff Factor, Retry On). */
	retry?: Partial<RetryPolicy>;
}

/** The decrypted credential a session-keeping transport passes to n8n, and its refresh gate. */
interface Session {
	refreshes: boolean;
	decrypted: ICredentialsDecrypted;
	/** The request currently fetching a new token; others wait for it instead of fetching too. */
	gate?: Promise<unknown>;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Fills `{name}` placeholders of a path with URL-encoded values. A value that is empty, `.` or
 * `..` (after trimming) is refused: URLs resolve dot segments (`/orders/..` is `/`), so it would
 * address another endpoint. Parameters are checked (and named) before; this is the last guard.
 */
export function pathOf(template: string, values: Record<string, string | number>): string {
	return template.replace(/\{(\w+)\}/g, (_m, key: string) => {
		const value = values[key] as unknown;
		if (value === undefined || value === null) throw new Error(`Path parameter "${key}" is missing`);
		const text = String(value);
		const trimmed = text.trim();
		if (trimmed === '' || trimmed === '.' || trimmed === '..') {
			throw new Error(`Path parameter "${key}" must not be ${trimmed ? `"${trimmed}"` : 'empty'}`);
		}
		// Half of a UTF-16 surrogate pair cannot be put into a URL (encodeURIComponent throws).
		if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) {
			throw new Error(`Path parameter "${key}" holds a broken character`);
		}
		return encodeURIComponent(text);
	});
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (headers && typeof headers === 'object') {
		for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
			out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
		}
	}
	return out;
}

interface Failure {
	status?: number;
	headers: Record<string, string>;
	body?: unknown;
	code?: string;
	message: string;
	/** The credential could not fetch a token (see the credentials' preAuthentication): nothing was sent to the API. */
	token?: TokenFailure;
}

/** What a credential's failed token request said: the token URL's status, or the network error. */
interface TokenFailure {
	status?: number;
	code?: string;
	retryAfter?: string;
}

/** What a thrown request error says, read without keeping the error (it holds secrets). */
function readThrown(error: unknown): Failure {
	const chain: Array<Record<string, unknown>> = [];
	let current: unknown = error;
	while (current && typeof current === 'object' && chain.length < 6) {
		chain.push(current as Record<string, unknown>);
		current = (current as { cause?: unknown }).cause;
	}
	const token = chain.find((link) => link.tokenRequest && typeof link.tokenRequest === 'object');
	if (token) {
		// The credential's own words (they never hold the secret) and the token URL's answer.
		return { headers: {}, token: token.tokenRequest as TokenFailure, message: redactText(String(token.message ?? 'The token request failed')) };
	}
	for (const link of chain) {
		const response = link.response as { status?: number; headers?: unknown; data?: unknown } | undefined;
		if (response && typeof response.status === 'number') {
			return {
				status: response.status,
				headers: lowerCaseHeaders(response.headers),
				body: response.data,
				message: String(link.message ?? ''),
			};
		}
	}
	const code = networkErrorCode(error);
	const deepest = chain[chain.length - 1] ?? {};
	return {
		code,
		headers: {},
		message: redactText(String(deepest.message ?? (error as Error)?.message ?? 'Request failed')),
	};
}

function parseBody(body: unknown, headers: Record<string, string>): unknown {
	if (typeof body !== 'string') return body;
	const type = headers['content-type'] ?? '';
	if (body.trim() === '') return undefined;
	if (type.includes('json') || /^\s*[[{]/.test(body)) {
		try {
			return JSON.parse(body);
		} catch {
			return body;
		}
	}
	return body;
}

function describeTrace(trace: TraceEntry[]): string {
	return trace
		.map((t) => {
			const result = t.status !== undefined ? `HTTP ${t.status}` : (t.code ?? 'no answer');
			const waited = t.waitedMs ? `, waited ${t.waitedMs} ms before` : '';
			const id = t.requestId ? `, request id ${t.requestId}` : '';
			return `#${t.attempt} ${t.method} ${t.url} → ${result} in ${t.durationMs} ms${waited}${id}`;
		})
		.join('\n');
}

/**
 * A 2xx answer whose body cannot be what a JSON API sends: JSON cut off in the middle, or an
 * HTML page (a proxy's or a login page). Other text (e.g. rendered markdown) is accepted.
 */
function unreadableBody(response: ApiResponse, request: ApiRequest): { message: string; hint: string; retry: boolean } | undefined {
	if (request.encoding === 'arraybuffer') return undefined;
	if (request.method === 'GET' && response.status === 200 && (response.body === undefined || response.body === '')) {
		return {
			message: 'answered HTTP 200 with an empty body where data was expected',
			hint: 'The answer may have been cut off; reads were tried again.',
			retry: true,
		};
	}
	if (typeof response.body !== 'string') return undefined;
	const text = response.body;
	const type = response.headers['content-type'] ?? '';
	if (/^\s*(<!doctype html|<html)/i.test(text) || type.includes('text/html')) {
		return {
			message: `answered HTTP ${response.status} with an HTML page instead of data`,
			hint: 'A proxy, firewall or login page may stand between n8n and the API: check the base URL and the network path.',
			retry: false,
		};
	}
	if (type.includes('json') || /^\s*[[{]/.test(text)) {
		return {
			message: `answered HTTP ${response.status} with JSON that is cut off or invalid (${text.length} characters)`,
			hint: 'The answer was incomplete, e.g. the connection broke. Reads were tried again; run the node again for a write after checking its result.',
			retry: true,
		};
	}
	return undefined;
}

/**
 * The one transport every vendor node uses: base URL, JSON, client-side rate limiting,
 * retries by the vendor's policy, error mapping and a redacted trace of every attempt.
 */
export class Transport {
	private readonly retryPolicy: RetryPolicy;

	private session?: Session;

	constructor(
		private readonly ctx: RequestContext,
		readonly vendor: VendorPolicy,
		readonly baseUrl: string,
		private readonly limiterKey: string,
		private readonly settings: TransportSettings = {},
	) {
		this.retryPolicy = { ...vendor.retry, ...(settings.retry ?? {}) };
	}

	/** Builds a transport for the node's credential (reads only non-secret credential fields). */
	static async for(
		ctx: RequestContext,
		vendor: VendorPolicy,
		settings: TransportSettings = {},
	): Promise<Transport> {
		const credentials = (await ctx.getCredentials(vendor.credentialType)) as IDataObject;
		const credentialId = ctx.getNode().credentials?.[vendor.credentialType]?.id ?? 'default';
		const baseUrl = vendor.baseUrl(credentials).replace(/\/+$/, '');
		const transport = new Transport(ctx, vendor, baseUrl, `${vendor.name}:${credentialId}`, settings);
		if (vendor.session) {
			const node = ctx.getNode().credentials?.[vendor.credentialType];
			transport.session = {
				refreshes: vendor.session.refreshes(credentials),
				// n8n writes a newly fetched token into this object (and persists it with the credential).
				decrypted: { id: node?.id ?? '', name: node?.name ?? '', type: vendor.credentialType, data: { ...credentials } as ICredentialsDecrypted["data"] },
			};
		}
		return transport;
	}

	/**
	 * One attempt through n8n's authenticated request helper. With a session, a token that is
	 * missing or about to expire, or the `refused` one (unless another request renewed it
	 * meanwhile), is fetched first, by one request at a time.
	 * Answers the raw response and the token the attempt was sent with.
	 */
	private async send(options: IHttpRequestOptions, refused?: unknown): Promise<{ raw: unknown; token?: unknown }> {
		const session = this.session;
		const policy = this.vendor.session;
		const extra: IAdditionalCredentialOptions = {
			preAuthenticationRetryStatusCode: session && !session.refreshes ? [] : this.vendor.authRetryStatuses,
		};
		const call = async () =>
			await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, this.vendor.credentialType, options, extra);
		if (!session || !policy || !session.refreshes) return { raw: await call() };
		const data = session.decrypted.data as IDataObject;
		while (session.gate) await session.gate.catch(() => undefined);
		const expiresAt = Number(data[policy.expiresAtField] ?? 0);
		const renew = refused !== undefined && data[policy.tokenField] === refused;
		const stale = renew || !data[policy.tokenField] || (expiresAt > 0 && Date.now() >= expiresAt - policy.marginMs);
		// Every attempt hands n8n its own copy of the credential data: n8n reads the token from it
		// (and writes a fetched one into it) across several awaits, while other attempts may be
		// renewing the token. An empty token makes n8n's preAuthentication fetch a new one.
		const own: IDataObject = { ...data, ...(stale ? { [policy.tokenField]: '' } : {}) };
		extra.credentialsDecrypted = { ...session.decrypted, data: own as ICredentialsDecrypted['data'] };
		const sentWith = own[policy.tokenField];
		/** A token n8n fetched for this attempt becomes the session's token. */
		const adopt = () => {
			if (own[policy.tokenField] && own[policy.tokenField] !== sentWith) {
				data[policy.tokenField] = own[policy.tokenField];
				data[policy.expiresAtField] = own[policy.expiresAtField];
			} else if (stale) {
				// The renewal failed: the next attempt renews (one at a time) instead of sending a bad token.
				data[policy.expiresAtField] = 1;
			}
		};
		if (!stale) {
			try {
				return { raw: await call(), token: sentWith };
			} finally {
				adopt();
			}
		}
		const gate = call();
		session.gate = gate;
		try {
			return { raw: await gate, token: own[policy.tokenField] };
		} finally {
			adopt();
			if (session.gate === gate) session.gate = undefined;
		}
	}

	get maxRetries(): number {
		return this.settings.maxRetries ?? this.vendor.retry.maxRetries;
	}

	/** Sends a request; answers 2xx responses, throws `NodeApiError` for everything else. */
	async request(request: ApiRequest, itemIndex?: number): Promise<ApiResponse> {
		const policy = this.retryPolicy;
		const idempotent = request.idempotent ?? ['GET', 'PUT', 'DELETE'].includes(request.method);
		const base = `${(request.baseUrl ?? this.baseUrl).replace(/\/+$/, '')}${request.path}`;
		const url = request.rawQuery ? `${base}${base.includes('?') ? '&' : '?'}${request.rawQuery}` : base;
		const limiter = limiterFor(this.limiterKey, this.settings.rateLimit ?? this.vendor.rateLimit);
		const trace: TraceEntry[] = [];
		let totalWait = 0;
		let pendingWait = 0;
		// A token refused as stale is renewed and the call repeated (the repeat is not counted as a
		// retry); a refusal of that repeat is final. Like n8n's own 401 refresh, which every attempt
		// may do once, a later attempt (a counted retry) may renew again: a token can expire while a
		// request waits between retries.
		let refused: unknown;
		let renewed = 0;
		let repeatAttempt = 0;
		/**
		 * Waits before another attempt, as the answer's Retry-After says or by the back-off; answers
		 * false (no wait) when that would exceed the policy's caps.
		 */
		const waitToRetry = async (retryAfterHeader: string | undefined, attempt: number): Promise<boolean> => {
			const retryAfter = parseRetryAfter(retryAfterHeader);
			const wait = retryAfter ?? backoffDelay(policy, attempt);
			if (totalWait + wait > policy.maxTotalWaitMs || wait > Math.max(policy.maxDelayMs, retryAfter ?? 0)) return false;
			totalWait += wait;
			pendingWait = wait;
			if (wait > 0) await sleep(wait);
			return true;
		};

		for (let attempt = 1; ; attempt++) {
			if (limiter) await limiter.acquire();
			const options: IHttpRequestOptions = {
				method: request.method,
				url,
				qs: request.qs,
				headers: { Accept: 'application/json', ...(request.headers ?? {}) },
				body: request.body as IHttpRequestOptions['body'],
				json: request.encoding !== 'arraybuffer',
				encoding: request.encoding === 'arraybuffer' ? 'arraybuffer' : undefined,
				returnFullResponse: true,
				ignoreHttpStatusErrors: {
					ignore: true,
					except: this.session && !this.session.refreshes ? [] : this.vendor.authRetryStatuses,
				},
				timeout: this.settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
				arrayFormat: 'repeat',
			};
			const started = Date.now();
			let failure: Failure | undefined;
			let response: ApiResponse | undefined;
			let sentWith: unknown;
			try {
				const sent = await this.send(options, refused);
				sentWith = sent.token;
				refused = undefined;
				const raw = sent.raw as { statusCode?: number; status?: number; headers?: unknown; body?: unknown };
				const headers = lowerCaseHeaders(raw.headers);
				response = {
					status: Number(raw.statusCode ?? raw.status ?? 200),
					headers,
					body: request.encoding === 'arraybuffer' ? raw.body : parseBody(raw.body, headers),
				};
			} catch (error) {
				failure = readThrown(error);
				if (failure.status !== undefined) failure.body = parseBody(failure.body, failure.headers);
			}
			const status = response?.status ?? failure?.status;
			const headers = response?.headers ?? failure?.headers ?? {};
			// The limiter learns from the API: a 429 lowers its pace to what the API accepted.
			if (status === 429) limiter?.throttled();
			else if (status !== undefined) limiter?.accept(started);
			const entry: TraceEntry = {
				method: request.method,
				url: redactUrl(url),
				attempt,
				status,
				code: failure?.code,
				waitedMs: pendingWait || undefined,
				durationMs: Date.now() - started,
				requestId: this.vendor.requestIdHeaders.map((h) => headers[h]).find(Boolean),
			};
			trace.push(entry);
			this.ctx.logger?.debug(
				`${this.vendor.displayName} ${request.method} ${entry.url} → ${status ?? entry.code ?? 'failed'} (${entry.durationMs} ms, attempt ${attempt})`,
			);

			if (failure?.token) {
				// No token, so the API request was never sent: any request may go again, writes too,
				// when the token URL's failure is a passing one (no answer, 408, 429, 5xx).
				const token = failure.token;
				entry.code = `no token (${token.status !== undefined ? `HTTP ${token.status}` : (token.code ?? 'no answer')} from the token URL)`;
				const passing = token.status === undefined || token.status === 408 || token.status === 429 || token.status >= 500;
				if (passing && attempt - renewed <= this.maxRetries && (await waitToRetry(token.retryAfter, attempt))) continue;
				throw this.toError({ headers: {}, message: failure.message, token }, trace, { itemIndex, idempotent });
			}

			const unreadable = response && response.status < 300 ? unreadableBody(response, request) : undefined;
			if (response && response.status >= 200 && response.status < 300 && !unreadable) return response;
			if (unreadable) {
				// A cut-off answer to a read is worth another try; an HTML page (a proxy, a login page) is not.
				if (unreadable.retry && idempotent && attempt <= this.maxRetries) {
					const wait = backoffDelay(policy, attempt);
					totalWait += wait;
					pendingWait = wait;
					await sleep(wait);
					continue;
				}
				throw this.error(unreadable.message, trace, { itemIndex, hint: unreadable.hint });
			}
			if (response?.status === 404 && request.allowNotFound) return response;

			const outcome: Outcome | undefined =
				status !== undefined ? { status } : failure?.code ? { code: failure.code } : undefined;
			const body = response?.body ?? failure?.body;
			const session = this.session;
			if (
				session?.refreshes &&
				status !== undefined &&
				repeatAttempt !== attempt &&
				this.vendor.session?.isStaleToken(status, body)
			) {
				// Fetch a new token only if no other request did so since this one was sent.
				renewed++;
				repeatAttempt = attempt + 1;
				refused = sentWith;
				continue;
			}
			if (outcome && attempt - renewed <= this.maxRetries && isRetryable(policy, outcome, idempotent) && (await waitToRetry(headers['retry-after'], attempt))) {
				continue;
			}
			throw this.toError({ status, body, headers, code: failure?.code, message: failure?.message }, trace, {
				itemIndex,
				idempotent,
			});
		}
	}

	/** A failure that is not an HTTP error status (unreadable answers, broken listings), with the trace. */
	error(problem: string, trace: TraceEntry[], extra: { itemIndex?: number; hint?: string } = {}): NodeApiError {
		const message = `${this.vendor.displayName} ${problem}`;
		const description = [extra.hint, trace.length ? `Requests sent:\n${describeTrace(trace)}` : undefined].filter(Boolean).join('\n\n');
		const error = new NodeApiError(this.ctx.getNode(), { message } as JsonObject, {
			message,
			description,
			itemIndex: extra.itemIndex,
		});
		error.context.trace = trace as unknown as IDataObject[];
		return error;
	}

	/** Turns a final failure into a `NodeApiError` with the vendor's message, a hint and the trace. */
	private toError(
		failure: { status?: number; body?: unknown; headers: Record<string, string>; code?: string; message?: string; token?: TokenFailure },
		trace: TraceEntry[],
		extra: { itemIndex?: number; idempotent: boolean },
	): NodeApiError {
		const { status, body, headers } = failure;
		const vendorName = this.vendor.displayName;
		const parsed = status !== undefined ? this.vendor.parseError(body, status) : undefined;
		let message: string;
		if (failure.token) message = failure.message ?? `${vendorName} did not issue an access token`;
		else if (parsed?.message) message = parsed.message;
		else if (status !== undefined) message = `${vendorName} answered HTTP ${status}`;
		else message = `${vendorName} could not be reached (${failure.code ?? failure.message ?? 'no answer'})`;
		// A passing failure's body is often a bare status text ("Bad Gateway"): name the vendor and status.
		if (status !== undefined && (status >= 500 || status === 429) && !message.includes(vendorName) && !message.includes(String(status))) {
			message = `${vendorName} answered HTTP ${status}: ${message}`;
		}
		message = redactText(message);

		const hints: string[] = [];
		if (parsed?.description) hints.push(redactText(parsed.description));
		const hint = parsed?.hint ?? (status !== undefined ? this.vendor.hints?.[status] : undefined);
		if (hint) hints.push(hint);
		// A write that reached the API and broke off (no answer, or a server error) may have been processed.
		const maybeProcessed = status === undefined ? !failure.token && !notSent(failure.code) : status >= 500;
		if (!extra.idempotent && maybeProcessed) {
			hints.push(
				'The request was not retried because it is a write that may already have been processed: check the result in ' +
					`${vendorName} before running it again.`,
			);
		}
		const retryAfterMs = parseRetryAfter(headers['retry-after']);
		let failureKind: NodeApiError['failure'];
		if (status === 429) failureKind = { cause: 'rate-limited', retryAfterMs };
		else if (status === 401) failureKind = { cause: 'credential-invalid' };
		else if (status === undefined || status >= 500) failureKind = { cause: 'temporarily-unavailable', retryAfterMs };

		const description = [...hints, `Requests sent:\n${describeTrace(trace)}`].join('\n\n');
		const errorResponse = {
			message,
			httpCode: status,
			vendor: vendorName,
			code: parsed?.code,
			body: redactValue(body),
			trace,
		};
		const error = new NodeApiError(this.ctx.getNode(), errorResponse as unknown as JsonObject, {
			message,
			description,
			httpCode: status !== undefined ? String(status) : undefined,
			itemIndex: extra.itemIndex,
			failure: failureKind,
		});
		// n8n swaps messages naming a network error code for a generic text ("…You can retry the request
		// immediately…"), which would hide the vendor and contradict the hint for writes.
		error.message = message;
		error.context.trace = trace as unknown as IDataObject[];
		if (parsed?.code) error.context.vendorCode = parsed.code;
		return error;
	}
}
