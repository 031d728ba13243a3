// Console sign-in: cookie flags, wrong token, sign-out, expired or forged sessions, the return path,
// CSRF refusals and the secure headers every page carries.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { count } from "../support/factories";
import {
	consoleFetch,
	formInit,
	Operator,
	ORIGIN,
	sessionCookie,
	signIn,
	textOf,
} from "../support/operator-console";
import { fetchWithEnv } from "../support/requests";

async function revokedSessions(): Promise<number> {
	const row = await env.DB.prepare(
		"SELECT count(*) AS n FROM console_sessions WHERE revoked_at IS NOT NULL",
	).first<{ n: number }>();
	return row?.n ?? 0;
}

async function attemptRows(): Promise<number> {
	const row = await env.DB.prepare("SELECT count(*) AS n FROM sign_in_attempts").first<{
		n: number;
	}>();
	return row?.n ?? 0;
}

describe("console sign-in", () => {
	it("redirects a request without a session to sign-in, keeping where it was going", async () => {
		const response = await consoleFetch("/console/leads?q=ana");
		expect(response.status).toBe(303);
		expect(response.headers.get("Location")).toBe(
			`/console/sign-in?next=${encodeURIComponent("/console/leads?q=ana")}`,
		);
	});

	it("sets a signed, HttpOnly, Secure, SameSite=Strict session cookie that expires in 12 h", async () => {
		const response = await consoleFetch(
			"/console/sign-in",
			formInit({ token: "test-admin-token", next: "/console/leads?q=ana" }),
		);
		expect(response.status).toBe(303);
		expect(response.headers.get("Location")).toBe("/console/leads?q=ana");
		const cookie = response.headers.get("Set-Cookie") ?? "";
		expect(cookie).toMatch(/^leadwire_console=[^;]+\.[A-Za-z0-9%+/=]+;/);
		expect(cookie).toContain("Max-Age=43200");
		expect(cookie).toContain("Path=/console");
		expect(cookie).toContain("HttpOnly");
		expect(cookie).toContain("Secure");
		expect(cookie).toContain("SameSite=Strict");
		expect(cookie).not.toContain("test-admin-token");
		const page = await consoleFetch("/console", { headers: { Cookie: sessionCookie(response) } });
		expect(page.status).toBe(200);
		expect(textOf(await page.text())).toContain("Needs action");
	});

	it("leaves Secure off only on plain-http 127.0.0.1", async () => {
		const response = await fetchWithEnv(
			{},
			"http://127.0.0.1:8787/console/sign-in",
			formInit({ token: "test-admin-token" }, { Origin: "http://127.0.0.1:8787" }),
		);
		expect(response.status).toBe(303);
		const cookie = response.headers.get("Set-Cookie") ?? "";
		expect(cookie).toContain("HttpOnly");
		expect(cookie).toContain("SameSite=Strict");
		expect(cookie).not.toContain("Secure");
	});

	it("refuses a wrong token with one message that gives no hint, after a delay", async () => {
		const started = Date.now();
		const response = await consoleFetch(
			"/console/sign-in",
			formInit({ token: "test-admin-tokeX" }),
		);
		expect(Date.now() - started).toBeGreaterThanOrEqual(350);
		expect(response.status).toBe(401);
		expect(response.headers.get("Set-Cookie")).toBeNull();
		const text = textOf(await response.text());
		expect(text).toContain("That token is not valid. Check it and try again.");
		const empty = await consoleFetch("/console/sign-in", formInit({ token: "" }));
		expect(textOf(await empty.text())).toContain("That token is not valid.");
	});

	it("never redirects off the console after sign-in", async () => {
		for (const next of [
			"https://evil.test/",
			"//evil.test/console",
			"/\\evil.test",
			"/api/admin/companies",
		]) {
			const response = await consoleFetch(
				"/console/sign-in",
				formInit({ token: "test-admin-token", next }),
			);
			expect(response.headers.get("Location"), next).toBe("/console");
		}
	});

	it("refuses a forged, tampered or expired cookie", async () => {
		const cookie = await signIn();
		const [name, value = ""] = cookie.split("=");
		const [payload = "", signature = ""] = decodeURIComponent(value).split(/\.(?=[^.]*$)/);
		// Move the expiry a year ahead without re-signing: the signature no longer matches.
		const forged = payload.replace(/^\d+/, String(Math.floor(Date.now() / 1000) + 365 * 86400));
		const answers = await Promise.all(
			[`${name}=${encodeURIComponent(`${forged}.${signature}`)}`, `${name}=anything.abc`].map((c) =>
				consoleFetch("/console", { headers: { Cookie: c } }),
			),
		);
		for (const response of answers) expect(response.status).toBe(303);
		// A session signed for a 1-second lifetime is refused once it has passed.
		const short = await fetchWithEnv(
			{ CONSOLE_SESSION_HOURS: "0.0003" },
			"https://relay.test/console/sign-in",
			formInit({ token: "test-admin-token" }),
		);
		const shortCookie = sessionCookie(short);
		await new Promise((resolve) => setTimeout(resolve, 1200));
		const expired = await consoleFetch("/console/forwards", { headers: { Cookie: shortCookie } });
		expect(expired.status).toBe(303);
		expect(expired.headers.get("Location")).toBe("/console/sign-in?next=%2Fconsole%2Fforwards");
	});

	it("signs out: the cookie is cleared", async () => {
		const operator = await Operator.signIn();
		const out = await operator.post("/console/sign-out", {});
		expect(out.status).toBe(303);
		expect(out.location).toBe("/console/sign-in");
		expect(out.headers.get("Set-Cookie")).toMatch(/leadwire_console=;.*Max-Age=0/);
	});

	it("signs out on the server: a copied cookie stops working at once", async () => {
		const operator = await Operator.signIn();
		const other = await Operator.signIn();
		expect((await operator.get("/console/leads")).status).toBe(200);
		const revokedBefore = await revokedSessions();
		await operator.post("/console/sign-out", {});
		// The same cookie, kept by someone who copied it before the sign-out.
		const reused = await consoleFetch("/console/leads", { headers: { Cookie: operator.cookie } });
		expect(reused.status).toBe(303);
		expect(reused.headers.get("Location")).toBe("/console/sign-in?next=%2Fconsole%2Fleads");
		expect(await revokedSessions()).toBe(revokedBefore + 1);
		// Signing one session out leaves the others signed in.
		expect((await other.get("/console/leads")).status).toBe(200);
	});

	it("a rotated ADMIN_TOKEN ends every session", async () => {
		const cookie = await signIn();
		const response = await fetchWithEnv(
			{ ADMIN_TOKEN: "rotated-token" },
			"https://relay.test/console",
			{
				headers: { Cookie: cookie },
				redirect: "manual",
			},
		);
		expect(response.status).toBe(303);
	});
});

describe("console sign-in limit", () => {
	/** Wrong guesses sent at once from one address, as a script would. */
	async function guessInParallel(guesses: number, ip: string, overrides: Partial<Env>) {
		const headers = { "CF-Connecting-IP": ip };
		return Promise.all(
			Array.from({ length: guesses }, (_, i) =>
				fetchWithEnv(overrides, `${ORIGIN}/console/sign-in`, {
					...formInit({ token: `guess-${i}` }, headers),
					redirect: "manual",
				}),
			),
		);
	}

	for (const [name, ip, overrides, counterRows] of [
		["through the SIGN_IN_LIMIT binding", "2001:db8:ffff::1", {}, 0],
		[
			"through the D1 counter when the binding is unbound",
			"2001:db8:ffff::2",
			{ SIGN_IN_LIMIT: undefined },
			1,
		],
	] as const) {
		it(`answers 30 parallel wrong sign-ins 429 past 10 a minute, ${name}`, async () => {
			const rowsBefore = await attemptRows();
			const answers = await guessInParallel(30, ip, overrides as Partial<Env>);
			// The binding counts in Cloudflare's limiter, the fallback in one D1 row per address and minute.
			expect(await attemptRows()).toBe(rowsBefore + counterRows);
			const statuses = answers.map((response) => response.status);
			expect(statuses.filter((status) => status === 401)).toHaveLength(10);
			expect(statuses.filter((status) => status === 429)).toHaveLength(20);
			const limited = answers.find((response) => response.status === 429);
			const retryAfter = Number(limited?.headers.get("Retry-After"));
			expect(retryAfter).toBeGreaterThan(0);
			expect(retryAfter).toBeLessThanOrEqual(60);
			expect(textOf((await limited?.text()) ?? "")).toContain("Too many sign-in attempts");
			// The right token from that address waits too: the limit is not an oracle for guesses.
			const right = await fetchWithEnv(overrides as Partial<Env>, `${ORIGIN}/console/sign-in`, {
				...formInit({ token: "test-admin-token" }, { "CF-Connecting-IP": ip }),
				redirect: "manual",
			});
			expect(right.status).toBe(429);
			// Another address is not held back by the first one's guesses.
			const elsewhere = await fetchWithEnv(overrides as Partial<Env>, `${ORIGIN}/console/sign-in`, {
				...formInit({ token: "test-admin-token" }),
				redirect: "manual",
			});
			expect(elsewhere.status).toBe(303);
		});
	}
});

describe("console CSRF and headers", () => {
	it("refuses a form POST without the CSRF token and changes nothing", async () => {
		const operator = await Operator.signIn();
		const before = await count("companies");
		const refused = await operator.post(
			"/console/companies",
			{ name: "No token Ltd" },
			{ csrf: null },
		);
		expect(refused.status).toBe(403);
		expect(textOf(refused.html)).toContain("missing its security token");
		const wrong = await operator.post(
			"/console/companies",
			{ name: "Bad token Ltd" },
			{ csrf: "0".repeat(64) },
		);
		expect(wrong.status).toBe(403);
		expect(await count("companies")).toBe(before);
	});

	it("refuses a cross-site form POST even with a valid token", async () => {
		const operator = await Operator.signIn();
		const before = await count("companies");
		const refused = await operator.post(
			"/console/companies",
			{ name: "Cross site Ltd" },
			{ headers: { Origin: "https://evil.test" } },
		);
		expect(refused.status).toBe(403);
		expect(await count("companies")).toBe(before);
	});

	it("refuses a form POST without a session, returning to the form's page after sign-in", async () => {
		const before = await count("companies");
		const response = await consoleFetch(
			"/console/companies",
			formInit({ name: "Anon Ltd" }, { Referer: "https://relay.test/console/companies?x=1" }),
		);
		expect(response.status).toBe(303);
		expect(response.headers.get("Location")).toBe(
			`/console/sign-in?next=${encodeURIComponent("/console/companies?x=1")}`,
		);
		const foreign = await consoleFetch(
			"/console/companies",
			formInit({ name: "Anon Ltd" }, { Referer: "https://evil.test/console/companies" }),
		);
		expect(foreign.headers.get("Location")).toBe("/console/sign-in?next=%2Fconsole");
		expect(await count("companies")).toBe(before);
	});

	it("sends a CSP without inline script, and other secure headers", async () => {
		const operator = await Operator.signIn();
		const page = await operator.get("/console");
		const csp = page.headers.get("Content-Security-Policy") ?? "";
		expect(csp).toContain("script-src 'self'");
		expect(csp).not.toContain("unsafe-inline");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(page.headers.get("X-Content-Type-Options")).toBe("nosniff");
		expect(page.headers.get("Cache-Control")).toBe("no-store");
		expect(page.html).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*src=)[^>]*>/);
		expect(page.html).toContain(`<script src="/console/assets/console.js"`);
		const script = await consoleFetch("/console/assets/console.js");
		expect(script.status).toBe(200);
		expect(script.headers.get("Content-Type")).toContain("javascript");
		expect(ORIGIN).toBe("https://relay.test");
	});

	it("redirects the bare origin to the console", async () => {
		const response = await consoleFetch("/");
		expect(response.status).toBe(302);
		expect(response.headers.get("Location")).toBe("/console");
	});
});
