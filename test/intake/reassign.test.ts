// The reassignment seam ("Not mine", SLA escalation): a stored lead goes to the next eligible rep by
// the company's rules, never back to a rep who had it, counted against caps, and only once however
// often the same request comes.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { chooseReassignee, reassignClient } from "../../src/intake/distribute";
import { createDb } from "../../src/storage/db";
import { clientRows, seedCompany, seedEmployee } from "../support/factories";
import { addRule, addTeam, deliver, openTasksByClient, setRep } from "../support/routing";

const db = () => createDb(env.DB);

async function dailyLeads(repId: number): Promise<number> {
	const row = await env.DB.prepare(
		"SELECT coalesce(sum(leads), 0) AS n FROM rep_daily_leads WHERE employee_id = ?",
	)
		.bind(repId)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

describe("reassignClient", () => {
	it("gives the lead to the next eligible rep of its rule, moves its follow-up, and counts it", async () => {
		const companyId = await seedCompany({ autoAssign: true });
		const [ana, ben, cy] = [
			await seedEmployee(companyId, "Ana"),
			await seedEmployee(companyId, "Ben"),
			await seedEmployee(companyId, "Cy"),
		];
		await setRep(ben, { away_until: "2099-01-01T00:00:00Z" });
		const team = await addTeam(companyId, "All", [ana, ben, cy]);
		await addRule(companyId, { name: "All", team_id: team, method: "round_robin" });
		const [leadId = ""] = await deliver(companyId, [{}]);
		const [client] = await clientRows({ externalId: leadId });
		const clientId = client?.id ?? 0;
		expect(client?.assigned_employee_id).toBe(ana);

		const now = new Date();
		const first = await reassignClient(db(), { clientId, exclude: [ana], now });
		const again = await reassignClient(db(), { clientId, exclude: [ana], now });
		const seam = await chooseReassignee(db(), { clientId, exclude: [ana], now });
		const none = await reassignClient(db(), { clientId, exclude: [ana, cy], now });

		expect(first.repId).toBe(cy);
		expect(first.decision?.skipped.find((s) => s.repId === ana)?.reason).toBe(
			"already had this lead",
		);
		expect(again).toEqual({ repId: cy, decision: null });
		expect(seam).toBe(cy);
		expect(none.repId).toBeNull();
		const [after] = await clientRows({ externalId: leadId });
		expect(after?.assigned_employee_id).toBe(cy);
		expect((await openTasksByClient(companyId)).get(clientId)).toEqual([cy]);
		expect(await dailyLeads(cy)).toBe(1);
		expect(await dailyLeads(ana)).toBe(1);
	});

	it("skips a rep at a cap", async () => {
		const companyId = await seedCompany({ autoAssign: true });
		const ana = await seedEmployee(companyId, "Ana");
		const ben = await seedEmployee(companyId, "Ben");
		const [first = "", second = ""] = await deliver(companyId, [{}, {}]);
		await setRep(ben, { daily_cap: 1 });
		const [client] = await clientRows({ externalId: first });

		const result = await reassignClient(db(), {
			clientId: client?.id ?? 0,
			exclude: [ana],
			now: new Date(),
		});

		expect(result.repId).toBeNull();
		expect(result.decision?.skipped.find((s) => s.repId === ben)?.reason).toMatch(
			/at daily cap \(1\/1/,
		);
		expect(second).not.toBe("");
	});
});
