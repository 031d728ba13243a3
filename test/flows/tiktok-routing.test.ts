// Company resolution: ?company_id → D1 account mapping → env advertiser mapping → env single company.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { clientRows, logRows, seedAccount, seedCompany } from "../support/factories";
import { fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

// Tests in one file share D1, so each test routes its own advertiser (a mapping would leak otherwise).
async function deliver(vars: Partial<Env>, query = "", advertiserId = newLeadId()) {
	const leadId = newLeadId();
	const init = await tiktokInit(tiktokWebhook([{ leadId, advertiserId }]));
	const response = await fetchWithEnv(vars, `${TIKTOK_PATH}${query}`, init);
	const [client] = await clientRows({ externalId: leadId });
	const log = (await logRows()).filter((l) => l.external_id === leadId).at(-1);
	return { response, client, log, leadId };
}

describe("TikTok company routing", () => {
	it("follows the configured order, each source overriding the ones after it", async ({
		expect,
	}) => {
		const single = await seedCompany({ name: "Env single" });
		const mappedInEnv = await seedCompany({ name: "Env mapping" });
		const mappedInD1 = await seedCompany({ name: "D1 mapping" });
		const fromQuery = await seedCompany({ name: "Query" });
		const ADVERTISER = newLeadId();
		const vars = {
			TIKTOK_LEADGEN_COMPANY_ID: String(single),
			TIKTOK_LEADGEN_ADVERTISER_MAPPING: JSON.stringify({ [ADVERTISER]: String(mappedInEnv) }),
		};

		const only = { TIKTOK_LEADGEN_COMPANY_ID: String(single) };
		expect((await deliver(only, "", ADVERTISER)).client?.company_id).toBe(single);
		expect((await deliver(vars, "", ADVERTISER)).client?.company_id).toBe(mappedInEnv);
		const accountId = await seedAccount(mappedInD1, ADVERTISER);
		const viaD1 = await deliver(vars, "", ADVERTISER);
		expect(viaD1.client).toMatchObject({
			company_id: mappedInD1,
			integration_account_id: accountId,
		});
		const viaQuery = await deliver(vars, `?company_id=${fromQuery}`, ADVERTISER);
		expect(viaQuery.client?.company_id).toBe(fromQuery);
	});

	it("links leads to the company's 'TikTok Lead Gen' account, created once on first use", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const first = await deliver({}, `?company_id=${companyId}`);
		const second = await deliver({}, `?company_id=${companyId}`);

		const { results } = await env.DB.prepare(
			"SELECT id, name, provider, external_id FROM integration_accounts WHERE company_id = ?",
		)
			.bind(companyId)
			.all();
		expect(results).toEqual([
			{
				id: first.client?.integration_account_id,
				name: "TikTok Lead Gen",
				provider: "tiktok",
				external_id: null,
			},
		]);
		expect(second.client?.integration_account_id).toBe(first.client?.integration_account_id);
	});

	it("keeps a lead with no company as a failure with its payload, answered 200", async ({
		expect,
	}) => {
		const advertiserId = newLeadId();
		const { response, client, log, leadId } = await deliver({}, "", advertiserId);

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ created: 0, failed: 1 });
		expect(client).toBeUndefined();
		expect(log).toMatchObject({
			status: "failure",
			message: `TikTok advertiser ${advertiserId} is not mapped to a company`,
			company_id: null,
		});
		expect(log?.payload).toContain(leadId);
	});

	it("treats a company id that does not exist as a failure, not a crash", async ({ expect }) => {
		const viaQuery = await deliver({}, "?company_id=999999");
		const viaEnv = await deliver({ TIKTOK_LEADGEN_COMPANY_ID: "888888" });

		expect(viaQuery.response.status).toBe(200);
		expect(viaQuery.log).toMatchObject({
			status: "failure",
			message: "company 999999 does not exist (named by the webhook URL's company_id)",
		});
		expect(viaEnv.log).toMatchObject({
			status: "failure",
			message: "company 888888 does not exist (named by the single-company setting)",
		});
		expect(viaQuery.log?.payload).toContain(viaQuery.leadId);
	});

	it("logs an unreadable ?company_id with the payload", async ({ expect }) => {
		const { response, log } = await deliver({}, "?company_id=abc");

		expect(response.status).toBe(200);
		expect(log).toBeUndefined();
		expect((await logRows()).at(-1)).toMatchObject({
			status: "failure",
			message: "could not parse payload: invalid company_id",
		});
	});

	it("routes each lead of one delivery on its own advertiser id", async ({ expect }) => {
		const companyA = await seedCompany({ name: "A" });
		const companyB = await seedCompany({ name: "B" });
		await seedAccount(companyA, "1000000000000000001");
		await seedAccount(companyB, "1000000000000000002");
		const leadA = newLeadId();
		const leadB = newLeadId();
		const body = tiktokWebhook([
			{ leadId: leadA, advertiserId: "1000000000000000001" },
			{ leadId: leadB, advertiserId: "1000000000000000002" },
		]);

		await fetchWithEnv({}, TIKTOK_PATH, await tiktokInit(body));

		expect((await clientRows({ externalId: leadA }))[0]?.company_id).toBe(companyA);
		expect((await clientRows({ externalId: leadB }))[0]?.company_id).toBe(companyB);
	});

	it("answers 500 naming the variable when the advertiser mapping is not JSON", async ({
		expect,
	}) => {
		const init = await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }]));
		const response = await fetchWithEnv(
			{ TIKTOK_LEADGEN_ADVERTISER_MAPPING: "{oops" },
			TIKTOK_PATH,
			init,
		);

		expect(response.status).toBe(500);
		expect(await response.json()).toMatchObject({
			error: { message: "invalid configuration: TIKTOK_LEADGEN_ADVERTISER_MAPPING" },
		});
	});
});
