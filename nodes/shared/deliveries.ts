import { createHash } from 'node:crypto';

import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

/** Largest delivery body a trigger accepts (vendors send small notifications). */
export const MAX_DELIVERY_BYTES = 1024 * 1024;

/** How long an accepted delivery is remembered to recognise a repeat of it. */
export const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Most deliveries remembered per process (the oldest are forgotten first). */
const MAX_REMEMBERED = 50_000;

const remembered = new Map<string, number>();

/** A short stable key for any parts (hash, so no payload or secret is kept in memory). */
export function deliveryKey(...parts: unknown[]): string {
	const hash = createHash('sha256');
	for (const part of parts) hash.update(typeof part === 'string' ? part : JSON.stringify(part ?? null)).update('\u0000');
	return hash.digest('hex');
}

/**
 * True the first time a key is seen within its window, false for a repeat. Kept in this
 * process's memory: n8n does not keep what a webhook() writes to static data, so a repeat
 * arriving at another webhook process or after a restart is not recognised.
 */
export function firstSighting(key: string, ttlMs = REPLAY_WINDOW_MS, now = Date.now()): boolean {
	const until = remembered.get(key);
	if (until !== undefined && until > now) return false;
	if (until !== undefined) remembered.delete(key);
	remembered.set(key, now + Math.max(1000, ttlMs));
	if (remembered.size > MAX_REMEMBERED) {
		for (const [oldKey, expires] of remembered) {
			if (remembered.size <= MAX_REMEMBERED * 0.9 && expires > now) break;
			remembered.delete(oldKey);
		}
	}
	return true;
}

/** Whether a delivery is larger than a trigger accepts (by its Content-Length, else its size). */
export function tooLarge(ctx: IWebhookFunctions, body: unknown): boolean {
	const declared = Number(ctx.getHeaderData()['content-length']);
	if (Number.isFinite(declared) && declared > MAX_DELIVERY_BYTES) return true;
	try {
		return JSON.stringify(body ?? null).length > MAX_DELIVERY_BYTES;
	} catch {
		return true;
	}
}

/** The answer for a delivery refused before the workflow starts. */
export function refuse(ctx: IWebhookFunctions, status: number, message: string): { noWebhookResponse: true } {
	ctx.getResponseObject().status(status).json({ message } as IDataObject);
	return { noWebhookResponse: true };
}
