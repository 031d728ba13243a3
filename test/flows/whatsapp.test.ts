// WhatsApp messages through the Meta callback: a new contact becomes one client (profile name, phone
// from wa_id), later messages from them (by phone or BSUID) do not; redeliveries add no rows; status
// callbacks create nothing; contacts without a phone are keyed on their BSUID.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { clientRows, count, logRows, seedAccount, seedCompany } from "../support/factories";
import { FakeSalesforce } from "../support/fake-salesforce";
import { metaFixture, metaManifest } from "../support/fixtures";
import { postMeta } from "../support/requests";
import { forwardsSettled, putConnection } from "../support/salesforce";
import { PHONE_NUMBER_ID, whatsappMessage } from "../support/whatsapp";

async function rowCounts() {
	return {
		clients: await count("clients"),
		phones: await count("client_phone_numbers"),
		contacts: await count("whatsapp_contacts"),
		messages: await count("whatsapp_messages"),
	};
}

describe("WhatsApp fixtures", () => {
	it("whatsapp/text_message.json yields its manifest lead", async ({ expect }) => {
		const companyId = await seedCompany({ defaultCountry: "AE" });
		await seedAccount(companyId, PHONE_NUMBER_ID, "whatsapp");
		const fixture = metaManifest.find((f) => f.file === "whatsapp/text_message.json");
		const [lead] = fixture?.expected_leads ?? [];
		if (!fixture || !lead) throw new Error("fixture missing");

		const response = await postMeta(metaFixture(fixture.file), {
			signature: fixture.http?.headers?.["X-Hub-Signature-256"],
		});

		expect(response.status).toBe(200);
		expect(await clientRows({ companyId })).toEqual([
			expect.objectContaining({
				source: "whatsapp",
				external_id: lead.external_lead_id,
				full_name: lead.full_name,
				phones: lead.phone_e164,
				email: null,
				form_id: null,
			}),
		]);
		const [client] = await clientRows({ companyId });
		expect(JSON.parse(client?.answers ?? "[]")).toEqual([
			{ name: "whatsapp_user_id", values: [lead.wa_user_id] },
		]);
		const logs = (await logRows()).filter((l) => l.action === "whatsapp_message_received");
		expect(logs.map((l) => [l.status, l.external_id])).toEqual([
			["success", lead.external_lead_id],
		]);
	});

	it("whatsapp/status_update.json is acknowledged and creates nothing", async ({ expect }) => {
		const before = { ...(await rowCounts()), logs: await count("integration_logs") };
		const response = await postMeta(metaFixture("whatsapp/status_update.json"));
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ received: 1, ignored: 1 });
		expect({ ...(await rowCounts()), logs: await count("integration_logs") }).toEqual(before);
	});
});

describe("WhatsApp contacts", () => {
	it("makes one client from three messages of one contact, matched by phone or BSUID", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const sender = { name: "Layla Hassan", waId: "971501239876", userId: "AE.99887766" };
		const first = whatsappMessage(sender);
		await postMeta(first.body, { query: `?company_id=${companyId}` });
		await postMeta(whatsappMessage(sender).body, { query: `?company_id=${companyId}` });
		await postMeta(whatsappMessage({ name: "Layla", userId: "AE.99887766" }).body, {
			query: `?company_id=${companyId}`,
		});

		const clients = await clientRows({ companyId });
		expect(clients).toHaveLength(1);
		expect(clients[0]).toMatchObject({
			external_id: first.wamid,
			full_name: "Layla Hassan",
			phones: "+971501239876",
		});
		const { results } = await env.DB.prepare(
			"SELECT client_id FROM whatsapp_messages WHERE company_id = ? ORDER BY id",
		)
			.bind(companyId)
			.all<{ client_id: number }>();
		expect(results.map((r) => r.client_id)).toEqual([
			clients[0]?.id,
			clients[0]?.id,
			clients[0]?.id,
		]);
	});

	it("adds no rows for a redelivered message", async ({ expect }) => {
		const companyId = await seedCompany();
		const delivery = whatsappMessage({ name: "Omar", waId: "966501112233" });
		await postMeta(delivery.body, { query: `?company_id=${companyId}` });
		const later = whatsappMessage({ name: "Omar", waId: "966501112233" });
		await postMeta(later.body, { query: `?company_id=${companyId}` });
		const before = await rowCounts();

		const again = await postMeta(delivery.body, { query: `?company_id=${companyId}` });
		const againLater = await postMeta(later.body, { query: `?company_id=${companyId}` });

		expect(await again.json()).toMatchObject({ duplicates: 1, created: 0 });
		expect(await againLater.json()).toMatchObject({ duplicates: 1, created: 0 });
		expect(await rowCounts()).toEqual(before);
	});

	it("keys a contact without a phone on their business-scoped user id", async ({ expect }) => {
		const companyId = await seedCompany();
		const first = whatsappMessage({ name: "Nour", userId: "EG.5550001112223" });
		await postMeta(first.body, { query: `?company_id=${companyId}` });
		await postMeta(whatsappMessage({ name: "Nour", userId: "EG.5550001112223" }).body, {
			query: `?company_id=${companyId}`,
		});

		expect(await clientRows({ companyId })).toEqual([
			expect.objectContaining({
				external_id: first.wamid,
				full_name: "Nour",
				phones: null,
				source: "whatsapp",
			}),
		]);
	});

	it("keeps a message for an unknown phone_number_id as a failure with its payload", async ({
		expect,
	}) => {
		const { body, wamid } = whatsappMessage(
			{ name: "Sam", waId: "447700900123" },
			"999000999000999",
		);
		const response = await postMeta(body);
		expect(await response.json()).toMatchObject({ failed: 1 });
		const [log] = (await logRows()).filter((l) => l.external_id === wamid);
		expect(log).toMatchObject({
			status: "failure",
			message: "WhatsApp phone number 999000999000999 is not mapped to a company",
		});
		expect(log?.payload).toContain(wamid);
	});

	it("gives a new contact's client a Salesforce forward when the company is connected", async ({
		expect,
	}) => {
		const phoneNumberId = "556677889900112";
		const companyId = await seedCompany();
		await seedAccount(companyId, phoneNumberId, "whatsapp");
		expect((await putConnection(companyId)).status).toBe(201);
		new FakeSalesforce().install();

		const { body } = whatsappMessage({ name: "Rania Haddad", waId: "971509990011" }, phoneNumberId);
		expect((await postMeta(body)).status).toBe(200);

		const [client] = await clientRows({ companyId });
		const forwards = await forwardsSettled(companyId);
		expect(forwards.map((f) => [f.client_id, f.status])).toEqual([[client?.id, "succeeded"]]);
	});
});
