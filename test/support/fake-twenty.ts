// A fake Twenty workspace for the Twenty destination: REST /rest/people (find by filter, create with
// ?upsert=true, update) and /rest/opportunities, stateful so a resend shows as an update, with
// Twenty's status codes, {statusCode, error, messages} error bodies and its per-workspace limit.
//
// Where each shape comes from (looked up with the search tool, 2026-12-07):
// - Base URL https://api.twenty.com/rest/ or https://<your-domain>/rest/, Authorization: Bearer
//   <API key>, 401 for a missing or invalid key: twentyhq/twenty packages/twenty-website/src/
//   content/developers/api-and-webhooks/api.mdx.
// - Answers wrapped as {data: {people: [...]}} (edges/node removed) and {data: {createPerson: {...}}}:
//   twenty-server src/engine/api/rest/utils/clean-graphql-response.utils(.spec).ts and
//   core/handlers/rest-api-create-one.handler.ts (which also reads ?upsert=true, parse-upsert-rest-
//   request.util.ts, and refuses a known id with "Record already exists" before upsert existed).
// - Upsert matches on id and on the object's unique indexes: common-create-many-query-runner/utils/
//   get-conflicting-fields.util.ts. Duplicates refused with "A duplicate entry was detected" or
//   "Duplicate <field>. Please set a unique one." (twenty-orm exception handling).
// - Filters field[eq]:"value", composite subfields with a dot, and(...): api-rest-query-builder
//   .../filter-utils/__tests__/parse-filter.utils.spec.ts, and emails.primaryEmail[eq] in public
//   clients. Composite fields name {firstName, lastName}, emails {primaryEmail, additionalEmails},
//   phones {primaryPhoneNumber, primaryPhoneCountryCode: "US", primaryPhoneCallingCode: "+1"}.
// - Error bodies read as response.body.messages[0] (twentyhq/twenty#12044's integration test).
// - Limits: API_RATE_LIMITING_LONG_LIMIT 100 per API_RATE_LIMITING_LONG_TTL_IN_MS 60000 per
//   workspace for API-key calls (twenty-server config defaults, throttleQueryExecution).
// Not confirmed, chosen here: the exact 401 and 429 bodies (the fake answers {statusCode, error,
// messages} like other errors) and whether a 429 carries Retry-After (the fake sends none); the
// wording of an invalid-email refusal; the opportunity stages (Twenty's defaults NEW, SCREENING,
// MEETING, PROPOSAL, CUSTOMER).
export const FAKE_TWENTY_URL = "https://crm.northwind.example";
export const FAKE_TWENTY_KEY = "eyJhbGciOiJIUzI1NiJ9.fake-twenty-api-key.c2lnbmF0dXJl";

type Row = Record<string, unknown> & { id: string };

export interface TwentyCall {
	method: string;
	path: string;
	query: URLSearchParams;
	body: unknown;
}

export interface TwentyCanned {
	pathStartsWith: string;
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

const STAGES = ["NEW", "SCREENING", "MEETING", "PROPOSAL", "CUSTOMER"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export class FakeTwenty {
	readonly calls: TwentyCall[] = [];
	readonly people = new Map<string, Row>();
	readonly opportunities = new Map<string, Row>();
	readonly keys = new Set([FAKE_TWENTY_KEY]);
	readonly canned: TwentyCanned[] = [];
	/** Servers before ?upsert=true existed ignore it and refuse a known id. */
	supportsUpsert = true;
	/** Calls left in the current window (Twenty's long limit: 100 a minute). */
	callsLeft = 100;
	/** The next such call is carried out, then its answer is lost (a network error). */
	loseAnswerOf: { method: string; path: string } | null = null;

	constructor(readonly origin = FAKE_TWENTY_URL) {}

	readonly fetch = (input: string, init: RequestInit): Promise<Response> =>
		this.handle(new Request(input, init));

	callsTo(method: string, pathStart: string): TwentyCall[] {
		return this.calls.filter((c) => c.method === method && c.path.startsWith(pathStart));
	}

	/** Seeds a Person, as if a rep had created it in Twenty. */
	seedPerson(fields: Record<string, unknown>): string {
		const id = crypto.randomUUID();
		this.people.set(id, { ...fields, id });
		return id;
	}

	private async handle(request: Request): Promise<Response> {
		const url = new URL(request.url);
		const text = request.method === "GET" ? "" : await request.text();
		const body: unknown = text ? JSON.parse(text) : undefined;
		const path = url.pathname.replace(/^\/rest/, "");
		this.calls.push({ method: request.method, path, query: url.searchParams, body });
		if (url.origin !== this.origin || !url.pathname.startsWith("/rest/"))
			return new Response("<html><body>Cannot GET</body></html>", { status: 404 });
		const key = (request.headers.get("Authorization") ?? "").replace(/^Bearer /, "");
		if (!this.keys.has(key)) return this.error(401, "UNAUTHENTICATED", "Token invalid.");
		if (this.callsLeft <= 0)
			return this.error(429, "TooManyRequestsException", "Limit reached (100 tokens per 60000 ms)");
		this.callsLeft -= 1;
		const cannedIndex = this.canned.findIndex((c) => path.startsWith(c.pathStartsWith));
		const canned = cannedIndex >= 0 ? this.canned.splice(cannedIndex, 1)[0] : undefined;
		if (canned) return this.json(canned.status, canned.body, canned.headers);
		const answer = this.route(
			request.method,
			path,
			url.searchParams,
			body as Record<string, unknown>,
		);
		const lose = this.loseAnswerOf;
		if (lose && lose.method === request.method && lose.path === path) {
			this.loseAnswerOf = null;
			throw new TypeError("Network connection lost.");
		}
		return answer;
	}

	private route(
		method: string,
		path: string,
		query: URLSearchParams,
		body: Record<string, unknown>,
	) {
		if (method === "GET" && path === "/people") return this.find(this.people, "people", query);
		if (method === "GET" && path === "/opportunities")
			return this.find(this.opportunities, "opportunities", query);
		if (method === "POST" && path === "/people")
			return this.createPerson(body, query.get("upsert") === "true" && this.supportsUpsert);
		if (method === "POST" && path === "/opportunities") return this.createOpportunity(body);
		const one = /^\/people\/([0-9a-f-]+)$/.exec(path);
		if (method === "PATCH" && one?.[1]) return this.updatePerson(one[1], body);
		return this.error(404, "NotFoundException", `Cannot ${method} /rest${path}`);
	}

	/** filter=a.b[eq]:"v" or and(a.b[eq]:"v",c.d[eq]:"w"); every term must hold. */
	private find(store: Map<string, Row>, key: string, query: URLSearchParams): Response {
		const terms = [...(query.get("filter") ?? "").matchAll(/([\w.]+)\[eq\]:"([^"]*)"/g)];
		const limit = Number(query.get("limit") ?? 60);
		const rows = [...store.values()]
			.filter((row) => terms.every(([, field, value]) => valueAt(row, field ?? "") === value))
			.slice(0, limit);
		return this.json(200, {
			data: { [key]: rows },
			pageInfo: {
				hasNextPage: false,
				startCursor: rows[0]?.id ?? null,
				endCursor: rows.at(-1)?.id ?? null,
			},
			totalCount: rows.length,
		});
	}

	private createPerson(body: Record<string, unknown>, upsert: boolean): Response {
		const invalid = this.invalidPerson(body);
		if (invalid) return this.error(400, "BadRequestException", invalid);
		const email = valueAt(body, "emails.primaryEmail");
		const byId = typeof body.id === "string" ? this.people.get(body.id) : undefined;
		const byEmail = email
			? [...this.people.values()].find((p) => valueAt(p, "emails.primaryEmail") === email)
			: undefined;
		const existing = byId ?? byEmail;
		if (existing && !upsert) {
			if (byId && !this.supportsUpsert)
				return this.error(400, "BadRequestException", "Record already exists");
			return this.error(
				400,
				"BadRequestException",
				byId ? "A duplicate entry was detected" : "Duplicate Emails. Please set a unique one.",
			);
		}
		const id = existing?.id ?? (typeof body.id === "string" ? body.id : crypto.randomUUID());
		const row = { ...existing, ...body, id, updatedAt: new Date().toISOString() } as Row;
		this.people.set(id, row);
		return this.json(201, { data: { createPerson: row } });
	}

	private invalidPerson(body: Record<string, unknown>): string | undefined {
		if (body.id !== undefined && !(typeof body.id === "string" && UUID.test(body.id)))
			return "Invalid UUID format for id";
		const email = valueAt(body, "emails.primaryEmail");
		if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return `Invalid email "${email}"`;
		return undefined;
	}

	private updatePerson(id: string, body: Record<string, unknown>): Response {
		const existing = this.people.get(id);
		if (!existing) return this.error(404, "NotFoundException", "Record not found");
		const row = { ...existing, ...body, id };
		this.people.set(id, row);
		return this.json(200, { data: { updatePerson: row } });
	}

	private createOpportunity(body: Record<string, unknown>): Response {
		if (typeof body.id === "string" && this.opportunities.has(body.id))
			return this.error(400, "BadRequestException", "A duplicate entry was detected");
		if (!this.people.has(String(body.pointOfContactId)))
			return this.error(400, "BadRequestException", "pointOfContactId does not reference a Person");
		if (body.stage !== undefined && !STAGES.includes(String(body.stage)))
			return this.error(
				400,
				"BadRequestException",
				`Value "${String(body.stage)}" is not a valid option for stage`,
			);
		const id = typeof body.id === "string" ? body.id : crypto.randomUUID();
		const row = { stage: "NEW", ...body, id } as Row;
		this.opportunities.set(id, row);
		return this.json(201, { data: { createOpportunity: row } });
	}

	private error(statusCode: number, error: string, message: string): Response {
		return this.json(statusCode, { statusCode, error, messages: [message] });
	}

	private json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
		return new Response(JSON.stringify(body), {
			status,
			headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
		});
	}
}

function valueAt(row: Record<string, unknown>, path: string): string | undefined {
	let value: unknown = row;
	for (const part of path.split(".")) {
		value =
			typeof value === "object" && value !== null
				? (value as Record<string, unknown>)[part]
				: undefined;
	}
	return typeof value === "string" ? value : undefined;
}
