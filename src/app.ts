// The Hono app: middleware order, route mounting and the one onError. No business logic here.
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { RegExpRouter } from "hono/router/reg-exp-router";
import { loadConfig } from "./config";
import { mountConsole } from "./console";
import { errorBody } from "./errors";
import type { AppEnv } from "./http/app-env";
import { handleError } from "./http/on-error";
import { createLogger } from "./log";
import { actionLinkRoutes } from "./routes/actions";
import { adminRoutes } from "./routes/admin";
import { healthRoutes } from "./routes/health";
import { formRoutes } from "./routes/webhooks/forms";
import { metaRoutes } from "./routes/webhooks/meta";
import { tiktokRoutes } from "./routes/webhooks/tiktok";
import { createDb } from "./storage/db";

const WEBHOOKS_PREFIX = "/api/integrations/webhooks/";

/**
 * The Worker's fetch. Webhook deliveries are served by an app holding only the webhook routes, which
 * RegExpRouter matches with one regular expression. The whole app needs TrieRouter (the admin API has
 * `/forwards/retry` beside `/forwards/:id/retry`, which RegExpRouter refuses), and its search was the
 * heaviest function of a delivery in a workerd CPU profile (`BENCH_PROFILE=1 npm run bench`).
 */
export function createFetch(): ExportedHandlerFetchHandler<Env> {
	const app = createApp();
	const webhooks = createApp("webhooks");
	return (request, env, ctx) =>
		(isWebhookDelivery(request.url) ? webhooks : app).fetch(request, env, ctx);
}

function isWebhookDelivery(url: string): boolean {
	const pathStart = url.indexOf("/", url.indexOf("//") + 2);
	return pathStart !== -1 && url.startsWith(WEBHOOKS_PREFIX, pathStart);
}

/** Every route (tests drive it directly), or the webhook routes alone (see createFetch). */
export function createApp(routes: "all" | "webhooks" = "all") {
	const app = new Hono<AppEnv>({
		strict: false,
		...(routes === "webhooks" ? { router: new RegExpRouter() } : {}),
	});

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

	app.route(`${WEBHOOKS_PREFIX}tiktok-leadgen`, tiktokRoutes);
	app.route(`${WEBHOOKS_PREFIX}meta`, metaRoutes);
	app.route(`${WEBHOOKS_PREFIX}forms`, formRoutes);
	if (routes === "all") {
		app.route("/health", healthRoutes);
		app.route("/api/admin", adminRoutes);
		// A notification's one-click links ("Contacted", "Not mine"): signed, no sign-in.
		app.route("/l", actionLinkRoutes);
		// The console sends its test lead through this same app, as a provider would.
		mountConsole(app, async (request, env, ctx) => app.fetch(request, env, ctx));
	}

	app.notFound((c) => c.json(errorBody(404, `no route for ${c.req.method} ${c.req.path}`), 404));
	app.onError(handleError);
	return app;
}
