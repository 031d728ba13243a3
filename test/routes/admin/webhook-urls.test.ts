// GET /api/admin/companies/:id/webhook-urls: ready-to-paste URLs per company, signed when a key is
// set, on PUBLIC_BASE_URL or the request's origin (Meta's is the app's one callback, the same for
// every company); the signed TikTok URL is accepted as is.
import { describe, it } from "vitest";
import { signCompanyId } from "../../../src/security/url-signature";
import { call } from "../../support/admin-api";
import { seedCompany } from "../../support/factories";
import { fetchWithEnv, tiktokInit } from "../../support/requests";
import { TEST_ADMIN_TOKEN, TEST_WEBHOOK_SIGNING_KEY } from "../../support/secrets";
import { newLeadId, tiktokWebhook } from "../../support/tiktok-bodies";

interface UrlsJson {
	company_id: number;
	signed: boolean;
	urls: { tiktok: string; meta: string; forms: string };
}

const AUTH = { headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } };

function getUrls(overrides: Partial<Env>, companyId: number): Promise<Response> {
	return fetchWithEnv(
		overrides,
		`https://relay.test/api/admin/companies/${companyId}/webhook-urls`,
		AUTH,
	);
}

describe("admin webhook URLs", () => {
	it("returns signed URLs on PUBLIC_BASE_URL for TikTok and forms, Meta's one app callback", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const sig = await signCompanyId(TEST_WEBHOOK_SIGNING_KEY, companyId);

		const response = await getUrls(
			{
				WEBHOOK_SIGNING_KEY: TEST_WEBHOOK_SIGNING_KEY,
				PUBLIC_BASE_URL: "https://leads.example.com/",
			},
			companyId,
		);

		expect(response.status).toBe(200);
		const query = `?company_id=${companyId}&sig=${sig}`;
		expect(await response.json<UrlsJson>()).toEqual({
			company_id: companyId,
			signed: true,
			urls: {
				tiktok: `https://leads.example.com/api/integrations/webhooks/tiktok-leadgen/${query}`,
				// One callback per Meta app: no company in it, Pages route its leads.
				meta: "https://leads.example.com/api/integrations/webhooks/meta/",
				forms: `https://leads.example.com/api/integrations/webhooks/forms/${query}`,
			},
		});
	});

	it("uses the request origin and no sig when neither is configured", async ({ expect }) => {
		const companyId = await seedCompany();

		const { status, body } = await call<UrlsJson>(`/companies/${companyId}/webhook-urls`);

		expect(status).toBe(200);
		expect(body.signed).toBe(false);
		expect(body.urls.forms).toBe(
			`https://relay.test/api/integrations/webhooks/forms/?company_id=${companyId}`,
		);
	});

	it("gives a TikTok URL the signed-URL guard accepts", async ({ expect }) => {
		const companyId = await seedCompany();
		const env = { WEBHOOK_SIGNING_KEY: TEST_WEBHOOK_SIGNING_KEY };
		const { urls } = await (await getUrls(env, companyId)).json<UrlsJson>();

		const response = await fetchWithEnv(
			env,
			urls.tiktok,
			await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }])),
		);

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ created: 1 });
	});

	it("answers 404 for an unknown company", async ({ expect }) => {
		const { status } = await call("/companies/987654/webhook-urls");
		expect(status).toBe(404);
	});
});
