// Every TikTok fixture, posted through the Worker, yields exactly its manifest's clients in D1.
import { describe, it } from "vitest";
import { clientRows, seedCompany } from "../support/factories";
import { tiktokFixtures, tiktokManifest } from "../support/fixtures";
import { postTikTok } from "../support/requests";

describe("TikTok fixtures through the Worker", () => {
	for (const fixture of tiktokManifest) {
		it(`${fixture.file} yields its manifest leads`, async ({ expect }) => {
			const companyId = await seedCompany({ name: `Company for ${fixture.file}` });
			const body = tiktokFixtures[fixture.file];
			if (body === undefined) throw new Error(`fixture ${fixture.file} not loaded`);
			// The signed fixtures are posted with the manifest's own signature header, byte for byte.
			const signature = fixture.http?.headers?.["X-Open-Signature"];
			const response = await postTikTok(body, { query: `?company_id=${companyId}`, signature });
			expect(response.status).toBe(200);

			const clients = await clientRows({ companyId });
			expect(clients).toHaveLength(fixture.expected_leads.length);
			for (const lead of fixture.expected_leads) {
				const [client] = await clientRows({ externalId: lead.external_lead_id });
				expect(client, lead.external_lead_id).toMatchObject({
					company_id: companyId,
					source: "tiktok",
					external_id: lead.external_lead_id,
					full_name: lead.full_name,
					email: lead.email,
					form_id: lead.form_id,
					phones: lead.phone_e164,
				});
			}
		});
	}
});
