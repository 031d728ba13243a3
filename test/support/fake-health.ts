// Fakes for the monitor's outbound calls: Graph's debug_token, subscribed_apps, leadgen_forms and
// form leads answers (real shapes: `data`, `paging.cursors`, `paging.next` only when a page follows),
// TikTok's subscription/get, and an alert webhook that records every body it is sent (Slack answers
// "ok" as text/plain). `routeHosts` sends each host's calls to its fake; anything else gets a 599.
import type { GraphReply } from "./fake-graph";

export const ALERT_URL = "https://hooks.slack.com/services/T0TEST/B0TEST/alertsFakeSecret";
export const APP_ID = "1234567890123";

const DAY_S = 86_400;

/** The code 190 errors debug_token puts inside `data` (HTTP 200), with Graph's own messages. */
export const TOKEN_ERRORS = {
	expired: {
		code: 190,
		message:
			"Error validating access token: Session has expired on Thursday, 03-Dec-26 07:45:51 PST. The current time is Thursday, 03-Dec-26 09:30:03 PST.",
		subcode: 463,
	},
	passwordChanged: {
		code: 190,
		message:
			"Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
		subcode: 460,
	},
} as const;

/**
 * GET /debug_token's answer about a Page token, shaped like the captured answers in
 * bk-rs/facebook-apis-rs (facebook-access-token-api/tests/response_body_json_files/
 * debug_token__page_access_token.json, debug_token__user_access_token_3.json and _4.json) and Graph's
 * debug_token reference: always HTTP 200 `{data}`; a token Graph no longer accepts carries
 * `data.error` {code 190, message, subcode 460|463|466} with `is_valid: false`; `expires_at` and
 * `data_access_expires_at` 0 mean never; `granular_scopes` lists `target_ids` when a permission was
 * granted for some Pages only.
 */
export function debugTokenReply(
	pageId: string,
	options: {
		expiresAt?: number;
		dataAccessExpiresAt?: number;
		scopes?: string[];
		/** Pages leads_retrieval was granted for; absent = every Page (no target_ids). */
		leadsRetrievalPages?: string[];
		error?: (typeof TOKEN_ERRORS)[keyof typeof TOKEN_ERRORS];
	} = {},
): GraphReply {
	const scopes = options.scopes ?? [
		"pages_show_list",
		"ads_management",
		"leads_retrieval",
		"pages_read_engagement",
		"pages_manage_metadata",
	];
	const data: Record<string, unknown> = {
		app_id: APP_ID,
		type: "PAGE",
		application: "Leadwire",
		data_access_expires_at:
			options.dataAccessExpiresAt ?? Math.floor(Date.parse("2027-03-01T00:00:00Z") / 1000),
		expires_at: options.expiresAt ?? 0,
		is_valid: options.error === undefined,
		issued_at: Math.floor(Date.parse("2026-10-01T00:00:00Z") / 1000),
		profile_id: pageId,
		scopes,
		granular_scopes: scopes
			.filter((scope) => scope.startsWith("pages_") || scope === "leads_retrieval")
			.map((scope) =>
				scope === "leads_retrieval" && options.leadsRetrievalPages
					? { scope, target_ids: options.leadsRetrievalPages }
					: { scope, target_ids: [pageId] },
			),
		user_id: "10223344556677889",
	};
	if (options.error) data.error = options.error;
	return { status: 200, body: JSON.stringify({ data }) };
}

/** An expiry `days` days after `from`, as debug_token's unix seconds. */
export function expiresIn(from: Date, days: number): number {
	return Math.floor(from.getTime() / 1000) + days * DAY_S;
}

/**
 * GET /{page-id}/subscribed_apps (Messenger webhooks guide, providers.md): `{data: [{category, link,
 * name, id, subscribed_fields}]}`, empty `data` when no app is installed (`null`), and no
 * `subscribed_fields` key when the app is installed with no fields (`"no key"`).
 */
export function subscribedAppsReply(fields: string[] | null | "no key"): GraphReply {
	if (fields === null) return { status: 200, body: JSON.stringify({ data: [] }) };
	const app: Record<string, unknown> = {
		category: "Business",
		link: "https://leadwire.example.com/",
		name: "Leadwire",
		id: APP_ID,
	};
	if (fields !== "no key") app.subscribed_fields = fields;
	return { status: 200, body: JSON.stringify({ data: [app] }) };
}

/** One page of an edge: `next` (with the token, as Graph writes it) only when another page follows. */
export function edgePage(path: string, rows: unknown[], after: string | undefined): GraphReply {
	const cursors = { before: "QVFIUmJlZm9yZQ", after: after ?? "QVFIUmxhc3Q" };
	const paging: Record<string, unknown> = { cursors };
	if (after) {
		paging.next = `https://graph.facebook.com/v25.0${path}?access_token=EAAGredacted&limit=100&after=${after}`;
	}
	return { status: 200, body: JSON.stringify({ data: rows, paging }) };
}

/** Graph code 17 (user request limit) with Retry-After-less usage headers, as Graph sends it. */
export function userRateLimited(): GraphReply {
	return {
		status: 400,
		headers: {
			"x-business-use-case-usage":
				'{"109876543210987":[{"type":"pages","call_count":100,"total_cputime":12,"total_time":40,"estimated_time_to_regain_access":1}]}',
		},
		body: JSON.stringify({
			error: {
				message: "(#17) User request limit reached",
				type: "OAuthException",
				is_transient: true,
				code: 17,
				error_subcode: 2446079,
				fbtrace_id: "AxYz123Limit",
			},
		}),
	};
}

/** Records alert posts; `failures` > 0 answers that many with a 500 (or throws when "network"). */
export class AlertSink {
	readonly bodies: string[] = [];
	failures = 0;
	failWith: "http" | "network" = "http";

	async handle(request: Request): Promise<Response> {
		const body = await request.text();
		if (this.failures > 0) {
			this.failures -= 1;
			if (this.failWith === "network") throw new TypeError("Network connection lost.");
			return new Response("internal_error", { status: 500 });
		}
		this.bodies.push(body);
		return new Response("ok", { status: 200, headers: { "Content-Type": "text/plain" } });
	}

	/** The sent messages' section texts, one array per message. */
	messages(): string[][] {
		return this.bodies.map((body) => {
			const parsed = JSON.parse(body) as { blocks?: { type: string; text: { text: string } }[] };
			return (parsed.blocks ?? []).filter((b) => b.type === "section").map((b) => b.text.text);
		});
	}
}

/** A fetch handler for non-Graph hosts: each host's calls go to its fake. */
export function routeHosts(
	routes: Record<string, (request: Request) => Promise<Response> | Response>,
): (request: Request) => Promise<Response> {
	return async (request) => {
		const host = new URL(request.url).host;
		const route = routes[host];
		if (route) return route(request);
		return new Response(`test tried to reach the network: ${request.url}`, { status: 599 });
	};
}

/** Every alert body must be free of personal data and secrets (phones, emails, tokens, payloads). */
export function personalDataIn(body: string, secrets: string[]): string[] {
	const found: string[] = [];
	if (/\+\d{7,15}/.test(body)) found.push("a phone number");
	if (/[\w.+-]+@[\w-]+\.[\w.]+/.test(body)) found.push("an email address");
	for (const secret of secrets)
		if (body.includes(secret)) found.push(`secret ${secret.slice(0, 6)}…`);
	for (const payloadMark of [
		"field_data",
		"full_name",
		"leadgen_id",
		'"entry"',
		"Sara Al Mansouri",
	]) {
		if (body.includes(payloadMark)) found.push(`payload (${payloadMark})`);
	}
	return found;
}

/** One LEAD subscription as subscription/get lists it, for an advertiser or a form library. */
export interface FakeSubscription {
	advertiserId?: string;
	libraryId?: string;
}

/**
 * TikTok's `GET /open_api/v1.3/subscription/get/` for one app, paged as TikTok pages it: query `page`
 * (default 1) and `page_size` (1–1000, default 10), answer HTTP 200 `{code, message, request_id,
 * data: {subscriptions, page_info: {page, page_size, total_number, total_page}}}` (Go SDK
 * bububa/tiktok-business, model/subscription/get.go and subscription.go; providers.md). Ids are sent
 * as JSON numbers above 2^53, as TikTok types them. `revoked` answers code 40105; a page_size out of
 * range answers code 40002 like TikTok's parameter check.
 */
export class FakeTikTokSubscriptions {
	readonly calls: Request[] = [];
	revoked = false;

	constructor(readonly subscriptions: FakeSubscription[]) {}

	handle(request: Request): Response {
		this.calls.push(request);
		const query = new URL(request.url).searchParams;
		const page = Number(query.get("page") ?? "1");
		const pageSize = Number(query.get("page_size") ?? "10");
		if (this.revoked) {
			return this.answer(40105, "Access token is incorrect or has been revoked.", {});
		}
		if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000 || page < 1) {
			return this.answer(40002, "page_size: Must be between 1 and 1000.", {});
		}
		const rows = this.subscriptions.slice((page - 1) * pageSize, page * pageSize);
		return this.answer(0, "OK", {
			subscriptions: rows.map((row, i) => subscriptionJson(row, (page - 1) * pageSize + i)),
			page_info: {
				page,
				page_size: pageSize,
				total_number: this.subscriptions.length,
				total_page: Math.ceil(this.subscriptions.length / pageSize),
			},
		});
	}

	private answer(code: number, message: string, data: unknown): Response {
		const text = JSON.stringify({ code, message, request_id: `20261203090000${code}`, data })
			// TikTok types ids as JSON numbers above 2^53 (providers.md §0.2): send the raw digits.
			.replace(/"(advertiser_id|library_id)":"(\d+)"/g, '"$1":$2');
		return new Response(text, { headers: { "Content-Type": "application/json" } });
	}
}

function subscriptionJson(row: FakeSubscription, index: number) {
	const detail: Record<string, string> = { lead_source: "INSTANT_FORM" };
	if (row.advertiserId) detail.advertiser_id = row.advertiserId;
	if (row.libraryId) detail.library_id = row.libraryId;
	return {
		app_id: "7100000000000000001",
		subscription_id: String(1810000000000000000n + BigInt(index)),
		subscribe_entity: "LEAD",
		callback_url: "https://relay.test/api/integrations/webhooks/tiktok-leadgen/",
		subscription_detail: detail,
	};
}
