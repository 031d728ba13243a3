// A fake Salesforce org built from test/fixtures/salesforce: the token endpoint, sObject create and
// upsert, and sObject Collections, with the documented status codes, headers (Sforce-Limit-Info,
// Location) and bodies. Tests steer it (expire sessions, go down, reject records) and read what it got.
import { vi } from "vitest";
import compositePartial from "../fixtures/salesforce/composite_sobjects_partial_failure.json";
import createSuccess from "../fixtures/salesforce/create_lead_success.json";
import apiDisabled from "../fixtures/salesforce/error_api_disabled_for_org.json";
import duplicates from "../fixtures/salesforce/error_duplicates_detected.json";
import invalidSession from "../fixtures/salesforce/error_invalid_session_id.json";
import limitExceeded from "../fixtures/salesforce/error_request_limit_exceeded.json";
import requiredMissing from "../fixtures/salesforce/error_required_field_missing.json";
import lockRow from "../fixtures/salesforce/error_unable_to_lock_row.json";
import invalidGrant from "../fixtures/salesforce/oauth_invalid_grant.json";
import tokenResponse from "../fixtures/salesforce/token_refresh_response.json";

export const FAKE_LOGIN_URL = "https://login.salesforce.com";
export const FAKE_INSTANCE_URL = tokenResponse.instance_url;
export const FAKE_CONSUMER_KEY = "3MVG9fake.consumer.key";
export const FAKE_CONSUMER_SECRET = "fake-consumer-secret-0123456789";
export const FAKE_REFRESH_TOKEN = "5Aep861fake.refresh.token.0001";

const JSON_TYPE = "application/json;charset=UTF-8";
const GATEWAY_PAGE =
	"<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>";

export interface CapturedRequest {
	method: string;
	url: string;
	path: string;
	headers: Record<string, string>;
	body: string;
}

/** A record error the fake answers, per record (collections) or for the call (single create). */
export interface RecordError {
	code: string;
	fields?: string[];
}

/** A whole-call answer, e.g. 403 REQUEST_LIMIT_EXCEEDED or a 503 gateway page. */
export interface CallAnswer {
	status: number;
	body: string;
	headers?: Record<string, string>;
}

/** The error bodies documented in the fixtures, by code (REST error array shape). */
export const FIXTURE_ERRORS: Record<string, { status: number; body: unknown }> = {
	API_DISABLED_FOR_ORG: { status: 403, body: apiDisabled },
	DUPLICATES_DETECTED: { status: 400, body: duplicates },
	INVALID_SESSION_ID: { status: 401, body: invalidSession },
	REQUEST_LIMIT_EXCEEDED: { status: 403, body: limitExceeded },
	REQUIRED_FIELD_MISSING: { status: 400, body: requiredMissing },
	UNABLE_TO_LOCK_ROW: { status: 400, body: lockRow },
};

export const DUPLICATE_MATCH_ID = "00QWs00000FxDupAMAR";
export const FIRST_LEAD_ID = createSuccess.id;
export const PARTIAL_FAILURE_BODY = compositePartial;

export class FakeSalesforce {
	readonly requests: CapturedRequest[] = [];
	/** Records the org holds, by id, as sent (without attributes). */
	readonly records = new Map<string, Record<string, unknown>>();
	readonly refreshTokens = new Set([FAKE_REFRESH_TOKEN]);
	/** Issue a new refresh token with each grant, invalidating the old one (providers.md §0.7). */
	rotateRefreshTokens = false;
	/** Data calls answered with a 503 gateway page before the org works again. */
	downForCalls = 0;
	/** Whole-call answers for the next data calls, in order. */
	readonly nextAnswers: CallAnswer[] = [];
	/** Per-record errors: the record's fields → an error, or undefined to save it. */
	rejectRecord: (record: Record<string, unknown>) => RecordError | undefined = () => undefined;
	usage = { used: 1452, max: 15000 };
	/** Milliseconds each data call takes, so concurrent senders overlap. */
	latencyMs = 0;
	private readonly sessions = new Set<string>();
	private grants = 0;
	private ids = 0;
	private readonly byExternalId = new Map<string, string>();

	/** Routes every fetch of the code under test to this org (globalThis.fetch spy). */
	install(): this {
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) =>
			this.handle(new Request(input, init)),
		);
		return this;
	}

	/** As an injected `fetch`. */
	readonly fetch = (input: string, init: RequestInit): Promise<Response> =>
		this.handle(new Request(input, init));

	/** Every access token issued so far stops working (session timeout). */
	expireSessions(): void {
		this.sessions.clear();
	}

	revokeRefreshTokens(): void {
		this.refreshTokens.clear();
	}

	tokenCalls(): CapturedRequest[] {
		return this.requests.filter((r) => r.path === "/services/oauth2/token");
	}

	dataCalls(): CapturedRequest[] {
		return this.requests.filter((r) => r.path.startsWith("/services/data/"));
	}

	/** Records sent in every data call, in order, with the call's index. */
	sentRecords(): Record<string, unknown>[] {
		return this.dataCalls().flatMap((call) => {
			const body = JSON.parse(call.body) as { records?: Record<string, unknown>[] };
			return body.records ?? [JSON.parse(call.body) as Record<string, unknown>];
		});
	}

	async handle(request: Request): Promise<Response> {
		const url = new URL(request.url);
		// Decoded by hand: Request.text() warns on a form body.
		const body = new TextDecoder().decode(await request.arrayBuffer());
		this.requests.push({
			method: request.method,
			url: request.url,
			path: url.pathname,
			headers: Object.fromEntries(request.headers),
			body,
		});
		if (url.origin === FAKE_LOGIN_URL && url.pathname === "/services/oauth2/token") {
			return this.token(body);
		}
		if (url.origin !== FAKE_INSTANCE_URL || !url.pathname.startsWith("/services/data/")) {
			return new Response(`fake Salesforce: no route for ${request.method} ${request.url}`, {
				status: 599,
			});
		}
		if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
		return this.data(request, url.pathname, body);
	}

	private token(body: string): Response {
		const form = new URLSearchParams(body);
		const valid =
			form.get("grant_type") === "refresh_token" &&
			form.get("client_id") === FAKE_CONSUMER_KEY &&
			form.get("client_secret") === FAKE_CONSUMER_SECRET &&
			this.refreshTokens.has(form.get("refresh_token") ?? "");
		if (!valid) return json(400, invalidGrant);
		this.grants += 1;
		const accessToken = `${tokenResponse.access_token}${this.grants}`;
		this.sessions.add(accessToken);
		const answer: Record<string, string> = { ...tokenResponse, access_token: accessToken };
		if (this.rotateRefreshTokens) {
			this.refreshTokens.clear();
			const next = `${FAKE_REFRESH_TOKEN}.rotated.${this.grants}`;
			this.refreshTokens.add(next);
			answer.refresh_token = next;
		}
		return json(200, answer);
	}

	private data(request: Request, path: string, body: string): Response {
		const token = (request.headers.get("Authorization") ?? "").replace(/^Bearer /, "");
		if (!this.sessions.has(token)) return json(401, invalidSession);
		this.usage.used += 1;
		const limit = { "Sforce-Limit-Info": `api-usage=${this.usage.used}/${this.usage.max}` };
		if (this.downForCalls > 0) {
			this.downForCalls -= 1;
			return new Response(GATEWAY_PAGE, { status: 503, headers: { "Content-Type": "text/html" } });
		}
		const answer = this.nextAnswers.shift();
		if (answer) {
			return new Response(answer.body, {
				status: answer.status,
				headers: { "Content-Type": JSON_TYPE, ...limit, ...answer.headers },
			});
		}
		if (request.method === "GET" && /^\/services\/data\/v\d+\.\d\/limits\/?$/.test(path)) {
			return json(200, this.limits(), limit);
		}
		const collection = /\/composite\/sobjects(\/(\w+)\/(\w+))?$/.exec(path);
		if (collection) return this.collection(body, collection[3], limit);
		const single = /\/sobjects\/(\w+)\/(?:(\w+)\/([^/]+))?\/?$/.exec(path);
		if (single?.[1]) return this.single(single[1], body, single[2], single[3], limit);
		return json(404, [
			{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" },
		]);
	}

	/** GET /services/data/vXX.X/limits: the org's limits, DailyApiRequests from the usage counter. */
	private limits() {
		return {
			ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
			DailyApiRequests: { Max: this.usage.max, Remaining: this.usage.max - this.usage.used },
			DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
			DataStorageMB: { Max: 1024, Remaining: 1020 },
		};
	}

	private single(
		type: string,
		body: string,
		extField: string | undefined,
		extValue: string | undefined,
		limit: Record<string, string>,
	): Response {
		const fields = JSON.parse(body) as Record<string, unknown>;
		const record =
			extField && extValue ? { ...fields, [extField]: decodeURIComponent(extValue) } : fields;
		const error = this.rejectRecord(record);
		if (error) {
			const documented = FIXTURE_ERRORS[error.code];
			const errorBody = documented?.body ?? [
				{ message: `${error.code} (fake)`, errorCode: error.code, fields: error.fields ?? [] },
			];
			return json(documented?.status ?? 400, errorBody, limit);
		}
		const { id, created } = this.save(record, extField);
		const location = `/services/data/v66.0/sobjects/${type}/${id}`;
		const answer = extField ? { id, success: true, errors: [], created } : { ...createSuccess, id };
		return json(created ? 201 : 200, answer, { ...limit, Location: location });
	}

	private collection(
		body: string,
		extField: string | undefined,
		limit: Record<string, string>,
	): Response {
		const parsed = JSON.parse(body) as {
			allOrNone: boolean;
			records: Record<string, unknown>[];
		};
		if (parsed.records.length > 200) {
			return json(400, [{ errorCode: "EXCEEDED_ID_LIMIT", message: "record limit is 200" }]);
		}
		const results = parsed.records.map((withAttributes) => {
			const { attributes: _attributes, ...record } = withAttributes;
			const error = this.rejectRecord(record);
			if (error) return { success: false, errors: [collectionError(error)] };
			const { id, created } = this.save(record, extField);
			return extField
				? { id, success: true, errors: [], created }
				: { id, success: true, errors: [] };
		});
		return json(200, results, limit);
	}

	private save(record: Record<string, unknown>, extField: string | undefined) {
		const extValue = extField ? String(record[extField]) : undefined;
		const existing = extValue ? this.byExternalId.get(extValue) : undefined;
		if (existing) {
			this.records.set(existing, record);
			return { id: existing, created: false };
		}
		this.ids += 1;
		const id = this.ids === 1 ? FIRST_LEAD_ID : `00QWs0000${String(this.ids).padStart(6, "0")}MAF`;
		this.records.set(id, record);
		if (extValue) this.byExternalId.set(extValue, id);
		return { id, created: true };
	}
}

/** A collection item's error: `statusCode`, not `errorCode` (providers.md §0.6). */
function collectionError(error: RecordError) {
	const documented = FIXTURE_ERRORS[error.code]?.body;
	const first = Array.isArray(documented) ? (documented[0] as Record<string, unknown>) : undefined;
	const { errorCode: _code, ...rest } = first ?? {};
	return {
		...rest,
		statusCode: error.code,
		message: typeof first?.message === "string" ? first.message : `${error.code} (fake)`,
		fields: error.fields ?? [],
	};
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { "Content-Type": JSON_TYPE, ...headers },
	});
}

/** A documented error as a whole-call answer (with the fixture's Sforce-Limit-Info when it has one). */
export function fixtureAnswer(code: string): CallAnswer {
	const documented = FIXTURE_ERRORS[code];
	if (!documented) throw new Error(`no fixture for ${code}`);
	const headers: Record<string, string> =
		code === "REQUEST_LIMIT_EXCEEDED" ? { "Sforce-Limit-Info": "api-usage=15023/15000" } : {};
	return { status: documented.status, body: JSON.stringify(documented.body), headers };
}
