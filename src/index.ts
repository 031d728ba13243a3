// Worker entry: wires the Hono app (fetch), the Cron Trigger (scheduled) and the consumers of the
// FORWARDS and LEAD_CHUNKS queues (queue, told apart by queue name). Nothing else lives here.
import { createFetch } from "./app";
import { loadConfig } from "./config";
import { deliverDeps } from "./forwarders/deliver";
import { LEAD_CHUNKS_QUEUE } from "./intake/lead-batches";
import { consumeForwards } from "./jobs/forwards-consumer";
import { consumeLeadChunks } from "./jobs/lead-chunks-consumer";
import { runScheduled } from "./jobs/scheduled";
import { createLogger } from "./log";

export default {
	fetch: createFetch(),
	scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(controller, env)),
	queue: (batch, env) =>
		batch.queue === LEAD_CHUNKS_QUEUE
			? consumeLeadChunks(batch, env, createLogger({ action: "lead_chunks_queue" }))
			: consumeForwards(
					batch,
					deliverDeps(env, loadConfig(env), createLogger({ action: "forwards_queue" })),
				),
} satisfies ExportedHandler<Env>;
