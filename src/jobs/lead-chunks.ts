// Cron job and shared run of a big delivery's chunks: the LEAD_CHUNKS queue consumer runs each chunk
// as its message arrives; the cron ingests pending chunks itself when the queue is unbound, and sweeps
// what the queue lost (chunks still pending QUEUE_GRACE_MINUTES after they were stored) when it is.
import { type Config, loadConfig } from "../config";
import { deliverDeps, forwardNewClients } from "../forwarders/deliver";
import { type ChunkDeps, ingestLeadChunk, leadChunksQueue } from "../intake/lead-batches";
import type { Logger } from "../log";
import { notifyDeps, sendNotificationsOf } from "../notifiers/deliver";
import { createDb } from "../storage/db";
import { type ChunkRef, pendingChunks } from "../storage/lead-batches";
import type { CronJob } from "./cron-job";

/** With the queue bound, the cron leaves a chunk to it this long (its retries included). */
const QUEUE_GRACE_MINUTES = 15;
const JOB_NAME = "lead_chunks";

/** Ingests a chunk, tells its new clients' reps, hands their forwards on, and logs the counts. */
export async function runLeadChunk(
	env: Env,
	config: Config,
	log: Logger,
	ref: ChunkRef,
): Promise<void> {
	const deps: ChunkDeps = { db: createDb(env.DB), kv: env.DEDUPE, config };
	const outcome = await ingestLeadChunk(deps, ref);
	if (outcome.kind === "done already") {
		log.info("lead chunk already ingested", { batchId: ref.batchId, chunk: ref.seq });
		return;
	}
	await sendNotificationsOf(notifyDeps(env, config, log), {
		clientIds: outcome.created.map((client) => client.clientId),
	}).catch((error: unknown) =>
		log.warn("notifications not sent; the cron retries", { error: String(error) }),
	);
	const forwarded = outcome.created.filter((client) => client.forwarded);
	await forwardNewClients(
		deliverDeps(env, config, log),
		forwarded.map((client) => client.clientId),
	);
	const { chunk, counts } = outcome;
	log.info("lead chunk ingested", {
		requestId: chunk.requestId,
		provider: chunk.provider,
		batchId: chunk.batchId,
		chunk: chunk.seq,
		chunks: chunk.chunks,
		...counts,
	});
}

export const leadChunksJob: CronJob = {
	name: JOB_NAME,
	async run(env, now, log) {
		const config = loadConfig(env);
		const jobLog = log.with({ job: JOB_NAME });
		const queued = leadChunksQueue(env) !== undefined;
		const refs = await pendingChunks(createDb(env.DB), {
			limit: config.bigDeliveries.chunksPerCron,
			storedBefore: queued ? new Date(now.getTime() - QUEUE_GRACE_MINUTES * 60_000) : undefined,
		});
		for (const ref of refs) {
			try {
				await runLeadChunk(env, config, jobLog, ref);
			} catch (error) {
				jobLog.error("lead chunk failed; retried next run", {
					batchId: ref.batchId,
					chunk: ref.seq,
					error: String(error),
				});
			}
		}
	},
};
