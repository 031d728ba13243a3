// The Hono environment of console routes: the app's, plus the signed-in session and its CSRF token.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../app-env";
import type { Flash } from "./layout";
import type { Session } from "./session";
import { isLocalHttp } from "./session";

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
		const parsed: unknown = JSON.parse(decodeURIComponent(value));
		if (parsed && typeof parsed === "object" && "text" in parsed && "kind" in parsed) {
			const { kind, text } = parsed;
			if ((kind === "ok" || kind === "error") && typeof text === "string") {
				return { kind, text: text.slice(0, 500) };
			}
		}
	} catch {
		// a mangled cookie shows nothing
	}
	return undefined;
}

/** Redirect after a successful form POST, with a notice for the next page. */
export function done(c: Context, location: string, text: string, kind: Flash["kind"] = "ok") {
	setFlash(c, { kind, text });
	return c.redirect(location, 303);
}
