// Worker entry: wires the Hono app (fetch), the Cron Trigger (scheduled) and the FORWARDS queue
// consumer (queue). Nothing else lives here.
import { createFetch } from "./app";
import { loadConfig } from "./config";
import { deliverDeps } from "./forwarders/deliver";
import { consumeForwards } from "./jobs/forwards-consumer";
import { runScheduled } from "./jobs/scheduled";
import { createLogger } from "./log";

export default {
	fetch: createFetch(),
	scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(controller, env)),
	queue: (batch, env) =>
		consumeForwards(
			batch,
			deliverDeps(env, loadConfig(env), createLogger({ action: "forwards_queue" })),
		),
} satisfies ExportedHandler<Env>;
