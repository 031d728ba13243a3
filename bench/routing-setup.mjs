// BENCH_ROUTING (issue 21): how the benchmarked company distributes its leads. Unset: as before, no
// auto-assign (nobody is assigned). "reps": auto-assign over four reps, no rules (the company
// default's round robin). "rules": the same reps in two teams with five routing rules, the bench lead
// matching only the fifth (a time window that is always open), so ingest evaluates every rule.
const REPS = ["Ana", "Ben", "Cy", "Dee"];

export async function setUpRouting(db, companyId, mode = process.env.BENCH_ROUTING) {
	if (!mode) return;
	if (mode !== "reps" && mode !== "rules")
		throw new Error(`BENCH_ROUTING: reps or rules, not ${mode}`);
	await db
		.prepare("UPDATE companies SET auto_assign = 1, time_zone = 'Asia/Dubai' WHERE id = ?")
		.bind(companyId)
		.run();
	const reps = [];
	for (const [i, name] of REPS.entries()) {
		const row = await db
			.prepare(
				`INSERT INTO employees (company_id, name, is_active, weight, time_zone, working_hours)
				 VALUES (?, ?, 1, ?, 'Asia/Dubai', ?) RETURNING id`,
			)
			.bind(companyId, name, i + 1, JSON.stringify(allWeek()))
			.first();
		reps.push(row.id);
	}
	if (mode === "reps") return;
	const teams = [];
	for (const [name, members] of [
		["Closers", reps.slice(0, 2)],
		["Everyone", reps],
	]) {
		const team = await db
			.prepare("INSERT INTO routing_teams (company_id, name) VALUES (?, ?) RETURNING id")
			.bind(companyId, name)
			.first();
		for (const rep of members) {
			await db
				.prepare("INSERT INTO routing_team_members (team_id, employee_id) VALUES (?, ?)")
				.bind(team.id, rep)
				.run();
		}
		teams.push(team.id);
	}
	const [closers, everyone] = teams;
	const rules = [
		["Dental form", [{ field: "form_id", op: "equals", value: "1" }], closers, "round_robin"],
		[
			"Saudi phones",
			[{ field: "phone_country", op: "one_of", values: ["SA", "KW"] }],
			closers,
			"least_loaded",
		],
		[
			"Speaks Arabic",
			[{ field: "answer", question: "language", op: "contains", value: "arabic" }],
			closers,
			"round_robin",
		],
		[
			"Spring campaign",
			[{ field: "campaign_name", op: "contains", value: "spring" }],
			everyone,
			"least_loaded",
		],
		[
			"Any time",
			[
				{
					field: "time",
					op: "within",
					days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
					from: "00:00",
					to: "00:00",
				},
			],
			everyone,
			"weighted_round_robin",
		],
	];
	for (const [i, [name, conditions, team, method]] of rules.entries()) {
		await db
			.prepare(
				`INSERT INTO routing_rules (company_id, position, name, conditions, team_id, method, fallback)
				 VALUES (?, ?, ?, ?, ?, ?, 'next_rule')`,
			)
			.bind(companyId, i + 1, name, JSON.stringify(conditions), team, method)
			.run();
	}
}

function allWeek() {
	const hours = { from: "00:00", to: "00:00" };
	return Object.fromEntries(
		["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((day) => [day, hours]),
	);
}
