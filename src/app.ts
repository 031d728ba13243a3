// The Hono app: middleware order, route mounting and the one onError. No business logic here.
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import type { AppEnv } from "./app-env";
import { loadConfig } from "./config";
import { mountConsole } from "./console";
import { errorBody, handleError } from "./errors";
import { createLogger } from "./log";
import { adminRoutes } from "./routes/admin";
import { healthRoutes } from "./routes/health";
import { formRoutes } from "./routes/webhooks/forms";
import { metaRoutes } from "./routes/webhooks/meta";
import { tiktokRoutes } from "./routes/webhooks/tiktok";
import { createDb } from "./storage/db";

export function createApp() {
	const app = new Hono<AppEnv>({ strict: false });

	// An empty headerName: ids are always ours, so a caller cannot make two receipts share one.
	app.use(requestId({ headerName: "" }));
	// Webhook routes read these with c.get(): c.var copies every variable on each access.
	app.use(async (c, next) => {
		c.set("log", createLogger({ requestId: c.get("requestId") }));
		c.set("config", loadConfig(c.env));
		c.set("db", createDb(c.env.DB));
		// Set before next(): a header added after the response exists makes Hono rebuild it.
		c.header("X-Request-Id", c.get("requestId"));
		await next();
	});

	app.route("/health", healthRoutes);
	app.route("/api/integrations/webhooks/tiktok-leadgen", tiktokRoutes);
	app.route("/api/integrations/webhooks/meta", metaRoutes);
	app.route("/api/integrations/webhooks/forms", formRoutes);
	app.route("/api/admin", adminRoutes);
	// The console sends its test lead through this same app, as a provider would.
	mountConsole(app, async (request, env, ctx) => app.fetch(request, env, ctx));

	app.notFound((c) => c.json(errorBody(404, `no route for ${c.req.method} ${c.req.path}`), 404));
	app.onError(handleError);
	return app;
}
