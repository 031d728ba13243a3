// The one error envelope `{ error: { code, message } }` and the mapping from thrown errors to it.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./app-env";
import { ConfigError } from "./config";
import { createLogger } from "./log";
import { StorageUnavailableError } from "./storage/db";

const CODES: Partial<Record<number, string>> = {
	400: "bad_request",
	401: "unauthorized",
	403: "forbidden",
	404: "not_found",
	409: "conflict",
	413: "payload_too_large",
	503: "unavailable",
};

export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}) {
	return { error: { code: CODES[status] ?? "internal_error", message, ...extra } };
}

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
