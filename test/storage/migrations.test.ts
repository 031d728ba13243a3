// Migration 0008 on a database written by the schema before it: forwards whose company_id is NULL get
// their client's company, every row and index survives the forwards rebuild, attempts still point at
// their forward.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, it } from "vitest";

const db = env.MIGRATION_DB;
const BEFORE_0008 = env.TEST_MIGRATIONS.filter((m) => m.name < "0008");
// Up to 0008 only: later migrations may change these tables again, and have tests of their own.
const THROUGH_0008 = env.TEST_MIGRATIONS.filter((m) => m.name < "0009");

async function all<T>(query: string): Promise<T[]> {
	return (await db.prepare(query).all<T>()).results;
}

describe("migration 0008 (forwards.company_id NOT NULL)", () => {
	beforeAll(async () => {
		await applyD1Migrations(db, BEFORE_0008);
		// Rows as today's code wrote them: two companies, clients, forwards (one without company_id,
		// as forwards written before the column was filled), and an attempt.
		await db.batch([
			db.prepare("INSERT INTO companies (id, name) VALUES (1, 'Northwind'), (2, 'Contoso')"),
			db.prepare(
				"INSERT INTO clients (id, company_id, source, external_id) VALUES (10, 1, 'tiktok', 'a'), (11, 2, 'tiktok', 'b'), (12, 2, 'forms', 'c')",
			),
			db.prepare(
				`INSERT INTO forwards (id, client_id, company_id, destination, status, attempts, next_attempt_at, last_error_code, remote_id)
				VALUES (100, 10, NULL, 'salesforce', 'dead', 8, NULL, 'UNABLE_TO_LOCK_ROW', NULL),
					(101, 11, 2, 'salesforce', 'succeeded', 1, NULL, NULL, '00Q000000000001'),
					(102, 12, NULL, 'salesforce', 'retry', 2, '2026-12-04T15:00:00.000Z', 'REQUEST_LIMIT_EXCEEDED', NULL)`,
			),
			db.prepare(
				"INSERT INTO forward_attempts (forward_id, attempt_number, outcome, http_status, error_code, duration_ms, trigger) VALUES (100, 8, 'dead', 400, 'UNABLE_TO_LOCK_ROW', 120, 'cron')",
			),
			db.prepare(
				"INSERT INTO integration_logs (provider, action, status, message) VALUES ('tiktok', 'tiktok_lead_received', 'failure', 'no company_id')",
			),
		]);
		await applyD1Migrations(db, THROUGH_0008);
	});

	it("fills company_id from the client and keeps every column of every forward", async ({
		expect,
	}) => {
		const rows = await all(
			"SELECT id, client_id, company_id, status, attempts, next_attempt_at, last_error_code, remote_id FROM forwards ORDER BY id",
		);
		expect(rows).toEqual([
			{
				id: 100,
				client_id: 10,
				company_id: 1,
				status: "dead",
				attempts: 8,
				next_attempt_at: null,
				last_error_code: "UNABLE_TO_LOCK_ROW",
				remote_id: null,
			},
			{
				id: 101,
				client_id: 11,
				company_id: 2,
				status: "succeeded",
				attempts: 1,
				next_attempt_at: null,
				last_error_code: null,
				remote_id: "00Q000000000001",
			},
			{
				id: 102,
				client_id: 12,
				company_id: 2,
				status: "retry",
				attempts: 2,
				next_attempt_at: "2026-12-04T15:00:00.000Z",
				last_error_code: "REQUEST_LIMIT_EXCEEDED",
				remote_id: null,
			},
		]);
	});

	it("makes company_id NOT NULL and keeps the forwards' indexes and foreign keys", async ({
		expect,
	}) => {
		const columns = await all<{ name: string; notnull: number }>("PRAGMA table_info(forwards)");
		expect(columns.find((c) => c.name === "company_id")).toMatchObject({ notnull: 1 });
		const indexes = await all<{ name: string; unique: number }>("PRAGMA index_list(forwards)");
		expect(indexes.map((i) => i.name).sort()).toEqual([
			"forwards_client_destination_uq",
			"forwards_company_status_idx",
			"forwards_due_idx",
		]);
		const keys = await all<{ table: string; from: string }>("PRAGMA foreign_key_list(forwards)");
		expect(keys.map((k) => `${k.from}->${k.table}`).sort()).toEqual([
			"client_id->clients",
			"company_id->companies",
		]);
		expect(await all("PRAGMA foreign_key_check")).toEqual([]);
		await expect(
			db
				.prepare(
					"INSERT INTO forwards (client_id, company_id, destination) VALUES (10, NULL, 'elsewhere')",
				)
				.run(),
		).rejects.toThrow(/NOT NULL constraint failed: forwards.company_id/);
	});

	it("keeps attempts on their forward and new ids after the old ones", async ({ expect }) => {
		expect(
			await all(
				"SELECT forward_id, outcome FROM forward_attempts JOIN forwards ON forwards.id = forward_id",
			),
		).toEqual([{ forward_id: 100, outcome: "dead" }]);
		const inserted = await db
			.prepare(
				"INSERT INTO forwards (client_id, company_id, destination) VALUES (10, 1, 'elsewhere') RETURNING id",
			)
			.first<{ id: number }>();
		expect(inserted?.id).toBe(103);
	});

	it("adds integration_logs.url_company_id and the rejection counters, old logs untouched", async ({
		expect,
	}) => {
		expect(await all("SELECT message, url_company_id FROM integration_logs")).toEqual([
			{ message: "no company_id", url_company_id: null },
		]);
		expect(await all("SELECT * FROM rejection_counts")).toEqual([]);
	});
});

describe("migration 0014 (unresolved leads)", () => {
	beforeAll(async () => {
		await applyD1Migrations(
			db,
			env.TEST_MIGRATIONS.filter((m) => m.name < "0014"),
		);
		// Failures as the code before 0014 wrote them: one awaiting replay, one redelivered (same
		// lead), one a replay turned into a client, a replay's own failure, one without a lead id.
		await db.batch([
			db.prepare(
				`INSERT INTO integration_logs (id, provider, action, status, message, external_id, payload, request_id, replay_outcome)
				VALUES (500, 'tiktok', 'tiktok_lead_received', 'failure', 'no company_id', '7001', '{}', 'r1', NULL),
					(501, 'tiktok', 'tiktok_lead_received', 'failure', 'no company_id', '7001', '{}', 'r2', 'failure'),
					(502, 'tiktok', 'tiktok_lead_received', 'failure', 'no company_id', '7002', '{}', 'r3', 'created'),
					(503, 'tiktok', 'tiktok_lead_received', 'failure', 'no company_id', '7001', '{}', 'replay:500:x', NULL),
					(504, 'meta', 'meta_webhook_received', 'failure', 'could not parse payload: bad JSON', NULL, '{', 'r4', NULL),
					(505, 'tiktok', 'tiktok_lead_received', 'failure', 'payload larger than 3000000 bytes', NULL, NULL, 'r5', NULL)`,
			),
		]);
		await applyD1Migrations(db, env.TEST_MIGRATIONS);
	});

	it("opens one unresolved lead per lead still failing, with the receipts that carried it", async ({
		expect,
	}) => {
		const rows = await all(
			"SELECT lead_key, provider, external_id, cause, first_log_id, last_log_id, attempts, resolved_at FROM unresolved_leads WHERE first_log_id >= 500 ORDER BY id",
		);
		expect(rows).toEqual([
			{
				lead_key: "tiktok:7001",
				provider: "tiktok",
				external_id: "7001",
				cause: "unmapped",
				first_log_id: 500,
				last_log_id: 501,
				attempts: 2,
				resolved_at: null,
			},
			{
				lead_key: "log:504",
				provider: "meta",
				external_id: null,
				cause: "unparseable",
				first_log_id: 504,
				last_log_id: 504,
				attempts: 1,
				resolved_at: null,
			},
		]);
	});
});
