// Meta Lead Ads leads are forwarded to Salesforce like TikTok's: the client read from Graph gets its
// forward row in the creating batch and is sent right after, in the same waitUntil.
import { describe, it } from "vitest";
import { clientRows, seedCompany } from "../support/factories";
import { fakeGraph, graphLead, leadIdOf } from "../support/fake-graph";
import { FakeSalesforce } from "../support/fake-salesforce";
import { leadgenWebhook, newLeadgenId, seedPage } from "../support/meta";
import { postMeta } from "../support/requests";
import { forwardRows, forwardsSettled, putConnection } from "../support/salesforce";

describe("Meta lead → Salesforce", () => {
	it("sends the client read from Graph to the company's Salesforce once", async ({ expect }) => {
		const companyId = await seedCompany({ name: "Northwind Dental" });
		expect((await putConnection(companyId)).status).toBe(201);
		await seedPage(companyId, "800000000000008", "EAAGsalesforcePageToken00");
		const salesforce = new FakeSalesforce();
		fakeGraph(
			(call) => (leadIdOf(call) ? graphLead(leadIdOf(call)) : undefined),
			(request) => salesforce.handle(request),
		);
		const leadgenId = newLeadgenId();
		const body = leadgenWebhook([{ leadgenId, pageId: "800000000000008" }]);

		await postMeta(body);
		await postMeta(body);
		await forwardsSettled(companyId);

		const [client] = await clientRows({ externalId: leadgenId });
		expect(client).toMatchObject({ source: "meta", full_name: "Sara Al Mansouri" });
		expect(await forwardRows(companyId)).toEqual([
			expect.objectContaining({ client_id: client?.id, status: "succeeded" }),
		]);
		const calls = salesforce.dataCalls();
		expect(calls).toHaveLength(1);
		expect(JSON.parse(calls[0]?.body ?? "")).toMatchObject({
			LastName: "Sara Al Mansouri",
			Email: "sara.almansouri@example.com",
		});
	});
});
