/**
 * What a polling trigger remembers between polls, so that every record is emitted exactly once:
 * a cursor (the newest change time seen) and the keys already emitted at that time. Many records
 * may share one timestamp, so the cursor alone is not enough; the keys make it exact. Records
 * are asked for with `time >= cursor`, so a record written late with the cursor's timestamp is
 * still caught.
 */
export interface PollState {
	cursor?: string;
	seen: string[];
}

/** Most keys remembered at the cursor's timestamp (older ones are dropped first). */
export const MAX_SEEN = 2000;

const millis = (time: string): number => {
	const value = Date.parse(time);
	return Number.isNaN(value) ? 0 : value;
};

/**
 * The records not emitted before, in time order, and the state to keep. `key` identifies an
 * emission (an ID, or ID + status for "status changed" events); `time` is when it happened.
 */
export function selectNew<T>(
	state: PollState,
	records: T[],
	key: (record: T) => string,
	time: (record: T) => string,
	maxSeen = MAX_SEEN,
): { fresh: T[]; state: PollState } {
	const seen = new Set(state.seen);
	const cursorMs = state.cursor ? millis(state.cursor) : -Infinity;
	const fresh = records
		.filter((r) => millis(time(r)) >= cursorMs && !seen.has(key(r)))
		.sort((a, b) => millis(time(a)) - millis(time(b)));
	if (!fresh.length) return { fresh, state };
	const newest = fresh[fresh.length - 1];
	const newestMs = millis(time(newest));
	// Keys at the new cursor's timestamp: earlier ones (if the cursor did not move) plus new ones.
	const keep = newestMs === cursorMs ? [...state.seen] : [];
	for (const record of fresh) if (millis(time(record)) === newestMs) keep.push(key(record));
	return { fresh, state: { cursor: time(newest), seen: keep.slice(-maxSeen) } };
}

/** How far before "now" an empty first poll starts, for clock differences with the vendor. */
export const START_MARGIN_MS = 60_000;

/**
 * The state after the first activation: start at the newest existing record, emit nothing.
 * With no record yet, start a margin before now, on a whole second: vendors stamp whole
 * seconds and their clock may differ from n8n's, and nothing matched at activation anyway.
 */
export function startAt<T>(
	records: T[],
	key: (record: T) => string,
	time: (record: T) => string,
	now = Date.now(),
): PollState {
	if (!records.length) {
		const start = Math.floor((now - START_MARGIN_MS) / 1000) * 1000;
		return { cursor: new Date(start).toISOString(), seen: [] };
	}
	return selectNew({ seen: [] }, records, key, time).state;
}
