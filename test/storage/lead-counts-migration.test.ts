// The lead_counts migration on a database written before it: real clients already stored are counted
// in their hours (test leads are not), and later inserts are counted by the trigger.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, it } from "vitest";

const db = env.MIGRATION_DB;
// Found by name, not number: migrations are renumbered when branches merge.
const ROLLUP_MIGRATION = env.TEST_MIGRATIONS.findIndex((m) => m.name.includes("lead_counts"));
const BEFORE_ROLLUP = env.TEST_MIGRATIONS.slice(0, ROLLUP_MIGRATION);
const THROUGH_ROLLUP = env.TEST_MIGRATIONS.slice(0, ROLLUP_MIGRATION + 1);

async function rollup() {
	const { results } = await db
		.prepare(
			"SELECT hour, company_id AS companyId, source, count FROM lead_counts ORDER BY 1, 2, 3",
		)
		.all();
	return results;
}

describe("migration lead_counts (the hourly rollup of real leads)", () => {
	beforeAll(async () => {
		await applyD1Migrations(db, BEFORE_ROLLUP);
		await db.batch([
			db.prepare("INSERT INTO companies (id, name) VALUES (1, 'Northwind'), (2, 'Acme')"),
			db.prepare(
				`INSERT INTO clients (company_id, source, external_id, is_test, created_at) VALUES
					(1, 'tiktok', 'a', 0, '2026-12-06T09:00:00.000Z'),
					(1, 'tiktok', 'b', 0, '2026-12-06T09:59:59.999Z'),
					(1, 'tiktok', 'c', 1, '2026-12-06T09:30:00.000Z'),
					(1, 'meta', 'd', 0, '2026-12-06T10:00:00.000Z'),
					(2, 'tiktok', 'e', 0, '2026-12-06T09:15:00.000Z')`,
			),
		]);
		await applyD1Migrations(db, THROUGH_ROLLUP);
	});

	it("counts the real clients stored before it, per hour, company and source", async ({
		expect,
	}) => {
		expect(ROLLUP_MIGRATION).toBeGreaterThan(0);
		expect(await rollup()).toEqual([
			{ hour: "2026-12-06T09", companyId: 1, source: "tiktok", count: 2 },
			{ hour: "2026-12-06T09", companyId: 2, source: "tiktok", count: 1 },
			{ hour: "2026-12-06T10", companyId: 1, source: "meta", count: 1 },
		]);
	});

	it("counts later real clients in the statement that stores them", async ({ expect }) => {
		await db
			.prepare(
				`INSERT INTO clients (company_id, source, external_id, is_test, created_at) VALUES
					(1, 'meta', 'f', 0, '2026-12-06T10:45:00.000Z'), (1, 'meta', 'g', 1, '2026-12-06T10:46:00.000Z')`,
			)
			.run();
		expect((await rollup()).at(-1)).toEqual({
			hour: "2026-12-06T10",
			companyId: 1,
			source: "meta",
			count: 2,
		});
	});
});
