// Speed-to-lead figures on leads answered at known times (a follow-up task set done, so the trigger
// of migration 0018 records the first response): exact interpolated medians and p90s per rep,
// company, source and day; the 7- and 30-day windows' edges; test leads counted nowhere; a lead
// without a response counted as waiting, never as a zero-second answer.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createDb } from "../../src/storage/db";
import { getSpeedStats } from "../../src/storage/speed-stats";
import { seedAnsweredLead, seedClient, seedCompany, seedEmployee } from "../support/factories";

const db = () => createDb(env.DB);

describe("speed-to-lead figures", () => {
	// Every lead of this test arrives on 2026-06-08; the 7-day window is 2026-06-04 … 2026-06-10.
	const now = new Date("2026-06-10T12:00:00.000Z");
	const at = "2026-06-08T09:00:00.000Z";

	it("give exact medians and p90s per rep, company, source and day", async ({ expect }) => {
		const north = await seedCompany({ name: "Northwind Dental" });
		const south = await seedCompany({ name: "Southwind Clinic" });
		const ann = await seedEmployee(north, "Ann");
		const bob = await seedEmployee(north, "Bob");
		const cy = await seedEmployee(south, "Cy");
		for (const afterSeconds of [300, 60, 240, 120, 180])
			await seedAnsweredLead(north, { at, afterSeconds, employeeId: ann, source: "tiktok" });
		for (const afterSeconds of [90, 30])
			await seedAnsweredLead(north, { at, afterSeconds, employeeId: bob, source: "meta" });
		await seedAnsweredLead(south, { at, afterSeconds: 600, employeeId: cy, source: "tiktok" });
		// Waiting (its task still open) and a test lead answered in a second: neither is a time.
		await seedAnsweredLead(north, { at: "2026-06-09T10:00:00.000Z", employeeId: ann });
		await seedAnsweredLead(north, { at, afterSeconds: 1, employeeId: ann, isTest: true });

		const stats = await getSpeedStats(db(), now, 7);

		expect(stats).toMatchObject({
			from: "2026-06-04T00:00:00.000Z",
			to: "2026-06-11T00:00:00.000Z",
			leads: 9,
			waiting: 1,
			// 30 60 90 120 180 240 300 600: median between the 4th and 5th, p90 at 7.3 of 8.
			overall: { answered: 8, medianSeconds: 150, p90Seconds: 390 },
		});
		expect(stats.perRep).toEqual([
			{ employeeId: bob, name: "Bob", answered: 2, medianSeconds: 60, p90Seconds: 84 },
			{ employeeId: ann, name: "Ann", answered: 5, medianSeconds: 180, p90Seconds: 276 },
			{ employeeId: cy, name: "Cy", answered: 1, medianSeconds: 600, p90Seconds: 600 },
		]);
		expect(stats.perCompany).toEqual([
			{
				companyId: north,
				name: "Northwind Dental",
				answered: 7,
				medianSeconds: 120,
				p90Seconds: 264,
			},
			{
				companyId: south,
				name: "Southwind Clinic",
				answered: 1,
				medianSeconds: 600,
				p90Seconds: 600,
			},
		]);
		expect(stats.perSource).toEqual([
			{ source: "meta", answered: 2, medianSeconds: 60, p90Seconds: 84 },
			{ source: "tiktok", answered: 6, medianSeconds: 210, p90Seconds: 450 },
		]);
		expect(stats.perDay.map((day) => day.day)).toEqual([
			"2026-06-04",
			"2026-06-05",
			"2026-06-06",
			"2026-06-07",
			"2026-06-08",
			"2026-06-09",
			"2026-06-10",
		]);
		expect(stats.perDay[4]).toEqual({
			day: "2026-06-08",
			leads: 8,
			answered: 8,
			medianSeconds: 150,
			p90Seconds: 390,
		});
		// The waiting lead's day: a lead, and no time at all (not a 0 s median).
		expect(stats.perDay[5]).toEqual({ day: "2026-06-09", leads: 1 });

		const southOnly = await getSpeedStats(db(), now, 7, south);
		expect(southOnly).toMatchObject({ leads: 1, waiting: 0, perRep: [{ employeeId: cy }] });
		expect(southOnly.perCompany.map((row) => row.companyId)).toEqual([south]);
	});

	it("count a lead from midnight UTC of the window's first day, and none before", async ({
		expect,
	}) => {
		// Far from the other test's leads: these windows see only their own.
		const edgeNow = new Date("2025-03-15T08:00:00.000Z");
		const company = await seedCompany();
		const lead = (leadAt: string, afterSeconds: number) =>
			seedAnsweredLead(company, { at: leadAt, afterSeconds, source: "tiktok" });
		await lead("2025-03-08T23:59:59.999Z", 5); // just before the 7-day window
		await lead("2025-03-09T00:00:00.000Z", 10); // its first instant
		await lead("2025-02-13T23:59:59.999Z", 20); // just before the 30-day window
		await lead("2025-02-14T00:00:00.000Z", 40); // its first instant
		await lead("2025-03-15T23:59:59.999Z", 60); // the window's last instant (today)
		await lead("2025-03-16T00:00:00.000Z", 80); // tomorrow: outside both

		const week = await getSpeedStats(db(), edgeNow, 7);
		const month = await getSpeedStats(db(), edgeNow, 30);

		expect(week).toMatchObject({ from: "2025-03-09T00:00:00.000Z", leads: 2, waiting: 0 });
		expect(week.overall).toEqual({ answered: 2, medianSeconds: 35, p90Seconds: 55 });
		expect(week.perDay).toHaveLength(7);
		expect([week.perDay[0]?.leads, week.perDay[6]?.leads]).toEqual([1, 1]);
		// 40 s (2025-02-14), 5 s, 10 s and 60 s: the four leads from 2025-02-14 to today.
		expect(month).toMatchObject({ from: "2025-02-14T00:00:00.000Z", leads: 4, waiting: 0 });
		expect(month.overall).toEqual({ answered: 4, medianSeconds: 25, p90Seconds: 54 });
		expect(month.perDay).toHaveLength(30);
		expect(month.perDay[0]).toEqual({
			day: "2025-02-14",
			leads: 1,
			answered: 1,
			medianSeconds: 40,
			p90Seconds: 40,
		});
	});

	it("count nothing but waiting for a window whose leads nobody answered", async ({ expect }) => {
		const company = await seedCompany();
		await seedClient(company, { createdAt: "2024-01-02T10:00:00.000Z" });
		await seedClient(company, { createdAt: "2024-01-03T10:00:00.000Z", isTest: true });

		const stats = await getSpeedStats(db(), new Date("2024-01-03T12:00:00.000Z"), 7);

		expect(stats).toMatchObject({ leads: 1, waiting: 1, overall: null, perRep: [], perSource: [] });
	});
});
