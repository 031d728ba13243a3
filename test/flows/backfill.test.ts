// Backfill against a fake Graph: a window holding 250 leads of a Page's form over 3 pages of results,
// 40 of them already delivered by the webhook, creates 210 clients and counts 40 duplicates through the
// ingest pipeline; Graph's rate-limit answers are waited out (the wait is injected); a second run
// through the operator API doubles nothing; TikTok is refused with the reason; only the accounts a
// backfill can read (active Meta Pages with a token) are offered.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import type { BackfillDeps } from "../../src/backfill/deps";
import { runBackfill } from "../../src/backfill/run-backfill";
import { loadConfig } from "../../src/config";
import { healthDeps } from "../../src/health/deps";
import { createLogger } from "../../src/log";
import { createDb } from "../../src/storage/db";
import { getAccount } from "../../src/storage/integration-accounts";
import { count, seedAccount, seedCompany } from "../support/factories";
import { type GraphCall, graphLead, leadIdOf } from "../support/fake-graph";
import { edgePage, userRateLimited } from "../support/fake-health";
import { fakeWorld } from "../support/health";
import { leadgenWebhook, seedPage } from "../support/meta";
import { admin, fetchWithEnv, postMeta } from "../support/requests";
import { TEST_ADMIN_TOKEN } from "../support/secrets";

const PAGE = "109876543210987";
const FORM = "987654321098765";
const EMPTY_FORM = "987654321098766";
const PAGE_TOKEN = "EAAGpageTokenForBackfillTests000000000000000";
const SINCE = "2026-11-30T00:00:00.000Z";
const UNTIL = "2026-12-02T00:00:00.000Z";
const LEAD_IDS = Array.from({ length: 250 }, (_, i) => String(1023456789200000 + i));

/** POST /api/admin/backfill over the test window: the status and the refusal's message. */
async function postBackfill(provider: string, accountId: number) {
	const response = await admin("/backfill", {
		method: "POST",
		body: { provider, integration_account_id: accountId, since: SINCE, until: UNTIL },
	});
	const body = (await response.json()) as { error?: { message: string } };
	return { status: response.status, message: body.error?.message };
}

/** Graph as a Page with two forms, the first holding 250 leads in pages of 100 behind cursors. */
function pageGraph(options: { rateLimited: boolean } = { rateLimited: false }) {
	const refused = new Set<string>();
	return (call: GraphCall) => {
		if (call.path === `/v25.0/${PAGE}/leadgen_forms`) {
			return edgePage(
				call.path,
				[
					{ id: FORM, name: "Free consultation", status: "ACTIVE" },
					{ id: EMPTY_FORM, name: "Old offer", status: "ARCHIVED" },
				],
				undefined,
			);
		}
		if (call.path === `/v25.0/${EMPTY_FORM}/leads`) return edgePage(call.path, [], undefined);
		if (call.path === `/v25.0/${FORM}/leads`) {
			const after = call.url.searchParams.get("after");
			// Pages 2 and 3 are first refused by the rate limit (code 17, then code 4 without headers).
			if (options.rateLimited && after !== null && !refused.has(after)) {
				refused.add(after);
				return after === "cursor100" ? userRateLimited() : appRateLimited();
			}
			const start = after === null ? 0 : Number(after.replace("cursor", ""));
			const rows = LEAD_IDS.slice(start, start + 100).map((id) => JSON.parse(graphLead(id).body));
			const next = start + 100 < LEAD_IDS.length ? `cursor${start + 100}` : undefined;
			return edgePage(call.path, rows, next);
		}
		const id = leadIdOf(call);
		return id ? graphLead(id) : undefined;
	};
}

/** Graph code 4 (application request limit), no Retry-After, no usage header. */
function appRateLimited() {
	return {
		status: 400,
		body: JSON.stringify({
			error: {
				message: "(#4) Application request limit reached",
				type: "OAuthException",
				is_transient: true,
				code: 4,
				fbtrace_id: "AppLimit4",
			},
		}),
	};
}

function depsWithSleep(waits: number[]): BackfillDeps {
	return {
		...healthDeps(env, loadConfig(env), createLogger({ action: "backfill" })),
		sleep: async (ms) => {
			waits.push(ms);
		},
	};
}

async function pageClients(accountId: number): Promise<{ external_id: string; n: number }[]> {
	return (
		await env.DB.prepare(
			"SELECT external_id, COUNT(*) AS n FROM clients WHERE integration_account_id = ? GROUP BY external_id",
		)
			.bind(accountId)
			.all<{ external_id: string; n: number }>()
	).results;
}

describe("Meta backfill", () => {
	it("creates 210 of 250 leads (40 delivered already), waits out rate limits, and doubles nothing when run again", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Northwind Dental" });
		const accountId = await seedPage(companyId, PAGE, PAGE_TOKEN);
		const { graph } = fakeWorld(pageGraph({ rateLimited: true }));
		const delivered = await postMeta(
			leadgenWebhook(LEAD_IDS.slice(100, 140).map((leadgenId) => ({ leadgenId, pageId: PAGE }))),
		);
		expect(delivered.status).toBe(200);
		expect(await pageClients(accountId)).toHaveLength(40);
		graph.calls.splice(0);

		const account = await getAccount(createDb(env.DB), accountId);
		if (!account) throw new Error("account missing");
		const waits: number[] = [];
		const run = await runBackfill(
			depsWithSleep(waits),
			account,
			{ since: new Date(SINCE), until: new Date(UNTIL) },
			"manual",
		);

		expect(run).toMatchObject({
			status: "succeeded",
			found: 250,
			created: 210,
			duplicates: 40,
			failures: 0,
			windowStart: SINCE,
			windowEnd: UNTIL,
			error: null,
		});
		const clients = await pageClients(accountId);
		expect(clients).toHaveLength(250);
		expect(clients.every((c) => c.n === 1)).toBe(true);
		// Code 17 carried a 1-minute estimate in X-Business-Use-Case-Usage; code 4 had nothing: 60 s.
		expect(waits).toEqual([60_000, 60_000]);
		const leadCalls = graph.calls.filter((c) => c.path === `/v25.0/${FORM}/leads`);
		expect(leadCalls.map((c) => c.url.searchParams.get("after"))).toEqual([
			null,
			"cursor100",
			"cursor100",
			"cursor200",
			"cursor200",
		]);
		expect(JSON.parse(leadCalls[0]?.url.searchParams.get("filtering") ?? "[]")).toEqual([
			{ field: "time_created", operator: "GREATER_THAN_OR_EQUAL", value: Date.parse(SINCE) / 1000 },
			{ field: "time_created", operator: "LESS_THAN", value: Date.parse(UNTIL) / 1000 },
		]);
		expect(graph.calls.every((c) => c.accessToken === PAGE_TOKEN)).toBe(true);
		// One phone per lead, normalised, and the answers kept: the same client a webhook makes.
		const phones = await count("client_phone_numbers");
		expect(phones).toBeGreaterThanOrEqual(250);

		const again = await admin("/backfill", {
			method: "POST",
			body: {
				provider: "meta",
				integration_account_id: accountId,
				since: SINCE,
				until: UNTIL,
			},
		});
		expect(again.status).toBe(200);
		expect(await again.json()).toMatchObject({
			status: "succeeded",
			trigger: "manual",
			found: 250,
			created: 0,
			duplicates: 250,
			failures: 0,
		});
		expect(await pageClients(accountId)).toHaveLength(250);

		const runs = await admin(`/backfills?integration_account_id=${accountId}`);
		const listed = await runs.json<{ data: { created: number; duplicates: number }[] }>();
		expect(listed.data.map((r) => [r.created, r.duplicates])).toEqual([
			[0, 250],
			[210, 40],
		]);
	});

	it("stops with the reason when Graph refuses the token, keeping the row", async ({ expect }) => {
		const companyId = await seedCompany({ name: "Revoked Co" });
		const accountId = await seedPage(companyId, "409876543210987", PAGE_TOKEN);
		fakeWorld(() => ({
			status: 400,
			body: JSON.stringify({
				error: {
					message: "Error validating access token",
					type: "OAuthException",
					code: 190,
					error_subcode: 460,
					fbtrace_id: "x",
				},
			}),
		}));

		const response = await admin("/backfill", {
			method: "POST",
			body: { provider: "meta", integration_account_id: accountId, since: SINCE, until: UNTIL },
		});

		expect(response.status).toBe(502);
		const body = await response.json<{ status: string; error: string }>();
		expect(body.status).toBe("failed");
		expect(body.error).toContain("code 190");
		expect(body.error).not.toContain(PAGE_TOKEN);
	});

	it("refuses a TikTok backfill with the reason, and validates the window", async ({ expect }) => {
		const companyId = await seedCompany({ name: "TikTok Co" });
		const accountId = await seedAccount(companyId, "7398120456712340987", "tiktok");
		const runsBefore = await count("backfill_runs");

		const tiktok = await postBackfill("tiktok", accountId);
		expect(tiktok.status).toBe(422);
		expect(tiktok.message).toContain("TikTok leads cannot be read again");

		const reversed = await admin("/backfill", {
			method: "POST",
			body: { provider: "tiktok", integration_account_id: accountId, since: UNTIL, until: SINCE },
		});
		expect(reversed.status).toBe(400);
		expect(await count("backfill_runs")).toBe(runsBefore);
	});

	it("offers only active Meta Pages with a token, and refuses the others before recording a run", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Backfill Choices Co" });
		const withToken = await seedPage(companyId, "139876543210001", PAGE_TOKEN);
		const tokenless = await seedPage(companyId, "139876543210002");
		const inactive = await seedPage(companyId, "139876543210003", PAGE_TOKEN);
		const off = await admin(`/integration-accounts/${inactive}`, {
			method: "PATCH",
			body: { is_active: false },
		});
		expect(off.status).toBe(200);
		await seedAccount(companyId, "7398120456712341111", "tiktok");
		const offered = async (overrides: Partial<Env> = {}) => {
			const response = await fetchWithEnv(overrides, "/api/admin/backfill/accounts", {
				headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
			});
			const body = await response.json<{ data: { id: number; company_id: number }[] }>();
			return body.data.filter((a) => a.company_id === companyId).map((a) => a.id);
		};

		expect(await offered()).toEqual([withToken]);
		// META_PAGE_ACCESS_TOKEN reads every Page that has no token of its own.
		expect(
			await offered({
				META_PAGE_ACCESS_TOKEN: "EAAGenvPageTokenForBackfill0000000",
			} as Partial<Env>),
		).toEqual([withToken, tokenless]);

		const runsBefore = await count("backfill_runs");
		expect(await postBackfill("meta", tokenless)).toEqual({
			status: 422,
			message:
				"no Page access token for page 139876543210002: install the Business Extension, set the account's token, or META_PAGE_ACCESS_TOKEN",
		});
		expect(await postBackfill("meta", inactive)).toEqual({
			status: 422,
			message: `integration account ${inactive} is inactive`,
		});
		expect(await count("backfill_runs")).toBe(runsBefore);
	});
});
