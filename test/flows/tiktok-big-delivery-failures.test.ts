// A big delivery's chunk that cannot be ingested still loses nothing: after MAX_CHUNK_ATTEMPTS runs it
// becomes one failure log holding its leads (replayable), and its batch finishes; a chunk D1 refuses
// for good is logged without its payload, as a refused delivery is.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { MAX_CHUNK_ATTEMPTS } from "../../src/intake/lead-batches";
import { refusingBatchOf } from "../support/d1-wrappers";
import { clientRows, logRows, seedCompany } from "../support/factories";
import { batchRow, chunkRows, consumeChunk, recordingQueue } from "../support/lead-chunks";
import { admin, fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { newLeadId, tiktokEntries, tiktokEntry } from "../support/tiktok-bodies";

interface Accepted {
	requestId: string;
	batchId: number;
}

async function bigDelivery(companyId: number) {
	const entries = Array.from({ length: 60 }, () => tiktokEntry({ leadId: newLeadId() }));
	const { queue, sent } = recordingQueue();
	const response = await fetchWithEnv(
		{ LEAD_CHUNKS: queue },
		`${TIKTOK_PATH}?company_id=${companyId}`,
		await tiktokInit(tiktokEntries(entries)),
	);
	return { entries, sent, answer: (await response.json()) as Accepted };
}

describe("a chunk that cannot be ingested", () => {
	it("becomes a failure log holding its leads after the last run, and can be replayed", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const { entries, sent, answer } = await bigDelivery(companyId);
		await env.DB.prepare(
			"UPDATE lead_batch_chunks SET attempts = ?, last_error = 'Error: boom' WHERE batch_id = ? AND seq = 2",
		)
			.bind(MAX_CHUNK_ATTEMPTS, answer.batchId)
			.run();

		for (const message of sent) expect((await consumeChunk(message)).acked).toBe(true);

		const [failure] = await logRows({ requestId: `${answer.requestId}:2` });
		expect(failure).toMatchObject({
			status: "failure",
			message: `chunk 2 of 2 not ingested after ${MAX_CHUNK_ATTEMPTS} runs (Error: boom)`,
			payload: `{"object":1,"entry":[${entries.slice(50).join(",")}]}`,
		});
		expect(await clientRows({ companyId })).toHaveLength(50);
		expect(await batchRow(answer.batchId)).toMatchObject({ status: "done", failed: 1 });

		const replay = await admin(`/logs/${failure?.id}/replay`, { method: "POST" });
		expect(replay.status).toBe(200);
		expect(await clientRows({ companyId })).toHaveLength(60);
	});

	it("is logged without its payload when D1 refuses it for good", async ({ expect }) => {
		const companyId = await seedCompany();
		const { sent, answer } = await bigDelivery(companyId);
		const [, second] = sent;

		// The claim passes; the chunk's receipt is refused (SQLITE_TOOBIG); its failure log is written.
		const refused = await consumeChunk(second, { overrides: { DB: refusingBatchOf(5) } });
		expect(refused.acked).toBe(true);

		const [failure] = await logRows({ requestId: `${answer.requestId}:2` });
		expect(failure?.message).toMatch(
			/^storage refused the chunk \(.*SQLITE_TOOBIG.*\); payload not kept$/,
		);
		expect(failure?.payload).toBeNull();
		expect((await chunkRows(answer.batchId))[1]).toMatchObject({ status: "done", failed: 1 });
	});
});
