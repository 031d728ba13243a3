// Retry schedules as data, and the pure step from "attempt n failed" to "try again at t".
// Shaped after Svix's schedule (seconds, minutes, hours, then ~1 day): providers and Salesforce
// outages last hours, so the last step lands past a day. `now` and `random` are injected for tests.

export interface BackoffSchedule {
	/** Delay before retry n+1, in seconds, after attempt n (1-based) failed; its length is the attempt budget. */
	delaysSeconds: readonly number[];
	/** ± this fraction of the delay, so retries of one outage do not arrive together. */
	jitter: number;
	/** Bounds for a server's Retry-After, so one header cannot stall or hot-loop a job. */
	retryAfterSeconds: { min: number; max: number };
}

/** Salesforce forwards: 11 attempts, 5 s … 10 h apart, the last ~28.6 h after the first (Svix: ~28 h). */
export const FORWARD_SCHEDULE: BackoffSchedule = {
	delaysSeconds: [5, 30, 120, 300, 1_800, 3_600, 7_200, 18_000, 36_000, 36_000],
	jitter: 0.2,
	retryAfterSeconds: { min: 5, max: 6 * 3_600 },
};

/** Meta Graph lead reads: 11 attempts, 10 s … 12 h apart, the last ~27.9 h after the first. */
export const GRAPH_FETCH_SCHEDULE: BackoffSchedule = {
	delaysSeconds: [10, 60, 300, 900, 1_800, 3_600, 7_200, 14_400, 28_800, 43_200],
	jitter: 0.2,
	retryAfterSeconds: { min: 10, max: 6 * 3_600 },
};

/**
 * Notifications: 6 attempts, 10 s … 1 h apart, the last ~1.4 h after the first. A lead alert that
 * comes hours late has lost its point; the SLA has moved the lead on by then.
 */
export const NOTIFICATION_SCHEDULE: BackoffSchedule = {
	delaysSeconds: [10, 60, 300, 900, 3_600],
	jitter: 0.2,
	retryAfterSeconds: { min: 10, max: 3_600 },
};

/** Rate limits (Salesforce REQUEST_LIMIT_EXCEEDED, Graph codes 4/17/32): wait hours, not seconds. */
export const LONG_BACKOFF_SECONDS = 3_600;

export type NextAttempt = { retry: true; at: Date; delaySeconds: number } | { retry: false };

/**
 * When to try again after `attempts` failed attempts, or no retry once the schedule is spent.
 * A Retry-After (seconds) or a minimum delay (e.g. a rate limit) wins over the schedule, within bounds.
 */
export function nextAttempt(
	schedule: BackoffSchedule,
	attempts: number,
	now: Date,
	options: { retryAfterSeconds?: number; minDelaySeconds?: number; random?: () => number } = {},
): NextAttempt {
	const base = schedule.delaysSeconds[attempts - 1];
	if (base === undefined) return { retry: false };
	const random = options.random ?? Math.random;
	const jittered = base * (1 + schedule.jitter * (2 * random() - 1));
	const { min, max } = schedule.retryAfterSeconds;
	const told =
		options.retryAfterSeconds === undefined
			? undefined
			: Math.min(max, Math.max(min, options.retryAfterSeconds));
	const delaySeconds = Math.round(Math.max(jittered, told ?? 0, options.minDelaySeconds ?? 0));
	return { retry: true, at: new Date(now.getTime() + delaySeconds * 1000), delaySeconds };
}

/** Total attempts a schedule allows (the first try plus one per delay). */
export function attemptBudget(schedule: BackoffSchedule): number {
	return schedule.delaysSeconds.length + 1;
}

/** Reads Retry-After as seconds (delta or HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
	if (!value) return undefined;
	if (/^\d+$/.test(value.trim())) return Number(value.trim());
	const at = Date.parse(value);
	return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - now.getTime()) / 1000));
}
