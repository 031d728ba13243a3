// Overlapping senders never send one forward twice: the webhook's waitUntil send racing cron runs,
// and cron runs racing each other, against a slow fake org.
import { describe, it } from "vitest";
import { seedCompany } from "../support/factories";
import { FakeSalesforce } from "../support/fake-salesforce";
import { fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import {
	attemptRows,
	forwardRows,
	putConnection,
	runCron,
	seedPendingForwards,
} from "../support/salesforce";
import { tiktokBatch } from "../support/tiktok-bodies";

describe("Salesforce sends under concurrency", () => {
	it("sends each lead once while cron runs overlap the webhook's waitUntil send", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		await putConnection(companyId);
		const fake = new FakeSalesforce().install();
		fake.latencyMs = 20;
		const body = tiktokBatch(100);

		let webhookDone = false;
		const webhook = fetchWithEnv(
			{},
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(body),
		).finally(() => {
			webhookDone = true;
		});
		const crons = (async () => {
			let runs = 0;
			while (!webhookDone || runs < 3) {
				await runCron(new Date());
				runs += 1;
				// Let timers run between ticks (the fake org's latency is a timer): a loop that only
				// awaits D1 never lets workerd fire them, and the webhook's send would never end.
				await new Promise((resolve) => setTimeout(resolve, 1));
			}
		})();
		await Promise.all([webhook, crons]);
		await runCron(new Date(Date.now() + 60_000));

		const rows = await forwardRows(companyId);
		expect(rows).toHaveLength(100);
		expect(rows.every((row) => row.status === "succeeded")).toBe(true);
		expect(fake.sentRecords()).toHaveLength(100);
		expect(fake.records.size).toBe(100);
		const attempts = await attemptRows();
		expect(attempts).toHaveLength(100);
		expect(new Set(attempts.map((a) => a.forward_id)).size).toBe(100);
	});

	it("splits due forwards between cron runs that overlap", async ({ expect }) => {
		const companyId = await seedCompany();
		await putConnection(companyId);
		await seedPendingForwards(companyId, 500, "race");
		const fake = new FakeSalesforce().install();
		fake.latencyMs = 30;
		const at = new Date();

		await Promise.all([runCron(at), runCron(at), runCron(at)]);

		const rows = await forwardRows(companyId);
		expect(rows.filter((row) => row.status === "succeeded")).toHaveLength(500);
		expect(fake.sentRecords()).toHaveLength(500);
		expect(fake.records.size).toBe(500);
	});
});
