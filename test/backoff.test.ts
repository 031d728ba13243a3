// Backoff schedules are data; these tests pin their reach and how jitter and Retry-After apply.
import { describe, it } from "vitest";
import {
	attemptBudget,
	FORWARD_SCHEDULE,
	GRAPH_FETCH_SCHEDULE,
	nextAttempt,
	parseRetryAfter,
} from "../src/backoff";

const NOW = new Date("2026-11-22T08:00:00Z");
const middle = () => 0.5;
const totalHours = (delays: readonly number[]) => delays.reduce((a, b) => a + b, 0) / 3600;

describe("schedules", () => {
	it("keep retrying for more than a day, like Svix", ({ expect }) => {
		expect(totalHours(FORWARD_SCHEDULE.delaysSeconds)).toBeGreaterThan(27);
		expect(totalHours(GRAPH_FETCH_SCHEDULE.delaysSeconds)).toBeGreaterThan(24);
		expect(attemptBudget(FORWARD_SCHEDULE)).toBe(FORWARD_SCHEDULE.delaysSeconds.length + 1);
	});
});

describe("nextAttempt", () => {
	it("follows the schedule step by step and stops after the last", ({ expect }) => {
		const first = nextAttempt(FORWARD_SCHEDULE, 1, NOW, { random: middle });
		expect(first).toEqual({ retry: true, at: new Date(NOW.getTime() + 5_000), delaySeconds: 5 });
		const last = FORWARD_SCHEDULE.delaysSeconds.length;
		expect(nextAttempt(FORWARD_SCHEDULE, last, NOW, { random: middle })).toMatchObject({
			delaySeconds: 36_000,
		});
		expect(nextAttempt(FORWARD_SCHEDULE, last + 1, NOW)).toEqual({ retry: false });
	});

	it("jitters within the schedule's fraction", ({ expect }) => {
		const low = nextAttempt(FORWARD_SCHEDULE, 5, NOW, { random: () => 0 });
		const high = nextAttempt(FORWARD_SCHEDULE, 5, NOW, { random: () => 0.999999 });
		expect(low).toMatchObject({ delaySeconds: 1_440 });
		expect(high).toMatchObject({ delaySeconds: 2_160 });
	});

	it("honours Retry-After within bounds, and a minimum delay for rate limits", ({ expect }) => {
		const told = (seconds: number) =>
			nextAttempt(FORWARD_SCHEDULE, 1, NOW, { random: middle, retryAfterSeconds: seconds });
		expect(told(120)).toMatchObject({ delaySeconds: 120 });
		expect(told(0)).toMatchObject({ delaySeconds: 5 });
		expect(told(999_999)).toMatchObject({ delaySeconds: 6 * 3_600 });
		expect(
			nextAttempt(FORWARD_SCHEDULE, 1, NOW, { random: middle, minDelaySeconds: 3_600 }),
		).toMatchObject({ delaySeconds: 3_600 });
	});
});

describe("parseRetryAfter", () => {
	it("reads seconds and HTTP dates", ({ expect }) => {
		expect(parseRetryAfter("120", NOW)).toBe(120);
		expect(parseRetryAfter("Sun, 22 Nov 2026 08:01:00 GMT", NOW)).toBe(60);
		expect(parseRetryAfter(null, NOW)).toBeUndefined();
		expect(parseRetryAfter("soon", NOW)).toBeUndefined();
	});
});
