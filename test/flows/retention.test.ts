// The cron clears raw payloads older than PAYLOAD_RETENTION_DAYS and keeps every log row; rejection
// counters of older hours are deleted.
import {
	createExecutionContext,
	createScheduledController,
	waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import worker from "../../src/index";
import { count, rowById, seedLog } from "../support/factories";

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = Date.parse("2026-12-01T12:00:00Z");

async function tick(overrides: Partial<Env> = {}) {
	const ctx = createExecutionContext();
	const controller = createScheduledController({ scheduledTime: NOW, cron: "*/5 * * * *" });
	await worker.scheduled(controller, { ...env, ...overrides }, ctx);
	await waitOnExecutionContext(ctx);
}

function daysAgo(days: number): string {
	return new Date(NOW - days * DAY_MS).toISOString();
}

interface LogPayload {
	payload: string | null;
	message: string | null;
}

describe("payload retention", () => {
	it("clears payloads older than 90 days by default and keeps the rows", async ({ expect }) => {
		const old = await seedLog({
			status: "failure",
			message: "no company_id",
			payload: '{"lead":"old"}',
			createdAt: daysAgo(91),
		});
		const recent = await seedLog({
			status: "failure",
			message: "no company_id",
			payload: '{"lead":"recent"}',
			createdAt: daysAgo(89),
		});
		const rowsBefore = await count("integration_logs");

		await tick();

		expect(await rowById<LogPayload>("integration_logs", old)).toMatchObject({
			payload: null,
			message: "no company_id",
		});
		expect(await rowById<LogPayload>("integration_logs", recent)).toMatchObject({
			payload: '{"lead":"recent"}',
		});
		expect(await count("integration_logs")).toBe(rowsBefore);
	});

	it("follows PAYLOAD_RETENTION_DAYS", async ({ expect }) => {
		const tenDays = await seedLog({
			status: "failure",
			payload: '{"lead":"ten days"}',
			createdAt: daysAgo(10),
		});

		await tick({ PAYLOAD_RETENTION_DAYS: "30" });
		expect(await rowById<LogPayload>("integration_logs", tenDays)).toMatchObject({
			payload: '{"lead":"ten days"}',
		});

		await tick({ PAYLOAD_RETENTION_DAYS: "7" });
		expect(await rowById<LogPayload>("integration_logs", tenDays)).toMatchObject({
			payload: null,
		});
	});

	it("deletes rejection counters of hours older than the retention, keeps the rest", async ({
		expect,
	}) => {
		const counter = env.DB.prepare(
			"INSERT INTO rejection_counts (hour, provider, reason, count, last_at) VALUES (?, 'tiktok', 'invalid signature', 5, ?)",
		);
		const oldHour = `${daysAgo(91).slice(0, 13)}:00:00Z`;
		const recentHour = `${daysAgo(89).slice(0, 13)}:00:00Z`;
		await env.DB.batch([counter.bind(oldHour, oldHour), counter.bind(recentHour, recentHour)]);

		await tick();

		const { results } = await env.DB.prepare("SELECT hour FROM rejection_counts").all();
		expect(results).toEqual([{ hour: recentHour }]);
	});
});
