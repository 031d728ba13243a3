// The app's one onError: request aborts keep their status and envelope, storage outages are 503 so
// providers retry, anything else is a logged 500.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ConfigError } from "../config";
import { errorBody } from "../errors";
import { createLogger } from "../log";
import { StorageRefusedError, StorageUnavailableError } from "../storage/db";
import type { AppEnv } from "./app-env";

/** app.onError: request aborts keep their status; storage outages are 503 so providers retry. */
export function handleError(error: Error, c: Context<AppEnv>): Response {
	const log = c.get("log") ?? createLogger();
	if (error instanceof HTTPException) {
		if (error.res) return error.res;
		const status = error.status as ContentfulStatusCode;
		const cause = error.cause;
		const extra =
			cause && typeof cause === "object" && "issues" in cause ? { issues: cause.issues } : {};
		return c.json(errorBody(status, error.message, extra), status);
	}
	if (error instanceof StorageUnavailableError) {
		log.error("storage unavailable", { outcome: "unavailable", error: describe(error.cause) });
		c.header("Retry-After", "30");
		return c.json(errorBody(503, "storage unavailable, retry later"), 503);
	}
	if (error instanceof StorageRefusedError) {
		// Permanent (a value over D1's limits): no Retry-After, a retry would be refused the same way.
		log.error("storage refused the write", { outcome: "error", error: describe(error.cause) });
		return c.json(errorBody(500, "storage refused the write"), 500);
	}
	if (error instanceof ConfigError) {
		log.error(error.message, { outcome: "config_error" });
		return c.json(errorBody(500, error.message), 500);
	}
	log.error("unhandled error", { outcome: "error", error: describe(error) });
	return c.json(errorBody(500, "internal error"), 500);
}

/** Error name and message, cut short: D1 messages name tables and columns, never bound values. */
function describe(error: unknown): string {
	if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
	return String(error).slice(0, 300);
}
