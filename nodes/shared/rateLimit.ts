import { sleep } from 'n8n-workflow';

import type { RateLimit } from './types';

/** Quiet intervals (no 429) after which a lowered rate is raised again by a step. */
const RECOVER_AFTER_INTERVALS = 20;

/**
 * A token bucket that hands out reservations: a caller that finds the bucket empty takes a
 * future slot and sleeps until it, so concurrent callers queue fairly without polling.
 *
 * It also learns a lower limit from the API: 429s that recur mean the API allows fewer calls
 * than the configured limit (a development tenant, another integration sharing the quota). The
 * bucket then paces at what the API accepted (see `throttled`), so the lanes stop running into
 * 429s and whole-second Retry-After waits. After RECOVER_AFTER_INTERVALS quiet
 * intervals the rate rises again by 10 % of the configured limit, up to the configured limit.
 */
export class TokenBucket {
	private tokens: number;
	private updatedAt: number;
	/** The rate in force: the configured calls, or what the API was seen to allow. */
	private calls: number;
	/** Start times of recently accepted calls (at most one interval's worth). */
	private readonly accepted: number[] = [];
	private adjustedAt = -Infinity;
	/** When the current run of 429s began (a lone run changes nothing). */
	private strikeAt = -Infinity;

	constructor(
		private readonly limit: RateLimit,
		private readonly now: () => number = Date.now,
	) {
		this.tokens = limit.burst;
		this.updatedAt = now();
		this.calls = limit.calls;
	}

	/** Calls per interval currently in force (lower than configured after 429s). */
	get rate(): number {
		return this.calls;
	}

	/** The configured burst, scaled down with a lowered rate. */
	private get burst(): number {
		return Math.max(1, Math.floor((this.limit.burst * this.calls) / this.limit.calls));
	}

	/** Milliseconds the caller must wait before its call may go out (the slot is taken). */
	reserve(): number {
		const now = this.now();
		this.recover(now);
		// Refill at (calls − burst) per interval: burst + refill never exceeds `calls` in any window.
		const burst = this.burst;
		const perMs = Math.max(1, this.calls - burst) / this.limit.intervalMs;
		this.tokens = Math.min(burst, this.tokens + (now - this.updatedAt) * perMs);
		this.updatedAt = now;
		this.tokens -= 1;
		return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / perMs);
	}

	async acquire(): Promise<number> {
		const wait = this.reserve();
		if (wait > 0) await sleep(wait);
		return wait;
	}

	/** The API answered a call that started at `startedAt` (anything but 429). */
	accept(startedAt: number = this.now()): void {
		this.accepted.push(startedAt);
		this.forget(this.now());
	}

	/**
	 * The API refused a call with 429. A lone run of 429s may be a burst that the API's own,
	 * shorter window did not take: nothing changes. 429s again half an interval later or more
	 * (within two intervals) mean the API allows less than our pace: pace at what it accepted
	 * in the last interval, unless that is within 10 % of our pace (a window edge, not a lower
	 * limit). One step lowers the pace to a quarter at most: a quota shared with others may
	 * show few calls of ours.
	 */
	throttled(): void {
		const now = this.now();
		this.forget(now);
		const since = now - this.strikeAt;
		if (since > 2 * this.limit.intervalMs) {
			this.strikeAt = now;
			return;
		}
		if (since < this.limit.intervalMs / 2) return;
		this.strikeAt = now;
		const accepted = this.accepted.length;
		if (accepted >= 0.9 * this.calls) return;
		// The bucket never lets more than `calls` start in any interval, so pacing at what the API
		// just accepted stays within its limit.
		this.calls = Math.max(1, accepted, Math.floor(this.calls / 4));
		this.adjustedAt = now;
		// Nothing saved up may go out at the old rate.
		this.tokens = Math.min(this.tokens, 0);
		this.updatedAt = now;
	}

	private recover(now: number): void {
		if (this.calls >= this.limit.calls) return;
		if (now - this.adjustedAt < RECOVER_AFTER_INTERVALS * this.limit.intervalMs) return;
		this.calls = Math.min(this.limit.calls, this.calls + Math.max(1, Math.round(this.limit.calls * 0.1)));
		this.adjustedAt = now;
	}

	private forget(now: number): void {
		const since = now - this.limit.intervalMs;
		let drop = 0;
		while (drop < this.accepted.length && this.accepted[drop] <= since) drop++;
		if (drop) this.accepted.splice(0, drop);
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
