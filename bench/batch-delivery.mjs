// Workerd CPU of big TikTok deliveries, next to the Workers Free plan's 10 ms CPU per invocation:
// the acknowledgement (verify, split, store the body) and each chunk's run from the LEAD_CHUNKS queue,
// one invocation each, as Cloudflare runs them; and, for comparison, a 1000-lead delivery ingested at
// once (BIG_DELIVERY_LEADS=0). Sequential, after the timed load, so nothing else runs on the relay's
// workerd; Miniflare runs D1 and KV in that same process, so this counts their work too.
import { nextLeadId, WEBHOOK_PATH, webhookBody, webhookHeaders } from "./leads.mjs";
import { cpuMsOf, cpuNsOf } from "./workerd-cpu.mjs";

const TIMEOUT_MS = 60_000;
/** The queue the relay's wrangler.toml binds as LEAD_CHUNKS; bound without a consumer in the bench. */
export const LEAD_CHUNKS_QUEUE = "leadwire-lead-chunks";
export const LEAD_CHUNKS_PRODUCER = { LEAD_CHUNKS: LEAD_CHUNKS_QUEUE };

/**
 * Posts `deliveries` signed deliveries of `leads` new leads to a relay that chunks them (LEAD_CHUNKS
 * bound, no consumer), measuring each acknowledgement, then runs every chunk through the Worker's
 * queue handler one message at a time, measuring each. Checks every lead became a client.
 */
export async function measureBigDeliveries(relay, { deliveries = 5, leads = 1000 } = {}) {
	const worker = await relay.mf.getWorker();
	const db = await relay.mf.getD1Database("DB");
	const measure = async (work) => {
		const before = cpuNsOf(relay.workerdPid);
		const result = await work();
		return { result, ms: msBetween(before, cpuNsOf(relay.workerdPid)) };
	};
	// One unmeasured delivery first, so the isolate's routing cache and JIT are warm as in production.
	await runChunks(worker, db, await postAccepted(relay, leads), measure);
	const acks = [];
	const chunks = [];
	for (let i = 0; i < deliveries; i++) {
		const { result: answer, ms } = await measure(() => postAccepted(relay, leads));
		acks.push(ms);
		chunks.push(...(await runChunks(worker, db, answer, measure)));
	}
	const full = chunks.filter((chunk) => chunk.leads === Math.max(...chunks.map((c) => c.leads)));
	return {
		deliveries,
		leadsPerDelivery: leads,
		chunksPerDelivery: chunks.length / deliveries,
		ack: summary(acks),
		largestChunkLeads: full[0]?.leads ?? null,
		largestChunk: summary(full.map((chunk) => chunk.cpuMs)),
	};
}

/**
 * Acknowledgements only, of a delivery near the body limit (MAX_BODY_BYTES): the heaviest ack. Its
 * chunks stay pending (nothing consumes them in the bench).
 */
export async function measureLargestAck(relay, { deliveries = 3, leads = 5000 } = {}) {
	const acks = [];
	let bytes = 0;
	const post = () =>
		postAccepted(relay, leads, (body) => {
			bytes = Buffer.byteLength(body);
		});
	await post();
	for (let i = 0; i < deliveries; i++) {
		const before = cpuNsOf(relay.workerdPid);
		await post();
		acks.push(msBetween(before, cpuNsOf(relay.workerdPid)));
	}
	return { deliveries, leadsPerDelivery: leads, bodyBytes: bytes, ack: summary(acks) };
}

/** Posts `deliveries` deliveries of `leads` leads ingested at once (BIG_DELIVERY_LEADS=0 relay). */
export async function measureBatchDeliveries(relay, { deliveries = 5, leads = 1000 } = {}) {
	await postAtOnce(relay, leads);
	const cpuBefore = cpuMsOf(relay.workerdPid);
	const started = performance.now();
	let created = 0;
	for (let i = 0; i < deliveries; i++) created += await postAtOnce(relay, leads);
	const wallMs = performance.now() - started;
	const cpuAfter = cpuMsOf(relay.workerdPid);
	return {
		deliveries,
		leadsPerDelivery: leads,
		created,
		workerdCpuMsPerDelivery:
			cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / deliveries,
		wallMsPerDelivery: wallMs / deliveries,
	};
}

/** Runs a batch's chunks one message per queue invocation; answers each chunk's leads and CPU ms. */
async function runChunks(worker, db, answer, measure) {
	const { chunks: stored } = await db
		.prepare("SELECT count(*) AS chunks FROM lead_batch_chunks WHERE batch_id = ?")
		.bind(answer.batchId)
		.first();
	if (stored !== answer.chunks) throw new Error(`batch ${answer.batchId}: ${stored} chunks stored`);
	const runs = [];
	for (let seq = 1; seq <= answer.chunks; seq++) {
		const message = {
			id: `bench-${answer.batchId}-${seq}`,
			timestamp: new Date(),
			attempts: 1,
			body: { batchId: answer.batchId, seq },
		};
		const { result, ms: cpuMs } = await measure(() => worker.queue(LEAD_CHUNKS_QUEUE, [message]));
		if (!result.explicitAcks.includes(message.id)) {
			throw new Error(`chunk ${seq} of batch ${answer.batchId} not acked: ${result.outcome}`);
		}
		const { leads } = await db
			.prepare("SELECT leads FROM lead_batch_chunks WHERE batch_id = ? AND seq = ?")
			.bind(answer.batchId, seq)
			.first();
		runs.push({ leads, cpuMs });
	}
	const batch = await db
		.prepare("SELECT status, created FROM lead_batches WHERE id = ?")
		.bind(answer.batchId)
		.first();
	if (batch.status !== "done" || batch.created !== answer.leads) {
		throw new Error(`batch ${answer.batchId} ended ${JSON.stringify(batch)}`);
	}
	return runs;
}

async function postAccepted(relay, leads, seeBody = () => {}) {
	const body = webhookBody(Array.from({ length: leads }, nextLeadId));
	seeBody(body);
	const answer = await post(relay, body);
	if (answer.outcome !== "accepted" || answer.leads !== leads) {
		throw new Error(`${leads}-lead delivery not accepted: ${JSON.stringify(answer)}`);
	}
	return answer;
}

async function postAtOnce(relay, leads) {
	const answer = await post(relay, webhookBody(Array.from({ length: leads }, nextLeadId)));
	if (answer.created !== leads) {
		throw new Error(`${leads}-lead delivery answered ${JSON.stringify(answer)}`);
	}
	return answer.created;
}

async function post(relay, body) {
	const response = await fetch(
		new URL(`${WEBHOOK_PATH}?company_id=${relay.companyId}`, relay.url),
		{
			method: "POST",
			headers: webhookHeaders(body),
			body,
			signal: AbortSignal.timeout(TIMEOUT_MS),
		},
	);
	if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
	return response.json();
}

function msBetween(beforeNs, afterNs) {
	return beforeNs === null || afterNs === null ? null : (afterNs - beforeNs) / 1e6;
}

/** Median and max of CPU ms samples (null when the platform cannot measure them). */
function summary(samples) {
	if (samples.length === 0 || samples.some((sample) => sample === null)) {
		return { samples: samples.length, medianMs: null, maxMs: null };
	}
	const sorted = [...samples].sort((a, b) => a - b);
	return {
		samples: samples.length,
		medianMs: sorted[Math.floor(sorted.length / 2)],
		maxMs: sorted[sorted.length - 1],
	};
}
