// Worker entry: wires the Hono app (fetch) and the Cron Trigger (scheduled). Nothing else lives here.
import { createApp } from "./app";
import { runScheduled } from "./jobs/scheduled";

const app = createApp();

export default {
	fetch: app.fetch,
	scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(controller, env)),
} satisfies ExportedHandler<Env>;
