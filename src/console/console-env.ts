// The Hono environment of console routes: the app's, plus the signed-in session and its CSRF token.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { AppEnv } from "../http/app-env";
import type { Session } from "./session";
import { isLocalHttp } from "./session";

/** The one-line notice a redirect carries to the next page (a cookie, read once). */
export interface Flash {
	/** ok is green; info is neutral (nothing went wrong, nothing was done either). */
	kind: "ok" | "info" | "error";
	text: string;
}

export interface ConsoleEnv {
	Bindings: AppEnv["Bindings"];
	Variables: AppEnv["Variables"] & {
		consoleKey: string;
		session: Session;
		csrf: string;
	};
}

export type ConsoleContext = Context<ConsoleEnv>;

const FLASH_COOKIE = "leadwire_flash";

/** The flash cookie as read back: anything else (forged, mangled) shows nothing. */
const flashCookie = z.object({
	kind: z.enum(["ok", "info", "error"]),
	text: z.string().transform((text) => text.slice(0, 500)),
});

/** A one-time notice shown on the next page (post/redirect/get). */
export function setFlash(c: Context, flash: Flash): void {
	setCookie(c, FLASH_COOKIE, encodeURIComponent(JSON.stringify(flash)), {
		path: "/console",
		httpOnly: true,
		secure: !isLocalHttp(c.req.url),
		sameSite: "Strict",
		maxAge: 60,
	});
}

export function takeFlash(c: Context): Flash | undefined {
	const value = getCookie(c, FLASH_COOKIE);
	if (!value) return undefined;
	deleteCookie(c, FLASH_COOKIE, { path: "/console" });
	try {
		const parsed = flashCookie.safeParse(JSON.parse(decodeURIComponent(value)));
		return parsed.success ? parsed.data : undefined;
	} catch {
		return undefined; // a mangled cookie shows nothing
	}
}

/** Redirect after a successful form POST, with a notice for the next page. */
export function done(c: Context, location: string, text: string, kind: Flash["kind"] = "ok") {
	setFlash(c, { kind, text });
	return c.redirect(location, 303);
}
