// The Cron Trigger is wired: scheduled() runs to completion and reports itself in the tail stream.
import {
	createExecutionContext,
	createScheduledController,
	waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, it, vi } from "vitest";
import worker from "../../src/index";

afterEach(() => vi.restoreAllMocks());

describe("scheduled", () => {
	it("runs on the cron and logs one JSON line", async ({ expect }) => {
		const lines: string[] = [];
		vi.spyOn(console, "log").mockImplementation((line: unknown) => {
			lines.push(String(line));
		});
		const controller = createScheduledController({
			scheduledTime: Date.now(),
			cron: "*/5 * * * *",
		});
		const ctx = createExecutionContext();

		await worker.scheduled(controller, env, ctx);
		await waitOnExecutionContext(ctx);

		expect(lines.map((line) => JSON.parse(line))).toEqual([
			{ level: "info", message: "cron tick", action: "cron", outcome: "*/5 * * * *" },
		]);
	});
});
