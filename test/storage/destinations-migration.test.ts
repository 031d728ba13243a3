// The destinations migration on a database written before it: each company's Salesforce connection
// becomes that company's Salesforce destination (on), the default connection (no company) does not,
// and the connections themselves are untouched, so existing Salesforce forwarding keeps working.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, it } from "vitest";

const db = env.MIGRATION_DB;
// Found by name, not number: migrations are renumbered when branches merge.
const DESTINATIONS = env.TEST_MIGRATIONS.findIndex((m) => m.name.includes("destinations"));
const BEFORE = env.TEST_MIGRATIONS.slice(0, DESTINATIONS);
const THROUGH = env.TEST_MIGRATIONS.slice(0, DESTINATIONS + 1);

describe("migration destinations (Salesforce connections become destinations)", () => {
	beforeAll(async () => {
		await applyD1Migrations(db, BEFORE);
		await db.batch([
			db.prepare(
				"INSERT INTO companies (id, name) VALUES (1, 'Northwind'), (2, 'Acme'), (3, 'Bare')",
			),
			db.prepare(
				`INSERT INTO salesforce_connections (id, company_id, scope, login_url, consumer_key_sealed,
					consumer_secret_sealed, refresh_token_sealed, api_version, target_object, state, created_at)
				VALUES (1, 1, 'company:1', 'https://login.salesforce.com', 'k', 's', 'r', 'v66.0', 'Lead', 'ok',
						'2026-11-01T00:00:00.000Z'),
					(2, 2, 'company:2', 'https://test.salesforce.com', 'k', 's', 'r', 'v66.0', 'Case', 'needs_reauth',
						'2026-11-02T00:00:00.000Z'),
					(3, NULL, 'default', 'https://login.salesforce.com', NULL, NULL, NULL, 'v66.0', 'Lead', 'ok',
						'2026-11-03T00:00:00.000Z')`,
			),
		]);
		await applyD1Migrations(db, THROUGH);
	});

	it("gives each company connection a Salesforce destination, on, and the default none", async ({
		expect,
	}) => {
		const { results } = await db
			.prepare(
				"SELECT company_id, kind, settings, secrets_sealed, state, created_at FROM destinations ORDER BY id",
			)
			.all();
		expect(results).toEqual([
			{
				company_id: 1,
				kind: "salesforce",
				settings: "{}",
				secrets_sealed: null,
				state: "on",
				created_at: "2026-11-01T00:00:00.000Z",
			},
			{
				company_id: 2,
				kind: "salesforce",
				settings: "{}",
				secrets_sealed: null,
				state: "on",
				created_at: "2026-11-02T00:00:00.000Z",
			},
		]);
		const connections = await db
			.prepare("SELECT id, state, consumer_key_sealed FROM salesforce_connections ORDER BY id")
			.all();
		expect(connections.results).toEqual([
			{ id: 1, state: "ok", consumer_key_sealed: "k" },
			{ id: 2, state: "needs_reauth", consumer_key_sealed: "k" },
			{ id: 3, state: "ok", consumer_key_sealed: null },
		]);
	});
});
