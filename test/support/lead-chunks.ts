// Big deliveries in tests: a LEAD_CHUNKS producer that records what the relay sends (so a test decides
// when each chunk runs), the consumer called as Cloudflare calls it, and the batch rows in D1.
import {
	createExecutionContext,
	createMessageBatch,
	getQueueResult,
	waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import { LEAD_CHUNKS_QUEUE, type LeadChunkMessage } from "../../src/intake/lead-batches";

/** A LEAD_CHUNKS binding that keeps every message sent to it, in order. */
export function recordingQueue(): { queue: Queue<LeadChunkMessage>; sent: LeadChunkMessage[] } {
	const sent: LeadChunkMessage[] = [];
	const queue = {
		async send(body: LeadChunkMessage) {
			sent.push(body);
		},
		async sendBatch(messages: Iterable<MessageSendRequest<LeadChunkMessage>>) {
			for (const message of messages) sent.push(message.body);
		},
	};
	return { queue: queue as unknown as Queue<LeadChunkMessage>, sent };
}

let messageCount = 0;

/** Delivers one message to the Worker's queue handler as the LEAD_CHUNKS queue would; its acks/retries. */
export async function consumeChunk(
	body: unknown,
	{ attempts = 1, overrides = {} }: { attempts?: number; overrides?: Partial<Env> } = {},
) {
	messageCount += 1;
	const message = { id: `chunk-msg-${messageCount}`, timestamp: new Date(), attempts, body };
	const batch = createMessageBatch(LEAD_CHUNKS_QUEUE, [message]);
	const ctx = createExecutionContext();
	await worker.queue(batch, { ...env, ...overrides });
	await waitOnExecutionContext(ctx);
	const result = await getQueueResult(batch, ctx);
	return {
		acked: result.explicitAcks.includes(message.id),
		retried: result.retryMessages.some((retry) => retry.msgId === message.id),
	};
}

export interface BatchView {
	id: number;
	request_id: string;
	status: string;
	leads: number;
	chunks: number;
	chunks_done: number;
	created: number;
	duplicates: number;
	failed: number;
	finished_at: string | null;
}

export async function batchRow(id: number): Promise<BatchView | null> {
	return env.DB.prepare("SELECT * FROM lead_batches WHERE id = ?").bind(id).first<BatchView>();
}

export interface ChunkView {
	seq: number;
	body: string | null;
	items_from: number;
	items_to: number;
	leads: number;
	status: string;
	attempts: number;
	last_error: string | null;
	created: number | null;
	duplicates: number | null;
	failed: number | null;
}

export async function chunkRows(batchId: number): Promise<ChunkView[]> {
	const { results } = await env.DB.prepare(
		"SELECT * FROM lead_batch_chunks WHERE batch_id = ? ORDER BY seq",
	)
		.bind(batchId)
		.all<ChunkView>();
	return results;
}
