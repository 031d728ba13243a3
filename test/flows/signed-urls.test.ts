// Signed per-company URLs: with WEBHOOK_SIGNING_KEY set, a company_id without its HMAC `sig` is
// refused with 401 and counted (one sample log per hour) before any route runs; without the key
// nothing changes.
import { describe, type ExpectStatic, it } from "vitest";
import { signCompanyId } from "../../src/security/url-signature";
import {
	clientRows,
	count,
	logRows,
	rejectionCount,
	rejectionSamples,
	seedCompany,
} from "../support/factories";
import { postForm } from "../support/forms";
import { fetchWithEnv, META_PATH, metaInit, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { TEST_WEBHOOK_SIGNING_KEY } from "../support/secrets";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

const SIGNED = { WEBHOOK_SIGNING_KEY: TEST_WEBHOOK_SIGNING_KEY };

/** Refusing `send` bumps the provider's counter for `reason` by one; the hour's sample log stands. */
async function expectCounted(
	expect: ExpectStatic,
	provider: string,
	reason: string,
	send: () => Promise<Response>,
	sample: Record<string, unknown>,
): Promise<Response> {
	const before = await rejectionCount(provider, reason);
	const response = await send();
	expect(response.status).toBe(401);
	expect(await rejectionCount(provider, reason)).toBe(before + 1);
	expect((await rejectionSamples(provider, reason)).at(-1)).toMatchObject({
		status: "failure",
		company_id: null,
		payload: null,
		...sample,
	});
	return response;
}

function sign(companyId: number) {
	return signCompanyId(TEST_WEBHOOK_SIGNING_KEY, companyId);
}

describe("signed TikTok URLs", () => {
	it("accepts a company_id with its sig", async ({ expect }) => {
		const companyId = await seedCompany();
		const init = await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }]));

		const response = await fetchWithEnv(
			SIGNED,
			`${TIKTOK_PATH}?company_id=${companyId}&sig=${await sign(companyId)}`,
			init,
		);

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ created: 1 });
	});

	const refused: [string, (companyId: number) => Promise<string>, string][] = [
		["missing", async () => "", "missing url signature"],
		["for another company", async (id) => `&sig=${await sign(id + 1)}`, "invalid url signature"],
		[
			"made with another key",
			async (id) => `&sig=${await signCompanyId("other-key", id)}`,
			"invalid url signature",
		],
		["not hex", async () => "&sig=zz", "invalid url signature"],
	];
	for (const [name, sigParam, reason] of refused) {
		it(`refuses a sig ${name} with 401, counted, and no client`, async ({ expect }) => {
			const companyId = await seedCompany();
			const clientsBefore = await count("clients");
			const init = await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }]));
			const path = `${TIKTOK_PATH}?company_id=${companyId}${await sigParam(companyId)}`;

			const response = await expectCounted(
				expect,
				"tiktok",
				reason,
				() => fetchWithEnv(SIGNED, path, init),
				{ action: "tiktok_lead_received" },
			);

			expect(await response.json()).toEqual({ error: { code: "unauthorized", message: reason } });
			expect(await count("clients")).toBe(clientsBefore);
		});
	}

	it("needs no sig on a URL without company_id (routing by advertiser stays open)", async ({
		expect,
	}) => {
		const response = await fetchWithEnv(
			{ ...SIGNED, TIKTOK_LEADGEN_COMPANY_ID: String(await seedCompany()) },
			TIKTOK_PATH,
			await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }])),
		);

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ created: 1 });
	});

	it("accepts a bare company_id when no key is set, as before", async ({ expect }) => {
		const companyId = await seedCompany();

		const response = await fetchWithEnv(
			{ WEBHOOK_SIGNING_KEY: "" },
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }])),
		);

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ created: 1 });
	});
});

describe("signed form URLs", () => {
	it("accepts a company_id with its sig", async ({ expect }) => {
		const companyId = await seedCompany();

		const response = await postForm(
			companyId,
			{ email: "signed@example.com" },
			{ env: SIGNED, query: `?company_id=${companyId}&sig=${await sign(companyId)}` },
		);

		expect(response.status).toBe(200);
		expect(await clientRows({ companyId })).toHaveLength(1);
	});

	for (const [name, sigParam, reason] of [
		[
			"wrong",
			"&sig=0000000000000000000000000000000000000000000000000000000000000000",
			"invalid url signature",
		],
		["missing", "", "missing url signature"],
	]) {
		it(`refuses a ${name} sig with 401, counted under webform`, async ({ expect }) => {
			const companyId = await seedCompany();

			await expectCounted(
				expect,
				"webform",
				reason ?? "",
				() =>
					postForm(
						companyId,
						{ email: "forged@example.com" },
						{ env: SIGNED, query: `?company_id=${companyId}${sigParam}` },
					),
				{ action: "form_submission_received" },
			);

			expect(await clientRows({ companyId })).toHaveLength(0);
		});
	}
});

describe("signed Meta URLs (the guard runs before the Meta route)", () => {
	// A Meta delivery with a valid X-Hub-Signature-256 and no lead in it.
	const body = '{"object":"page","entry":[]}';

	it("refuses a wrong sig with 401, counted under meta", async ({ expect }) => {
		const companyId = await seedCompany();
		const path = `${META_PATH}?company_id=${companyId}&sig=${await sign(companyId + 1)}`;
		const init = await metaInit(body);

		await expectCounted(
			expect,
			"meta",
			"invalid url signature",
			() => fetchWithEnv(SIGNED, path, init),
			{ action: "meta_webhook" },
		);
	});

	it("refuses a missing sig with 401, counted under meta", async ({ expect }) => {
		const companyId = await seedCompany();
		const init = await metaInit(body);

		await expectCounted(
			expect,
			"meta",
			"missing url signature",
			() => fetchWithEnv(SIGNED, `${META_PATH}?company_id=${companyId}`, init),
			{ action: "meta_webhook" },
		);
	});

	it("lets the right sig through to the Meta route, which answers 200", async ({ expect }) => {
		const companyId = await seedCompany();
		const logsBefore = await count("integration_logs");

		const response = await fetchWithEnv(
			SIGNED,
			`${META_PATH}?company_id=${companyId}&sig=${await sign(companyId)}`,
			// Signed with the Meta app secret: past the URL guard, the route checks X-Hub-Signature-256.
			await metaInit(body),
		);

		expect(response.status).toBe(200);
		const refusals = (await logRows())
			.slice(logsBefore)
			.filter((log) => log.message?.includes("url signature"));
		expect(refusals).toEqual([]);
	});
});
