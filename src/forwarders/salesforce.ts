// The Salesforce forwarder: one record → sObject create (or upsert on the external-id field), many →
// sObject Collections (≤ 200, allOrNone false), reading per-record results (providers.md §6.2–6.4).
// A 401 INVALID_SESSION_ID refreshes the session once and retries the call once.
import { parseRetryAfter } from "../backoff";
import { timedCall } from "../timed-call";
import type { ApiUsage, Forwarder, OutboundRecord, RecordResult, SendResult } from "./forwarder";
import {
	type AuthDeps,
	dropSession,
	getSession,
	refreshSession,
	type SalesforceCredentials,
	type Session,
} from "./salesforce-auth";
import {
	classify,
	connectionProblem,
	isObject,
	readError,
	readErrorBody,
	type SalesforceError,
} from "./salesforce-errors";

/** sObject Collections take at most 200 records a call (§6.4). */
export const COLLECTION_MAX = 200;

export interface SalesforceTarget {
	apiVersion: string;
	targetObject: "Lead" | "Case";
	/** Upsert on this field (records carry its value) so a resend cannot create a second record. */
	externalIdField: string | null;
	/** Sforce-Auto-Assign: "TRUE", "FALSE" or an AssignmentRule id; null sends no header. */
	autoAssign: string | null;
	duplicateAllowSave: boolean;
}

type CallResult = SendResult | { kind: "expired"; durationMs: number };

export function salesforceForwarder(
	deps: AuthDeps,
	credentials: SalesforceCredentials,
	target: SalesforceTarget,
): Forwarder {
	return {
		maxBatch: COLLECTION_MAX,
		async send(records) {
			const first = await getSession(deps, credentials);
			if (!first.ok) return first.failure;
			const result = await callOnce(deps, first.session, target, records);
			if (result.kind !== "expired") return addDuration(result, first.durationMs);
			// The cached token expired (no expires_in, §6.1): one refresh, one retry.
			await dropSession(deps, credentials.connectionId);
			const second = await refreshSession(deps, credentials);
			if (!second.ok) return second.failure;
			const retried = await callOnce(deps, second.session, target, records);
			const spent = first.durationMs + result.durationMs + second.durationMs;
			if (retried.kind !== "expired") return addDuration(retried, spent);
			return {
				kind: "all",
				result: { kind: "transient", code: "INVALID_SESSION_ID" },
				httpStatus: 401,
				durationMs: spent + retried.durationMs,
			};
		},
	};
}

function addDuration(result: SendResult, ms: number): SendResult {
	return { ...result, durationMs: result.durationMs + ms };
}

interface Call {
	method: "POST" | "PATCH";
	path: string;
	body: unknown;
	collection: boolean;
}

/** The request for a batch: single create/upsert, or a collection create/upsert. */
function buildCall(target: SalesforceTarget, records: OutboundRecord[]): Call {
	const { targetObject: type, externalIdField: ext } = target;
	const base = `/services/data/${target.apiVersion}`;
	const [only] = records;
	if (records.length === 1 && only) {
		if (!ext)
			return {
				method: "POST",
				path: `${base}/sobjects/${type}/`,
				body: only.fields,
				collection: false,
			};
		const { [ext]: value = "", ...rest } = only.fields;
		const path = `${base}/sobjects/${type}/${ext}/${encodeURIComponent(value)}`;
		return { method: "PATCH", path, body: rest, collection: false };
	}
	const body = {
		allOrNone: false,
		records: records.map((r) => ({ attributes: { type }, ...r.fields })),
	};
	return ext
		? { method: "PATCH", path: `${base}/composite/sobjects/${type}/${ext}`, body, collection: true }
		: { method: "POST", path: `${base}/composite/sobjects`, body, collection: true };
}

function headers(session: Session, target: SalesforceTarget): Record<string, string> {
	const out: Record<string, string> = {
		Authorization: `Bearer ${session.accessToken}`,
		"Content-Type": "application/json",
		Accept: "application/json",
	};
	if (target.autoAssign) out["Sforce-Auto-Assign"] = target.autoAssign;
	if (target.duplicateAllowSave) {
		// Saves through "alert" duplicate rules; "block" rules still answer DUPLICATES_DETECTED (§6.2).
		out["Sforce-Duplicate-Rule-Header"] =
			"allowSave=true; includeRecordDetails=false; runAsCurrentUser=false";
	}
	return out;
}

async function callOnce(
	deps: AuthDeps,
	session: Session,
	target: SalesforceTarget,
	records: OutboundRecord[],
): Promise<CallResult> {
	const call = buildCall(target, records);
	const outcome = await timedCall(deps.fetch, `${session.instanceUrl}${call.path}`, {
		method: call.method,
		headers: headers(session, target),
		body: JSON.stringify(call.body),
	});
	const { durationMs } = outcome;
	if (!outcome.ok) {
		return {
			kind: "all",
			result: { kind: "transient", code: outcome.code },
			httpStatus: null,
			durationMs,
		};
	}
	const { response } = outcome;
	const text = await response.text();
	const facts = { httpStatus: response.status, durationMs, usage: readUsage(response) };
	if (response.ok) {
		const results = call.collection
			? readCollection(text, records.length)
			: [readCreated(text, response)];
		return results
			? { kind: "results", results, ...facts }
			: { kind: "all", result: { kind: "transient", code: "UNREADABLE_RESPONSE" }, ...facts };
	}
	const error = readErrorBody(text, response.headers.get("Content-Type"));
	if (response.status === 401 && error.code === "INVALID_SESSION_ID")
		return { kind: "expired", durationMs };
	const retryAfter = parseRetryAfter(response.headers.get("Retry-After"), new Date());
	return failure(error, records.length, facts, retryAfter);
}

function failure(
	error: SalesforceError,
	count: number,
	facts: { httpStatus: number; durationMs: number; usage?: ApiUsage },
	retryAfterSeconds: number | undefined,
): SendResult {
	const problem = connectionProblem(error.code);
	if (problem) return { kind: "connection", problem, code: error.code, ...facts };
	const result = withRetryAfter(classify(error, facts.httpStatus), retryAfterSeconds);
	// A single create's 4xx is about its record; outages and the org's limit concern every record,
	// so the cron stops the connection's run instead of trying the next batch.
	const aboutRecord = count === 1 && facts.httpStatus < 500 && !ORG_WIDE.has(error.code);
	return aboutRecord
		? { kind: "results", results: [result], ...facts }
		: { kind: "all", result, ...facts };
}

const ORG_WIDE = new Set(["REQUEST_LIMIT_EXCEEDED", "HTML_ERROR_PAGE", "SERVER_UNAVAILABLE"]);

/** A gateway's Retry-After travels with a transient result; src/backoff.ts bounds it. */
function withRetryAfter(result: RecordResult, retryAfterSeconds: number | undefined): RecordResult {
	return result.kind === "transient" && retryAfterSeconds !== undefined
		? { ...result, retryAfterSeconds }
		: result;
}

/** A single create/upsert answer: {id, success}; an upsert that updated may answer 204 without one. */
function readCreated(text: string, response: Response): RecordResult {
	try {
		const parsed: unknown = JSON.parse(text);
		if (isObject(parsed) && typeof parsed.id === "string")
			return { kind: "sent", remoteId: parsed.id };
	} catch {
		// 204: no body
	}
	const location = response.headers.get("Location");
	return { kind: "sent", remoteId: location ? (location.split("/").pop() ?? null) : null };
}

/** Per-record results in request order; undefined when the body is not the documented array. */
function readCollection(text: string, count: number): RecordResult[] | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (!Array.isArray(parsed)) return undefined;
	return Array.from({ length: count }, (_, i): RecordResult => readItem(parsed[i]));
}

function readItem(item: unknown): RecordResult {
	if (!isObject(item)) return { kind: "transient", code: "MISSING_RESULT" };
	if (item.success === true) {
		return { kind: "sent", remoteId: typeof item.id === "string" ? item.id : null };
	}
	const errors = (Array.isArray(item.errors) ? item.errors : []).map(readError);
	const known = errors.filter((e): e is SalesforceError => e !== undefined);
	// The record's own error wins; one that only carries the rollback code was valid: resubmit it.
	const own = known.find((e) => e.code !== "ALL_OR_NONE_OPERATION_ROLLED_BACK") ?? known[0];
	return own ? classify(own, 200) : { kind: "transient", code: "MISSING_RESULT" };
}

/** Sforce-Limit-Info: api-usage=<used>/<max> (§6.2). */
function readUsage(response: Response): ApiUsage | undefined {
	const match = /api-usage=(\d+)\/(\d+)/.exec(response.headers.get("Sforce-Limit-Info") ?? "");
	return match ? { used: Number(match[1]), max: Number(match[2]) } : undefined;
}
