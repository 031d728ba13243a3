// A recording fake of graph.facebook.com behind a spy on globalThis.fetch (aesthetics.md §3.5: the
// spy intercepts the Worker's own fetches; Responses are built inside the mock, per request).
// Replies use Graph's real status codes, headers and error bodies (providers.md §3); any other host
// gets a 599 so nothing reaches the network.
import { vi } from "vitest";
import { metaFixture } from "./fixtures";

export interface GraphCall {
	method: string;
	url: URL;
	/** e.g. "/v25.0/1023456789012345". */
	path: string;
	accessToken: string | null;
	/** Form fields of a POST (token exchange). */
	form: URLSearchParams;
}

export interface GraphReply {
	status: number;
	body: string;
	headers?: Record<string, string>;
}

const GRAPH_HEADERS = {
	"Content-Type": "application/json; charset=UTF-8",
	"facebook-api-version": "v25.0",
	"x-fb-rev": "1029384756",
	"x-fb-trace-id": "AbCdEfGhIjK",
	"x-app-usage": '{"call_count":1,"total_cputime":1,"total_time":1}',
};

/** The fixture lead (1023456789012345), or the same shape for another id and form. */
export function graphLead(
	leadgenId = "1023456789012345",
	overrides: Record<string, unknown> = {},
): GraphReply {
	const lead = JSON.parse(metaFixture("meta/graph_lead_response.json")) as Record<string, unknown>;
	const body =
		leadgenId === "1023456789012345" && Object.keys(overrides).length === 0
			? metaFixture("meta/graph_lead_response.json")
			: JSON.stringify({ ...lead, id: leadgenId, ...overrides });
	return { status: 200, body };
}

/** OAuthException 190: the token was invalidated (password change, revoked app...). */
export function tokenRevoked(): GraphReply {
	const message =
		"Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.";
	return {
		status: 400,
		headers: { "WWW-Authenticate": `OAuth "Facebook Platform" "invalid_token" "${message}"` },
		body: JSON.stringify({
			error: {
				message,
				type: "OAuthException",
				code: 190,
				error_subcode: 460,
				fbtrace_id: "A1b2C3d4E5f",
			},
		}),
	};
}

/** Graph having a bad day: 500 with its transient error body. */
export function graphDown(): GraphReply {
	return {
		status: 500,
		body: JSON.stringify({
			error: {
				message: "An unexpected error has occurred. Please retry your request later.",
				type: "OAuthException",
				is_transient: true,
				code: 2,
				fbtrace_id: "Fz9Yx8Wv7Ut",
			},
		}),
	};
}

/** The LeadGen rate limit bucket (providers.md §3: code 80005), with its usage header. */
export function rateLimited(): GraphReply {
	return {
		status: 400,
		headers: {
			"x-business-use-case-usage":
				'{"109876543210987":[{"type":"leadgen","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":30}]}',
		},
		body: JSON.stringify({
			error: {
				message: "(#80005) There have been too many leadgen api calls to this Page.",
				type: "OAuthException",
				is_transient: true,
				code: 80005,
				fbtrace_id: "Rt5Ew3Qa1Zx",
			},
		}),
	};
}

/**
 * Spies on fetch; `handler` answers each Graph call (undefined → 404 unknown path). Other hosts go to
 * `others` (e.g. a FakeSalesforce's handle) or get a 599.
 */
export function fakeGraph(
	handler: (call: GraphCall) => GraphReply | undefined,
	otherHosts?: (request: Request) => Promise<Response>,
) {
	const calls: GraphCall[] = [];
	const others: string[] = [];
	vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const request = new Request(input, init);
		const url = new URL(request.url);
		if (url.host !== "graph.facebook.com") {
			if (otherHosts) return otherHosts(request);
			others.push(request.url);
			return new Response(`test tried to reach the network: ${request.url}`, { status: 599 });
		}
		const form = new URLSearchParams(request.method === "POST" ? await request.text() : "");
		const call: GraphCall = {
			method: request.method,
			url,
			path: url.pathname,
			accessToken: url.searchParams.get("access_token") ?? form.get("access_token"),
			form,
		};
		calls.push(call);
		const reply = handler(call) ?? {
			status: 404,
			body: JSON.stringify({
				error: {
					message: "Unknown path components",
					type: "OAuthException",
					code: 2500,
					fbtrace_id: "x",
				},
			}),
		};
		return new Response(reply.body, {
			status: reply.status,
			headers: { ...GRAPH_HEADERS, ...reply.headers },
		});
	});
	return { calls, others };
}

/** The leadgen id a Graph lead read asks for, or undefined for any other call. */
export function leadIdOf(call: GraphCall): string | undefined {
	const match = /^\/v\d+\.\d+\/(\d+)$/.exec(call.path);
	return call.method === "GET" ? match?.[1] : undefined;
}
