// The console's "Send a test lead" through the whole Worker: the lead is stored marked as a test,
// given no rep, takes no turn of the round robin, and is left out of every count (overview, silence
// check, company stats, the lists' counts) while the lists still show it labelled "Test".
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { TEST_LEAD_KEY } from "../../src/providers/tiktok";
import { createDb } from "../../src/storage/db";
import { leadFlows } from "../../src/storage/health";
import { call, type ListBody } from "../support/admin-api";
import { rowById, seedCompany, seedEmployee } from "../support/factories";
import { Operator, textOf } from "../support/operator-console";
import { postTikTok } from "../support/requests";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

interface ClientJson {
	id: number;
	is_test: boolean;
	assigned_employee: { id: number; name: string } | null;
}

async function assignmentCounter(companyId: number): Promise<number> {
	const row = await rowById<{ assignment_counter: number }>("companies", companyId);
	return row?.assignment_counter ?? -1;
}

/** Sends the console's test lead for the company; answers the new client's id. */
async function sendTestLead(operator: Operator, companyId: number): Promise<number> {
	const sent = await operator.post(`/console/companies/${companyId}/test-lead`, {});
	if (sent.status !== 303 || !sent.location?.startsWith("/console/leads/")) {
		throw new Error(`test lead answered ${sent.status} ${sent.location}`);
	}
	return Number(sent.location.split("/").at(-1));
}

describe("the console's test lead", () => {
	it("is stored as a test with no rep, and the next real lead takes the turn it left", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Turn Co", autoAssign: true });
		const rita = await seedEmployee(companyId, "Rita");
		await seedEmployee(companyId, "Sam");
		const operator = await Operator.signIn();

		const testId = await sendTestLead(operator, companyId);

		expect(await rowById("clients", testId)).toMatchObject({
			company_id: companyId,
			full_name: "Test Lead",
			is_test: 1,
			assigned_employee_id: null,
		});
		expect(await assignmentCounter(companyId)).toBe(0);

		const real = await postTikTok(tiktokWebhook([{ leadId: newLeadId() }]), {
			query: `?company_id=${companyId}`,
		});
		expect(await real.json()).toMatchObject({ created: 1 });
		const { body } = await call<ListBody<ClientJson>>(`/clients?company_id=${companyId}`);
		const realLead = body.data.find((client) => !client.is_test);
		expect(realLead?.assigned_employee).toEqual({ id: rita, name: "Rita" });
		expect(await assignmentCounter(companyId)).toBe(1);

		const page = textOf((await operator.get(`/console/leads/${testId}`)).html);
		expect(page).toContain("Assigned rep Not assigned (test leads take no turn)");
		expect(page).toMatch(/Source TikTok Test/);
	});

	it("is left out of the overview, the silence check and the leads count, but listed as Test", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Only Tests Co" });
		const operator = await Operator.signIn();
		const testId = await sendTestLead(operator, companyId);

		const { body: overview } = await call<{ leads: { company_id: number }[] }>("/overview");
		expect(overview.leads.filter((row) => row.company_id === companyId)).toEqual([]);

		const flows = await leadFlows(createDb(env.DB), new Date(Date.now() - 3_600_000), 7);
		expect(flows.filter((flow) => flow.companyId === companyId)).toEqual([]);

		const { body: stats } = await call<{ leads_by_source_per_day: unknown[] }>(
			`/companies/${companyId}/stats`,
		);
		expect(stats.leads_by_source_per_day).toEqual([]);

		const { body: list } = await call<ListBody<ClientJson>>(`/clients?company_id=${companyId}`);
		expect(list.data.map((client) => [client.id, client.is_test])).toEqual([[testId, true]]);
		expect(list.matching).toEqual({ count: 0, capped: false });

		const leads = await operator.get(`/console/leads?company_id=${companyId}`);
		expect(leads.html).toContain('<span class="badge test"');
		expect(textOf(leads.html)).toContain("0 leads match · test leads are listed but not counted");
	});

	it("takes no turn inside a delivery of real leads: the reps go on in order around it", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Mixed Co", autoAssign: true });
		const ana = await seedEmployee(companyId, "Ana");
		const ben = await seedEmployee(companyId, "Ben");
		const [first, test, second] = [newLeadId(), newLeadId(), newLeadId()];
		const entry = (id: string, mark = "") =>
			`{"id":${id},"advertiser_id":7398120456712340987,${mark}"changes":[{"field":"name","value":"Lead ${id}"}]}`;
		const body = `{"object":1,"entry":[${entry(first)},${entry(test, `"${TEST_LEAD_KEY}":true,`)},${entry(second)}]}`;

		const response = await postTikTok(body, { query: `?company_id=${companyId}` });

		expect(await response.json()).toMatchObject({ created: 3 });
		const rows = await env.DB.prepare(
			"SELECT external_id, is_test, assigned_employee_id FROM clients WHERE company_id = ? ORDER BY id",
		)
			.bind(companyId)
			.all();
		expect(rows.results).toEqual([
			{ external_id: first, is_test: 0, assigned_employee_id: ana },
			{ external_id: test, is_test: 1, assigned_employee_id: null },
			{ external_id: second, is_test: 0, assigned_employee_id: ben },
		]);
		expect(await assignmentCounter(companyId)).toBe(2);
	});
});
