// /api/admin/stats and a lead's first-response fields through the Worker: a task set done with
// PATCH /api/admin/tasks/:id gives the lead its first-response time (list and single lead); the
// stats answer its window's leads per day, waiting leads and median/p90 per rep, company and source.
import { describe, it } from "vitest";
import { call, type ErrorEnvelope, issuePaths, type ListBody } from "../../support/admin-api";
import {
	seedAnsweredLead,
	seedClient,
	seedCompany,
	seedEmployee,
	seedTask,
} from "../../support/factories";

interface LeadJson {
	id: number;
	created_at: string;
	first_response_at: string | null;
	first_response_seconds: number | null;
}

interface StatsJson {
	days: number;
	from: string;
	to: string;
	leads: number;
	waiting: number;
	per_day: { day: string; leads: number; answered: number }[];
	[figure: string]: unknown;
}

const DAY_MS = 86_400_000;
/** Midnight UTC today: leads seeded then are inside every window, whenever the test runs. */
const today = () => `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`;

describe("a lead's first-response time", () => {
	it("is set when its follow-up task is set done through the API, and null while waiting", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const rep = await seedEmployee(companyId, "Rania");
		const answered = await seedClient(companyId, { assignedEmployeeId: rep, createdAt: today() });
		const waiting = await seedClient(companyId, { assignedEmployeeId: rep, createdAt: today() });
		const task = await seedTask(answered, { employeeId: rep });
		await seedTask(waiting, { employeeId: rep });

		const done = await call<{ completed_at: string }>(`/tasks/${task}`, {
			method: "PATCH",
			body: { status: "done" },
		});
		expect(done.status).toBe(200);

		const lead = (await call<LeadJson>(`/clients/${answered}`)).body;
		const seconds = (Date.parse(done.body.completed_at) - Date.parse(today())) / 1000;
		expect(lead).toMatchObject({
			first_response_at: done.body.completed_at,
			first_response_seconds: Math.round(seconds * 10) / 10,
		});
		const list = (await call<ListBody<LeadJson>>(`/clients?company_id=${companyId}`)).body.data;
		expect(
			list.map(({ id, first_response_at, first_response_seconds }) => ({
				id,
				first_response_at,
				first_response_seconds,
			})),
		).toEqual([
			{ id: waiting, first_response_at: null, first_response_seconds: null },
			{
				id: answered,
				first_response_at: done.body.completed_at,
				first_response_seconds: lead.first_response_seconds,
			},
		]);
	});
});

describe("GET /api/admin/stats", () => {
	it("answers one company's figures over the last 30 days", async ({ expect }) => {
		const companyId = await seedCompany({ name: "Smile Dental" });
		const rep = await seedEmployee(companyId, "Rania");
		const arrived = today();
		for (const afterSeconds of [60, 120])
			await seedAnsweredLead(companyId, {
				at: arrived,
				afterSeconds,
				employeeId: rep,
				source: "meta",
			});
		await seedClient(companyId, { assignedEmployeeId: rep, createdAt: arrived });
		await seedClient(companyId, { createdAt: arrived, isTest: true });
		await seedClient(await seedCompany({ name: "Elsewhere" }), { createdAt: arrived });

		const { status, body } = await call<StatsJson>(`/stats?company_id=${companyId}&days=30`);

		expect(status).toBe(200);
		const times = { answered: 2, median_seconds: 90, p90_seconds: 114 };
		expect(body).toMatchObject({
			company_id: companyId,
			days: 30,
			from: new Date(Date.parse(arrived) - 29 * DAY_MS).toISOString(),
			to: new Date(Date.parse(arrived) + DAY_MS).toISOString(),
			leads: 3,
			waiting: 1,
			first_response: times,
			per_rep: [{ employee_id: rep, employee_name: "Rania", ...times }],
			per_company: [{ company_id: companyId, company_name: "Smile Dental", ...times }],
			per_source: [{ source: "meta", ...times }],
		});
		expect(body.per_day).toHaveLength(30);
		expect(body.per_day.at(-1)).toEqual({ day: arrived.slice(0, 10), leads: 3, ...times });
		expect(body.per_day[0]).toEqual({
			day: body.from.slice(0, 10),
			leads: 0,
			answered: 0,
			median_seconds: null,
			p90_seconds: null,
		});
	});

	it("covers 7 days unless asked for 30, and refuses any other window", async ({ expect }) => {
		const week = await call<StatsJson>("/stats");
		expect(week.status).toBe(200);
		expect(week.body.days).toBe(7);
		expect(week.body.per_day).toHaveLength(7);

		const fortnight = await call<ErrorEnvelope>("/stats?days=14");
		expect(fortnight.status).toBe(400);
		expect(issuePaths(fortnight.body)).toEqual(["days"]);
		expect((await call<ErrorEnvelope>("/stats?company_id=0")).status).toBe(400);
	});
});
