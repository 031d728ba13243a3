// openUnresolved, the statement every failed receipt's batch ends with: a lead is carried on by each
// new failed row, once per row, so a statement run again over rows it already counted changes nothing.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createDb, runBatch } from "../../src/storage/db";
import { openUnresolved } from "../../src/storage/unresolved";

const db = createDb(env.DB);

async function failedLog(requestId: string, message: string): Promise<void> {
	await env.DB.prepare(
		`INSERT INTO integration_logs (provider, action, status, message, external_id, payload,
			request_id, cause, routing_key)
		VALUES ('tiktok', 'tiktok_lead_received', 'failure', ?1, '7001', '{}', ?2, 'unmapped', '42')`,
	)
		.bind(message, requestId)
		.run();
}

async function lead() {
	return env.DB.prepare(
		"SELECT attempts, message, dismissed_at FROM unresolved_leads WHERE lead_key = 'tiktok:7001'",
	).first();
}

describe("openUnresolved", () => {
	it("counts each failed row once, however often its receipt's statement runs", async ({
		expect,
	}) => {
		await failedLog("r1", "first");
		await runBatch(db, [openUnresolved({ receiptId: "r1" })]);
		await runBatch(db, [openUnresolved({ receiptId: "r1" })]);
		expect(await lead()).toEqual({ attempts: 1, message: "first", dismissed_at: null });

		await env.DB.prepare(
			"UPDATE unresolved_leads SET dismissed_at = 'x', dismissed_reason = 'spam' WHERE lead_key = 'tiktok:7001'",
		).run();
		await failedLog("r2", "second");
		await runBatch(db, [openUnresolved({ receiptId: "r2" })]);
		await runBatch(db, [openUnresolved({ receiptId: "r2" })]);
		// A new failure carries the lead on and reopens it; running it again adds nothing.
		expect(await lead()).toEqual({ attempts: 2, message: "second", dismissed_at: null });
	});
});
