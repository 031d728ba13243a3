// The Cron Trigger is wired: scheduled() runs every job, logs one JSON line per tick, and one failing
// job does not stop the next.
import {
	createExecutionContext,
	createScheduledController,
	waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it, vi } from "vitest";
import worker from "../../src/index";
import type { CronJob } from "../../src/jobs/cron-job";
import { runScheduled } from "../../src/jobs/scheduled";

function captureLines(): unknown[] {
	const lines: unknown[] = [];
	const capture = (line: unknown) => {
		lines.push(JSON.parse(String(line)));
	};
	vi.spyOn(console, "log").mockImplementation(capture);
	vi.spyOn(console, "error").mockImplementation(capture);
	return lines;
}

describe("scheduled", () => {
	it("runs on the cron and logs its tick", async ({ expect }) => {
		const lines = captureLines();
		const controller = createScheduledController({
			scheduledTime: Date.now(),
			cron: "*/5 * * * *",
		});
		const ctx = createExecutionContext();

		await worker.scheduled(controller, env, ctx);
		await waitOnExecutionContext(ctx);

		expect(lines[0]).toEqual({
			level: "info",
			message: "cron tick",
			action: "cron",
			outcome: "*/5 * * * *",
		});
	});

	it("runs every job with the scheduled time, even after one throws", async ({ expect }) => {
		const lines = captureLines();
		const seen: string[] = [];
		const jobs: CronJob[] = [
			{
				name: "broken",
				run: async () => {
					throw new Error("boom");
				},
			},
			{ name: "next", run: async (_env, now) => void seen.push(now.toISOString()) },
		];
		const scheduledTime = Date.parse("2026-11-22T08:00:00Z");

		await runScheduled(
			createScheduledController({ scheduledTime, cron: "*/5 * * * *" }),
			env,
			jobs,
		);

		expect(seen).toEqual(["2026-11-22T08:00:00.000Z"]);
		expect(lines).toContainEqual({
			level: "error",
			message: "cron job failed",
			action: "cron",
			job: "broken",
			error: "Error: boom",
		});
	});
});
