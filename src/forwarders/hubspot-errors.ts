// Pure: HubSpot's error answers → RecordResult classes. Bodies are {status:"error", message,
// correlationId, category, errors?[{message, code?, in?}]} (developers.hubspot.com/docs/faq/
// api-error-responses); 429s add policyName (SECONDLY, TEN_SECONDLY_ROLLING, DAILY).
import { LONG_BACKOFF_SECONDS, parseRetryAfter } from "../backoff";
import { redactMessage } from "./crm-person";
import type { ConnectionProblem, RecordResult } from "./forwarder";
import { isObject } from "./salesforce-errors";

export interface HubSpotError {
	httpStatus: number;
	/** VALIDATION_ERROR, CONFLICT, RATE_LIMITS, INVALID_AUTHENTICATION, MISSING_SCOPES... */
	category: string;
	message: string;
	/** 429 only: which limit was hit. */
	policyName?: string;
}

/** A failure that concerns the connection (its token or scopes), not any one record. */
export interface HubSpotConnectionFailure {
	kind: "connection";
	problem: ConnectionProblem;
	code: string;
}

/** The 10-second window: waiting it out is enough for the burst limit. */
const BURST_WINDOW_SECONDS = 10;

export function readHubSpotError(httpStatus: number, text: string): HubSpotError {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return { httpStatus, category: `HTTP_${httpStatus}`, message: "" };
	}
	if (!isObject(parsed)) return { httpStatus, category: `HTTP_${httpStatus}`, message: "" };
	const category =
		stringField(parsed, "category") ?? stringField(parsed, "errorType") ?? `HTTP_${httpStatus}`;
	const policyName = stringField(parsed, "policyName");
	return {
		httpStatus,
		category,
		message: stringField(parsed, "message") ?? "",
		...(policyName ? { policyName } : {}),
	};
}

function stringField(object: Record<string, unknown>, key: string): string | undefined {
	const value = object[key];
	return typeof value === "string" ? value : undefined;
}

/** 401 and 403 need an admin (a new token, or the private app's scopes); forwards wait meanwhile. */
export function connectionFailure(error: HubSpotError): HubSpotConnectionFailure | undefined {
	if (error.httpStatus === 401)
		return { kind: "connection", problem: "needs_reauth", code: "INVALID_AUTHENTICATION" };
	if (error.httpStatus === 403) {
		const code = error.category.startsWith("HTTP_") ? "FORBIDDEN" : error.category;
		return { kind: "connection", problem: "needs_reauth", code };
	}
	return undefined;
}

/** True when the answer is about the account (limits, outages) rather than the records sent. */
export function isAccountWide(error: HubSpotError): boolean {
	return error.httpStatus === 429 || error.httpStatus >= 500;
}

/**
 * One error → its class: 429 waits (Retry-After, else the window; the daily limit waits hours),
 * 409 is the existing contact's id, other 4xx are the record's own fault, 5xx are retried.
 */
export function classifyHubSpot(error: HubSpotError, headers: Headers, now: Date): RecordResult {
	if (error.httpStatus === 429) return rateLimited(error, headers, now);
	if (error.httpStatus === 409) {
		return { kind: "duplicate", code: "CONFLICT", matchedId: existingId(error.message) };
	}
	if (error.httpStatus >= 500) return { kind: "transient", code: error.category };
	return { kind: "permanent", code: error.category, detail: describeHubSpot(error) };
}

function rateLimited(error: HubSpotError, headers: Headers, now: Date): RecordResult {
	const daily =
		error.policyName === "DAILY" || headers.get("X-HubSpot-RateLimit-Daily-Remaining") === "0";
	if (daily)
		return { kind: "transient", code: "DAILY_LIMIT", minDelaySeconds: LONG_BACKOFF_SECONDS };
	const retryAfterSeconds =
		parseRetryAfter(headers.get("Retry-After"), now) ?? BURST_WINDOW_SECONDS;
	return { kind: "transient", code: "RATE_LIMIT", retryAfterSeconds };
}

/** "Contact already exists. Existing ID: 37765128953" (the id is only in the message). */
export function existingId(message: string): string | null {
	return /Existing ID: ?(\d+)/.exec(message)?.[1] ?? null;
}

/**
 * The category, then the property errors HubSpot lists inside its message ("error":"INVALID_EMAIL",
 * "name":"email"), else the message with the lead's values cut out.
 */
export function describeHubSpot(error: HubSpotError): string {
	const invalid = [...error.message.matchAll(/"error":"([A-Z_]+)","name":"([^"]+)"/g)].map(
		([, code, name]) => `${code} [${name}]`,
	);
	const said = invalid.length > 0 ? invalid.join(", ") : redactMessage(error.message);
	return said ? `${error.category}: ${said}` : error.category;
}
