// Pure: Salesforce error codes and responses → RecordResult classes (providers.md §6.3, §0.6).
// REST errors are [{errorCode, message, fields}]; sObject Collections items use statusCode instead.
import { LONG_BACKOFF_SECONDS } from "../backoff";
import type { ConnectionProblem, RecordResult } from "./forwarder";

/** Worth retrying unchanged: locks, outages, limits, and records an all-or-none failure rolled back. */
const TRANSIENT = new Set([
	"UNABLE_TO_LOCK_ROW",
	"SERVER_UNAVAILABLE",
	"UNKNOWN_EXCEPTION",
	"REQUEST_LIMIT_EXCEEDED",
	"ALL_OR_NONE_OPERATION_ROLLED_BACK",
	"QUERY_TIMEOUT",
	"TIMEOUT",
	"NETWORK_ERROR",
	"HTML_ERROR_PAGE",
]);

/** Need an admin; forwards wait (not fail) until the connection is saved again. */
const CONNECTION: Record<string, ConnectionProblem> = {
	API_DISABLED_FOR_ORG: "api_disabled",
	invalid_grant: "needs_reauth",
	invalid_client: "needs_reauth",
	invalid_client_id: "needs_reauth",
	unauthorized_client: "needs_reauth",
};

/** A rate limit waits hours: retrying sooner only burns the org's rolling allowance (§6.3). */
const MIN_DELAY_SECONDS: Record<string, number> = { REQUEST_LIMIT_EXCEEDED: LONG_BACKOFF_SECONDS };

export interface SalesforceError {
	code: string;
	message?: string;
	fields?: string[];
	/** Matched record id of a DUPLICATES_DETECTED error. */
	matchedId?: string | null;
}

export function connectionProblem(code: string): ConnectionProblem | undefined {
	return CONNECTION[code];
}

/** One error → its class. Unknown codes are permanent on 4xx (a mapping or org rule), transient on 5xx. */
export function classify(error: SalesforceError, httpStatus: number | null): RecordResult {
	const { code } = error;
	if (code === "DUPLICATES_DETECTED") {
		return { kind: "duplicate", code, matchedId: error.matchedId ?? null };
	}
	if (TRANSIENT.has(code) || httpStatus === null || httpStatus >= 500) {
		const minDelaySeconds = MIN_DELAY_SECONDS[code];
		return minDelaySeconds === undefined
			? { kind: "transient", code }
			: { kind: "transient", code, minDelaySeconds };
	}
	return { kind: "permanent", code, detail: describe(error) };
}

/** Code and field names only: messages can quote the lead's values (emails, names). */
export function describe(error: SalesforceError): string {
	return error.fields && error.fields.length > 0
		? `${error.code} [${error.fields.join(", ")}]`
		: error.code;
}

/** Reads one error object of either shape (errorCode or statusCode), with a duplicate's match. */
export function readError(item: unknown): SalesforceError | undefined {
	if (!isObject(item)) return undefined;
	const code = item.errorCode ?? item.statusCode;
	if (typeof code !== "string") return undefined;
	const fields = Array.isArray(item.fields)
		? item.fields.filter((f): f is string => typeof f === "string")
		: undefined;
	return { code, fields, matchedId: matchedRecordId(item.duplicateResult) };
}

/** duplicateResult.matchResults[].matchRecords[].record.Id, the first one (providers.md §6.3). */
function matchedRecordId(duplicateResult: unknown): string | null {
	if (!isObject(duplicateResult) || !Array.isArray(duplicateResult.matchResults)) return null;
	for (const match of duplicateResult.matchResults) {
		if (!isObject(match) || !Array.isArray(match.matchRecords)) continue;
		for (const record of match.matchRecords) {
			if (isObject(record) && isObject(record.record) && typeof record.record.Id === "string") {
				return record.record.Id;
			}
		}
	}
	return null;
}

/** The first error of a REST error array body, or a synthetic one for HTML and unreadable bodies. */
export function readErrorBody(text: string, contentType: string | null): SalesforceError {
	if (contentType?.includes("text/html") || /^\s*</.test(text)) return { code: "HTML_ERROR_PAGE" };
	try {
		const parsed: unknown = JSON.parse(text);
		const first = Array.isArray(parsed) ? parsed[0] : parsed;
		return readError(first) ?? { code: "UNREADABLE_RESPONSE" };
	} catch {
		return { code: "UNREADABLE_RESPONSE" };
	}
}

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
