// Graph answers classified with an injected fetch: a lead, retry later (5xx, rate limits, network),
// or permanent (revoked token, missing permission); the request carries version, fields and token.
import { describe, it } from "vitest";
import { fetchLead, type GraphDeps } from "../../src/enrichers/meta-graph";
import {
	type GraphReply,
	graphDown,
	graphLead,
	rateLimited,
	tokenRevoked,
} from "../support/fake-graph";

function deps(reply: GraphReply | Error, seen: Request[] = []): GraphDeps {
	return {
		graphVersion: "v26.0",
		now: new Date("2026-11-02T06:20:00Z"),
		fetch: async (input, init) => {
			seen.push(new Request(input, init));
			if (reply instanceof Error) throw reply;
			return new Response(reply.body, { status: reply.status, headers: reply.headers });
		},
	};
}

describe("fetchLead", () => {
	it("reads the lead with the configured version, fields and token", async ({ expect }) => {
		const seen: Request[] = [];
		const result = await fetchLead(deps(graphLead(), seen), "1023456789012345", "EAAGtoken");
		expect(result.kind).toBe("ok");
		const url = new URL(seen[0]?.url ?? "");
		expect(url.origin + url.pathname).toBe("https://graph.facebook.com/v26.0/1023456789012345");
		expect(url.searchParams.get("access_token")).toBe("EAAGtoken");
		expect(url.searchParams.get("fields")?.split(",")).toContain("field_data");
	});

	it("calls a revoked token permanent and says it must be renewed, without the token", async ({
		expect,
	}) => {
		const result = await fetchLead(deps(tokenRevoked()), "1", "EAAGsecret");
		expect(result).toEqual({
			kind: "permanent",
			tokenRejected: true,
			reason:
				"Graph 400 OAuthException code 190/460: the Page access token was rejected (expired or revoked); it must be renewed",
		});
	});

	it("retries 5xx, network failures and rate limits (flagged, with Retry-After)", async ({
		expect,
	}) => {
		expect(await fetchLead(deps(graphDown()), "1", "t")).toMatchObject({
			kind: "retry",
			rateLimited: false,
		});
		expect(await fetchLead(deps(new TypeError("network lost")), "1", "t")).toEqual({
			kind: "retry",
			reason: "Graph unreachable",
			rateLimited: false,
		});
		const limited = rateLimited();
		const result = await fetchLead(
			deps({ ...limited, headers: { ...limited.headers, "Retry-After": "120" } }),
			"1",
			"t",
		);
		expect(result).toMatchObject({ kind: "retry", rateLimited: true, retryAfterSeconds: 120 });
		const html = await fetchLead(deps({ status: 502, body: "<html>Bad Gateway</html>" }), "1", "t");
		expect(html).toMatchObject({ kind: "retry", reason: "Graph 502" });
	});

	it("calls a missing permission or an unknown lead permanent", async ({ expect }) => {
		const permission = {
			status: 403,
			body: '{"error":{"message":"(#200) Requires leads_retrieval permission","type":"OAuthException","code":200,"fbtrace_id":"x"}}',
		};
		const unknown = {
			status: 400,
			body: '{"error":{"message":"Unsupported get request.","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"y"}}',
		};
		expect(await fetchLead(deps(permission), "1", "t")).toMatchObject({
			kind: "permanent",
			tokenRejected: false,
			reason: expect.stringContaining("permission"),
		});
		expect(await fetchLead(deps(unknown), "1", "t")).toEqual({
			kind: "permanent",
			tokenRejected: false,
			reason: "Graph 400 GraphMethodException code 100/33",
		});
	});
});
