import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random secret for a webhook registration (256 bits, hex). */
export function newSecret(): string {
	return randomBytes(32).toString('hex');
}

/** Compares a presented secret with the stored one in constant time (whatever their lengths). */
export function sameSecret(presented: string, stored: string): boolean {
	const a = createHash('sha256').update(presented).digest();
	const b = createHash('sha256').update(stored).digest();
	return timingSafeEqual(a, b);
}
