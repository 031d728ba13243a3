// Graph reads that fail: retried from the cron with backoff until Graph answers (one client, once),
// rate limits wait an hour, a revoked token is a clear permanent failure that keeps the lead and is
// re-queued when the operator sets a new token. Nothing secret reaches a log line or D1 in clear.
import { describe, it } from "vitest";
import { captureConsole } from "../support/console";
import { clientRows, logRows, seedCompany } from "../support/factories";
import {
	fakeGraph,
	graphDown,
	graphLead,
	leadIdOf,
	rateLimited,
	tokenRevoked,
} from "../support/fake-graph";
import {
	fetchRows,
	leadgenWebhook,
	newLeadgenId,
	runCron,
	seedPage,
	tableText,
} from "../support/meta";
import { admin, postMeta } from "../support/requests";

const HOUR_MS = 3_600_000;

describe("Graph down, then up", () => {
	it("makes exactly one client after three failed cron runs", async ({ expect }) => {
		const companyId = await seedCompany();
		await seedPage(companyId, "500000000000005", "EAAGretryPageToken000000");
		const leadgenId = newLeadgenId();
		let up = false;
		const graph = fakeGraph((call) =>
			leadIdOf(call) ? (up ? graphLead(leadIdOf(call)) : graphDown()) : undefined,
		);

		await postMeta(leadgenWebhook([{ leadgenId, pageId: "500000000000005" }]));
		const start = Date.now();
		for (const day of [1, 2, 3]) await runCron(new Date(start + day * 24 * HOUR_MS));
		const [waiting] = await fetchRows(leadgenId);
		expect(waiting).toMatchObject({ status: "pending", attempts: 4, client_id: null });
		expect(waiting?.last_error).toBe("Graph 500 OAuthException code 2");
		expect(await clientRows({ externalId: leadgenId })).toEqual([]);

		up = true;
		await runCron(new Date(start + 4 * 24 * HOUR_MS));
		await runCron(new Date(start + 5 * 24 * HOUR_MS));

		const clients = await clientRows({ externalId: leadgenId });
		expect(clients).toHaveLength(1);
		expect(clients[0]).toMatchObject({ full_name: "Sara Al Mansouri", phones: "+971521112233" });
		expect((await fetchRows(leadgenId))[0]).toMatchObject({
			status: "succeeded",
			attempts: 5,
			client_id: clients[0]?.id,
		});
		expect(graph.calls.filter((c) => leadIdOf(c) === leadgenId)).toHaveLength(5);
	});

	it("waits at least an hour after Graph's leadgen rate limit", async ({ expect }) => {
		const companyId = await seedCompany();
		await seedPage(companyId, "500000000000006", "EAAGrateLimitedToken0000");
		const leadgenId = newLeadgenId();
		fakeGraph((call) => (leadIdOf(call) ? rateLimited() : undefined));
		const before = Date.now();

		await postMeta(leadgenWebhook([{ leadgenId, pageId: "500000000000006" }]));

		const [row] = await fetchRows(leadgenId);
		expect(row?.last_error).toBe("Graph 400 OAuthException code 80005: rate limited");
		expect(Date.parse(row?.next_attempt_at ?? "")).toBeGreaterThanOrEqual(before + HOUR_MS);
	});
});

describe("token revoked", () => {
	it("is a permanent failure saying the token must be renewed, and the lead is recoverable", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const accountId = await seedPage(companyId, "600000000000006", "EAAGrevokedToken00000000");
		const leadgenId = newLeadgenId();
		const graph = fakeGraph((call) =>
			leadIdOf(call)
				? call.accessToken === "EAAGrenewedToken00000000"
					? graphLead(leadIdOf(call))
					: tokenRevoked()
				: undefined,
		);
		const lines = captureConsole();

		await postMeta(leadgenWebhook([{ leadgenId, pageId: "600000000000006" }]));
		await runCron(new Date(Date.now() + 24 * HOUR_MS));

		const [failed] = await fetchRows(leadgenId);
		expect(failed?.status).toBe("failed");
		expect(failed?.last_error).toContain("OAuthException code 190/460");
		expect(failed?.last_error).toContain("must be renewed");
		// Earlier tests' leads in this file may be due too: count this lead's reads only.
		expect(graph.calls.filter((c) => leadIdOf(c) === leadgenId)).toHaveLength(1);
		const [log] = (await logRows()).filter(
			(l) => l.external_id === leadgenId && l.status === "failure",
		);
		expect(log?.message).toContain(
			"the Page access token was rejected (expired or revoked); it must be renewed",
		);
		expect(JSON.parse(log?.payload ?? "{}")).toMatchObject({
			object: "page",
			entry: [{ changes: [{ value: { leadgen_id: leadgenId } }] }],
		});
		expect(lines.some((line) => line.includes("must be renewed"))).toBe(true);

		const renewed = await admin(`/integration-accounts/${accountId}/access-token`, {
			method: "PUT",
			body: { access_token: "EAAGrenewedToken00000000" },
		});
		expect(await renewed.json()).toEqual({
			integration_account_id: accountId,
			has_access_token: true,
			requeued_lead_reads: 1,
		});
		await runCron(new Date(Date.now() + 25 * HOUR_MS));

		expect(await clientRows({ externalId: leadgenId })).toHaveLength(1);
		expect((await fetchRows(leadgenId))[0]?.status).toBe("succeeded");
		const everything = `${lines.join("\n")}${await tableText("integration_account_tokens")}${await tableText("integration_logs")}${await tableText("meta_lead_fetches")}`;
		for (const secret of [
			"EAAGrevokedToken00000000",
			"EAAGrenewedToken00000000",
			"Sara Al Mansouri",
			"+971521112233",
			"sara.almansouri@example.com",
		]) {
			expect(everything).not.toContain(secret);
		}
	});

	it("fails clearly when no token exists for the Page at all", async ({ expect }) => {
		const companyId = await seedCompany();
		const graph = fakeGraph(() => undefined);
		const leadgenId = newLeadgenId();

		await postMeta(leadgenWebhook([{ leadgenId, pageId: "700000000000007" }]), {
			query: `?company_id=${companyId}`,
		});

		expect(graph.calls).toEqual([]);
		expect((await fetchRows(leadgenId))[0]).toMatchObject({
			status: "failed",
			last_error: expect.stringContaining("Meta Page 700000000000007 has no access token"),
		});
		const [log] = (await logRows()).filter((row) => row.external_id === leadgenId);
		expect(log).toMatchObject({
			status: "failure",
			message:
				"Meta Page 700000000000007 has no access token: install the Business Extension for it, or set the Page's token on its integration account",
		});
	});
});
