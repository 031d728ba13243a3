// One Twenty REST session for a send or a check: authorised JSON calls under <base>/rest, and
// Twenty's error answers ({statusCode, error, messages[]}, NestJS's shape) turned into classes.
import { parseRetryAfter } from "../backoff";
import { timedCall } from "../timed-call";
import { bearerJson, parseJson } from "./bearer-json";
import { redactMessage } from "./crm-person";
import type { DestinationDeps } from "./destination";
import type { ConnectionProblem, RecordResult } from "./forwarder";
import { isObject } from "./salesforce-errors";

export type TwentyAnswer =
	| { ok: true; status: number; body: unknown }
	| { ok: false; status: number; error: TwentyError; headers: Headers }
	| { ok: false; status: null; network: "TIMEOUT" | "NETWORK_ERROR" };

export interface TwentyError {
	/** "BadRequestException", "UNAUTHENTICATED"...: the body's `error`, else HTTP_<status>. */
	code: string;
	messages: string[];
}

export interface TwentyApi {
	readonly tally: { httpStatus: number | null; durationMs: number };
	call(method: "GET" | "POST" | "PATCH", path: string, body?: unknown): Promise<TwentyAnswer>;
}

export function twentyApi(deps: DestinationDeps, baseUrl: string, apiKey: string): TwentyApi {
	const tally: TwentyApi["tally"] = { httpStatus: null, durationMs: 0 };
	return {
		tally,
		async call(method, path, body) {
			const outcome = await timedCall(
				deps.fetch,
				`${baseUrl}/rest${path}`,
				bearerJson(method, apiKey, body),
			);
			tally.durationMs += outcome.durationMs;
			if (!outcome.ok) {
				tally.httpStatus = null;
				return { ok: false, status: null, network: outcome.code };
			}
			const { response } = outcome;
			tally.httpStatus = response.status;
			const parsed = parseJson(await response.text());
			if (response.ok) return { ok: true, status: response.status, body: parsed };
			return {
				ok: false,
				status: response.status,
				error: readError(response.status, parsed),
				headers: response.headers,
			};
		},
	};
}

function readError(status: number, body: unknown): TwentyError {
	if (!isObject(body)) return { code: `HTTP_${status}`, messages: [] };
	const raw = Array.isArray(body.messages) ? body.messages : [body.message];
	const messages = raw.filter((m): m is string => typeof m === "string");
	return { code: typeof body.error === "string" ? body.error : `HTTP_${status}`, messages };
}

/** Twenty's long window (API_RATE_LIMITING_LONG_TTL_IN_MS, 60 s by default). */
const RATE_WINDOW_SECONDS = 60;

export type TwentyFailure =
	| { kind: "connection"; problem: ConnectionProblem; code: string }
	/** Concerns every record still to send (limits, outages): stop and retry them all. */
	| { kind: "stop"; result: RecordResult }
	/** This record's own fault. */
	| { kind: "record"; result: RecordResult };

/**
 * 401/403: the API key (revoked, or its role lacks the object); a bare 404: the base URL serves no
 * Twenty REST API; 429 waits for the window; 5xx and network errors retry; other 4xx are the record's.
 */
export function classifyTwenty(
	answer: Exclude<TwentyAnswer, { ok: true }>,
	now: Date,
): TwentyFailure {
	if (answer.status === null) {
		return { kind: "stop", result: { kind: "transient", code: answer.network } };
	}
	const { status, error, headers } = answer;
	if (status === 401)
		return { kind: "connection", problem: "needs_reauth", code: "UNAUTHENTICATED" };
	if (status === 403) return { kind: "connection", problem: "needs_reauth", code: "FORBIDDEN" };
	// A 404 without Twenty's JSON error body: nothing at this base URL serves Twenty's REST API.
	if (status === 404 && error.code.startsWith("HTTP_"))
		return { kind: "connection", problem: "api_disabled", code: "NOT_FOUND" };
	if (status === 429) {
		const retryAfterSeconds =
			parseRetryAfter(headers.get("Retry-After"), now) ?? RATE_WINDOW_SECONDS;
		return { kind: "stop", result: { kind: "transient", code: "RATE_LIMIT", retryAfterSeconds } };
	}
	if (status >= 500) return { kind: "stop", result: { kind: "transient", code: error.code } };
	const detail = [error.code, ...error.messages.map((m) => redactMessage(m))].join(": ");
	return { kind: "record", result: { kind: "permanent", code: error.code, detail } };
}

/** Twenty's answer to a create whose id or unique field is taken (older servers: "already exists"). */
export function isAlreadyThere(
	answer: TwentyAnswer,
): answer is Extract<TwentyAnswer, { error: TwentyError }> {
	return (
		!answer.ok &&
		answer.status === 400 &&
		answer.error.messages.some((m) => /already exists|duplicate/i.test(m))
	);
}
