// Queue consumer of the LEAD_CHUNKS queue: one message names one chunk of a big delivery; the chunk's
// row in D1 is the truth, so a redelivered message of a chunk already ingested is acked and does nothing.
import { loadConfig } from "../config";
import { leadChunkMessage } from "../intake/lead-batches";
import type { Logger } from "../log";
import { runLeadChunk } from "./lead-chunks";

/** Seconds before a failed chunk's message comes back: 30 s, doubling, at most 15 minutes. */
function retryDelaySeconds(attempts: number): number {
	return Math.min(30 * 2 ** Math.max(0, attempts - 1), 900);
}

/**
 * Runs each message's chunk (wrangler.toml delivers one message per invocation: a chunk is sized to
 * one invocation's CPU), acks it once the chunk is ingested (or was already), retries it otherwise.
 */
export async function consumeLeadChunks(
	batch: MessageBatch<unknown>,
	env: Env,
	log: Logger,
): Promise<void> {
	const config = loadConfig(env);
	for (const message of batch.messages) {
		const parsed = leadChunkMessage.safeParse(message.body);
		if (!parsed.success) {
			log.error("lead chunk message malformed; dropped");
			message.ack();
			continue;
		}
		try {
			await runLeadChunk(env, config, log, parsed.data);
			message.ack();
		} catch (error) {
			log.error("lead chunk failed; retried", {
				batchId: parsed.data.batchId,
				chunk: parsed.data.seq,
				error: String(error),
			});
			message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
		}
	}
}
