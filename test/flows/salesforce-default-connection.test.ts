// Single-tenant installs: the default connection from SALESFORCE_* secrets forwards every company's
// clients; its D1 row holds only state (secrets stay in config). Own file: the row applies file-wide.
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { runScheduled } from "../../src/jobs/scheduled";
import { seedCompany } from "../support/factories";
import {
	FAKE_CONSUMER_KEY,
	FAKE_CONSUMER_SECRET,
	FAKE_REFRESH_TOKEN,
	FakeSalesforce,
	FIRST_LEAD_ID,
} from "../support/fake-salesforce";
import { fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { forwardRows } from "../support/salesforce";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

describe("default Salesforce connection", () => {
	it("forwards every company's clients through the default connection set by secrets", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const fake = new FakeSalesforce().install();
		const body = tiktokWebhook([{ leadId: newLeadId() }]);

		await fetchWithEnv(
			{
				FORWARDS: undefined,
				SALESFORCE_CONSUMER_KEY: FAKE_CONSUMER_KEY,
				SALESFORCE_CONSUMER_SECRET: FAKE_CONSUMER_SECRET,
				SALESFORCE_REFRESH_TOKEN: FAKE_REFRESH_TOKEN,
			},
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(body),
		);

		expect((await forwardRows(companyId))[0]).toMatchObject({
			status: "succeeded",
			remote_id: FIRST_LEAD_ID,
		});
		expect(fake.tokenCalls()[0]?.body).toContain(
			`client_id=${encodeURIComponent(FAKE_CONSUMER_KEY)}`,
		);
		const row = await env.DB.prepare(
			"SELECT * FROM salesforce_connections WHERE scope = 'default'",
		).first();
		expect(row).toMatchObject({ company_id: null, state: "ok", consumer_key_sealed: null });
		expect(JSON.stringify(row)).not.toContain(FAKE_REFRESH_TOKEN);
	});

	it("waits on a revoked grant and resumes when new secrets are put", async ({ expect }) => {
		const companyId = await seedCompany();
		const fake = new FakeSalesforce().install();
		fake.revokeRefreshTokens();
		const secrets = (refreshToken: string) => ({
			SALESFORCE_CONSUMER_KEY: FAKE_CONSUMER_KEY,
			SALESFORCE_CONSUMER_SECRET: FAKE_CONSUMER_SECRET,
			SALESFORCE_REFRESH_TOKEN: refreshToken,
		});
		const body = tiktokWebhook([{ leadId: newLeadId() }]);
		await fetchWithEnv(
			{ ...secrets("revoked-token"), FORWARDS: undefined },
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(body),
		);
		const waiting = await forwardRows(companyId);
		const stateWhileRevoked = await env.DB.prepare(
			"SELECT state FROM salesforce_connections WHERE scope = 'default'",
		).first();

		fake.refreshTokens.add("new-secret-token");
		const at = Date.now();
		await runScheduled(createScheduledController({ scheduledTime: at, cron: "*/5 * * * *" }), {
			...env,
			...secrets("new-secret-token"),
		});

		expect(waiting[0]).toMatchObject({ status: "pending", last_error_code: "invalid_grant" });
		expect(stateWhileRevoked).toEqual({ state: "needs_reauth" });
		expect((await forwardRows(companyId))[0]).toMatchObject({ status: "succeeded" });
	});

	it("stops making forwards once the secrets are removed, though the default row lingers", async ({
		expect,
	}) => {
		new FakeSalesforce().install();
		const before = await seedCompany();
		await fetchWithEnv(
			{
				FORWARDS: undefined,
				SALESFORCE_CONSUMER_KEY: FAKE_CONSUMER_KEY,
				SALESFORCE_CONSUMER_SECRET: FAKE_CONSUMER_SECRET,
				SALESFORCE_REFRESH_TOKEN: FAKE_REFRESH_TOKEN,
			},
			`${TIKTOK_PATH}?company_id=${before}`,
			await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }])),
		);
		const after = await seedCompany();

		// No SALESFORCE_* bindings: the secrets are gone, the cron has not yet dropped the row.
		await fetchWithEnv(
			{ FORWARDS: undefined },
			`${TIKTOK_PATH}?company_id=${after}`,
			await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }])),
		);

		const lingering = await env.DB.prepare(
			"SELECT count(*) AS n FROM salesforce_connections WHERE scope = 'default'",
		).first<{ n: number }>();
		expect(lingering?.n).toBe(1);
		expect(await forwardRows(before)).toHaveLength(1);
		expect(await forwardRows(after)).toEqual([]);
	});
});
