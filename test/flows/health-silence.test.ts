// Silence through the cron: a company whose TikTok leads came every day for a week and then none for
// SILENCE_HOURS is reported silent (one alert), a new lead clears it (a recovery alert); an occasional
// source is never reported.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { seedCompany } from "../support/factories";
import {
	checkRows,
	fakeWorld,
	hoursAfter,
	runMonitoredCron,
	scannedAlertBodies,
} from "../support/health";

const NOW = new Date("2026-12-03T12:00:00Z");
const sentBodies = scannedAlertBodies([]);

async function seedLeadAt(companyId: number, source: string, at: Date): Promise<void> {
	await env.DB.prepare(
		`INSERT INTO clients (company_id, source, external_id, full_name, email, created_at)
		VALUES (?, ?, ?, 'Maya Thompson', 'maya@example.com', ?)`,
	)
		.bind(companyId, source, crypto.randomUUID(), at.toISOString())
		.run();
}

describe("silence", () => {
	it("reports a daily flow that stopped for 24 h once, and clears it when a lead arrives", async ({
		expect,
	}) => {
		const regular = await seedCompany({ name: "Daily Leads Co" });
		const occasional = await seedCompany({ name: "Sometimes Ltd" });
		// Two leads a day on each of the 7 days before the last 24 h; none since.
		for (let day = 1; day <= 7; day++) {
			await seedLeadAt(regular, "tiktok", hoursAfter(NOW, -24 * day - 3));
			await seedLeadAt(regular, "tiktok", hoursAfter(NOW, -24 * day - 10));
		}
		await seedLeadAt(occasional, "tiktok", hoursAfter(NOW, -24 * 3));
		const { sink } = fakeWorld(() => undefined);

		await runMonitoredCron(NOW);
		await runMonitoredCron(hoursAfter(NOW, 1));

		expect(await checkRows("silence")).toEqual([
			expect.objectContaining({
				check_key: `silence:${regular}:tiktok`,
				status: "warning",
				reason:
					"no lead in the last 24 h after leads every day of the week before: is the provider still sending?",
				link: `/api/admin/clients?company_id=${regular}&source=tiktok`,
			}),
		]);
		expect(sink.messages()).toEqual([
			[
				`:warning: tiktok leads of company ${regular}: no lead in the last 24 h after leads every day of the week before: is the provider still sending?\n\`/api/admin/clients?company_id=${regular}&amp;source=tiktok\``,
			],
		]);

		// Two days later, still nothing: still silent (the week before now holds quiet days too).
		await runMonitoredCron(hoursAfter(NOW, 48));
		expect((await checkRows("silence"))[0]?.status).toBe("warning");

		await seedLeadAt(regular, "tiktok", hoursAfter(NOW, 49));
		await runMonitoredCron(hoursAfter(NOW, 50));

		expect(await checkRows("silence")).toEqual([
			expect.objectContaining({ status: "ok", reason: "1 lead in the last 24 h" }),
		]);
		expect(sink.messages().at(-1)).toEqual([
			expect.stringMatching(/^:white_check_mark: Recovered: tiktok leads of company \d+: 1 lead/),
		]);
		sentBodies.push(...sink.bodies);
	});
});
