// The hourly lead-count rollup (lead_counts): the triggers keep it equal to the real clients per hour,
// and the overview's day/week counts and the silence check read from it give exactly the answers of
// the old reads of every client in the window, on clients placed on and around every window edge.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createDb } from "../../src/storage/db";
import { leadFlows } from "../../src/storage/health";
import { getOverview } from "../../src/storage/overview";
import { seedCompany } from "../support/factories";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const SILENCE_DAYS = 7;

/** Milliseconds around an edge: either side of it, on it, and at the edges of its hour. */
const AROUND = [-HOUR - 1, -HOUR, -61_000, -1, 0, 1, 59_000, HOUR - 1, HOUR, HOUR + 1];

/** The overview's lead counts as they were read before the rollup: every client of the week. */
async function overviewReference(now: Date) {
	const day = new Date(now.getTime() - DAY).toISOString();
	const week = new Date(now.getTime() - 7 * DAY).toISOString();
	const { results } = await env.DB.prepare(
		`SELECT c.company_id AS companyId, co.name AS companyName, c.source AS source,
			coalesce(sum(c.created_at >= ?1), 0) AS day, count(*) AS week
		FROM clients AS c JOIN companies co ON co.id = c.company_id
		WHERE c.created_at >= ?2 AND c.is_test = 0
		GROUP BY c.company_id, c.source ORDER BY co.name, c.source`,
	)
		.bind(day, week)
		.all();
	return results;
}

/** The silence check's flows as they were read before the rollup (without the watched-only rows). */
async function flowsReference(windowStart: Date, days: number) {
	const start = windowStart.toISOString();
	const from = new Date(windowStart.getTime() - days * DAY).toISOString();
	const { results } = await env.DB.prepare(
		`SELECT company_id AS companyId, source, SUM(created_at >= ?1) AS recent,
			COUNT(DISTINCT CASE WHEN created_at < ?1
				THEN CAST((julianday(?1) - julianday(created_at)) AS INTEGER) END) AS daysWithLeads
		FROM clients WHERE created_at >= ?2 AND is_test = 0
		GROUP BY company_id, source ORDER BY company_id, source`,
	)
		.bind(start, from)
		.all();
	return results;
}

async function insertClients(
	rows: { companyId: number; source: string; at: number; isTest?: boolean }[],
) {
	const json = JSON.stringify(
		rows.map((row) => [
			row.companyId,
			row.source,
			new Date(row.at).toISOString(),
			row.isTest ? 1 : 0,
		]),
	);
	await env.DB.prepare(
		`INSERT INTO clients (company_id, source, created_at, is_test)
		SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3 FROM json_each(?) AS j`,
	)
		.bind(json)
		.run();
}

/**
 * Clients of two companies and three sources on and around every edge the reads use (the day and
 * week starts, the silence window's start and each of its day boundaries), some test leads among
 * them, and a steady flow every 37 minutes over nine days.
 */
async function seedAroundEdges(now: Date, windowStart: Date): Promise<void> {
	const companies = [await seedCompany({ name: "Northwind" }), await seedCompany({ name: "Acme" })];
	const edges = [
		now.getTime() - DAY,
		now.getTime() - 7 * DAY,
		...Array.from({ length: SILENCE_DAYS + 1 }, (_, k) => windowStart.getTime() - k * DAY),
	];
	const rows: { companyId: number; source: string; at: number; isTest?: boolean }[] = [];
	for (const [e, edge] of edges.entries())
		for (const [o, offset] of AROUND.entries()) {
			const companyId = companies[(e + o) % 2] ?? 0;
			const source = ["tiktok", "meta", "form"][(e * 3 + o) % 3] ?? "";
			rows.push({ companyId, source, at: edge + offset });
			if (o % 3 === 0) rows.push({ companyId, source: "tiktok", at: edge + offset, isTest: true });
		}
	for (let at = now.getTime() - 9 * DAY; at < now.getTime() + HOUR; at += 37 * 60_000)
		rows.push({ companyId: companies[0] ?? 0, source: "steady", at });
	// A source whose only leads are in one day of the window: it has fewer days with leads.
	rows.push({
		companyId: companies[1] ?? 0,
		source: "rare",
		at: windowStart.getTime() - 3 * DAY - 5 * HOUR,
	});
	await insertClients(rows);
}

const byFlow = (
	a: { companyId: number; source: string },
	b: { companyId: number; source: string },
) => a.companyId - b.companyId || a.source.localeCompare(b.source);

describe("lead_counts, the hourly rollup of real leads", () => {
	for (const [label, now] of [
		["a time within an hour", new Date("2026-12-07T05:17:23.456Z")],
		["a time on the hour", new Date("2026-12-07T05:00:00.000Z")],
	] as const) {
		it(`gives the overview and the silence check the old exact answers at ${label}`, async ({
			expect,
		}) => {
			const windowStart = new Date(now.getTime() - 4 * HOUR - 123_456);
			await seedAroundEdges(now, windowStart);
			const db = createDb(env.DB);

			const overview = await getOverview(db, now);
			expect(overview.leads).toEqual(await overviewReference(now));
			expect(overview.leads.length).toBeGreaterThan(4);

			for (const start of [windowStart, now]) {
				const flows = (await leadFlows(db, start, SILENCE_DAYS)).sort(byFlow);
				expect(flows).toEqual(await flowsReference(start, SILENCE_DAYS));
				expect(flows.find((flow) => flow.source === "rare")?.daysWithLeads).toBe(1);
			}
		});
	}

	it("counts each real client in its hour, from the statement that writes it", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const at = Date.parse("2026-12-07T05:59:59.999Z");
		await insertClients([
			{ companyId, source: "tiktok", at },
			{ companyId, source: "tiktok", at: at + 1 },
			{ companyId, source: "tiktok", at: at + 2 },
			{ companyId, source: "tiktok", at, isTest: true },
		]);
		const rollup = () =>
			env.DB.prepare(
				"SELECT hour, company_id AS companyId, source, count FROM lead_counts WHERE company_id = ? ORDER BY hour, source",
			)
				.bind(companyId)
				.all()
				.then((r) => r.results);
		expect(await rollup()).toEqual([
			{ hour: "2026-12-07T05", companyId, source: "tiktok", count: 1 },
			{ hour: "2026-12-07T06", companyId, source: "tiktok", count: 2 },
		]);

		await env.DB.prepare(
			"DELETE FROM clients WHERE company_id = ? AND created_at >= '2026-12-07T06'",
		)
			.bind(companyId)
			.run();
		await env.DB.prepare("UPDATE clients SET source = 'meta' WHERE company_id = ? AND is_test = 0")
			.bind(companyId)
			.run();
		expect(await rollup()).toEqual([
			{ hour: "2026-12-07T05", companyId, source: "meta", count: 1 },
			{ hour: "2026-12-07T05", companyId, source: "tiktok", count: 0 },
			{ hour: "2026-12-07T06", companyId, source: "tiktok", count: 0 },
		]);
		const overview = await getOverview(createDb(env.DB), new Date(at + HOUR));
		expect(overview.leads.filter((row) => row.companyId === companyId)).toEqual([
			{ companyId, companyName: "Northwind Dental", source: "meta", day: 1, week: 1 },
		]);
	});
});
