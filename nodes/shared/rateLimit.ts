import { sleep } from 'n8n-workflow';

import type { RateLimit } from './types';

/**
 * A token bucket that hands out reservations: a caller that finds the bucket empty takes a
 * future slot and sleeps until it, so concurrent callers queue fairly without polling.
 */
export class TokenBucket {
	private tokens: number;
	private updatedAt: number;

	constructor(
		private readonly limit: RateLimit,
		private readonly now: () => number = Date.now,
	) {
		this.tokens = limit.burst;
		this.updatedAt = now();
	}

	/** Milliseconds the caller must wait before its call may go out (the slot is taken). */
	reserve(): number {
		// Refill at (calls − burst) per interval: burst + refill never exceeds `calls` in any window.
		const perMs = Math.max(1, this.limit.calls - this.limit.burst) / this.limit.intervalMs;
		const now = this.now();
		this.tokens = Math.min(this.limit.burst, this.tokens + (now - this.updatedAt) * perMs);
		this.updatedAt = now;
		this.tokens -= 1;
		return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / perMs);
	}

	async acquire(): Promise<number> {
		const wait = this.reserve();
		if (wait > 0) await sleep(wait);
		return wait;
	}
}

/**
 * One bucket per vendor, credential and limit, kept for the life of the process so that every
 * item and every execution using the same credential shares it. The burst is at most 5 % of
 * the limit: what goes out at once is taken from the steady rate (95 % of the limit or more).
 */
const buckets = new Map<string, TokenBucket>();

export function limiterFor(key: string, limit: RateLimit): TokenBucket | undefined {
	if (!(limit.calls > 0) || !(limit.intervalMs > 0)) return undefined;
	const fullKey = `${key}|${limit.calls}/${limit.intervalMs}|${limit.burst}`;
	let bucket = buckets.get(fullKey);
	if (!bucket) {
		bucket = new TokenBucket({ ...limit, burst: Math.max(1, Math.min(limit.burst, Math.floor(limit.calls / 20))) });
		buckets.set(fullKey, bucket);
	}
	return bucket;
}
