// /api/admin/companies/:id/routing and the routing fields of companies and employees: bad input is a
// 400 naming the field, deleting a team in use a 409 naming the rules, GET shows the reps' loads.
import { describe, expect, it } from "vitest";
import { call, type ErrorEnvelope, issuePaths } from "../../support/admin-api";
import { seedCompany, seedEmployee } from "../../support/factories";
import { addRule, addTeam, deliver } from "../../support/routing";

async function company() {
	const companyId = await seedCompany({ autoAssign: true });
	const ana = await seedEmployee(companyId, "Ana");
	const gone = await seedEmployee(companyId, "Gone", false);
	return { companyId, ana, gone, base: `/companies/${companyId}/routing` };
}

describe("routing admin API", () => {
	it("refuses a rule without conditions anywhere but last", async () => {
		const { companyId, ana, base } = await company();
		const team = await addTeam(companyId, "All", [ana]);
		await addRule(companyId, {
			name: "Forms",
			conditions: [{ field: "form_id", op: "equals", value: "1" }],
			team_id: team,
			method: "round_robin",
		});

		const first = await call<ErrorEnvelope>(`${base}/rules`, {
			method: "POST",
			body: { name: "Catch-all", team_id: team, method: "round_robin", position: 1 },
		});
		const last = await call<{ rule_id: number }>(`${base}/rules`, {
			method: "POST",
			body: { name: "Catch-all", team_id: team, method: "round_robin" },
		});

		expect(first.status).toBe(400);
		expect(issuePaths(first.body)).toEqual(["conditions"]);
		expect(last.status).toBe(201);
	});

	it("names the field of an unknown time zone, a negative cap and bad hours", async () => {
		const { companyId, ana } = await company();

		const zone = await call<ErrorEnvelope>(`/companies/${companyId}`, {
			method: "PATCH",
			body: { time_zone: "Europe/Atlantis" },
		});
		const cap = await call<ErrorEnvelope>(`/employees/${ana}`, {
			method: "PATCH",
			body: { daily_cap: -1, working_hours: { mon: { from: "9", to: "17:00" } } },
		});
		const ok = await call<{ time_zone: string }>(`/companies/${companyId}`, {
			method: "PATCH",
			body: { time_zone: "Asia/Dubai" },
		});

		expect(zone.status).toBe(400);
		expect(issuePaths(zone.body)).toEqual(["time_zone"]);
		expect(cap.status).toBe(400);
		expect(issuePaths(cap.body).sort()).toEqual(["daily_cap", "working_hours.mon.from"]);
		expect(ok.body.time_zone).toBe("Asia/Dubai");
	});

	it("refuses a team of deactivated reps only and a rule whose team is gone", async () => {
		const { companyId, gone, base } = await company();
		const other = await seedCompany({});
		const foreignTeam = await addTeam(other, "Theirs", [await seedEmployee(other, "Zed")]);

		const team = await call<ErrorEnvelope>(`${base}/teams`, {
			method: "POST",
			body: { name: "Ghosts", member_ids: [gone] },
		});
		const rule = await call<ErrorEnvelope>(`${base}/rules`, {
			method: "POST",
			body: { name: "Theirs", team_id: foreignTeam, method: "round_robin" },
		});

		expect(team.status).toBe(400);
		expect(issuePaths(team.body)).toEqual(["member_ids"]);
		expect(rule.status).toBe(400);
		expect(issuePaths(rule.body)).toEqual(["team_id"]);
		expect(rule.body.error.message).toContain("is gone");
		expect(companyId).toBeGreaterThan(0);
	});

	it("refuses to delete a team in use with the rules that use it, and deletes it once free", async () => {
		const { companyId, ana, base } = await company();
		const team = await addTeam(companyId, "Closers", [ana]);
		const rule = await addRule(companyId, {
			name: "Spring campaign",
			conditions: [{ field: "campaign_name", op: "contains", value: "spring" }],
			team_id: team,
			method: "least_loaded",
		});

		const refused = await call<ErrorEnvelope>(`${base}/teams/${team}`, { method: "DELETE" });
		await call(`${base}/rules/${rule}`, { method: "DELETE" });
		const deleted = await call<{ teams: unknown[] }>(`${base}/teams/${team}`, { method: "DELETE" });

		expect(refused.status).toBe(409);
		expect(refused.body.error.message).toBe(
			"team “Closers” is used by rule 1 “Spring campaign”: change or delete those rules first",
		);
		expect(deleted.status).toBe(200);
		expect(deleted.body.teams).toEqual([]);
	});

	it("lists rules in order, teams, and each rep's leads today and this week against the caps", async () => {
		const { companyId, ana, gone, base } = await company();
		await call(`/employees/${ana}`, { method: "PATCH", body: { daily_cap: 10, weekly_cap: 40 } });
		await deliver(companyId, [{}, {}]);

		const { body } = await call<{ reps: Record<string, unknown>[] }>(base);

		expect(body.reps).toEqual([
			expect.objectContaining({
				id: ana,
				leads_today: 2,
				daily_cap: 10,
				leads_this_week: 2,
				weekly_cap: 40,
				open_follow_ups: 2,
				unavailable: null,
			}),
			expect.objectContaining({ id: gone, leads_today: 0, unavailable: "inactive" }),
		]);
	});
});
