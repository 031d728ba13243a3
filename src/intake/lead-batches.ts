// Big deliveries: acknowledged once their raw body is stored in chunks (storage/lead-batches.ts), then
// ingested a chunk at a time, each chunk one invocation's work within the Workers Free plan's CPU,
// through the same ingest pipeline and with the same per-lead logs as a delivery ingested at once.
import { z } from "zod";
import type { Config } from "../config";
import { forwardingPolicy } from "../forwarders/deliver";
import type { ProviderProfile } from "../leads/lead";
import { tiktokRoutingRules } from "../leads/routing";
import type { Logger } from "../log";
import {
	type ChunkedDelivery,
	isTikTokLeadList,
	parseTikTokChunk,
	TIKTOK_PROFILE,
	type TikTokDelivery,
} from "../providers/tiktok";
import type { Db } from "../storage/db";
import { StorageRefusedError } from "../storage/db";
import {
	type ChunkRef,
	type ClaimedChunk,
	chunkDoneStatements,
	claimChunk,
	isChunkAlreadyDone,
	recordChunkError,
	storeLeadBatch,
} from "../storage/lead-batches";
import type { CreatedClient, LogRow } from "../storage/receipts";
import { D1_MAX_VALUE_BYTES } from "../storage/row-limits";
import { type IngestResult, ingestLeads, recordDeliveryLogs, summarise } from "./ingest";

/** The queue's name in wrangler.toml: the Worker's one `queue` handler tells its queues apart by it. */
export const LEAD_CHUNKS_QUEUE = "leadwire-lead-chunks";

export const leadChunkMessage = z.object({
	batchId: z.number().int().positive(),
	seq: z.number().int().positive(),
});
export type LeadChunkMessage = z.infer<typeof leadChunkMessage>;
export type LeadChunksQueue = Queue<LeadChunkMessage>;

/** The LEAD_CHUNKS producer when wrangler.toml binds it; without it the cron ingests the chunks. */
export function leadChunksQueue(env: Env): LeadChunksQueue | undefined {
	return (env as { LEAD_CHUNKS?: LeadChunksQueue }).LEAD_CHUNKS;
}

/** Queues takes at most 100 messages per sendBatch call. */
const MESSAGES_PER_SEND = 100;

/**
 * A chunk's leads stay under this many characters (parsing them is most of a chunk's CPU after the
 * leads' own work); a chunk's stored slice under a quarter of D1's largest value (a UTF-16 character
 * takes at most 3 bytes of UTF-8), else the delivery is ingested at once, with its values cut.
 */
export const CHUNK_MAX_CHARS = 128 * 1024;
const CHUNK_MAX_SLICE_CHARS = Math.floor(D1_MAX_VALUE_BYTES / 4);

/** Runs of one chunk (queue deliveries and cron picks) before its leads become failure logs. */
export const MAX_CHUNK_ATTEMPTS = 10;

/** How a big delivery is split: BIG_DELIVERY_LEADS leads per chunk, 0 for never. */
export function chunkLimits(config: Config) {
	return {
		maxLeads: config.bigDeliveries.leadsPerChunk,
		maxChars: CHUNK_MAX_CHARS,
		maxSliceChars: CHUNK_MAX_SLICE_CHARS,
	};
}

export interface AcceptedBatch {
	batchId: number;
	leads: number;
	chunks: number;
	/** Every chunk's message was sent; otherwise the cron ingests them. */
	queued: boolean;
}

/**
 * Stores the delivery's chunks (one D1 batch: the answer may follow), then sends a message per
 * chunk. A refused send is logged, not thrown: the stored chunks are the truth and the cron sweeps.
 */
export async function acceptLeadBatch(
	deps: { db: Db; queue: LeadChunksQueue | undefined; log: Logger },
	profile: ProviderProfile,
	delivery: { requestId: string; urlCompanyId: number | undefined; split: ChunkedDelivery },
): Promise<AcceptedBatch> {
	const { split } = delivery;
	const batchId = await storeLeadBatch(deps.db, {
		requestId: delivery.requestId,
		provider: profile.provider,
		leadList: split.list,
		urlCompanyId: delivery.urlCompanyId ?? null,
		leads: split.leads,
		chunks: split.chunks,
	});
	const accepted = { batchId, leads: split.leads, chunks: split.chunks.length };
	if (!deps.queue) return { ...accepted, queued: false };
	try {
		await enqueueChunks(deps.queue, batchId, split.chunks.length);
		return { ...accepted, queued: true };
	} catch (error) {
		deps.log.warn("lead chunks not enqueued; the cron ingests them", {
			batchId,
			error: String(error),
		});
		return { ...accepted, queued: false };
	}
}

async function enqueueChunks(queue: LeadChunksQueue, batchId: number, chunks: number) {
	const messages = Array.from({ length: chunks }, (_, i) => ({ body: { batchId, seq: i + 1 } }));
	for (let i = 0; i < messages.length; i += MESSAGES_PER_SEND) {
		await queue.sendBatch(messages.slice(i, i + MESSAGES_PER_SEND));
	}
}

export interface ChunkDeps {
	db: Db;
	kv: KVNamespace;
	config: Config;
}

export type ChunkOutcome =
	| { kind: "done already" }
	| {
			kind: "ingested";
			chunk: ClaimedChunk;
			created: CreatedClient[];
			counts: ReturnType<typeof summarise>;
	  };

/**
 * Ingests one pending chunk: its clients, logs and done mark in one D1 batch, so a chunk run again
 * (a redelivered message, the cron after the queue, a crash after the commit) writes nothing twice.
 * Throws when D1 fails (run it again later); the chunk keeps the error for the operator.
 */
export async function ingestLeadChunk(deps: ChunkDeps, ref: ChunkRef): Promise<ChunkOutcome> {
	const chunk = await claimChunk(deps.db, ref);
	if (!chunk) return { kind: "done already" };
	const receiptId = `${chunk.requestId}:${chunk.seq}`;
	const last = chunkDoneStatements(ref, receiptId, new Date());
	try {
		const result = await recordChunk(deps, chunk, receiptId, last);
		return { kind: "ingested", chunk, created: result.created, counts: summarise(result) };
	} catch (error) {
		if (isChunkAlreadyDone(error)) return { kind: "done already" };
		if (error instanceof StorageRefusedError) {
			// As for a delivery D1 refuses for good: a failure log without the payload, never a retry loop.
			const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
			const reason = `storage refused the chunk (${cause.slice(0, 200)}); payload not kept`;
			const result = await writeLogs(deps, chunk, receiptId, last, [chunkFailure(reason, null)]);
			return { kind: "ingested", chunk, created: [], counts: summarise(result) };
		}
		await recordChunkError(deps.db, ref, String(error)).catch(() => undefined);
		throw error;
	}
}

/** What a chunk's receipt writes: its leads, or one failure log holding the chunk's leads as sent. */
async function recordChunk(
	deps: ChunkDeps,
	chunk: ClaimedChunk,
	receiptId: string,
	last: ReturnType<typeof chunkDoneStatements>,
): Promise<IngestResult> {
	const source = chunkSource(chunk.provider, chunk.leadList);
	const { text, delivery } = source.parse(chunk);
	if (chunk.attempts > MAX_CHUNK_ATTEMPTS) {
		const reason = `chunk ${chunk.seq} of ${chunk.chunks} not ingested after ${MAX_CHUNK_ATTEMPTS} runs (${chunk.lastError ?? "no error kept"})`;
		return writeLogs(deps, chunk, receiptId, last, [chunkFailure(reason, text)]);
	}
	if (delivery.kind === "invalid") {
		const reason = `could not parse payload: ${delivery.reason}`;
		return writeLogs(deps, chunk, receiptId, last, [chunkFailure(reason, text)]);
	}
	// Entries that are other events (not leads) are skipped without a log, as in the whole delivery.
	if (delivery.kind === "ignored") return writeLogs(deps, chunk, receiptId, last, []);
	const urlCompanyId = chunk.urlCompanyId ?? undefined;
	return ingestLeads(
		{ db: deps.db, kv: deps.kv, forwarding: forwardingPolicy(deps.config) },
		source.profile,
		{
			receiptId,
			leads: delivery.leads,
			rejects: delivery.rejects,
			rules: tiktokRoutingRules(deps.config, urlCompanyId),
			kvFastPath: false,
			last,
		},
	);
}

/** The providers whose deliveries are chunked (TikTok's may carry thousands of leads per POST). */
function chunkSource(
	provider: string,
	leadList: string,
): {
	profile: ProviderProfile;
	parse: (chunk: ClaimedChunk) => { text: string; delivery: TikTokDelivery };
} {
	if (provider === TIKTOK_PROFILE.provider && isTikTokLeadList(leadList)) {
		return { profile: TIKTOK_PROFILE, parse: (chunk) => parseTikTokChunk(leadList, chunk) };
	}
	throw new Error(`no chunk reader for ${provider} ${leadList}`);
}

async function writeLogs(
	deps: ChunkDeps,
	chunk: ClaimedChunk,
	receiptId: string,
	last: ReturnType<typeof chunkDoneStatements>,
	logs: LogRow[],
): Promise<IngestResult> {
	const { profile } = chunkSource(chunk.provider, chunk.leadList);
	await recordDeliveryLogs(deps, profile, receiptId, logs, {
		urlCompanyId: chunk.urlCompanyId ?? undefined,
		last,
	});
	const outcomes = logs.map((log) => ({ outcome: "failure" as const, reason: log.message }));
	return { created: [], outcomes, remember: [] };
}

function chunkFailure(message: string, payload: string | null): LogRow {
	return { companyId: null, status: "failure", message, externalId: null, payload };
}
