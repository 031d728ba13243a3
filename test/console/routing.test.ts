// The company page's Lead routing card: reps' leads against their caps, rules and teams edited with
// the API's schemas (errors beside the field), and "Who would get this lead?".
import { describe, expect, it } from "vitest";
import { seedCompany, seedEmployee } from "../support/factories";
import { Operator, textOf } from "../support/operator-console";
import { addRule, addTeam, deliver, setRep } from "../support/routing";

async function routedCompany() {
	const companyId = await seedCompany({ name: "Routing Dental", autoAssign: true });
	const ana = await seedEmployee(companyId, "Ana");
	const ben = await seedEmployee(companyId, "Ben");
	return { companyId, ana, ben, page: `/console/companies/${companyId}` };
}

describe("lead routing card", () => {
	it("shows each rep's leads today and this week against the caps", async () => {
		const { companyId, ana, page } = await routedCompany();
		await setRep(ana, { daily_cap: 5, weekly_cap: 20 });
		await deliver(companyId, [{}, {}, {}]);
		const operator = await Operator.signIn();

		const text = textOf((await operator.get(page)).html);

		expect(text).toMatch(/Ana 2 \/ 5 2 \/ 20 2 can take leads/);
		expect(text).toMatch(/Ben 1 1 1 can take leads/);
	});

	it("adds a rule from the form and answers a bad condition beside its field", async () => {
		const { companyId, ana, page } = await routedCompany();
		const team = await addTeam(companyId, "Dubai", [ana]);
		const operator = await Operator.signIn();
		const csrf = await operator.csrf(page);
		const rule = {
			name: "UAE phones",
			target: `team:${team}`,
			method: "round_robin",
			fallback: "next_rule",
		};

		const bad = await operator.post(
			`${page}/routing/rules`,
			{ ...rule, conditions: "phone_country is AE" },
			{ csrf },
		);
		const unknownZone = await operator.post(
			`${page}/routing/rules`,
			{ ...rule, conditions: "time within mon-fri 9-17" },
			{ csrf },
		);
		const added = await operator.post(
			`${page}/routing/rules`,
			{ ...rule, conditions: "phone_country one of AE, SA" },
			{ csrf },
		);

		expect(bad.status).toBe(400);
		expect(bad.html).toMatch(
			/<span class="field-error" id="rule-conditions-error">line 1 “phone_country is AE”/,
		);
		expect(unknownZone.status).toBe(400);
		expect(unknownZone.html).toContain('id="rule-conditions-error"');
		expect(added.status).toBe(303);
		const text = textOf((await operator.follow(added)).html);
		expect(text).toContain("Rule UAE phones added.");
		expect(text).toContain("phone_country one of AE, SA");
	});

	it("refuses to delete a team in use, naming the rule", async () => {
		const { companyId, ana, page } = await routedCompany();
		const team = await addTeam(companyId, "Dubai", [ana]);
		await addRule(companyId, { name: "Everyone to Dubai", team_id: team, method: "round_robin" });
		const operator = await Operator.signIn();

		const refused = await operator.post(`${page}/routing/teams/${team}/delete`, {});

		expect(refused.status).toBe(400);
		expect(textOf(refused.html)).toContain(
			"team “Dubai” is used by rule 1 “Everyone to Dubai”: change or delete those rules first",
		);
	});

	it("saves a rep's settings and refuses a negative cap and an unknown zone beside their fields", async () => {
		const { ana, page } = await routedCompany();
		const operator = await Operator.signIn();
		const csrf = await operator.csrf(page);
		const path = `${page}/reps/${ana}/routing`;

		const bad = await operator.post(
			path,
			{ weight: "1", daily_cap: "-1", time_zone: "Mars/Olympus" },
			{ csrf },
		);
		const saved = await operator.post(
			path,
			{ weight: "3", daily_cap: "4", time_zone: "Asia/Dubai", hours_mon: "09:00-17:00" },
			{ csrf },
		);

		expect(bad.status).toBe(400);
		expect(bad.html).toMatch(/id="rep-routing-\d+-daily-error">/);
		expect(bad.html).toMatch(/id="rep-routing-\d+-zone-error">not an IANA time zone/);
		expect(saved.status).toBe(303);
		const text = textOf((await operator.follow(saved)).html);
		expect(text).toMatch(/Ana 0 \/ 4 0 0/);
	});

	it("answers Who would get this lead? with the rule, the rep and why the others were skipped", async () => {
		const { companyId, ana, ben, page } = await routedCompany();
		await setRep(ben, { away_until: "2099-01-01T00:00:00Z" });
		const team = await addTeam(companyId, "Spanish", [ana, ben]);
		await addRule(companyId, {
			name: "Speaks Spanish",
			conditions: [{ field: "answer", question: "language", op: "equals", value: "es" }],
			team_id: team,
			method: "round_robin",
		});
		const operator = await Operator.signIn();

		const answer = await operator.post(`${page}/routing/test`, {
			provider: "tiktok",
			answers: "language: es",
			at: "2026-12-07T09:15:00Z",
		});

		expect(answer.status).toBe(200);
		const text = textOf(answer.html);
		expect(text).toContain("Ana — rule 1 “Speaks Spanish”");
		expect(text).toMatch(/Ben ?: away until 2099-01-01T00:00:00.000Z/);
	});
});
