// Worker entry: wires the Hono app (fetch), the Cron Trigger (scheduled) and the consumers of the
// FORWARDS, LEAD_CHUNKS and LEAD_SLA queues (queue, told apart by queue name). Nothing else lives here.
import { createFetch } from "./app";
import { loadConfig } from "./config";
import { deliverDeps } from "./forwarders/deliver";
import { LEAD_CHUNKS_QUEUE } from "./intake/lead-batches";
import { consumeForwards } from "./jobs/forwards-consumer";
import { consumeLeadChunks } from "./jobs/lead-chunks-consumer";
import { consumeLeadSla } from "./jobs/lead-sla-consumer";
import { runScheduled } from "./jobs/scheduled";
import { createLogger } from "./log";
import { notifyDeps } from "./notifiers/deliver";
import { LEAD_SLA_QUEUE } from "./notifiers/sla-queue";

export default {
	fetch: createFetch(),
	scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(controller, env)),
	queue: (batch, env) =>
		batch.queue === LEAD_CHUNKS_QUEUE
			? consumeLeadChunks(batch, env, createLogger({ action: "lead_chunks_queue" }))
			: batch.queue === LEAD_SLA_QUEUE
				? consumeLeadSla(
						batch,
						notifyDeps(env, loadConfig(env), createLogger({ action: "lead_sla_queue" })),
					)
				: consumeForwards(
						batch,
						deliverDeps(env, loadConfig(env), createLogger({ action: "forwards_queue" })),
					),
} satisfies ExportedHandler<Env>;
