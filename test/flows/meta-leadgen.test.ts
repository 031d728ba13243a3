// Meta Lead Ads through the Worker against a fake Graph: the webhook carries ids only, the lead is
// recorded before the 200, read from Graph after it with the Page's token, and stored as a client
// exactly like a TikTok lead (phones E.164, every answer, round robin, dedupe per account).
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createApp } from "../../src/app";
import { unavailableD1 } from "../support/d1-wrappers";
import { clientRows, count, logRows, seedCompany, seedEmployee } from "../support/factories";
import { fakeGraph, graphLead, leadIdOf } from "../support/fake-graph";
import { metaFixture, metaManifest } from "../support/fixtures";
import { fetchRows, leadgenWebhook, newLeadgenId, seedPage } from "../support/meta";
import { fetchWithEnv, META_PATH, metaInit, postMeta } from "../support/requests";

const PAGE = "109876543210987";
const PAGE_TOKEN = "EAAGpageTokenForTestsNotReal000000000000000000";

/** Graph answers each lead read with the fixture shape for that id (the fixture itself for its id). */
function graphWithLeads() {
	return fakeGraph((call) => {
		const id = leadIdOf(call);
		if (id === "1023456789019876") {
			return graphLead(id, {
				form_id: "987654321098799",
				field_data: [
					{ name: "which_service_are_you_interested_in?", values: ["Braces", "Whitening"] },
				],
			});
		}
		return id ? graphLead(id) : undefined;
	});
}

describe("meta/leadgen_webhook_two_changes.json", () => {
	const fixture = metaManifest.find((f) => f.file === "meta/leadgen_webhook_two_changes.json");

	it("yields its manifest leads, enriched from Graph with the Page's token", async ({ expect }) => {
		if (!fixture) throw new Error("fixture missing from manifest");
		const companyId = await seedCompany({ name: "Northwind Dental" });
		const accountId = await seedPage(companyId, PAGE, PAGE_TOKEN);
		const graph = graphWithLeads();

		const response = await postMeta(metaFixture(fixture.file), {
			signature: fixture.http?.headers?.["X-Hub-Signature-256"],
		});

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ received: 2, recorded: 2 });
		expect(graph.calls.map((c) => [c.method, c.path, c.accessToken])).toEqual([
			["GET", "/v25.0/1023456789012345", PAGE_TOKEN],
			["GET", "/v25.0/1023456789019876", PAGE_TOKEN],
		]);
		expect(graph.calls[0]?.url.searchParams.get("fields")).toContain("field_data");
		for (const lead of fixture.expected_leads) {
			const enriched = lead.enrich_with
				? metaManifest.find((f) => f.file === lead.enrich_with)?.expected_leads[0]
				: undefined;
			const [client] = await clientRows({ externalId: lead.external_lead_id });
			expect(client, lead.external_lead_id).toMatchObject({
				company_id: companyId,
				integration_account_id: accountId,
				source: "meta",
				form_id: lead.form_id,
				full_name: enriched?.full_name ?? null,
				email: enriched?.email ?? null,
				phones: enriched?.phone_e164 ?? null,
			});
			const [fetch] = await fetchRows(lead.external_lead_id);
			expect(fetch).toMatchObject({
				page_id: lead.routing_key?.value,
				status: "succeeded",
				client_id: client?.id,
			});
		}
		const [first] = await clientRows({ externalId: "1023456789012345" });
		// The campaign, ad set and ad Graph named (graph_lead_response.json), ids beside them.
		expect(JSON.parse(first?.attribution ?? "null")).toEqual({
			campaign_id: "120212345678800002",
			campaign_name: "Lead Gen Q4 2026",
			ad_set_id: "120212345678900001",
			ad_set_name: "Dubai 25-54",
			ad_id: "120212345678901234",
			ad_name: "Carousel - Free Consultation",
		});
		const [second] = await clientRows({ externalId: "1023456789019876" });
		expect(JSON.parse(second?.answers ?? "[]")).toEqual([
			{ name: "which_service_are_you_interested_in?", values: ["Braces", "Whitening"] },
		]);
		const logs = (await logRows()).filter((l) => l.action === "meta_lead_received");
		expect(logs.map((l) => [l.status, l.external_id])).toEqual([
			["success", "1023456789012345"],
			["success", "1023456789019876"],
		]);
	});

	it("stores a redelivery once: no new client, no second Graph read, a duplicate log", async ({
		expect,
	}) => {
		const graph = graphWithLeads();
		const clientsBefore = await count("clients");

		const response = await postMeta(metaFixture("meta/leadgen_webhook_two_changes.json"));

		expect(await response.json()).toMatchObject({ received: 2, duplicates: 2, recorded: 0 });
		expect(graph.calls).toEqual([]);
		expect(await count("clients")).toBe(clientsBefore);
		expect(await count("meta_lead_fetches")).toBe(2);
		const duplicates = (await logRows()).filter((l) => l.status === "duplicate");
		expect(duplicates.map((l) => l.external_id).sort()).toEqual([
			"1023456789012345",
			"1023456789019876",
		]);
	});
});

describe("Lead Ads routing", () => {
	it("makes two clients in the right companies from one POST with two Pages", async ({
		expect,
	}) => {
		const [north, south] = [
			await seedCompany({ name: "North" }),
			await seedCompany({ name: "South" }),
		];
		await seedPage(north, "200000000000001", "EAAGnorthPageToken0000000000");
		await seedPage(south, "200000000000002", "EAAGsouthPageToken0000000000");
		const [a, b] = [newLeadgenId(), newLeadgenId()];
		const graph = fakeGraph((call) => {
			const id = leadIdOf(call);
			return id
				? graphLead(id, { field_data: [{ name: "full_name", values: [`Lead ${id}`] }] })
				: undefined;
		});

		const response = await postMeta(
			leadgenWebhook([
				{ leadgenId: a, pageId: "200000000000001" },
				{ leadgenId: b, pageId: "200000000000002" },
			]),
		);

		expect(response.status).toBe(200);
		expect((await clientRows({ externalId: a }))[0]).toMatchObject({
			company_id: north,
			full_name: `Lead ${a}`,
		});
		expect((await clientRows({ externalId: b }))[0]).toMatchObject({
			company_id: south,
			full_name: `Lead ${b}`,
		});
		expect(graph.calls.map((c) => [leadIdOf(c), c.accessToken])).toEqual([
			[a, "EAAGnorthPageToken0000000000"],
			[b, "EAAGsouthPageToken0000000000"],
		]);
	});

	it("routes an unmapped Page by ?company_id and reads it with META_PAGE_ACCESS_TOKEN", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ autoAssign: true });
		const [ana, ben] = [await seedEmployee(companyId, "Ana"), await seedEmployee(companyId, "Ben")];
		const leads = [newLeadgenId(), newLeadgenId(), newLeadgenId()];
		const graph = fakeGraph((call) => {
			const id = leadIdOf(call);
			return id
				? graphLead(id, { field_data: [{ name: "phone_number", values: ["00971 52 111 2233"] }] })
				: undefined;
		});

		await postMeta(
			leadgenWebhook(leads.map((leadgenId) => ({ leadgenId, pageId: "300000000000003" }))),
			{
				query: `?company_id=${companyId}`,
				env: { META_PAGE_ACCESS_TOKEN: "EAAGdefaultToken000000000" },
			},
		);

		const clients = await clientRows({ companyId });
		expect(clients.map((c) => [c.external_id, c.assigned_employee_id, c.phones, c.source])).toEqual(
			[
				[leads[0], ana, "+971521112233", "meta"],
				[leads[1], ben, "+971521112233", "meta"],
				[leads[2], ana, "+971521112233", "meta"],
			],
		);
		expect(new Set(graph.calls.map((c) => c.accessToken))).toEqual(
			new Set(["EAAGdefaultToken000000000"]),
		);
	});

	it("keeps a lead for an unknown Page as a failure with its payload and reads nothing", async ({
		expect,
	}) => {
		const graph = fakeGraph(() => undefined);
		const leadgenId = newLeadgenId();

		const response = await postMeta(leadgenWebhook([{ leadgenId, pageId: "999999999999999" }]));

		expect(await response.json()).toMatchObject({ received: 1, failed: 1 });
		expect(graph.calls).toEqual([]);
		const [log] = (await logRows()).filter((l) => l.external_id === leadgenId);
		expect(log).toMatchObject({
			action: "meta_lead_received",
			status: "failure",
			message: "Meta Page 999999999999999 is not mapped to a company",
			cause: "unmapped",
			routing_key: "999999999999999",
		});
		expect(JSON.parse(log?.payload ?? "{}")).toMatchObject({
			object: "page",
			entry: [
				{
					id: "999999999999999",
					changes: [{ field: "leadgen", value: { leadgen_id: leadgenId } }],
				},
			],
		});
	});
});

describe("the ack path", () => {
	it("answers before any Graph read starts", async ({ expect }) => {
		const companyId = await seedCompany();
		await seedPage(companyId, "400000000000004", "EAAGackPathToken00000000");
		const graph = fakeGraph((call) => (leadIdOf(call) ? graphLead(leadIdOf(call)) : undefined));
		const leadgenId = newLeadgenId();
		const ctx = createExecutionContext();

		const response = await createApp().request(
			META_PATH,
			await metaInit(leadgenWebhook([{ leadgenId, pageId: "400000000000004" }])),
			env,
			ctx,
		);

		expect(response.status).toBe(200);
		expect(graph.calls).toEqual([]);
		expect((await fetchRows(leadgenId))[0]).toMatchObject({ status: "pending" });
		await waitOnExecutionContext(ctx);
		expect(graph.calls).toHaveLength(1);
		expect((await fetchRows(leadgenId))[0]).toMatchObject({ status: "succeeded" });
	});

	it("answers 503 and reads nothing when D1 cannot record the lead", async ({ expect }) => {
		const companyId = await seedCompany();
		const graph = fakeGraph(() => undefined);
		const response = await fetchWithEnv(
			{ DB: unavailableD1() },
			`${META_PATH}?company_id=${companyId}`,
			await metaInit(leadgenWebhook([{ leadgenId: newLeadgenId(), pageId: "1" }])),
		);
		expect(response.status).toBe(503);
		expect(graph.calls).toEqual([]);
	});
});
