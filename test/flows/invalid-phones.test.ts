// A phone that does not parse is kept as typed and flagged, never dropped: a TikTok lead and a website
// form with "12345" become clients whose phone row holds "12345" with is_valid 0, shown as "invalid
// phone" by GET /api/admin/clients and the console (list and lead page), and forwarded to Salesforce
// with the flag in the Description and the value where the mapping asks for invalid_phone; a valid
// phone stays E.164, as before.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { seedAccount, seedCompany } from "../support/factories";
import { FakeSalesforce } from "../support/fake-salesforce";
import { postForm } from "../support/forms";
import { Operator, textOf } from "../support/operator-console";
import { admin, postTikTok } from "../support/requests";
import { forwardsSettled, putConnection } from "../support/salesforce";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

const ADVERTISER = "7398120456712347777";

interface ApiClient {
	id: number;
	external_id: string;
	phones: string[];
	invalid_phones: string[];
}

describe("phones that do not parse", () => {
	it("keeps 12345 as typed and flags it on the lead, the leads list, the API and the forward", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Invalid Phone Co", defaultCountry: "AE" });
		await seedAccount(companyId, ADVERTISER, "tiktok");
		const connection = await putConnection(companyId, {
			field_mapping: { Raw_Phone__c: "invalid_phone" },
		});
		expect(connection.status).toBe(201);
		const salesforce = new FakeSalesforce().install();
		const typed = newLeadId();
		const valid = newLeadId();

		const tiktok = await postTikTok(
			tiktokWebhook([
				{ leadId: typed, advertiserId: ADVERTISER, name: "Typed Phone", phone: "12345" },
				{ leadId: valid, advertiserId: ADVERTISER, name: "Valid Phone", phone: "050 123 4567" },
			]),
		);
		expect(tiktok.status).toBe(200);
		const form = await postForm(companyId, {
			name: "Form Typed Phone",
			email: "form.typed@example.com",
			phone: "12345",
		});
		expect(await form.json()).toMatchObject({ outcome: "created" });

		const phones = await env.DB.prepare(
			`SELECT c.full_name AS name, p.phone_number AS number, p.is_valid AS valid
			FROM client_phone_numbers p JOIN clients c ON c.id = p.client_id
			WHERE c.company_id = ? ORDER BY c.full_name`,
		)
			.bind(companyId)
			.all();
		expect(phones.results).toEqual([
			{ name: "Form Typed Phone", number: "12345", valid: 0 },
			{ name: "Typed Phone", number: "12345", valid: 0 },
			{ name: "Valid Phone", number: "+971501234567", valid: 1 },
		]);

		const listed = await admin(`/clients?company_id=${companyId}`);
		const { data } = await listed.json<{ data: ApiClient[] }>();
		const byName = (name: string) =>
			data.find((client) => client.external_id === name) as ApiClient;
		expect(byName(typed)).toMatchObject({ phones: [], invalid_phones: ["12345"] });
		expect(byName(valid)).toMatchObject({ phones: ["+971501234567"], invalid_phones: [] });
		const formClient = data.find((client) => ![typed, valid].includes(client.external_id));
		expect(formClient).toMatchObject({ phones: [], invalid_phones: ["12345"] });
		const one = await admin(`/clients/${byName(typed).id}`);
		expect(await one.json()).toMatchObject({ invalid_phones: ["12345"] });

		const operator = await Operator.signIn();
		const list = textOf((await operator.get(`/console/leads?company_id=${companyId}`)).html);
		expect(list).toContain("Typed Phone invalid phone 12345");
		expect(list).toContain("Form Typed Phone invalid phone 12345");
		expect(list).toContain("Valid Phone +971501234567");
		expect(list).not.toContain("Valid Phone +971501234567 invalid phone");
		const page = textOf((await operator.get(`/console/leads/${byName(typed).id}`)).html);
		expect(page).toContain("Phones invalid phone 12345");

		await forwardsSettled(companyId);
		const records = salesforce.sentRecords();
		const record = (lastName: string) => records.find((r) => r.LastName === lastName);
		expect(record("Typed Phone")).toMatchObject({ Raw_Phone__c: "12345" });
		expect(record("Typed Phone")).not.toHaveProperty("Phone");
		expect(String(record("Typed Phone")?.Description)).toMatch(/^Invalid phone: 12345\n/);
		expect(record("Form Typed Phone")).toMatchObject({ Raw_Phone__c: "12345" });
		expect(record("Valid Phone")).toMatchObject({ Phone: "+971501234567" });
		expect(record("Valid Phone")).not.toHaveProperty("Raw_Phone__c");
		expect(String(record("Valid Phone")?.Description)).not.toContain("Invalid phone");
	});
});
