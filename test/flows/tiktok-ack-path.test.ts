// The acknowledgement path: no outbound HTTP before answering, and every answer of the form kept in D1.
import { describe, it, vi } from "vitest";
import { clientRows, seedCompany } from "../support/factories";
import { tiktokFixtures } from "../support/fixtures";
import { fetchWithEnv, postTikTok, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

describe("TikTok acknowledgement path", () => {
	it("makes no outbound HTTP request, before or after answering", async ({ expect }) => {
		const companyId = await seedCompany({ autoAssign: true });
		const fetchSpy = vi.spyOn(globalThis, "fetch");
		const init = await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }]));

		const response = await fetchWithEnv({}, `${TIKTOK_PATH}?company_id=${companyId}`, init);

		expect(response.status).toBe(200);
		expect(fetchSpy).not.toHaveBeenCalled();
	});

	it("keeps every answer, custom questions and all values of multi-value answers", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const leadId = newLeadId();
		const body = tiktokWebhook([
			{
				leadId,
				extra: [
					{ field: "Which services?", value: "Whitening" },
					{ field: "Which services?", value: "Braces" },
					{ field: "gender", value: "Female" },
				],
			},
		]);

		await postTikTok(body, { query: `?company_id=${companyId}` });

		const [client] = await clientRows({ externalId: leadId });
		expect(JSON.parse(client?.answers ?? "[]")).toEqual([
			{ name: "name", values: ["Maya Thompson"] },
			{ name: "phone_number", values: ["+971501234567"] },
			{ name: "email", values: ["maya.thompson@example.com"] },
			{ name: "Which services?", values: ["Whitening", "Braces"] },
			{ name: "gender", values: ["Female"] },
		]);
	});

	it("stores phones as E.164, using the company's default country for national numbers", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ defaultCountry: "AE" });
		const national = newLeadId();
		const international = newLeadId();
		const body = tiktokWebhook([
			{ leadId: national, phone: "050 123 4567" },
			{ leadId: international, phone: "1 (202) 555-0143" },
		]);

		await postTikTok(body, { query: `?company_id=${companyId}` });

		expect((await clientRows({ externalId: national }))[0]?.phones).toBe("+971501234567");
		expect((await clientRows({ externalId: international }))[0]?.phones).toBe("+12025550143");
	});

	it("keeps the fixture's custom question label as asked", async ({ expect }) => {
		const companyId = await seedCompany();
		const fixture = tiktokFixtures["tiktok/subscription_webhook_single.json"] ?? "";

		await postTikTok(fixture, { query: `?company_id=${companyId}` });

		const [client] = await clientRows({ externalId: "7563218845012673542" });
		expect(JSON.parse(client?.answers ?? "[]")).toContainEqual({
			name: "What treatment are you interested in?",
			values: ["Teeth whitening"],
		});
	});
});
