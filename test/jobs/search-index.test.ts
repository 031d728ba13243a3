// The search indexes' upkeep: single writes leave one FTS5 segment each (automerge is off, so a
// delivery never pays for merging), and the cron job merges them; every client is still found.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { searchIndexJob } from "../../src/jobs/search-index";
import { createLogger } from "../../src/log";
import { seedClient, seedCompany } from "../support/factories";

/** Rows of the names index's storage: its structure, averages and one or more per segment. */
async function segmentRows(): Promise<number> {
	const row = await env.DB.prepare("SELECT count(*) AS n FROM clients_search_data").first<{
		n: number;
	}>();
	return row?.n ?? 0;
}

async function matches(phrase: string): Promise<number> {
	const row = await env.DB.prepare(
		"SELECT count(*) AS n FROM clients_search WHERE clients_search MATCH ?",
	)
		.bind(`"${phrase}"`)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

describe("search index job", () => {
	it("is the only merging: FTS5's automerge is off for both indexes", async ({ expect }) => {
		for (const table of ["clients_search", "phones_search"]) {
			const row = await env.DB.prepare(
				`SELECT v FROM ${table}_config WHERE k = 'automerge'`,
			).first<{ v: number }>();
			expect(row?.v).toBe(0);
		}
	});

	it("merges the segments single writes left, and every client is still found", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const start = await segmentRows();
		// Fewer than FTS5's crisis-merge threshold (16 segments on a level), so nothing merges them.
		for (let i = 0; i < 10; i++) await seedClient(companyId, { fullName: `Merge Probe ${i}` });
		const before = await segmentRows();

		await searchIndexJob.run(env, new Date(), createLogger({ action: "test" }));

		expect(before - start).toBeGreaterThanOrEqual(10);
		expect(await segmentRows()).toBeLessThan(before);
		expect(await matches("merge probe")).toBe(10);
	});
});
