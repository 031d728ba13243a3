// Sign-in attempts per client IP: the Workers Rate Limiting binding SIGN_IN_LIMIT (wrangler.toml
// `ratelimits`, 10 a minute per Cloudflare location) when bound, else a D1 counter per minute (tests,
// local dev, or an install that removed the binding). Past the limit the sign-in answers 429.
import type { Context } from "hono";
import type { AppEnv } from "../http/app-env";
import { signHmacSha256Hex } from "../security/hmac";
import { countSignInAttempt } from "../storage/console-sessions";

/** Attempts a client may make per minute; the binding's `simple.limit` in wrangler.toml matches it. */
export const SIGN_IN_ATTEMPTS_PER_MINUTE = 10;

export type SignInVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts this attempt and says whether the client is still within its limit. */
export async function checkSignInLimit<E extends AppEnv>(c: Context<E>): Promise<SignInVerdict> {
	const now = new Date();
	const client = await clientKey(c.req.header("CF-Connecting-IP") ?? "unknown");
	const limiter = (c.env as { SIGN_IN_LIMIT?: RateLimit }).SIGN_IN_LIMIT;
	const allowed = limiter
		? (await limiter.limit({ key: client })).success
		: (await countSignInAttempt(c.var.db, minuteWindow(now), client)) <=
			SIGN_IN_ATTEMPTS_PER_MINUTE;
	return allowed ? { allowed } : { allowed, retryAfterSeconds: secondsToNextMinute(now) };
}

/** "2026-12-04T14:05:00Z": the UTC minute an attempt is counted in. */
function minuteWindow(now: Date): string {
	return `${now.toISOString().slice(0, 16)}:00Z`;
}

function secondsToNextMinute(now: Date): number {
	return 60 - now.getUTCSeconds();
}

/** A keyed hash of the IP: the limiter's key and the counter's row, so no IP is stored. */
function clientKey(ip: string): Promise<string> {
	return signHmacSha256Hex("leadwire sign-in limit", ip);
}
