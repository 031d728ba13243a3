// What an operator looks for first, in operator words: the leads list shows and filters by the
// assigned rep, lists say how many rows match (up to 1,000), a lead shows the form, campaign, ad set
// and ad its provider named, pages never show internal names, and the Meta URL is the app's one
// callback with routing by Page beside it.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { call, type ListBody } from "../support/admin-api";
import { seedClient, seedCompany, seedEmployee, seedLog } from "../support/factories";
import { SINGLE_WEBHOOK_ATTRIBUTION, tiktokFixtures } from "../support/fixtures";
import { Operator, textOf } from "../support/operator-console";
import { postTikTok } from "../support/requests";

interface ClientJson {
	id: number;
	assigned_employee: { id: number; name: string } | null;
	attribution: Record<string, string>;
}

/** `count` clients of the company in one statement (a list longer than the count's cap). */
async function seedManyClients(companyId: number, count: number): Promise<void> {
	await env.DB.prepare(
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
		INSERT INTO clients (company_id, source, external_id) SELECT ?1, 'tiktok', 'bulk-' || ?1 || '-' || i FROM n`,
	)
		.bind(companyId, count)
		.run();
}

describe("leads list", () => {
	it("shows each lead's assigned rep and filters by rep, in the console and the API", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Rep Filter Co" });
		const rita = await seedEmployee(companyId, "Rita");
		const sam = await seedEmployee(companyId, "Sam");
		const ritas = [
			await seedClient(companyId, { fullName: "Amal", assignedEmployeeId: rita }),
			await seedClient(companyId, { fullName: "Badr", assignedEmployeeId: rita }),
		];
		await seedClient(companyId, { fullName: "Chen", assignedEmployeeId: sam });
		await seedClient(companyId, { fullName: "Dina" });

		const { body } = await call<ListBody<ClientJson>>(`/clients?employee_id=${rita}`);
		expect(body.data.map((client) => client.id)).toEqual([...ritas].reverse());
		expect(body.data.map((client) => client.assigned_employee)).toEqual([
			{ id: rita, name: "Rita" },
			{ id: rita, name: "Rita" },
		]);
		expect(body.matching).toEqual({ count: 2, capped: false });

		const operator = await Operator.signIn();
		const all = await operator.get(`/console/leads?company_id=${companyId}`);
		expect(textOf(all.html)).toContain("4 leads match");
		expect(textOf(all.html)).toMatch(/Chen .*Rep Filter Co Sam/);
		expect(all.html).toContain(`<option value="${rita}">Rita</option>`);
		const filtered = await operator.get(
			`/console/leads?company_id=${companyId}&employee_id=${rita}`,
		);
		const text = textOf(filtered.html);
		expect(text).toContain("2 leads match");
		expect(text).toContain("Amal");
		expect(text).not.toContain("Chen");
		expect(text).not.toContain("Dina");
	});

	it("counts matching leads up to 1,000 and says 1,000+ beyond", async ({ expect }) => {
		const companyId = await seedCompany({ name: "Busy Co" });
		await seedManyClients(companyId, 1001);

		const { body } = await call<ListBody<ClientJson>>(`/clients?company_id=${companyId}&limit=5`);
		expect(body.data).toHaveLength(5);
		expect(body.matching).toEqual({ count: 1000, capped: true });
		const operator = await Operator.signIn();
		const page = await operator.get(`/console/leads?company_id=${companyId}`);
		expect(textOf(page.html)).toContain("1,000+ leads match");
	});
});

describe("receipts and forwards lists", () => {
	it("say how many rows match the filter", async ({ expect }) => {
		const companyId = await seedCompany({ name: "Counted Co" });
		await seedLog({ companyId, status: "failure", message: "one", payload: "{}" });
		await seedLog({ companyId, status: "failure", message: "two", payload: "{}" });
		await seedLog({ companyId, status: "success", message: "three" });
		const client = await seedClient(companyId);
		await env.DB.prepare(
			"INSERT INTO forwards (client_id, company_id, destination, status) VALUES (?, ?, 'salesforce', 'dead')",
		)
			.bind(client, companyId)
			.run();
		const operator = await Operator.signIn();

		const failures = await operator.get(`/console/receipts?company_id=${companyId}&status=failure`);
		expect(textOf(failures.html)).toContain("2 receipts match");
		const forwards = await operator.get(`/console/forwards?company_id=${companyId}`);
		expect(textOf(forwards.html)).toContain("1 forward matches");
		const { body } = await call<ListBody<unknown>>(`/logs?company_id=${companyId}`);
		expect(body.matching).toEqual({ count: 3, capped: false });
	});
});

describe("a lead from TikTok", () => {
	it("shows its form, campaign, ad group and ad names, in operator words only", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Northwind Names" });
		const body = tiktokFixtures["tiktok/subscription_webhook_single.json"] ?? "";
		// The fixture's lead id is fixed: a fresh company's URL keeps it apart from other tests'.
		const answer = await postTikTok(body, { query: `?company_id=${companyId}` });
		expect(answer.status).toBe(200);
		const { body: list } = await call<ListBody<ClientJson>>(`/clients?company_id=${companyId}`);
		const lead = list.data[0];
		expect(lead?.attribution).toEqual(SINGLE_WEBHOOK_ATTRIBUTION);
		const operator = await Operator.signIn();

		const page = await operator.get(`/console/leads/${lead?.id}`);
		const text = textOf(page.html);
		expect(text).toContain("Form Autumn Consultation Form (7541102938475610231)");
		expect(text).toContain("Campaign Leads - Autumn 2026 (1842093710293847)");
		expect(text).toContain("Ad set UAE 25-45 (1842093710355512)");
		expect(text).toContain("Ad Video A - Whitening (1842093710411876)");
		expect(text).toContain("Source TikTok");
		expect(text).toContain("TikTok lead received");
		expect(text).toContain("Lead created");

		const receipts = await operator.get(`/console/receipts?company_id=${companyId}`);
		const receipt = /href="\/console\/receipts\/(\d+)"/.exec(receipts.html)?.[1];
		const receiptPage = await operator.get(`/console/receipts/${receipt}`);
		for (const html of [page.html, receipts.html, receiptPage.html]) {
			expect(html).not.toContain("tiktok_lead_received");
			expect(html).not.toMatch(/client \d+ created/);
		}
		expect(textOf(receiptPage.html)).toContain("What TikTok lead received Provider TikTok");
		// The API keeps its machine values.
		const { body: logs } = await call<ListBody<{ action: string; message: string }>>(
			`/logs?company_id=${companyId}`,
		);
		expect(logs.data[0]?.action).toBe("tiktok_lead_received");
		expect(logs.data[0]?.message).toBe(`client ${lead?.id} created`);
	});
});

describe("company page", () => {
	it("offers the Meta app's one callback URL, with routing by Page explained beside it", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Meta URL Co" });
		const operator = await Operator.signIn();

		const page = await operator.get(`/console/companies/${companyId}`);

		expect(page.html).toContain(
			'id="url-meta">https://relay.test/api/integrations/webhooks/meta/</code>',
		);
		expect(textOf(page.html)).toContain(
			"Meta allows one callback URL per app, so every company shares this one",
		);
		expect(page.html).toContain('<a href="#accounts">Integration accounts</a>');
	});
});
