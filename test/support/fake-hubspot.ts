// A fake HubSpot account for the HubSpot destination: CRM v3 contacts (batch upsert/create/update,
// search), deals (batch create/upsert with associations), owners, with a stateful store so a resend
// shows as an update, and HubSpot's status codes, error bodies and X-HubSpot-RateLimit-* headers.
//
// Where each shape comes from (looked up with the search tool, 2026-12-07):
// - Batch upsert request/answer {inputs:[{id, idProperty, properties, objectWriteTraceId}]} →
//   {status, results:[{id, new, properties, objectWriteTraceId, createdAt, updatedAt, archived}],
//   startedAt, completedAt} and 207's errors[]: developers.hubspot.com/docs/api-reference/legacy/crm/
//   objects/contacts/batch/upsert-contacts. "Unable to perform update/upsert by non-unique 0-1
//   property" for a non-unique idProperty: HubSpot/hubspot-api-nodejs#548.
// - Error body {status:"error", message, correlationId, category, errors?}: developers.hubspot.com/
//   docs/faq/api-error-responses. 409 {category:"CONFLICT", message:"Contact already exists.
//   Existing ID: N"}: HubSpot/hubspot-api-nodejs#545, hubspot-api-python#51 (batch create).
//   403 category MISSING_SCOPES with context {missingScopes: [...]} (used by the tests' canned
//   answer): the error schema examples of HubSpot's API reference (api-evangelist/hubspot mirrors).
// - 429 {message:"You have reached your secondly limit.", errorType:"RATE_LIMIT", policyName}:
//   HGData/mk-node-hubspot#89 and #84; policy names TEN_SECONDLY_ROLLING (hubspot-api-nodejs#416)
//   and DAILY. X-HubSpot-RateLimit-Daily, -Daily-Remaining, -Max, -Remaining,
//   -Interval-Milliseconds: HubSpot changelog 2018-11-06 and "rate limit headers for OAuth".
// - Owners GET /crm/v3/owners?email= → {results:[{id, email, firstName, lastName, userId}]},
//   contacts search {filterGroups:[{filters:[{propertyName, operator:"IN", values}]}]} → {total,
//   results}, deal→contact association type 3 (HUBSPOT_DEFINED): HubSpot's CRM v3 reference.
// Not confirmed, chosen here: whether 429s carry Retry-After (the fake sends none unless told);
// that a batch upsert with one invalid input is refused whole with 400 (the fake does, which the
// adapter answers by halving); the exact context keys of a 207's errors (the fake names inputs by
// context.ids); the results' order (the fake answers in reverse, so the adapter must match by key).
export const FAKE_HUBSPOT_TOKEN = "pat-eu1-0f7c2a8e-4b1d-4c3e-9a55-2d6f0b1e7c90";
export const FAKE_OWNER = { id: "81234567", email: "rep@northwind.example", userId: 5123456 };

type Properties = Record<string, string>;

interface StoredObject {
	id: string;
	properties: Properties;
	createdAt: string;
	updatedAt: string;
	/** Deals only: the contact ids associated. */
	contactIds: string[];
}

export interface CapturedCall {
	method: string;
	path: string;
	search: string;
	body: unknown;
}

/** A whole-call answer for the next call to a path ending so. */
export interface CannedAnswer {
	pathEndsWith: string;
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

const DAILY_LIMIT = 250_000;
const BURST_LIMIT = 190;

export class FakeHubSpot {
	readonly calls: CapturedCall[] = [];
	readonly contacts = new Map<string, StoredObject>();
	readonly deals = new Map<string, StoredObject>();
	readonly tokens = new Set([FAKE_HUBSPOT_TOKEN]);
	/** Contact properties made unique by the account's admin (email is always unique). */
	readonly uniqueContactProperties = new Set<string>();
	readonly uniqueDealProperties = new Set<string>();
	readonly owners = [FAKE_OWNER];
	readonly pipelines: Record<string, string[]> = {
		default: ["appointmentscheduled", "qualifiedtobuy"],
	};
	readonly canned: CannedAnswer[] = [];
	/** Per contact, a property HubSpot refuses: e.g. {error:"INVALID_EMAIL", name:"email"}. */
	rejectContact: (properties: Properties) => { error: string; name: string } | undefined = (p) =>
		p.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p.email)
			? { error: "INVALID_EMAIL", name: "email" }
			: undefined;
	dailyUsed = 1_200;
	/** The next call to a path ending so is carried out, then its answer is lost (a network error). */
	loseAnswerOf: string | null = null;
	private ids = 50_000;

	readonly fetch = (input: string, init: RequestInit): Promise<Response> =>
		this.handle(new Request(input, init));

	callsTo(pathEnd: string): CapturedCall[] {
		return this.calls.filter((c) => c.path.endsWith(pathEnd));
	}

	contactByEmail(email: string): StoredObject | undefined {
		return [...this.contacts.values()].find((c) => c.properties.email === email.toLowerCase());
	}

	/** Seeds a contact, as if created in HubSpot by someone else. */
	seedContact(properties: Properties): string {
		return this.save(this.contacts, undefined, properties).id;
	}

	private async handle(request: Request): Promise<Response> {
		const url = new URL(request.url);
		const text = request.method === "GET" ? "" : await request.text();
		const body: unknown = text ? JSON.parse(text) : undefined;
		this.calls.push({ method: request.method, path: url.pathname, search: url.search, body });
		if (url.origin !== "https://api.hubapi.com") return new Response("no route", { status: 599 });
		const token = (request.headers.get("Authorization") ?? "").replace(/^Bearer /, "");
		if (!this.tokens.has(token)) {
			return this.json(401, {
				status: "error",
				message:
					"Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
				correlationId: crypto.randomUUID(),
				category: "INVALID_AUTHENTICATION",
			});
		}
		this.dailyUsed += 1;
		const cannedIndex = this.canned.findIndex((c) => url.pathname.endsWith(c.pathEndsWith));
		const canned = cannedIndex >= 0 ? this.canned.splice(cannedIndex, 1)[0] : undefined;
		if (canned) return this.json(canned.status, canned.body, canned.headers);
		const answer = this.route(request.method, url, body);
		if (this.loseAnswerOf !== null && url.pathname.endsWith(this.loseAnswerOf)) {
			this.loseAnswerOf = null;
			throw new TypeError("Network connection lost.");
		}
		return answer;
	}

	private route(method: string, url: URL, body: unknown): Response {
		const path = url.pathname;
		const input = body as { inputs?: Record<string, unknown>[] } | undefined;
		if (method === "GET" && path === "/crm/v3/owners") return this.ownersAnswer(url);
		if (method === "GET" && path === "/crm/v3/objects/contacts") {
			const page = [...this.contacts.values()].slice(
				0,
				Number(url.searchParams.get("limit") ?? 10),
			);
			return this.json(200, { results: page.map((c) => this.view(c)) });
		}
		if (method === "POST" && path === "/crm/v3/objects/contacts/search") return this.search(body);
		const batch = /^\/crm\/v3\/objects\/(contacts|deals)\/batch\/(upsert|create|update)$/.exec(
			path,
		);
		if (method === "POST" && batch && input?.inputs) {
			const inputs = input.inputs;
			if (inputs.length > 100) return this.validation("Batch input limit is 100 inputs");
			const object = batch[1] as "contacts" | "deals";
			if (batch[2] === "upsert") return this.upsert(object, inputs);
			if (batch[2] === "create") return this.create(object, inputs);
			return this.update(inputs);
		}
		return this.json(404, {
			status: "error",
			message: "resource not found",
			correlationId: crypto.randomUUID(),
		});
	}

	private ownersAnswer(url: URL): Response {
		const email = url.searchParams.get("email")?.toLowerCase();
		const results = this.owners
			.filter((o) => !email || o.email === email)
			.map((o) => ({ ...o, firstName: "Rhea", lastName: "Rep", archived: false }));
		return this.json(200, { results });
	}

	private search(body: unknown): Response {
		const request = body as {
			filterGroups: { filters: { propertyName: string; values?: string[] }[] }[];
		};
		const filter = request.filterGroups[0]?.filters[0];
		const values = new Set(filter?.values ?? []);
		const results = [...this.contacts.values()]
			.filter((c) => filter && values.has(c.properties[filter.propertyName] ?? ""))
			.map((c) => ({
				id: c.id,
				properties: { phone: c.properties.phone ?? null },
				archived: false,
			}));
		return this.json(200, { total: results.length, results });
	}

	private upsert(object: "contacts" | "deals", inputs: Record<string, unknown>[]): Response {
		const unique = object === "contacts" ? this.uniqueContactProperties : this.uniqueDealProperties;
		const seen = new Set<string>();
		for (const input of inputs) {
			const idProperty = String(input.idProperty);
			if (idProperty !== "email" && !unique.has(idProperty)) {
				const typeId = object === "contacts" ? "0-1" : "0-3";
				return this.validation(
					`Unable to perform update/upsert by non-unique ${typeId} property ${idProperty} in portal ID 146987423`,
				);
			}
			if (seen.has(String(input.id))) return this.validation("Duplicate IDs found in batch input");
			seen.add(String(input.id));
		}
		const refused = this.refusal(object, inputs);
		if (refused) return refused;
		const store = object === "contacts" ? this.contacts : this.deals;
		const existingOf = (input: Record<string, unknown>) => {
			const idProperty = String(input.idProperty);
			const value = String(input.id).toLowerCase();
			return [...store.values()].find((o) => o.properties[idProperty] === value);
		};
		if (object === "contacts") {
			const conflict = this.emailConflict(inputs.filter((input) => !existingOf(input)));
			if (conflict) return conflict;
		}
		const results = inputs.map((input) => {
			const idProperty = String(input.idProperty);
			const value = String(input.id).toLowerCase();
			const existing = existingOf(input);
			const properties = { ...(input.properties as Properties), [idProperty]: value };
			const saved = this.save(store, existing, properties, input.associations);
			return { ...this.view(saved), new: !existing, objectWriteTraceId: input.objectWriteTraceId };
		});
		return this.json(200, this.batchBody(results.reverse()));
	}

	private create(object: "contacts" | "deals", inputs: Record<string, unknown>[]): Response {
		const refused = this.refusal(object, inputs);
		if (refused) return refused;
		const store = object === "contacts" ? this.contacts : this.deals;
		if (object === "contacts") {
			const conflict = this.emailConflict(inputs);
			if (conflict) return conflict;
		}
		const results = inputs.map((input) => {
			const saved = this.save(store, undefined, input.properties as Properties, input.associations);
			return { ...this.view(saved), objectWriteTraceId: input.objectWriteTraceId };
		});
		return this.json(201, this.batchBody(results.reverse()));
	}

	/** A new contact whose email another contact has: 409 naming the first one (email is unique). */
	private emailConflict(creating: Record<string, unknown>[]): Response | undefined {
		for (const input of creating) {
			const email = (input.properties as Properties).email?.toLowerCase();
			const existing = email ? this.contactByEmail(email) : undefined;
			if (existing) {
				return this.json(409, {
					status: "error",
					message: `Contact already exists. Existing ID: ${existing.id}`,
					correlationId: crypto.randomUUID(),
					category: "CONFLICT",
				});
			}
		}
		return undefined;
	}

	private update(inputs: Record<string, unknown>[]): Response {
		const results = inputs.flatMap((input) => {
			const existing = this.contacts.get(String(input.id));
			if (!existing) return [];
			const saved = this.save(this.contacts, existing, input.properties as Properties);
			return [{ ...this.view(saved), objectWriteTraceId: input.objectWriteTraceId }];
		});
		return this.json(200, this.batchBody(results));
	}

	/** A batch with an invalid property value is refused whole (400 VALIDATION_ERROR). */
	private refusal(
		object: "contacts" | "deals",
		inputs: Record<string, unknown>[],
	): Response | undefined {
		for (const input of inputs) {
			const properties = input.properties as Properties;
			const bad =
				object === "contacts" ? this.rejectContact(properties) : this.badDealStage(properties);
			if (bad) {
				const detail = JSON.stringify([
					{
						isValid: false,
						message: `${properties[bad.name]} is invalid`,
						error: bad.error,
						name: bad.name,
					},
				]);
				return this.validation(`Property values were not valid: ${detail}`);
			}
		}
		return undefined;
	}

	private badDealStage(properties: Properties) {
		const stages = this.pipelines[properties.pipeline ?? ""];
		if (!stages) return { error: "INVALID_OPTION", name: "pipeline" };
		return stages.includes(properties.dealstage ?? "")
			? undefined
			: { error: "INVALID_OPTION", name: "dealstage" };
	}

	private save(
		store: Map<string, StoredObject>,
		existing: StoredObject | undefined,
		properties: Properties,
		associations?: unknown,
	): StoredObject {
		const now = new Date().toISOString();
		const contactIds = Array.isArray(associations)
			? associations.map((a: { to: { id: string } }) => a.to.id)
			: [];
		const email = properties.email?.toLowerCase();
		const saved: StoredObject = existing
			? { ...existing, properties: { ...existing.properties, ...properties }, updatedAt: now }
			: { id: String(++this.ids), properties, createdAt: now, updatedAt: now, contactIds };
		if (email) saved.properties.email = email;
		store.set(saved.id, saved);
		return saved;
	}

	private view(o: StoredObject) {
		return {
			id: o.id,
			properties: { ...o.properties, hs_object_id: o.id },
			createdAt: o.createdAt,
			updatedAt: o.updatedAt,
			archived: false,
		};
	}

	private batchBody(results: unknown[]) {
		const at = new Date().toISOString();
		return { status: "COMPLETE", results, startedAt: at, completedAt: at };
	}

	private validation(message: string): Response {
		return this.json(400, {
			status: "error",
			message,
			correlationId: crypto.randomUUID(),
			category: "VALIDATION_ERROR",
		});
	}

	private json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
		return new Response(JSON.stringify(body), {
			status,
			headers: {
				"Content-Type": "application/json;charset=utf-8",
				...this.limitHeaders(),
				...headers,
			},
		});
	}

	private limitHeaders(): Record<string, string> {
		return {
			"X-HubSpot-RateLimit-Daily": String(DAILY_LIMIT),
			"X-HubSpot-RateLimit-Daily-Remaining": String(DAILY_LIMIT - this.dailyUsed),
			"X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
			"X-HubSpot-RateLimit-Max": String(BURST_LIMIT),
			"X-HubSpot-RateLimit-Remaining": String(BURST_LIMIT - 1),
		};
	}
}

/** HubSpot's 429 for the 10-second burst limit (policyName TEN_SECONDLY_ROLLING). */
export function burstLimitAnswer(
	pathEndsWith: string,
	headers: Record<string, string> = {},
): CannedAnswer {
	return {
		pathEndsWith,
		status: 429,
		body: {
			status: "error",
			message: "You have reached your ten_secondly_rolling limit.",
			errorType: "RATE_LIMIT",
			correlationId: crypto.randomUUID(),
			policyName: "TEN_SECONDLY_ROLLING",
		},
		headers: { "X-HubSpot-RateLimit-Remaining": "0", ...headers },
	};
}

/** HubSpot's 429 once the private app's daily allowance is spent (policyName DAILY). */
export function dailyLimitAnswer(pathEndsWith: string): CannedAnswer {
	return {
		pathEndsWith,
		status: 429,
		body: {
			status: "error",
			message: "You have reached your daily limit.",
			errorType: "RATE_LIMIT",
			correlationId: crypto.randomUUID(),
			policyName: "DAILY",
		},
		headers: { "X-HubSpot-RateLimit-Daily-Remaining": "0" },
	};
}
