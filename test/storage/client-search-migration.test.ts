// The client_search migration on a database written before it: clients and phones already stored are
// in the search index, and later writes are found through the triggers.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, it } from "vitest";

const db = env.MIGRATION_DB;
// Found by name, not number: migrations are renumbered when branches merge.
const SEARCH_MIGRATION = env.TEST_MIGRATIONS.findIndex((m) => m.name.includes("client_search"));
const BEFORE_SEARCH = env.TEST_MIGRATIONS.slice(0, SEARCH_MIGRATION);
const THROUGH_SEARCH = env.TEST_MIGRATIONS.slice(0, SEARCH_MIGRATION + 1);

async function matches(table: string, phrase: string): Promise<number[]> {
	const { results } = await db
		.prepare(`SELECT rowid AS id FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid`)
		.bind(`"${phrase}"`)
		.all<{ id: number }>();
	return results.map((row) => row.id);
}

describe("migration client_search (trigram search tables)", () => {
	beforeAll(async () => {
		await applyD1Migrations(db, BEFORE_SEARCH);
		await db.batch([
			db.prepare("INSERT INTO companies (id, name) VALUES (1, 'Northwind')"),
			db.prepare(
				`INSERT INTO clients (id, company_id, source, external_id, full_name, email)
				VALUES (10, 1, 'tiktok', 'a', 'Maya Thompson', 'maya@example.com'),
					(11, 1, 'tiktok', 'b', 'Omar Haddad', NULL)`,
			),
			db.prepare(
				"INSERT INTO client_phone_numbers (id, client_id, phone_number) VALUES (20, 11, '+971501234567')",
			),
		]);
		await applyD1Migrations(db, THROUGH_SEARCH);
	});

	it("indexes the clients and phones stored before it", async ({ expect }) => {
		expect(SEARCH_MIGRATION).toBeGreaterThan(0);
		expect(await matches("clients_search", "thomp")).toEqual([10]);
		expect(await matches("clients_search", "EXAMPLE")).toEqual([10]);
		expect(await matches("phones_search", "0123456")).toEqual([20]);
	});

	it("follows later inserts, updates and deletes of clients and phones", async ({ expect }) => {
		await db.batch([
			db.prepare("UPDATE clients SET full_name = 'Omar Nasser' WHERE id = 11"),
			db.prepare(
				"INSERT INTO client_phone_numbers (id, client_id, phone_number) VALUES (21, 10, '+14155550123')",
			),
			db.prepare("DELETE FROM client_phone_numbers WHERE id = 20"),
		]);

		expect(await matches("clients_search", "haddad")).toEqual([]);
		expect(await matches("clients_search", "nasser")).toEqual([11]);
		expect(await matches("phones_search", "4155550")).toEqual([21]);
		expect(await matches("phones_search", "0123456")).toEqual([]);
	});
});
