// Console sign-in and the guard in front of every other console route: a Cloudflare Access
// assertion (when configured) or the signed session cookie; CSRF token on every form POST.
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { timingSafeEqual } from "hono/utils/buffer";
import { ACCESS_HEADER, verifyAccessJwt } from "./access";
import type { ConsoleContext, ConsoleEnv } from "./console-env";
import { Document, Field, Notice } from "./layout";
import {
	csrfToken,
	endSession,
	readSession,
	refererPath,
	type Session,
	safeReturnPath,
	sessionKey,
	startSession,
} from "./session";
import { checkSignInLimit } from "./sign-in-limit";

/** A wrong token waits this long: slows guessing without hurting a typo. */
const WRONG_TOKEN_DELAY_MS = 400;
const WRONG_TOKEN = "That token is not valid. Check it and try again.";
const TOO_MANY = "Too many sign-in attempts from this network. Wait a minute and try again.";

const SignIn = ({ next, error, access }: { next: string; error?: string; access: boolean }) => (
	<Document title="Sign in">
		<main id="main" class="signin">
			<h1>Leadwire console</h1>
			{error ? <Notice flash={{ kind: "error", text: error }} /> : null}
			<form class="stack card" method="post" action="/console/sign-in">
				<input type="hidden" name="next" value={next} />
				<Field
					name="token"
					label="Admin token"
					type="password"
					autocomplete="current-password"
					required
					hint="The ADMIN_TOKEN secret of this deployment."
				/>
				<button type="submit">Sign in</button>
			</form>
			{access ? (
				<p class="muted">
					Signed in through Cloudflare Access? Open the console from its Access URL.
				</p>
			) : null}
		</main>
	</Document>
);

const Disabled = () => (
	<Document title="Console disabled">
		<main id="main" class="signin">
			<h1>Console disabled</h1>
			<p>
				Set the ADMIN_TOKEN secret (<code>wrangler secret put ADMIN_TOKEN</code>) to use the
				console.
			</p>
		</main>
	</Document>
);

export const signInRoutes = new Hono<ConsoleEnv>()
	.get("/sign-in", (c) => {
		const next = safeReturnPath(c.req.query("next"));
		return c.html(<SignIn next={next} access={c.var.config.console.access !== undefined} />);
	})
	.post("/sign-in", async (c) => {
		const body = await c.req.parseBody();
		const next = safeReturnPath(typeof body.next === "string" ? body.next : undefined);
		const token = typeof body.token === "string" ? body.token : "";
		const { adminToken } = c.var.config;
		const key = await sessionKey(c.var.config);
		if (adminToken === undefined || key === undefined) return c.html(<Disabled />, 403);
		const limit = await checkSignInLimit(c);
		if (!limit.allowed) {
			c.var.log.warn("console sign-in rate limited", {
				action: "console_sign_in",
				outcome: "rate_limited",
			});
			c.header("Retry-After", String(limit.retryAfterSeconds));
			const access = c.var.config.console.access !== undefined;
			return c.html(<SignIn next={next} error={TOO_MANY} access={access} />, 429);
		}
		if (!(await timingSafeEqual(token, adminToken))) {
			await new Promise((resolve) => setTimeout(resolve, WRONG_TOKEN_DELAY_MS));
			c.var.log.warn("console sign-in refused", { action: "console_sign_in", outcome: "failure" });
			const access = c.var.config.console.access !== undefined;
			return c.html(<SignIn next={next} error={WRONG_TOKEN} access={access} />, 401);
		}
		await startSession(c, key, "token");
		c.var.log.info("console sign-in", { action: "console_sign_in", outcome: "success" });
		return c.redirect(next, 303);
	});

/** Sign-in page for a request without a session, keeping where it was going. */
function toSignIn(c: ConsoleContext) {
	const url = new URL(c.req.url);
	// A form POST goes back to the page the form was on.
	const wanted = c.req.method === "GET" ? `${url.pathname}${url.search}` : refererPath(c);
	const next = safeReturnPath(wanted);
	return c.redirect(`/console/sign-in?next=${encodeURIComponent(next)}`, 303);
}

/** Access assertion first (when configured and sent), else the session cookie. */
async function currentSession(
	c: ConsoleContext,
	key: string,
): Promise<Session | "refused" | undefined> {
	const access = c.var.config.console.access;
	const assertion = c.req.header(ACCESS_HEADER);
	if (access && assertion) {
		const operator = await verifyAccessJwt(assertion, access);
		if (!operator) return "refused";
		// Access re-asserts every request; the nonce binds CSRF tokens to this identity.
		return { operator, expiresAt: Number.MAX_SAFE_INTEGER, nonce: `access:${operator}` };
	}
	return readSession(c, key);
}

export const requireSession = createMiddleware<ConsoleEnv>(async (c, next) => {
	const key = await sessionKey(c.var.config);
	if (key === undefined) return c.html(<Disabled />, 403);
	const session = await currentSession(c, key);
	if (session === "refused") {
		c.var.log.warn("console access assertion refused", {
			action: "console_sign_in",
			outcome: "failure",
		});
		return c.text("Cloudflare Access assertion refused", 403);
	}
	if (!session) return toSignIn(c);
	const csrf = await csrfToken(key, session);
	if (c.req.method === "POST") {
		const body = await c.req.parseBody();
		const sent = typeof body._csrf === "string" ? body._csrf : "";
		if (!(await timingSafeEqual(sent, csrf))) {
			return c.html(
				<Document title="Form expired">
					<main id="main" class="signin">
						<h1>Form expired</h1>
						<p>
							This form is missing its security token or it has expired. Go back, reload the page
							and try again.
						</p>
						<p>
							<a href="/console">Back to the console</a>
						</p>
					</main>
				</Document>,
				403,
			);
		}
	}
	c.set("consoleKey", key);
	c.set("session", session);
	c.set("csrf", csrf);
	await next();
});

export const signOutRoutes = new Hono<ConsoleEnv>().post("/sign-out", async (c) => {
	await endSession(c, c.var.consoleKey);
	return c.redirect("/console/sign-in", 303);
});
