import { createHmac, timingSafeEqual } from 'crypto';

export type JwtCheck = { ok: true; claims: Record<string, unknown>; signature: string } | { ok: false; reason: string };

const fromBase64Url = (part: string): Buffer => Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64');

/**
 * Verifies an HS256 JSON Web Token with a shared secret, using only `crypto`: the header must
 * say HS256, the signature must match (constant-time compare), and `exp`/`nbf` are honoured
 * when present.
 */
export function verifyHs256(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): JwtCheck {
	const parts = token.split('.');
	if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return { ok: false, reason: 'not a JWT' };
	const [headerPart, payloadPart, signaturePart] = parts;
	let header: Record<string, unknown>;
	let claims: Record<string, unknown>;
	try {
		header = JSON.parse(fromBase64Url(headerPart).toString('utf8')) as Record<string, unknown>;
		claims = JSON.parse(fromBase64Url(payloadPart).toString('utf8')) as Record<string, unknown>;
	} catch {
		return { ok: false, reason: 'unreadable JWT' };
	}
	if (header.alg !== 'HS256') return { ok: false, reason: `algorithm ${String(header.alg)} is not accepted` };
	const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${headerPart}.${payloadPart}`).digest();
	const given = fromBase64Url(signaturePart);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad signature' };
	if (typeof claims.exp === 'number' && nowSeconds >= claims.exp) return { ok: false, reason: 'expired' };
	if (typeof claims.nbf === 'number' && nowSeconds < claims.nbf) return { ok: false, reason: 'not valid yet' };
	return { ok: true, claims, signature: signaturePart };
}
