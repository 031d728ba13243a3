// The Worker's own CPU for a big delivery, per invocation, on Node with fake bindings (bench/fakes.mjs,
// D1 answering at once as if it ran elsewhere, as it does in production): the acknowledgement (verify,
// split, store) and one chunk's run from the LEAD_CHUNKS queue. Bundled and run by bench/cpu.mjs; it
// prints one JSON line.
import worker from "../src/index.ts";
import { CHUNK_MAX_CHARS, LEAD_CHUNKS_QUEUE } from "../src/intake/lead-batches.ts";
import { splitTikTokDelivery } from "../src/providers/tiktok.ts";
import { createdRows, createFakeCtx, createFakeD1, createFakeKv } from "./fakes.mjs";
import { BENCH_SECRET, nextLeadId, WEBHOOK_PATH, webhookBody, webhookHeaders } from "./leads.mjs";

const WEBHOOK_URL = `http://relay.bench${WEBHOOK_PATH}?company_id=1`;
const LEADS_PER_CHUNK = 50;

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});

async function main() {
	for (const method of ["log", "info", "warn", "error"]) console[method] = () => {};
	const env = {
		DB: createFakeD1(),
		DEDUPE: createFakeKv(),
		LEAD_CHUNKS: { send: async () => {}, sendBatch: async () => {} },
		TIKTOK_APP_SECRET: BENCH_SECRET,
		TIKTOK_LEADGEN_COMPANY_ID: "",
		TIKTOK_LEADGEN_ADVERTISER_MAPPING: "",
		MAX_BODY_BYTES: "3000000",
		BIG_DELIVERY_LEADS: String(LEADS_PER_CHUNK),
	};
	await acks(env, 1000, 5);
	const ack = await acks(env, 1000, 20);
	await acks(env, 5000, 2);
	const largestAck = await acks(env, 5000, 5);
	await chunks(env, 5);
	const chunk = await chunks(env, 10);
	process.stdout.write(`${JSON.stringify({ ack, largestAck, chunk })}\n`);
}

/** CPU ms of each of `count` acknowledgements of `leads`-lead deliveries. */
async function acks(env, leads, count) {
	const samples = [];
	let bodyBytes = 0;
	for (let i = 0; i < count; i++) {
		const body = webhookBody(Array.from({ length: leads }, nextLeadId));
		bodyBytes = Buffer.byteLength(body);
		const request = new Request(WEBHOOK_URL, {
			method: "POST",
			headers: webhookHeaders(body),
			body,
		});
		const ctx = createFakeCtx();
		const before = process.cpuUsage();
		const response = await worker.fetch(request, env, ctx);
		await Promise.all(ctx.pending.splice(0));
		samples.push(msSince(before));
		const answer = await response.json();
		if (answer.outcome !== "accepted") throw new Error(`not accepted: ${JSON.stringify(answer)}`);
	}
	return { leads, bodyBytes, ...summary(samples) };
}

/** CPU ms of each chunk run of `deliveries` 1000-lead deliveries, one queue message each. */
async function chunks(env, deliveries) {
	const samples = [];
	for (let d = 0; d < deliveries; d++) {
		const ids = Array.from({ length: 1000 }, nextLeadId);
		const split = splitTikTokDelivery(webhookBody(ids), {
			maxLeads: LEADS_PER_CHUNK,
			maxChars: CHUNK_MAX_CHARS,
			maxSliceChars: 500_000,
		});
		for (const [i, chunk] of split.chunks.entries()) {
			const seq = i + 1;
			const from = i * LEADS_PER_CHUNK;
			env.DB.nextCreated = createdRows(ids.slice(from, from + chunk.leads), from + 1);
			env.DB.nextChunk = {
				row: { batchId: 1, seq, ...chunk, attempts: 1, lastError: null },
				batch: {
					provider: "tiktok",
					requestId: `bench-${d}`,
					urlCompanyId: 1,
					leadList: split.list,
					chunks: split.chunks.length,
				},
			};
			let acked = false;
			const message = {
				id: `m-${d}-${seq}`,
				timestamp: new Date(),
				attempts: 1,
				body: { batchId: 1, seq },
				ack: () => {
					acked = true;
				},
				retry: () => {},
			};
			const batch = { queue: LEAD_CHUNKS_QUEUE, messages: [message], ackAll() {}, retryAll() {} };
			const ctx = createFakeCtx();
			const before = process.cpuUsage();
			await worker.queue(batch, env, ctx);
			await Promise.all(ctx.pending.splice(0));
			samples.push(msSince(before));
			if (!acked) throw new Error(`chunk ${seq} not acked`);
		}
	}
	return { leads: LEADS_PER_CHUNK, ...summary(samples) };
}

function msSince(before) {
	const cpu = process.cpuUsage(before);
	return (cpu.user + cpu.system) / 1000;
}

function summary(samples) {
	const sorted = [...samples].sort((a, b) => a - b);
	return {
		samples: samples.length,
		medianMs: sorted[Math.floor(sorted.length / 2)],
		maxMs: sorted[sorted.length - 1],
	};
}
