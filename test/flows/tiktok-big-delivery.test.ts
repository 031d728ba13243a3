// A TikTok delivery of more leads than BIG_DELIVERY_LEADS (50 here) is answered once its raw body is
// stored in D1, then ingested chunk by chunk from the LEAD_CHUNKS queue (or the cron): every lead
// lands once, a chunk run again or a consumer dying midway doubles and loses nothing, and each lead's
// log is what the delivery ingested at once would have written. Small deliveries are as before.
import {
	createExecutionContext,
	createScheduledController,
	waitOnExecutionContext,
} from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import worker from "../../src/index";
import { answerLostOnBatchOf, failingBatchOf } from "../support/d1-wrappers";
import { clientRows, count, logRows, seedCompany, seedEmployee } from "../support/factories";
import { batchRow, chunkRows, consumeChunk, recordingQueue } from "../support/lead-chunks";
import { admin, fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { newLeadId, tiktokEntries, tiktokEntry, tiktokWebhook } from "../support/tiktok-bodies";

interface Accepted {
	ok: boolean;
	requestId: string;
	outcome: string;
	batchId: number;
	leads: number;
	chunks: number;
}

/** `count` fresh lead ids and their one delivery. */
function leads(n: number): { ids: string[]; body: string } {
	const ids = Array.from({ length: n }, newLeadId);
	return { ids, body: tiktokWebhook(ids.map((leadId) => ({ leadId }))) };
}

/** POSTs a signed delivery to the company's URL with the given bindings (LEAD_CHUNKS, vars...). */
async function post(companyId: number, body: string, overrides: Partial<Env> = {}) {
	return fetchWithEnv(overrides, `${TIKTOK_PATH}?company_id=${companyId}`, await tiktokInit(body));
}

/** Posts a big delivery with a LEAD_CHUNKS that records its messages: the answer and the messages. */
async function postBig(companyId: number, body: string) {
	const { queue, sent } = recordingQueue();
	const answer = (await (await post(companyId, body, { LEAD_CHUNKS: queue })).json()) as Accepted;
	return { answer, sent };
}

/** The batch's logs, every chunk's (their request ids are `<delivery request id>:<chunk>`). */
async function batchLogs(requestId: string) {
	return (await logRows()).filter((log) => log.request_id?.startsWith(`${requestId}:`));
}

/** How many clients the company has (D1 is shared by the file's tests). */
async function clientCount(companyId: number): Promise<number> {
	return (await clientRows({ companyId })).length;
}

async function cronTick(overrides: Partial<Env>) {
	const ctx = createExecutionContext();
	const controller = createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" });
	await worker.scheduled(controller, { ...env, ...overrides }, ctx);
	await waitOnExecutionContext(ctx);
}

describe("a 1000-lead TikTok delivery", () => {
	it("is answered once its body is stored, then lands every lead exactly once, chunk by chunk", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ autoAssign: true });
		const reps = [await seedEmployee(companyId, "Ana"), await seedEmployee(companyId, "Ben")];
		const { ids, body } = leads(1000);
		const { queue, sent } = recordingQueue();

		const response = await post(companyId, body, { LEAD_CHUNKS: queue });

		// The answer, and what D1 holds before any chunk runs: the body, and nothing else yet.
		expect(response.status).toBe(200);
		const answer = (await response.json()) as Accepted;
		expect(answer).toMatchObject({ ok: true, outcome: "accepted", leads: 1000, chunks: 20 });
		expect(await batchRow(answer.batchId)).toMatchObject({
			request_id: answer.requestId,
			status: "pending",
			leads: 1000,
			chunks: 20,
			chunks_done: 0,
		});
		const stored = await chunkRows(answer.batchId);
		expect(stored.map((chunk) => chunk.body).join("")).toBe(body);
		expect(stored.map((chunk) => [chunk.status, chunk.leads])).toEqual(
			Array.from({ length: 20 }, () => ["pending", 50]),
		);
		expect(sent).toEqual(stored.map((chunk) => ({ batchId: answer.batchId, seq: chunk.seq })));
		expect(await clientCount(companyId)).toBe(0);
		expect(await batchLogs(answer.requestId)).toEqual([]);

		// Half the chunks: the operator sees the batch in flight.
		for (const message of sent.slice(0, 10)) {
			expect(await consumeChunk(message)).toEqual({ acked: true, retried: false });
		}
		expect(await clientCount(companyId)).toBe(500);
		const inFlight = await admin(`/lead-batches/${answer.batchId}`);
		expect(await inFlight.json()).toMatchObject({
			status: "pending",
			chunks_done: 10,
			created: 500,
			chunk_list: expect.arrayContaining([
				expect.objectContaining({ seq: 10, status: "done", created: 50, attempts: 1 }),
				expect.objectContaining({ seq: 11, status: "pending", created: null, attempts: 0 }),
			]),
		});

		for (const message of sent.slice(10)) await consumeChunk(message);

		const clients = await clientRows({ companyId });
		expect(clients).toHaveLength(1000);
		expect(new Set(clients.map((client) => client.external_id))).toEqual(new Set(ids));
		expect(clients.every((client) => client.phones === "+971501234567")).toBe(true);
		// Round robin over the whole delivery, as when it is ingested at once.
		const byRep = reps.map((id) => clients.filter((c) => c.assigned_employee_id === id).length);
		expect(byRep).toEqual([500, 500]);
		const logs = await batchLogs(answer.requestId);
		expect(logs).toHaveLength(1000);
		expect(logs.every((log) => log.status === "success")).toBe(true);
		expect(new Set(logs.map((log) => log.request_id)).size).toBe(20);
		expect(await batchRow(answer.batchId)).toMatchObject({
			status: "done",
			chunks_done: 20,
			created: 1000,
			duplicates: 0,
			failed: 0,
		});
		// The raw body is not kept once its leads are: as for a delivery ingested at once.
		expect((await chunkRows(answer.batchId)).every((c) => c.body === null)).toBe(true);
	});

	it("doubles nothing when a chunk's message is delivered again", async ({ expect }) => {
		const companyId = await seedCompany();
		const { body } = leads(120);
		const { answer, sent } = await postBig(companyId, body);
		for (const message of sent) await consumeChunk(message);

		const again = await consumeChunk(sent[1], { attempts: 2 });

		expect(again).toEqual({ acked: true, retried: false });
		expect(await clientCount(companyId)).toBe(120);
		expect(await batchLogs(answer.requestId)).toHaveLength(120);
		expect(await batchRow(answer.batchId)).toMatchObject({ chunks_done: 3, created: 120 });
		expect((await chunkRows(answer.batchId)).map((c) => c.attempts)).toEqual([1, 1, 1]);
	});

	it("writes a chunk once when two runs of it overlap (the queue's and the cron's)", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const { body } = leads(120);
		const { answer, sent } = await postBig(companyId, body);

		const runs = await Promise.all([consumeChunk(sent[0]), consumeChunk(sent[0])]);

		expect(runs).toEqual([
			{ acked: true, retried: false },
			{ acked: true, retried: false },
		]);
		expect(await clientCount(companyId)).toBe(50);
		expect(await batchLogs(answer.requestId)).toHaveLength(50);
		expect(await batchRow(answer.batchId)).toMatchObject({ chunks_done: 1, created: 50 });
		expect((await chunkRows(answer.batchId))[0]).toMatchObject({ status: "done", attempts: 2 });
		// The rest, so no chunk of this test is left for the cron test below.
		for (const message of sent.slice(1)) await consumeChunk(message);
	});

	it("doubles nothing when the consumer dies after its chunk's batch committed", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const { body } = leads(120);
		const { answer, sent } = await postBig(companyId, body);

		// Chunk 2's receipt commits, but the answer never comes back: the consumer sees a failure.
		const crashed = await consumeChunk(sent[1], { overrides: { DB: answerLostOnBatchOf(5) } });
		expect(crashed).toEqual({ acked: false, retried: true });
		expect(await clientCount(companyId)).toBe(50);

		// Queues delivers the message again, and the other chunks as usual.
		for (const message of sent) await consumeChunk(message, { attempts: 2 });

		expect(await clientCount(companyId)).toBe(120);
		const logs = await batchLogs(answer.requestId);
		expect(logs).toHaveLength(120);
		expect(new Set(logs.map((log) => log.external_id)).size).toBe(120);
		expect(await batchRow(answer.batchId)).toMatchObject({
			status: "done",
			chunks_done: 3,
			created: 120,
		});
	});

	it("loses nothing when the consumer fails midway, after claiming its chunk", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const { ids, body } = leads(120);
		const { answer, sent } = await postBig(companyId, body);

		// The claim (attempts + 1) is written; the receipt's batch is refused: the message is retried.
		const failed = await consumeChunk(sent[0], { overrides: { DB: failingBatchOf(5) } });
		expect(failed).toEqual({ acked: false, retried: true });
		const [first] = await chunkRows(answer.batchId);
		expect(first).toMatchObject({ status: "pending", attempts: 1 });
		expect(first?.last_error).toContain("storage unavailable");
		expect(await clientCount(companyId)).toBe(0);

		for (const message of sent) await consumeChunk(message, { attempts: 2 });

		expect(new Set((await clientRows({ companyId })).map((c) => c.external_id))).toEqual(
			new Set(ids),
		);
		expect(await clientCount(companyId)).toBe(120);
		expect((await chunkRows(answer.batchId)).map((c) => [c.status, c.attempts])).toEqual([
			["done", 2],
			["done", 1],
			["done", 1],
		]);
	});

	it("is ingested by the cron, one chunk a run, when the LEAD_CHUNKS queue is unbound", async ({
		expect,
	}) => {
		// The cron takes any pending chunk: this file's other tests leave none.
		expect(await count("lead_batch_chunks WHERE status = 'pending'")).toBe(0);
		const companyId = await seedCompany();
		const { ids, body } = leads(120);
		const unbound = { LEAD_CHUNKS: undefined } as unknown as Partial<Env>;

		const response = await post(companyId, body, unbound);

		const answer = (await response.json()) as Accepted;
		expect(answer).toMatchObject({ outcome: "accepted", leads: 120, chunks: 3 });
		const progress: number[] = [];
		for (let run = 0; run < 4; run++) {
			await cronTick(unbound);
			progress.push(await clientCount(companyId));
		}
		expect(progress).toEqual([50, 100, 120, 120]);
		expect(new Set((await clientRows({ companyId })).map((c) => c.external_id))).toEqual(
			new Set(ids),
		);
		expect(await batchRow(answer.batchId)).toMatchObject({ status: "done", created: 120 });
	});

	it("runs through the real LEAD_CHUNKS queue of wrangler.toml", { timeout: 30_000 }, async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const { body } = leads(120);

		const response = await exports.default.fetch(
			`https://relay.test${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(body),
		);

		const answer = (await response.json()) as Accepted;
		expect(answer).toMatchObject({ outcome: "accepted", chunks: 3 });
		await expect
			.poll(async () => (await batchRow(answer.batchId))?.status, { timeout: 20_000 })
			.toBe("done");
		expect(await clientCount(companyId)).toBe(120);
	});
});

describe("each lead of a chunked delivery", () => {
	it("gets the log the delivery ingested at once would have written", async ({ expect }) => {
		const chunked = await seedCompany({ name: "Chunked Co" });
		const atOnce = await seedCompany({ name: "At Once Co" });
		const known = newLeadId();
		for (const companyId of [chunked, atOnce]) {
			await post(companyId, tiktokWebhook([{ leadId: known }]), { BIG_DELIVERY_LEADS: "0" });
		}
		const repeated = newLeadId();
		const entries = Array.from({ length: 120 }, () => tiktokEntry({ leadId: newLeadId() }));
		entries[5] = tiktokEntry({ leadId: known });
		entries[6] = tiktokEntry({ leadId: repeated });
		entries[7] = tiktokEntry({ leadId: repeated });
		entries[60] = '{"lead_source":"INSTANT_FORM","changes":[{"field":"name","value":"No Id"}]}';
		entries[61] = `{"object":2,"id":${newLeadId()},"review_status":"APPROVED"}`;
		entries[62] = tiktokEntry({ leadId: newLeadId(), phone: "call me" });
		const body = tiktokEntries(entries);

		const { answer: accepted, sent } = await postBig(chunked, body);
		for (const message of sent) await consumeChunk(message);
		const whole = await post(atOnce, body, { BIG_DELIVERY_LEADS: "0" });

		const wholeAnswer = (await whole.json()) as { requestId: string; received: number };
		expect(wholeAnswer.received).toBe(119);
		const shape = (logs: Awaited<ReturnType<typeof logRows>>) =>
			logs
				.map((log) => [
					log.external_id,
					log.status,
					log.message?.replace(/client \d+/, "client N"),
					log.payload,
				])
				.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
		const chunkedLogs = await batchLogs(accepted.requestId);
		const wholeLogs = await logRows({ requestId: wholeAnswer.requestId });
		expect(chunkedLogs).toHaveLength(119);
		expect(shape(chunkedLogs)).toEqual(shape(wholeLogs));
		expect(await batchRow(accepted.batchId)).toMatchObject({
			created: 116,
			duplicates: 2,
			failed: 1,
		});
	});
});

describe("a chunk whose leads do not parse", () => {
	it("is logged as a failure holding its payload; the other chunks' leads land", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const entries = Array.from({ length: 120 }, () => tiktokEntry({ leadId: newLeadId() }));
		entries[70] = `{"id":${newLeadId()},"changes":[{"field":"name","value":"Broken"},]}`;

		const { answer: accepted, sent } = await postBig(companyId, tiktokEntries(entries));
		for (const message of sent) await consumeChunk(message);

		expect(await clientCount(companyId)).toBe(70);
		const failures = (await batchLogs(accepted.requestId)).filter((l) => l.status === "failure");
		expect(failures).toHaveLength(1);
		expect(failures[0]).toMatchObject({
			message: "could not parse payload: malformed JSON",
			request_id: `${accepted.requestId}:2`,
		});
		expect(failures[0]?.payload).toBe(`{"object":1,"entry":[${entries.slice(50, 100).join(",")}]}`);
		expect(await batchRow(accepted.batchId)).toMatchObject({
			status: "done",
			created: 70,
			failed: 1,
		});
	});
});

describe("deliveries that stay on today's path", () => {
	it("ingests a delivery of at most BIG_DELIVERY_LEADS leads at once, as before", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const { queue, sent } = recordingQueue();
		const batchesBefore = await count("lead_batches");

		const fifty = await post(companyId, leads(50).body, { LEAD_CHUNKS: queue });
		const one = await post(companyId, leads(1).body, { LEAD_CHUNKS: queue });

		expect(await fifty.json()).toMatchObject({ received: 50, created: 50, duplicates: 0 });
		expect(await one.json()).toMatchObject({ received: 1, created: 1 });
		expect(await clientCount(companyId)).toBe(51);
		expect(await count("lead_batches")).toBe(batchesBefore);
		expect(sent).toEqual([]);
	});

	it("ingests every delivery at once with BIG_DELIVERY_LEADS 0", async ({ expect }) => {
		const companyId = await seedCompany();
		const batchesBefore = await count("lead_batches");

		const response = await post(companyId, leads(300).body, { BIG_DELIVERY_LEADS: "0" });

		expect(await response.json()).toMatchObject({ received: 300, created: 300 });
		expect(await count("lead_batches")).toBe(batchesBefore);
	});

	it("logs a big body that is not JSON as a failure holding its payload, and stores no batch", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const broken = leads(200).body.slice(0, -40);
		const batchesBefore = await count("lead_batches");

		const response = await post(companyId, broken, { LEAD_CHUNKS: recordingQueue().queue });

		const answer = (await response.json()) as { requestId: string };
		expect(answer).toMatchObject({ outcome: "failure" });
		const [log] = await logRows({ requestId: answer.requestId });
		expect(log).toMatchObject({
			status: "failure",
			message: "could not parse payload: malformed JSON",
		});
		expect(log?.payload).toBe(broken);
		expect(await count("lead_batches")).toBe(batchesBefore);
	});

	it("refuses a big delivery with a wrong signature before storing anything", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const before = [await count("lead_batches"), await count("lead_batch_chunks")];
		const response = await fetchWithEnv(
			{ LEAD_CHUNKS: recordingQueue().queue },
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(leads(200).body, { signature: "00".repeat(32) }),
		);

		expect(response.status).toBe(401);
		expect([await count("lead_batches"), await count("lead_batch_chunks")]).toEqual(before);
	});
});
