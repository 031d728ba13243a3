// Graph API calls (providers.md §3–4): read a lead by leadgen id, exchange an FBE User token for
// the client Business Manager's system-user token. `fetch` is injected; every answer is classified
// as a value (lead/token, retry later, permanent) and never carries the token into a message.

import { parseRetryAfter } from "../backoff";
import { isJsonObject, type JsonValue, parseJsonLossless } from "../providers/json";
import { GRAPH_LEAD_FIELDS } from "../providers/meta-leadgen";
import { PAGE_TOKEN_REJECTED } from "../storage/meta-lead-fetches";
import type { Fetch } from "../timed-call";
import { timedCall } from "../timed-call";

const GRAPH_ORIGIN = "https://graph.facebook.com";
const TIMEOUT_MS = 10_000;

export interface GraphDeps {
	fetch: Fetch;
	graphVersion: string;
	now: Date;
}

export type GraphResult<T> =
	| { kind: "ok"; value: T }
	| { kind: "retry"; reason: string; retryAfterSeconds?: number; rateLimited: boolean }
	| { kind: "permanent"; reason: string; tokenRejected: boolean };

/** Graph error codes that mean "too many calls, try later" (4, 17, 32, 613, 80005 leadgen bucket). */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80005]);
/** Transient per Graph's docs (1 unknown, 2 service), also when `is_transient` is true. */
const TRANSIENT_CODES = new Set([1, 2]);

/** GET /{version}/{leadgen_id}?fields=… with the Page access token. */
export function fetchLead(
	deps: GraphDeps,
	leadgenId: string,
	accessToken: string,
): Promise<GraphResult<JsonValue>> {
	const url = new URL(`${GRAPH_ORIGIN}/${deps.graphVersion}/${encodeURIComponent(leadgenId)}`);
	url.searchParams.set("fields", GRAPH_LEAD_FIELDS);
	url.searchParams.set("access_token", accessToken);
	return call(deps, url.href, { method: "GET" }, (body) =>
		isJsonObject(body) && "id" in body ? body : undefined,
	);
}

/** POST /{version}/{client_bm_id}/access_token: the FBE system-user token for that business. */
export function exchangeFbeToken(
	deps: GraphDeps,
	input: { businessManagerId: string; businessId: string; appId: string; userToken: string },
): Promise<GraphResult<string>> {
	const url = `${GRAPH_ORIGIN}/${deps.graphVersion}/${encodeURIComponent(input.businessManagerId)}/access_token`;
	const form = new URLSearchParams({
		app_id: input.appId,
		scope: FBE_SYSTEM_USER_SCOPE,
		access_token: input.userToken,
		fbe_external_business_id: input.businessId,
	});
	return call(deps, url, { method: "POST", body: form }, (body) =>
		isJsonObject(body) && typeof body.access_token === "string" ? body.access_token : undefined,
	);
}

/** One page of a Graph edge: its rows and the cursor of the next page (absent on the last one). */
export interface GraphPage {
	data: JsonValue[];
	after: string | undefined;
}

/**
 * GET /debug_token: what Graph knows of a Page token (validity, expiry, scopes). Asked with the app
 * token (`app_id|app_secret`) when the app is configured, else with the token itself.
 */
export function debugToken(
	deps: GraphDeps,
	inputToken: string,
	accessToken: string,
): Promise<GraphResult<JsonValue>> {
	const url = new URL(`${GRAPH_ORIGIN}/${deps.graphVersion}/debug_token`);
	url.searchParams.set("input_token", inputToken);
	url.searchParams.set("access_token", accessToken);
	return call(deps, url.href, { method: "GET" }, (body) =>
		isJsonObject(body) && isJsonObject(body.data) ? body.data : undefined,
	);
}

/** GET /{page-id}/subscribed_apps: the apps installed on the Page with their subscribed fields. */
export function pageSubscribedApps(
	deps: GraphDeps,
	pageId: string,
	accessToken: string,
): Promise<GraphResult<JsonValue[]>> {
	const url = new URL(
		`${GRAPH_ORIGIN}/${deps.graphVersion}/${encodeURIComponent(pageId)}/subscribed_apps`,
	);
	url.searchParams.set("access_token", accessToken);
	return call(deps, url.href, { method: "GET" }, (body) =>
		isJsonObject(body) && Array.isArray(body.data) ? body.data : undefined,
	);
}

/** GET /{page-id}/leadgen_forms: one page of the Page's lead forms (ids and names). */
export function leadgenForms(
	deps: GraphDeps,
	pageId: string,
	accessToken: string,
	after?: string,
): Promise<GraphResult<GraphPage>> {
	const url = new URL(
		`${GRAPH_ORIGIN}/${deps.graphVersion}/${encodeURIComponent(pageId)}/leadgen_forms`,
	);
	url.searchParams.set("fields", "id,name,status");
	url.searchParams.set("limit", "100");
	if (after) url.searchParams.set("after", after);
	url.searchParams.set("access_token", accessToken);
	return call(deps, url.href, { method: "GET" }, graphPage);
}

/**
 * GET /{form-id}/leads filtered on time_created to [since, until): one page of the form's leads, each
 * with the same fields as a single lead read.
 */
export function formLeads(
	deps: GraphDeps,
	formId: string,
	window: { since: Date; until: Date },
	accessToken: string,
	after?: string,
): Promise<GraphResult<GraphPage>> {
	const url = new URL(`${GRAPH_ORIGIN}/${deps.graphVersion}/${encodeURIComponent(formId)}/leads`);
	url.searchParams.set("fields", GRAPH_LEAD_FIELDS);
	url.searchParams.set(
		"filtering",
		JSON.stringify([
			{
				field: "time_created",
				operator: "GREATER_THAN_OR_EQUAL",
				value: unixSeconds(window.since),
			},
			{ field: "time_created", operator: "LESS_THAN", value: unixSeconds(window.until) },
		]),
	);
	url.searchParams.set("limit", "100");
	if (after) url.searchParams.set("after", after);
	url.searchParams.set("access_token", accessToken);
	return call(deps, url.href, { method: "GET" }, graphPage);
}

function unixSeconds(date: Date): number {
	return Math.floor(date.getTime() / 1000);
}

/** `{ data: [...], paging: { cursors: { after }, next? } }`: a next page exists only with `next`. */
function graphPage(body: JsonValue): GraphPage | undefined {
	if (!isJsonObject(body) || !Array.isArray(body.data)) return undefined;
	const paging = isJsonObject(body.paging) ? body.paging : undefined;
	const cursors = paging && isJsonObject(paging.cursors) ? paging.cursors : undefined;
	const after =
		typeof paging?.next === "string" && typeof cursors?.after === "string"
			? cursors.after
			: undefined;
	return { data: body.data, after };
}

/** What the system user may do: the Business Extension itself plus reading the Pages' leads. */
const FBE_SYSTEM_USER_SCOPE =
	"manage_business_extension,business_management,ads_management,pages_read_engagement,leads_retrieval";

async function call<T>(
	deps: GraphDeps,
	url: string,
	init: RequestInit,
	accept: (body: JsonValue) => T | undefined,
): Promise<GraphResult<T>> {
	const outcome = await timedCall(deps.fetch, url, init, TIMEOUT_MS);
	if (!outcome.ok) {
		const reason = outcome.code === "TIMEOUT" ? "timed out" : "unreachable";
		return { kind: "retry", reason: `Graph ${reason}`, rateLimited: false };
	}
	const { response } = outcome;
	const text = await response.text();
	const parsed = parseJsonLossless(text);
	const body = parsed.ok ? parsed.value : null;
	if (response.ok) {
		const value = accept(body);
		return value === undefined
			? {
					kind: "permanent",
					reason: `Graph answered ${response.status} without the expected fields`,
					tokenRejected: false,
				}
			: { kind: "ok", value };
	}
	return classifyError(response, body, deps.now);
}

/** Graph errors: `{ error: { message, type, code, error_subcode, is_transient, fbtrace_id } }`. */
function classifyError(response: Response, body: JsonValue, now: Date): GraphResult<never> {
	const error = isJsonObject(body) && isJsonObject(body.error) ? body.error : undefined;
	const code = typeof error?.code === "number" ? error.code : undefined;
	const subcode = typeof error?.error_subcode === "number" ? error.error_subcode : undefined;
	const type = typeof error?.type === "string" ? error.type : "error";
	const what = `Graph ${response.status}${code === undefined ? "" : ` ${type} code ${code}`}${
		subcode === undefined ? "" : `/${subcode}`
	}`;
	const retryAfterSeconds =
		parseRetryAfter(response.headers.get("Retry-After"), now) ?? regainAccessSeconds(response);
	if (code === 190) {
		return {
			kind: "permanent",
			reason: `${what}: ${PAGE_TOKEN_REJECTED} (expired or revoked); it must be renewed`,
			tokenRejected: true,
		};
	}
	if (code !== undefined && RATE_LIMIT_CODES.has(code)) {
		return { kind: "retry", reason: `${what}: rate limited`, retryAfterSeconds, rateLimited: true };
	}
	const transient =
		response.status >= 500 ||
		response.status === 429 ||
		(code !== undefined && TRANSIENT_CODES.has(code)) ||
		error?.is_transient === true;
	if (transient)
		return { kind: "retry", reason: what, retryAfterSeconds, rateLimited: response.status === 429 };
	if (code === 10 || code === 200 || (code !== undefined && code >= 200 && code < 300)) {
		return {
			kind: "permanent",
			reason: `${what}: permission missing (leads_retrieval on the Page)`,
			tokenRejected: false,
		};
	}
	return { kind: "permanent", reason: what, tokenRejected: false };
}

/**
 * X-Business-Use-Case-Usage: `{"<id>": [{ type, call_count, ..., estimated_time_to_regain_access }]}`
 * with the wait in minutes; the longest one, in seconds, or undefined when absent or zero.
 */
function regainAccessSeconds(response: Response): number | undefined {
	const header = response.headers.get("x-business-use-case-usage");
	if (!header) return undefined;
	const parsed = parseJsonLossless(header);
	if (!parsed.ok || !isJsonObject(parsed.value)) return undefined;
	let minutes = 0;
	for (const usages of Object.values(parsed.value)) {
		if (!Array.isArray(usages)) continue;
		for (const usage of usages) {
			const wait = isJsonObject(usage) ? Number(usage.estimated_time_to_regain_access) : 0;
			if (Number.isFinite(wait) && wait > minutes) minutes = wait;
		}
	}
	return minutes > 0 ? minutes * 60 : undefined;
}
