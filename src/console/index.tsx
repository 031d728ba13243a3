// /console — the operator console: server-rendered pages over the same storage queries and operator
// actions as /api/admin. Order: secure headers with a CSP (no inline script), static assets,
// Origin/Sec-Fetch-Site CSRF check (hono/csrf), sign-in, then the session guard (with its CSRF
// token check) in front of every page and form.
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../http/app-env";
import type { Dispatch } from "../operator/test-lead";
import { CONSOLE_CSS, CONSOLE_JS } from "./assets";
import { requireSession, signInRoutes, signOutRoutes } from "./auth";
import type { ConsoleEnv } from "./console-env";
import { companyPages } from "./pages/companies";
import { forwardPages } from "./pages/forwards";
import { healthPages } from "./pages/health";
import { leadPages } from "./pages/leads";
import { overviewPage } from "./pages/overview";
import { receiptPages } from "./pages/receipts";
import { unresolvedPages } from "./pages/unresolved";

const ASSET_CACHE = "public, max-age=300";

export function consoleRoutes(dispatch: Dispatch) {
	return new Hono<ConsoleEnv>({ strict: false })
		.use(
			secureHeaders({
				contentSecurityPolicy: {
					defaultSrc: ["'none'"],
					scriptSrc: ["'self'"],
					styleSrc: ["'self'"],
					imgSrc: ["'self'"],
					connectSrc: ["'self'"],
					formAction: ["'self'"],
					frameAncestors: ["'none'"],
					baseUri: ["'none'"],
				},
				referrerPolicy: "same-origin",
			}),
		)
		.use(async (c, next) => {
			await next();
			// Pages show leads' personal data: never kept by shared caches or the back-forward cache.
			if (!c.req.path.startsWith("/console/assets/")) c.header("Cache-Control", "no-store");
		})
		.get("/assets/console.css", (c) =>
			c.body(CONSOLE_CSS, 200, {
				"Content-Type": "text/css; charset=utf-8",
				"Cache-Control": ASSET_CACHE,
			}),
		)
		.get("/assets/console.js", (c) =>
			c.body(CONSOLE_JS, 200, {
				"Content-Type": "text/javascript; charset=utf-8",
				"Cache-Control": ASSET_CACHE,
			}),
		)
		.use(csrf())
		.route("/", signInRoutes)
		.use(requireSession)
		.route("/", signOutRoutes)
		.route("/", overviewPage)
		.route("/leads", leadPages)
		.route("/unresolved", unresolvedPages)
		.route("/receipts", receiptPages)
		.route("/forwards", forwardPages)
		.route("/health", healthPages)
		.route("/companies", companyPages(dispatch));
}

/** The console mounted under an app: bare `/` redirects to it. */
export function mountConsole(app: Hono<AppEnv>, dispatch: Dispatch) {
	app.get("/", (c) => c.redirect("/console", 302));
	app.route("/console", consoleRoutes(dispatch));
}
