// Operator API additions the console shares: GET /overview, POST /companies/:id/salesforce/test,
// the loopback-only Salesforce login URL allowance, and lead search by a local-format phone, by
// lead id and by date; receipts by provider.
import { describe, expect, it } from "vitest";
import { call, type ErrorEnvelope, issuePaths, type ListBody } from "../../support/admin-api";
import { seedClient, seedCompany, seedLog } from "../../support/factories";
import {
	FAKE_CONSUMER_KEY,
	FAKE_CONSUMER_SECRET,
	FAKE_REFRESH_TOKEN,
	FakeSalesforce,
} from "../../support/fake-salesforce";
import { fetchWithEnv, postTikTok } from "../../support/requests";
import { putConnection } from "../../support/salesforce";
import { TEST_ADMIN_TOKEN } from "../../support/secrets";
import { newLeadId, tiktokWebhook } from "../../support/tiktok-bodies";

function putWithEnv(overrides: Partial<Env>, companyId: number, loginUrl: string) {
	return fetchWithEnv(overrides, `/api/admin/companies/${companyId}/salesforce`, {
		method: "PUT",
		headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "Content-Type": "application/json" },
		body: JSON.stringify({
			login_url: loginUrl,
			consumer_key: FAKE_CONSUMER_KEY,
			consumer_secret: FAKE_CONSUMER_SECRET,
			refresh_token: FAKE_REFRESH_TOKEN,
		}),
	});
}

describe("GET /api/admin/overview", () => {
	it("answers new leads per company and source and the unresolved leads that need action", async () => {
		const companyId = await seedCompany({ name: "Overview API Co" });
		await seedClient(companyId, { source: "tiktok" });
		const advertiserId = "7398120456711110001";
		await postTikTok(tiktokWebhook([{ leadId: newLeadId(), advertiserId }]));
		const { status, body } = await call<{
			leads: { company_id: number; source: string; last_24h: number; last_7d: number }[];
			unresolved_leads: Record<string, unknown>[];
		}>("/overview");
		expect(status).toBe(200);
		expect(body.leads).toContainEqual({
			company_id: companyId,
			company_name: "Overview API Co",
			source: "tiktok",
			last_24h: 1,
			last_7d: 1,
		});
		expect(body.unresolved_leads).toContainEqual(
			expect.objectContaining({
				provider: "tiktok",
				cause: "unmapped",
				routing_key: advertiserId,
				count: 1,
				reason: `TikTok advertiser ${advertiserId} is not mapped to a company`,
				route: { provider: "tiktok", routing_key: advertiserId, label: "TikTok advertiser" },
			}),
		);
	});
});

describe("Salesforce login URL and test", () => {
	it("refuses http://127.0.0.1 unless SALESFORCE_ALLOW_LOOPBACK_HTTP, and other http hosts always", async () => {
		const companyId = await seedCompany();
		const strict = await putWithEnv({}, companyId, "http://127.0.0.1:9999");
		expect(strict.status).toBe(400);
		expect(issuePaths(await strict.json<ErrorEnvelope>())).toEqual(["login_url"]);
		const allowed = { SALESFORCE_ALLOW_LOOPBACK_HTTP: "true" };
		for (const url of [
			"http://10.0.0.5:8080",
			"http://login.salesforce.com",
			"http://127.0.0.1.evil.test",
		]) {
			const response = await putWithEnv(allowed, companyId, url);
			expect(response.status, url).toBe(400);
		}
		const local = await putWithEnv(allowed, companyId, "http://127.0.0.1:9999/");
		expect(local.status).toBe(201);
		expect(await local.json()).toMatchObject({ login_url: "http://127.0.0.1:9999" });
	});

	it("POST /companies/:id/salesforce/test runs the token grant and reports it", async () => {
		const org = new FakeSalesforce().install();
		const companyId = await seedCompany();
		await putConnection(companyId);
		const ok = await call<{ ok: boolean; message: string }>(
			`/companies/${companyId}/salesforce/test`,
			{ method: "POST" },
		);
		expect(ok.body.ok).toBe(true);
		expect(org.tokenCalls()).toHaveLength(1);
		org.revokeRefreshTokens();
		const refused = await call<{ ok: boolean; message: string }>(
			`/companies/${companyId}/salesforce/test`,
			{ method: "POST" },
		);
		expect(refused.body).toEqual({
			ok: false,
			message: "Salesforce refused the grant: invalid_grant",
		});
		const connection = await call<{ status: string }>(`/companies/${companyId}/salesforce`);
		expect(connection.body.status).toBe("needs_reauthorisation");
		const none = await call<ErrorEnvelope>(`/companies/${await seedCompany()}/salesforce/test`, {
			method: "POST",
		});
		expect(none.status).toBe(404);
	});
});

describe("lead search", () => {
	it("finds a phone typed in the company's national format, and filters by lead id and date", async () => {
		const companyId = await seedCompany({ defaultCountry: "GB" });
		const match = await seedClient(companyId, {
			phones: ["+447911123456"],
			externalId: "lead-uk-1",
		});
		await seedClient(companyId, { phones: ["+447911000000"] });
		const byPhone = await call<ListBody<{ id: number }>>(
			`/clients?company_id=${companyId}&q=${encodeURIComponent("07911 123456")}`,
		);
		expect(byPhone.body.data.map((c) => c.id)).toEqual([match]);
		const byLeadId = await call<ListBody<{ id: number }>>("/clients?external_id=lead-uk-1");
		expect(byLeadId.body.data.map((c) => c.id)).toEqual([match]);
		const future = await call<ListBody<{ id: number }>>(
			`/clients?company_id=${companyId}&since=2999-01-01T00:00:00Z`,
		);
		expect(future.body.data).toEqual([]);
	});

	it("normalises the search like ingest does, beyond dropping a trunk 0 (Argentina's 15)", async () => {
		const companyId = await seedCompany({ defaultCountry: "AR" });
		const match = await seedClient(companyId, { phones: ["+5491123456789"] });
		const { body } = await call<ListBody<{ id: number }>>(
			`/clients?company_id=${companyId}&q=${encodeURIComponent("011 15 2345-6789")}`,
		);
		expect(body.data.map((c) => c.id)).toEqual([match]);
	});

	it("lists receipts of one provider", async () => {
		await seedLog({
			provider: "webform",
			action: "form_submission_received",
			message: "api form log",
		});
		const { body } = await call<ListBody<{ provider: string }>>("/logs?provider=webform");
		expect(body.data.length).toBeGreaterThan(0);
		expect(body.data.every((log) => log.provider === "webform")).toBe(true);
	});
});
