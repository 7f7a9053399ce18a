/** Keys whose values are secrets wherever they appear in a body, query or header set. */
const SECRET_KEY = /^(authorization|access_?token|refresh_?token|id_?token|client_?secret|api_?key|password|secret|token|x-api-key)$/i;

/** Patterns of credentials embedded in free text (messages, URLs). */
const SECRET_TEXT: RegExp[] = [
	/\b(Bearer|ApiKey|Basic)\s+[A-Za-z0-9._~+/:=-]{6,}/gi,
	/\b(access_token|client_secret|refresh_token|api_key|apikey|token)=([^&\s"']+)/gi,
	/"(access_token|client_secret|refresh_token|authorization|apiKey|api_key|password)"\s*:\s*"[^"]*"/gi,
];

export const REDACTED = '[redacted]';

/** Removes credential-looking substrings from text. */
export function redactText(text: string): string {
	let out = text;
	out = out.replace(SECRET_TEXT[0], (_m, scheme: string) => `${scheme} ${REDACTED}`);
	out = out.replace(SECRET_TEXT[1], (_m, key: string) => `${key}=${REDACTED}`);
	out = out.replace(SECRET_TEXT[2], (_m, key: string) => `"${key}":"${REDACTED}"`);
	return out;
}

/** Deep copy of a JSON-like value with secret-named keys blanked and secret text redacted. */
export function redactValue(value: unknown, depth = 0): unknown {
	if (depth > 20) return REDACTED;
	if (typeof value === 'string') return redactText(value);
	if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
			out[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(inner, depth + 1);
		}
		return out;
	}
	return value;
}

/** A URL safe to show: credentials in user-info and secret-named query values removed. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		parsed.username = '';
		parsed.password = '';
		for (const key of [...parsed.searchParams.keys()]) {
			if (SECRET_KEY.test(key)) parsed.searchParams.set(key, REDACTED);
		}
		return parsed.toString();
	} catch {
		return redactText(url);
	}
}
