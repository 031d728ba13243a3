// The console's sign-in: a signed, expiring, HttpOnly, SameSite=Strict cookie (hono/cookie) naming a
// session row in D1 (sign-out revokes it, so a copied cookie stops working at once), the CSRF token
// bound to it, and the return path kept across a sign-in (local /console paths only).
// The signing key is derived from ADMIN_TOKEN (and CONSOLE_SESSION_SECRET when set): rotating
// either signs every operator out, and the cookie never holds the token itself.
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { Config } from "../config";
import type { AppEnv } from "../http/app-env";
import { signHmacSha256Hex } from "../security/hmac";
import { isSessionLive, recordSession, revokeSession } from "../storage/console-sessions";

export const SESSION_COOKIE = "leadwire_console";
const COOKIE_PATH = "/console";
const KEY_LABEL = "leadwire console session v1";

export interface Session {
	/** Who signed in: "token" (ADMIN_TOKEN) or the Access identity's email. */
	operator: string;
	/** Epoch seconds when the session ends. */
	expiresAt: number;
	/** The session row's id (console_sessions); also binds CSRF tokens to this sign-in. */
	nonce: string;
}

/** The cookie signing key; undefined when neither ADMIN_TOKEN nor CONSOLE_SESSION_SECRET is set. */
export async function sessionKey(config: Config): Promise<string | undefined> {
	const { adminToken } = config;
	const extra = config.console.sessionSecret;
	if (adminToken === undefined && extra === undefined) return undefined;
	return signHmacSha256Hex(`${adminToken ?? ""}\u0000${extra ?? ""}`, KEY_LABEL);
}

/** Secure everywhere but plain-http local development (127.0.0.1, localhost). */
export function isLocalHttp(url: string): boolean {
	const { protocol, hostname } = new URL(url);
	return protocol === "http:" && (hostname === "127.0.0.1" || hostname === "localhost");
}

export async function startSession<E extends AppEnv>(c: Context<E>, key: string, operator: string) {
	const maxAge = Math.round(c.var.config.console.sessionHours * 3600);
	const session: Session = {
		operator,
		expiresAt: Math.floor(Date.now() / 1000) + maxAge,
		nonce: crypto.randomUUID(),
	};
	await recordSession(c.var.db, {
		id: session.nonce,
		operator,
		expiresAt: new Date(session.expiresAt * 1000),
	});
	await setSignedCookie(c, SESSION_COOKIE, encodeSession(session), key, {
		path: COOKIE_PATH,
		httpOnly: true,
		secure: !isLocalHttp(c.req.url),
		sameSite: "Strict",
		maxAge,
	});
	return session;
}

/** Revokes the signed-in session's row (when the cookie is one of ours) and clears the cookie. */
export async function endSession<E extends AppEnv>(c: Context<E>, key: string) {
	const value = await getSignedCookie(c, key, SESSION_COOKIE);
	const session = value ? decodeSession(value) : undefined;
	if (session) await revokeSession(c.var.db, session.nonce, new Date());
	deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure: !isLocalHttp(c.req.url) });
}

/** The signed-in session, or undefined when the cookie is missing, forged, expired or signed out. */
export async function readSession<E extends AppEnv>(
	c: Context<E>,
	key: string,
): Promise<Session | undefined> {
	const value = await getSignedCookie(c, key, SESSION_COOKIE);
	if (!value) return undefined;
	const session = decodeSession(value);
	if (!session || session.expiresAt <= Math.floor(Date.now() / 1000)) return undefined;
	return (await isSessionLive(c.var.db, session.nonce, new Date())) ? session : undefined;
}

function encodeSession(session: Session): string {
	return [session.expiresAt, session.nonce, encodeURIComponent(session.operator)].join(".");
}

function decodeSession(value: string): Session | undefined {
	const [expires, nonce, operator] = value.split(".");
	const expiresAt = Number(expires);
	if (!Number.isSafeInteger(expiresAt) || !nonce || operator === undefined) return undefined;
	try {
		return { expiresAt, nonce, operator: decodeURIComponent(operator) };
	} catch {
		return undefined;
	}
}

/** The form token of a session: an HMAC of its nonce, so it cannot be made without the key. */
export function csrfToken(key: string, session: Pick<Session, "nonce">): Promise<string> {
	return signHmacSha256Hex(key, `csrf:${session.nonce}`);
}

/** The path of the console page a request came from (same origin only), if any. */
export function refererPath(c: Context): string | undefined {
	const referer = c.req.header("Referer");
	if (!referer) return undefined;
	try {
		const url = new URL(referer);
		return url.origin === new URL(c.req.url).origin ? `${url.pathname}${url.search}` : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Where to go after signing in: `next` if it is a path inside the console on this origin, else the
 * overview. Refuses other origins, protocol-relative `//host` and backslash tricks (no open redirect).
 */
export function safeReturnPath(next: string | undefined | null): string {
	const fallback = "/console";
	if (!next?.startsWith("/") || next.startsWith("//") || next.includes("\\")) {
		return fallback;
	}
	try {
		const base = "http://console.invalid";
		const url = new URL(next, base);
		if (url.origin !== base) return fallback;
		if (url.pathname !== "/console" && !url.pathname.startsWith("/console/")) return fallback;
		return `${url.pathname}${url.search}`;
	} catch {
		return fallback;
	}
}
