// Business Extension installs through the Meta callback: install stores the sealed token and assets
// and maps its Pages, whose leads then route and are read with that token; a User token is exchanged
// for the system-user token; uninstall stops assignment and keeps later leads for replay. The token
// is readable nowhere: not in D1, not in a log line.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { secretBox } from "../../src/security/secret-box";
import { captureConsole } from "../support/console";
import { clientRows, logRows, seedCompany } from "../support/factories";
import { fakeGraph, graphLead, leadIdOf } from "../support/fake-graph";
import { metaFixture, metaManifest } from "../support/fixtures";
import { leadgenWebhook, newLeadgenId, tableText } from "../support/meta";
import { postMeta } from "../support/requests";
import { TEST_ENCRYPTION_KEY } from "../support/secrets";

const FIXTURE_TOKEN = "EAAFixtureSystemUserTokenNotReal0000000000000000000000";
const PAGE = "109876543210987";

interface InstallView {
	business_id: string;
	company_id: number | null;
	business_manager_id: string;
	access_token_sealed: string | null;
	token_type: string | null;
	pixel_id: string | null;
	ad_account_id: string | null;
	catalog_id: string | null;
	page_ids: string;
	instagram_profile_ids: string;
	profile_ids: string;
	features: string | null;
	status: string;
}

async function install(businessId: string): Promise<InstallView | null> {
	return env.DB.prepare("SELECT * FROM fbe_installs WHERE business_id = ?")
		.bind(businessId)
		.first<InstallView>();
}

async function pageAccount(pageId: string) {
	return env.DB.prepare(
		"SELECT company_id, is_active FROM integration_accounts WHERE provider = 'meta' AND external_id = ?",
	)
		.bind(pageId)
		.first<{ company_id: number; is_active: number }>();
}

describe("fbe/fbe_install.json then fbe/fbe_uninstall.json", () => {
	it("install maps the Page; its leads route and are read with the install's token; uninstall keeps them for replay", async ({
		expect,
	}) => {
		const lines = captureConsole();
		const companyId = await seedCompany({ name: "Northwind Dental" });
		const graph = fakeGraph((call) => (leadIdOf(call) ? graphLead(leadIdOf(call)) : undefined));
		const installFixture = metaManifest.find((f) => f.file === "fbe/fbe_install.json");
		const expected = installFixture?.expected_event ?? {};

		const installed = await postMeta(metaFixture("fbe/fbe_install.json"), {
			query: `?company_id=${companyId}`,
			signature: installFixture?.http?.headers?.["X-Hub-Signature-256"],
		});

		expect(installed.status).toBe(200);
		const row = await install(String(expected.business_id));
		expect(row).toMatchObject({
			company_id: companyId,
			business_manager_id: expected.business_manager_id,
			token_type: expected.token_type,
			pixel_id: "1234567890123456",
			ad_account_id: "987650123456789",
			catalog_id: "3456789012345678",
			status: "installed",
		});
		expect(JSON.parse(row?.page_ids ?? "")).toEqual(expected.page_ids);
		expect(JSON.parse(row?.instagram_profile_ids ?? "")).toEqual(["17841400000000001"]);
		expect(JSON.parse(row?.features ?? "")).toEqual({ onsite_eligible: false });
		expect(await secretBox(TEST_ENCRYPTION_KEY).open(row?.access_token_sealed ?? "")).toBe(
			FIXTURE_TOKEN,
		);
		expect(await pageAccount(PAGE)).toEqual({ company_id: companyId, is_active: 1 });

		const lead = newLeadgenId();
		await postMeta(leadgenWebhook([{ leadgenId: lead, pageId: PAGE }]));
		expect((await clientRows({ externalId: lead }))[0]).toMatchObject({
			company_id: companyId,
			full_name: "Sara Al Mansouri",
		});
		expect(graph.calls.map((c) => c.accessToken)).toEqual([FIXTURE_TOKEN]);

		const uninstalled = await postMeta(metaFixture("fbe/fbe_uninstall.json"));
		expect(uninstalled.status).toBe(200);
		expect(await install(String(expected.business_id))).toMatchObject({
			status: "uninstalled",
			access_token_sealed: null,
		});
		expect(await pageAccount(PAGE)).toEqual({ company_id: companyId, is_active: 0 });

		const after = newLeadgenId();
		await postMeta(leadgenWebhook([{ leadgenId: after, pageId: PAGE }]), {
			query: `?company_id=${companyId}`,
		});
		expect(await clientRows({ externalId: after })).toEqual([]);
		expect(graph.calls).toHaveLength(1);
		const [kept] = (await logRows()).filter((l) => l.external_id === after);
		expect(kept).toMatchObject({ status: "failure", action: "meta_lead_received" });
		expect(kept?.message).toContain("inactive");
		expect(kept?.payload).toContain(after);
		const actions = (await logRows()).map((l) => l.action);
		expect(actions).toContain("fbe_install");
		expect(actions).toContain("fbe_uninstall");

		const everything = `${lines.join("\n")}${await tableText("fbe_installs")}${await tableText("integration_logs")}${await tableText("integration_accounts")}`;
		expect(everything).not.toContain(FIXTURE_TOKEN);
		expect(everything).not.toContain("fixture-meta-app-secret-not-real");
	});
});

describe("User token exchange", () => {
	it("stores the client Business Manager's system-user token instead of the User token", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const graph = fakeGraph((call) => {
			if (call.method === "POST" && call.path === "/v25.0/2999999999999999/access_token") {
				return { status: 200, body: '{"access_token":"EAAGsystemUserTokenFromExchange0000"}' };
			}
			return leadIdOf(call) ? graphLead(leadIdOf(call)) : undefined;
		});
		const body = JSON.stringify({
			object: "user",
			entry: [
				{
					id: "1",
					time: 1,
					changes: [
						{
							field: "fbe_install",
							value: {
								business_id: "user-token-biz",
								business_manager_id: "2999999999999999",
								pages: ["210000000000021"],
								token_type: "User",
								access_token: "EAAGuserTokenToExchange000000",
							},
						},
					],
				},
			],
		});

		await postMeta(body, {
			query: `?company_id=${companyId}`,
			env: { META_APP_ID: "123456789012345" },
		});

		const [exchange] = graph.calls;
		expect(exchange?.method).toBe("POST");
		expect(Object.fromEntries(exchange?.form ?? [])).toMatchObject({
			app_id: "123456789012345",
			access_token: "EAAGuserTokenToExchange000000",
			fbe_external_business_id: "user-token-biz",
		});
		const row = await install("user-token-biz");
		expect(row?.token_type).toBe("System User");
		expect(await secretBox(TEST_ENCRYPTION_KEY).open(row?.access_token_sealed ?? "")).toBe(
			"EAAGsystemUserTokenFromExchange0000",
		);
		const lead = newLeadgenId();
		await postMeta(leadgenWebhook([{ leadgenId: lead, pageId: "210000000000021" }]));
		expect(graph.calls.at(-1)?.accessToken).toBe("EAAGsystemUserTokenFromExchange0000");
	});
});
