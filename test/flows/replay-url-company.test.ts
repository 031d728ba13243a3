// Replays keep the company the original URL named: each webhook keeps its trusted `?company_id`
// (signed, or no signing key set) on the failure log at receipt, and the replay routes to it even
// when today's mappings would send the lead elsewhere. One test per provider.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { signCompanyId } from "../../src/security/url-signature";
import { call } from "../support/admin-api";
import { clientRows, logRows, seedAccount, seedCompany } from "../support/factories";
import { fakeGraph, graphLead, leadIdOf } from "../support/fake-graph";
import { postForm } from "../support/forms";
import { fetchRows, leadgenWebhook, newLeadgenId, seedPage } from "../support/meta";
import { fetchWithEnv, postMeta, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { TEST_ADMIN_TOKEN, TEST_WEBHOOK_SIGNING_KEY } from "../support/secrets";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";
import { whatsappMessage } from "../support/whatsapp";

interface ReplayJson {
	outcome: string;
	message: string;
}

/**
 * A company with a chosen id: the one a URL named before the company existed (e.g. restored). Each
 * test takes a lower id than the last, so AUTOINCREMENT (now past it) never hands it out first.
 */
async function createCompany(id: number): Promise<void> {
	await env.DB.prepare("INSERT INTO companies (id, name) VALUES (?, 'Named by the URL')")
		.bind(id)
		.run();
}

/** The failure a delivery to a URL naming a missing company left; asserts the URL company was kept. */
async function failureFor(companyId: number): Promise<number> {
	const log = (await logRows()).findLast((row) =>
		row.message?.startsWith(`company ${companyId} does not exist`),
	);
	if (!log) throw new Error("no failure log");
	const detail = await call<{ url_company_id: number | null; has_payload: boolean }>(
		`/logs/${log.id}`,
	);
	if (detail.body.url_company_id !== companyId) throw new Error("URL company not kept");
	return log.id;
}

async function replay(logId: number, overrides: Partial<Env> = {}) {
	const response = await fetchWithEnv(overrides, `/api/admin/logs/${logId}/replay`, {
		method: "POST",
		headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
	});
	return { status: response.status, body: await response.json<ReplayJson>() };
}

describe("replay keeps the URL's company", () => {
	it("TikTok: a signed URL's company, over the advertiser's mapped company", async ({ expect }) => {
		const urlCompany = 900_001;
		const mapped = await seedCompany();
		const advertiserId = "7398120456700009101";
		const leadId = newLeadId();
		const sig = await signCompanyId(TEST_WEBHOOK_SIGNING_KEY, urlCompany);
		const delivered = await fetchWithEnv(
			{ WEBHOOK_SIGNING_KEY: TEST_WEBHOOK_SIGNING_KEY },
			`${TIKTOK_PATH}?company_id=${urlCompany}&sig=${sig}`,
			await tiktokInit(tiktokWebhook([{ leadId, advertiserId }])),
		);
		expect(delivered.status).toBe(200);
		const logId = await failureFor(urlCompany);
		await seedAccount(mapped, advertiserId);
		await createCompany(urlCompany);

		const result = await replay(logId, { WEBHOOK_SIGNING_KEY: TEST_WEBHOOK_SIGNING_KEY });

		expect(result).toMatchObject({ status: 200, body: { outcome: "created" } });
		expect(await clientRows({ externalId: leadId })).toEqual([
			expect.objectContaining({ company_id: urlCompany }),
		]);
	});

	it("Meta Lead Ads: the callback URL's company, over the Page's mapped company", async ({
		expect,
	}) => {
		const urlCompany = 800_001;
		const pageCompany = await seedCompany();
		const pageId = "900000000009102";
		const leadgenId = newLeadgenId();
		const graph = fakeGraph((c) => (leadIdOf(c) ? graphLead(leadIdOf(c)) : undefined));
		const delivered = await postMeta(leadgenWebhook([{ leadgenId, pageId }]), {
			query: `?company_id=${urlCompany}`,
		});
		expect(delivered.status).toBe(200);
		const logId = await failureFor(urlCompany);
		await seedPage(pageCompany, pageId, "EAAGpageCompanyToken00000");
		await createCompany(urlCompany);

		const result = await replay(logId, { META_PAGE_ACCESS_TOKEN: "EAAGinstallToken0000000" });

		expect(result).toMatchObject({ status: 200, body: { outcome: "created" } });
		expect((await fetchRows(leadgenId)).map((row) => row.company_id)).toEqual([urlCompany]);
		expect(await clientRows({ externalId: leadgenId })).toEqual([
			expect.objectContaining({ company_id: urlCompany }),
		]);
		expect(graph.calls.filter((c) => leadIdOf(c) === leadgenId)).toHaveLength(1);
	});

	it("WhatsApp: the callback URL's company, over the phone number's mapped company", async ({
		expect,
	}) => {
		const urlCompany = 700_001;
		const numberCompany = await seedCompany();
		const phoneNumberId = "112233445599103";
		const { body, wamid } = whatsappMessage(
			{ name: "Omar Haddad", waId: "971501239103" },
			phoneNumberId,
		);
		const delivered = await postMeta(body, { query: `?company_id=${urlCompany}` });
		expect(delivered.status).toBe(200);
		const logId = await failureFor(urlCompany);
		await seedAccount(numberCompany, phoneNumberId, "whatsapp");
		await createCompany(urlCompany);

		const result = await replay(logId);

		expect(result).toMatchObject({ status: 200, body: { outcome: "created" } });
		expect(await clientRows({ externalId: wamid })).toEqual([
			expect.objectContaining({ company_id: urlCompany, source: "whatsapp" }),
		]);
	});

	it("forms: the form URL's company", async ({ expect }) => {
		const urlCompany = 600_001;
		const delivered = await postForm(urlCompany, { name: "Zara Quinn", email: "zq@example.com" });
		expect(delivered.status).toBe(400);
		const logId = await failureFor(urlCompany);
		await createCompany(urlCompany);

		const result = await replay(logId);

		expect(result).toMatchObject({ status: 200, body: { outcome: "created" } });
		expect(await clientRows({ companyId: urlCompany })).toEqual([
			expect.objectContaining({ email: "zq@example.com" }),
		]);
	});
});
