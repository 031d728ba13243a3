// A Meta lead kept as a failure (here: its Page was not mapped yet) is replayed by the operator once
// the Page is mapped: it is routed again, read from Graph and becomes one client; a second replay
// changes nothing.
import { describe, it } from "vitest";
import { clientRows, logRows, seedCompany } from "../support/factories";
import { fakeGraph, graphLead, leadIdOf } from "../support/fake-graph";
import { leadgenWebhook, newLeadgenId, seedPage } from "../support/meta";
import { admin, postMeta } from "../support/requests";

describe("replaying a failed Meta lead", () => {
	it("stores the lead once its Page is mapped", async ({ expect }) => {
		const graph = fakeGraph((call) => (leadIdOf(call) ? graphLead(leadIdOf(call)) : undefined));
		const leadgenId = newLeadgenId();
		await postMeta(leadgenWebhook([{ leadgenId, pageId: "900000000000009" }]));
		const [failed] = (await logRows()).filter((l) => l.external_id === leadgenId);
		expect(failed).toMatchObject({ status: "failure", action: "meta_lead_received" });

		const companyId = await seedCompany();
		await seedPage(companyId, "900000000000009", "EAAGreplayPageToken000000");
		const replay = await admin(`/logs/${failed?.id}/replay`, { method: "POST" });
		const again = await admin(`/logs/${failed?.id}/replay`, { method: "POST" });

		expect(replay.status).toBe(200);
		expect(await replay.json()).toMatchObject({ outcome: "created" });
		expect(again.status).toBe(200);
		const clients = await clientRows({ externalId: leadgenId });
		expect(clients).toHaveLength(1);
		expect(clients[0]).toMatchObject({ company_id: companyId, full_name: "Sara Al Mansouri" });
		expect(graph.calls.filter((c) => leadIdOf(c) === leadgenId)).toHaveLength(1);
	});
});
