// How SQLite runs a big delivery's own statements (EXPLAIN QUERY PLAN on exactly what storage sent):
// storing the chunks, claiming one, marking it done with its log counts, and the cron's pick of
// pending chunks each read only the rows they name, however many batches and logs pile up.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { loadConfig } from "../../src/config";
import { ingestLeadChunk } from "../../src/intake/lead-batches";
import { createDb } from "../../src/storage/db";
import { pendingChunks } from "../../src/storage/lead-batches";
import { capturingD1, type SentStatement } from "../support/d1-wrappers";
import { seedCompany } from "../support/factories";
import { recordingQueue } from "../support/lead-chunks";
import { fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { tiktokBatch } from "../support/tiktok-bodies";

async function planOf(statement: SentStatement): Promise<{ sql: string; lines: string[] }> {
	const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
		.bind(...statement.params)
		.all<{ detail: string }>();
	return { sql: statement.sql.replace(/\s+/g, " ").trim(), lines: results.map((r) => r.detail) };
}

/** Every statement sent while `work` ran on a capturing D1, with its plan. */
async function plansOf(work: (d1: D1Database) => Promise<unknown>) {
	const { db, sent } = capturingD1();
	await work(db);
	return Promise.all(sent.map(planOf));
}

/**
 * Lines of the batch's own statements (those naming lead_batches or lead_batch_chunks) that read a
 * table whole: any SCAN but of the bound VALUES rows and of the partial index of pending chunks. (The
 * ingest pipeline's statements are checked in query-plans.test.ts.)
 */
function wholeReads(plans: { sql: string; lines: string[] }[]): string[] {
	return plans
		.filter((plan) => /lead_batch/.test(plan.sql))
		.flatMap((plan) =>
			plan.lines
				.filter((line) => /^SCAN (?!\d+-ROW VALUES CLAUSE)/.test(line))
				.filter((line) => !line.includes("lead_batch_chunks_pending_idx"))
				.map((line) => `${line} ← ${plan.sql}`),
		);
}

describe("query plans of a big delivery", () => {
	it("store it, claim a chunk and mark it done by key and index alone", async ({ expect }) => {
		const companyId = await seedCompany();
		const { queue, sent } = recordingQueue();
		const post = async (d1: D1Database) =>
			fetchWithEnv(
				{ DB: d1, LEAD_CHUNKS: queue },
				`${TIKTOK_PATH}?company_id=${companyId}`,
				await tiktokInit(tiktokBatch(120)),
			);
		await post(env.DB);
		const stored = await plansOf(post);
		const [message] = sent;
		if (!message) throw new Error("no chunk message sent");
		const chunk = await plansOf((d1) =>
			ingestLeadChunk({ db: createDb(d1), kv: env.DEDUPE, config: loadConfig(env) }, message),
		);

		expect(stored.some((plan) => /INSERT INTO lead_batch_chunks/.test(plan.sql))).toBe(true);
		expect(chunk.some((plan) => /UPDATE lead_batch_chunks SET status/.test(plan.sql))).toBe(true);
		expect(wholeReads([...stored, ...chunk])).toEqual([]);
		const done = chunk.find((plan) => /UPDATE lead_batch_chunks SET status/.test(plan.sql));
		expect(done?.lines.join("\n")).toMatch(
			/SEARCH integration_logs USING INDEX integration_logs_request_idx/,
		);
	});

	it("pick pending chunks from their partial index", async ({ expect }) => {
		const plans = await plansOf((d1) => pendingChunks(createDb(d1), { limit: 1 }));

		expect(plans.map((plan) => plan.lines)).toEqual([
			["SCAN lead_batch_chunks USING COVERING INDEX lead_batch_chunks_pending_idx"],
		]);
	});
});
