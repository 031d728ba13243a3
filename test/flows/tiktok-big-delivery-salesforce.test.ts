// A big delivery's clients are forwarded to Salesforce like any other: each chunk's receipt creates
// their forwards in its own D1 batch, and the chunk's run hands them to the FORWARDS queue.
import { describe, it } from "vitest";
import { seedCompany } from "../support/factories";
import { FakeSalesforce } from "../support/fake-salesforce";
import { consumeChunk, recordingQueue } from "../support/lead-chunks";
import { fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { forwardsSettled, putConnection } from "../support/salesforce";
import { tiktokBatch } from "../support/tiktok-bodies";

describe("a big delivery's clients", () => {
	it("are each forwarded to Salesforce once", { timeout: 30_000 }, async ({ expect }) => {
		const companyId = await seedCompany({ name: "Chunked Salesforce Co" });
		const fake = new FakeSalesforce().install();
		expect((await putConnection(companyId)).status).toBe(201);
		const { queue, sent } = recordingQueue();

		const response = await fetchWithEnv(
			{ LEAD_CHUNKS: queue },
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(tiktokBatch(120)),
		);
		expect(await response.json()).toMatchObject({ outcome: "accepted", chunks: 3 });
		for (const message of sent) await consumeChunk(message);

		const forwards = await forwardsSettled(companyId);
		expect(forwards).toHaveLength(120);
		expect(forwards.every((f) => f.status === "succeeded" && f.remote_id)).toBe(true);
		expect(fake.sentRecords()).toHaveLength(120);
	});
});
