// Graph API calls (providers.md §3–4): read a lead by leadgen id, exchange an FBE User token for
// the client Business Manager's system-user token. `fetch` is injected; every answer is classified
// as a value (lead/token, retry later, permanent) and never carries the token into a message.
import { timedCall } from "../forwarders/http";
import { parseRetryAfter } from "../jobs/backoff";
import { isJsonObject, type JsonValue, parseJsonLossless } from "../providers/json";
import { GRAPH_LEAD_FIELDS } from "../providers/meta-leadgen";
import { PAGE_TOKEN_REJECTED } from "../storage/meta-lead-fetches";

const GRAPH_ORIGIN = "https://graph.facebook.com";
const TIMEOUT_MS = 10_000;

export interface GraphDeps {
	fetch: typeof fetch;
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
	const retryAfterSeconds = parseRetryAfter(response.headers.get("Retry-After"), now);
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
