import type { IHttpRequestOptions } from 'n8n-workflow';

/**
 * What the credential types share: the Authorization header (set by a function, so n8n does not
 * evaluate an expression for every request) and the errors of a token request, which carry
 * only the vendor's words and never the request (it held the client secret).
 */

/** Sets the Authorization header of an outgoing request. */
export function authorize(requestOptions: IHttpRequestOptions, value: string): IHttpRequestOptions {
	requestOptions.headers = { ...(requestOptions.headers ?? {}), Authorization: value };
	return requestOptions;
}

/** A token as pasted by a user: trimmed, without a leading scheme word ("Bearer", "ApiKey"). */
export function bareToken(value: unknown, scheme: string): string {
	return String(value ?? '')
		.trim()
		.replace(new RegExp(`^${scheme}\\s+`, 'i'), '');
}

/** The words for a network error code of a request that got no answer. */
function unreachableBecause(code: string | undefined): string {
	if (code === 'ECONNREFUSED') return 'the connection was refused';
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its host name is unknown';
	if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') return 'it did not answer in time';
	return 'no answer came';
}

/**
 * The token URL gave no answer. `tokenRequest` tells the node's transport that the API request
 * itself was never sent (so even a write may be retried).
 */
export function tokenUrlUnreachable(
	vendor: string,
	tokenUrl: string,
	error: { code?: string; cause?: { code?: string } },
	check: string,
): Error {
	const code = error?.code ?? error?.cause?.code;
	return Object.assign(
		new Error(`Could not reach the ${vendor} token URL ${tokenUrl}: ${unreachableBecause(code)}. ${check}`),
		{ tokenRequest: { code: code ?? 'no answer' } },
	);
}

/** The token service answered without a token: its status and its own words, and what to check. */
export function tokenRefused(
	vendor: string,
	response: { statusCode: number; headers?: Record<string, string> },
	body: { error?: unknown; error_description?: unknown },
	check: string,
	detail = '',
): Error {
	const status = response.statusCode;
	const reason = [body.error, body.error_description].filter((v) => typeof v === 'string' && v).join(': ');
	const error = new Error(
		`${vendor} did not issue an access token (HTTP ${status}${reason ? `, ${reason}` : ''}).${detail ? ` ${detail}` : ''} ` +
			(status >= 500 || status === 429 ? 'The token service is unavailable or busy: run the node again later.' : check),
	);
	return Object.assign(error, { tokenRequest: { status, retryAfter: (response.headers ?? {})['retry-after'] } });
}
