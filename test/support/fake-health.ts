// Fakes for the monitor's outbound calls: Graph's debug_token, subscribed_apps, leadgen_forms and
// form leads answers (real shapes: `data`, `paging.cursors`, `paging.next` only when a page follows),
// TikTok's subscription/get, and an alert webhook that records every body it is sent (Slack answers
// "ok" as text/plain). `routeHosts` sends each host's calls to its fake; anything else gets a 599.
import type { GraphReply } from "./fake-graph";

export const ALERT_URL = "https://hooks.slack.com/services/T0TEST/B0TEST/alertsFakeSecret";
export const APP_ID = "1234567890123";

const DAY_S = 86_400;

export function debugTokenReply(
	pageId: string,
	options: { expiresAt?: number; scopes?: string[]; isValid?: boolean } = {},
): GraphReply {
	const isValid = options.isValid ?? true;
	const data: Record<string, unknown> = {
		app_id: APP_ID,
		type: "PAGE",
		application: "Leadwire",
		data_access_expires_at: Math.floor(Date.parse("2027-03-01T00:00:00Z") / 1000),
		expires_at: options.expiresAt ?? 0,
		is_valid: isValid,
		issued_at: Math.floor(Date.parse("2026-10-01T00:00:00Z") / 1000),
		profile_id: pageId,
		scopes: options.scopes ?? [
			"pages_show_list",
			"ads_management",
			"leads_retrieval",
			"pages_read_engagement",
			"pages_manage_metadata",
		],
		user_id: "10223344556677889",
	};
	if (!isValid) {
		data.error = {
			code: 190,
			message: "Error validating access token: Session has expired on Thursday, 03-Dec-26.",
			subcode: 463,
		};
	}
	return { status: 200, body: JSON.stringify({ data }) };
}

/** An expiry `days` days after `from`, as debug_token's unix seconds. */
export function expiresIn(from: Date, days: number): number {
	return Math.floor(from.getTime() / 1000) + days * DAY_S;
}

export function subscribedAppsReply(fields: string[] | null): GraphReply {
	const apps =
		fields === null
			? []
			: [
					{
						category: "Business",
						link: "https://leadwire.example.com/",
						name: "Leadwire",
						id: APP_ID,
						subscribed_fields: fields,
					},
				];
	return { status: 200, body: JSON.stringify({ data: apps }) };
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
