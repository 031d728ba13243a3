// Routing facts kept per isolate never outlive a change: each delivery below follows two that warmed
// the facts for the same query, then D1 changes, and the next lead must follow D1, not the kept facts.
import { env } from "cloudflare:workers";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { describe, it, vi } from "vitest";
import { changingAfterFirstBatch, countingD1 } from "../support/d1-wrappers";
import { clientRows, logRows, seedAccount, seedCompany, seedEmployee } from "../support/factories";
import { admin, fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { forwardRows, putConnection } from "../support/salesforce";
import { type LeadSpec, newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

async function deliver(query: string, lead: Partial<LeadSpec> = {}, vars: Partial<Env> = {}) {
	const leadId = newLeadId();
	const init = await tiktokInit(tiktokWebhook([{ ...lead, leadId }]));
	const response = await fetchWithEnv(vars, `${TIKTOK_PATH}${query}`, init);
	const [client] = await clientRows({ externalId: leadId });
	return { status: response.status, client, leadId };
}

/** Two deliveries: the first creates the default account, the second keeps facts that route to it. */
async function warm(query: string, lead: Partial<LeadSpec> = {}, vars: Partial<Env> = {}) {
	for (let i = 0; i < 2; i++) expect200((await deliver(query, lead, vars)).status);
}

function expect200(status: number) {
	if (status !== 200) throw new Error(`warm-up delivery answered ${status}`);
}

describe("routing facts kept between deliveries", () => {
	it("use the company's new default country as soon as it changes", async ({ expect }) => {
		const companyId = await seedCompany({ defaultCountry: "GB" });
		await warm(`?company_id=${companyId}`);
		const changed = await admin(`/companies/${companyId}`, {
			method: "PATCH",
			body: { default_country: "AE" },
		});
		expect(changed.status).toBe(200);

		const { status, client } = await deliver(`?company_id=${companyId}`, {
			phone: "050 123 4567",
		});

		expect(status).toBe(200);
		expect(client?.phones).toBe("+971501234567");
	});

	it("follow an advertiser mapping added after they were read", async ({ expect }) => {
		const fallback = await seedCompany({ name: "Env company" });
		const mapped = await seedCompany({ name: "Mapped company" });
		const advertiserId = newLeadId();
		const vars = { TIKTOK_LEADGEN_COMPANY_ID: String(fallback) };
		await warm("", { advertiserId }, vars);
		const accountId = await seedAccount(mapped, advertiserId);

		const { client, leadId } = await deliver("", { advertiserId }, vars);

		expect(client).toMatchObject({ company_id: mapped, integration_account_id: accountId });
		const log = (await logRows()).filter((l) => l.external_id === leadId);
		expect(log.map((l) => [l.status, l.company_id])).toEqual([["success", mapped]]);
	});

	it("start assigning leads once auto-assign is switched on", async ({ expect }) => {
		const companyId = await seedCompany({ autoAssign: false });
		const rep = await seedEmployee(companyId, "Omar");
		await warm(`?company_id=${companyId}`);
		await env.DB.prepare("UPDATE companies SET auto_assign = 1 WHERE id = ?").bind(companyId).run();

		const { client } = await deliver(`?company_id=${companyId}`);

		expect(client?.assigned_employee_id).toBe(rep);
	});

	it("give the next client a Salesforce forward once the company connects", async ({ expect }) => {
		const companyId = await seedCompany();
		await warm(`?company_id=${companyId}`);
		expect(await forwardRows(companyId)).toEqual([]);
		expect((await putConnection(companyId)).status).toBe(201);

		const { client } = await deliver(`?company_id=${companyId}`);

		const forwards = await forwardRows(companyId);
		expect(forwards.map((f) => f.client_id)).toEqual([client?.id]);
	});

	it("catch a change made between the routing read and the write", async ({ expect }) => {
		const companyId = await seedCompany({ defaultCountry: "GB" });
		const db = changingAfterFirstBatch(() =>
			env.DB.prepare("UPDATE companies SET default_country = 'AE' WHERE id = ?")
				.bind(companyId)
				.run(),
		);

		const { status, client } = await deliver(
			`?company_id=${companyId}`,
			{ phone: "050 123 4567" },
			{ DB: db },
		);

		expect(status).toBe(200);
		expect(client?.phones).toBe("+971501234567");
	});

	it("spare a delivery the routing read once they are kept", async ({ expect }) => {
		const companyId = await seedCompany();
		const { db, batches } = countingD1();
		const perDelivery: number[] = [];
		for (let i = 0; i < 3; i++) {
			const before = batches.length;
			expect((await deliver(`?company_id=${companyId}`, {}, { DB: db })).status).toBe(200);
			perDelivery.push(batches.length - before);
		}

		// 1st: read + write (creates the default account); 2nd: read again (the kept facts predate
		// the account) + write; 3rd: the write alone.
		expect(perDelivery).toEqual([2, 2, 1]);
	});

	it("build no SQL once warm: a delivery fills in statements prepared once per isolate", async ({
		expect,
	}) => {
		// Every statement of the receipt: default account made in the warm-up, then client (checked,
		// auto-assigned), phone, log, turn and Salesforce forward.
		const companyId = await seedCompany({ autoAssign: true });
		const repId = await seedEmployee(companyId, "Rania");
		expect((await putConnection(companyId)).status).toBe(201);
		await warm(`?company_id=${companyId}`, { phone: "+971501234567" });
		const buildSql = vi.spyOn(SQLiteAsyncDialect.prototype, "sqlToQuery");

		// The receipt's statements alone: without ENCRYPTION_KEY the waitUntil send to Salesforce (its
		// claim and settle, built per send) stops before any SQL, as the queue took it before.
		const { status, client } = await deliver(
			`?company_id=${companyId}`,
			{ phone: "+971501234568" },
			{ ENCRYPTION_KEY: "" } as Partial<Env>,
		);
		const sqlBuilt = buildSql.mock.calls.length;
		buildSql.mockRestore();

		expect(status).toBe(200);
		expect(client?.assigned_employee_id).toBe(repId);
		expect(client?.phones).toBe("+971501234568");
		expect((await forwardRows(companyId)).map((f) => f.client_id)).toContain(client?.id);
		expect(sqlBuilt).toBe(0);
	});

	it("follow the default account when an operator moves it to another company", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Keeps its leads" });
		const other = await seedCompany({ name: "Took the account" });
		await warm(`?company_id=${companyId}`);
		const [earlier] = await clientRows({ companyId });
		const moved = await admin(`/integration-accounts/${earlier?.integration_account_id}`, {
			method: "PATCH",
			body: { company_id: other },
		});
		expect(moved.status).toBe(200);

		const { client } = await deliver(`?company_id=${companyId}`);

		expect(client?.company_id).toBe(companyId);
		expect(client?.integration_account_id).not.toBe(earlier?.integration_account_id);
		const account = await env.DB.prepare("SELECT company_id FROM integration_accounts WHERE id = ?")
			.bind(client?.integration_account_id ?? 0)
			.first<{ company_id: number }>();
		expect(account?.company_id).toBe(companyId);
	});

	it("answer a deleted company's leads as unroutable, not with a 503", async ({ expect }) => {
		const companyId = await seedCompany();
		await warm(`?company_id=${companyId}`);
		await env.DB.batch([
			env.DB.prepare(
				"DELETE FROM client_phone_numbers WHERE client_id IN (SELECT id FROM clients WHERE company_id = ?)",
			).bind(companyId),
			env.DB.prepare("DELETE FROM integration_logs WHERE company_id = ?").bind(companyId),
			env.DB.prepare("DELETE FROM clients WHERE company_id = ?").bind(companyId),
			env.DB.prepare("DELETE FROM integration_accounts WHERE company_id = ?").bind(companyId),
			env.DB.prepare("DELETE FROM companies WHERE id = ?").bind(companyId),
		]);

		const { status, client, leadId } = await deliver(`?company_id=${companyId}`);

		expect(status).toBe(200);
		expect(client).toBeUndefined();
		const [log] = (await logRows()).filter((l) => l.external_id === leadId);
		expect(log).toMatchObject({
			status: "failure",
			message: `company ${companyId} does not exist (named by the webhook URL's company_id)`,
		});
	});
});
