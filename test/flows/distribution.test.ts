// Lead distribution through the whole Worker: routing rules, weights, caps, working hours, fallbacks,
// concurrency and redeliveries, and the dry run naming the rep ingest chose.
import { env } from "cloudflare:workers";
import { afterEach, describe, it, vi } from "vitest";
import { call } from "../support/admin-api";
import { clientRows, seedClient, seedCompany, seedEmployee, seedTask } from "../support/factories";
import { postForm, taskRows } from "../support/forms";
import { postTikTok } from "../support/requests";
import {
	addRule,
	addTeam,
	deliver,
	dryRun,
	leadsPerRep,
	openTasksByClient,
	otherIsolate,
	racingIsolates,
	repsOf,
	setRep,
} from "../support/routing";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

afterEach(() => {
	vi.useRealTimers();
});

/** Fixes the clock (Date only: timers and I/O run as usual) for the Worker and the test alike. */
function clockAt(iso: string) {
	vi.useFakeTimers({ toFake: ["Date"] });
	vi.setSystemTime(new Date(iso));
}

async function companyWithReps(names: string[]) {
	const companyId = await seedCompany({ autoAssign: true });
	const reps: number[] = [];
	for (const name of names) reps.push(await seedEmployee(companyId, name));
	return { companyId, reps };
}

describe("lead distribution", () => {
	it("splits 200 leads arriving 20 at a time from 20 isolates 150/50 between weights 3 and 1", async ({
		expect,
	}) => {
		const { companyId, reps } = await companyWithReps(["Ana", "Ben"]);
		const [ana = 0, ben = 0] = reps;
		await setRep(ana, { weight: 3 });
		const team = await addTeam(companyId, "Closers", [ana, ben]);
		await addRule(companyId, {
			name: "Everyone",
			team_id: team,
			method: "weighted_round_robin",
		});

		for (let round = 0; round < 10; round++) {
			await Promise.all(Array.from({ length: 20 }, () => deliver(companyId, [{}], otherIsolate())));
		}

		const counts = await leadsPerRep(companyId);
		expect(Math.abs((counts.get(ana) ?? 0) - 150)).toBeLessThanOrEqual(1);
		expect(Math.abs((counts.get(ben) ?? 0) - 50)).toBeLessThanOrEqual(1);
		expect(counts.get(null)).toBeUndefined();
	}, 120_000);

	it("gives least-loaded leads to the rep with the fewest open follow-ups", async ({ expect }) => {
		const { companyId, reps } = await companyWithReps(["Ana", "Ben"]);
		const [ana = 0, ben = 0] = reps;
		for (let i = 0; i < 2; i++) await seedTask(await seedClient(companyId), { employeeId: ana });
		const team = await addTeam(companyId, "Closers", [ana, ben]);
		await addRule(companyId, { name: "Least loaded", team_id: team, method: "least_loaded" });

		const ids = await deliver(companyId, [{}, {}, {}]);

		// Ben 0 → 1 → 2 open follow-ups; then a tie at 2, which the lower id (Ana) wins.
		expect(await repsOf(companyId, ids)).toEqual([ben, ben, ana]);
	});

	it("cap 5 under round robin: the sixth lead of the capped rep's turn goes to the next rep", async ({
		expect,
	}) => {
		const { companyId, reps } = await companyWithReps(["Ana", "Ben"]);
		const [ana = 0, ben = 0] = reps;
		await setRep(ana, { daily_cap: 5 });

		const ids = await deliver(
			companyId,
			Array.from({ length: 12 }, () => ({})),
		);

		expect(await repsOf(companyId, ids)).toEqual([
			ana,
			ben,
			ana,
			ben,
			ana,
			ben,
			ana,
			ben,
			ana,
			ben,
			ben,
			ben,
		]);
	});

	it("skips a rep outside working hours in the rep's zone (fixed clock)", async ({ expect }) => {
		const { companyId, reps } = await companyWithReps(["Ana", "Ben"]);
		const [ana = 0, ben = 0] = reps;
		const nineToFive = { from: "09:00", to: "17:00" };
		await setRep(ana, { time_zone: "Asia/Dubai", working_hours: { mon: nineToFive } });
		await setRep(ben, { time_zone: "Europe/Berlin", working_hours: { mon: nineToFive } });

		// Monday 2026-12-07 06:30 UTC: 10:30 in Dubai (Ana works), 07:30 in Berlin (Ben does not).
		clockAt("2026-12-07T06:30:00Z");
		const morning = await deliver(companyId, [{}, {}, {}]);
		// 14:30 UTC: 18:30 in Dubai (Ana is off), 15:30 in Berlin.
		clockAt("2026-12-07T14:30:00Z");
		const afternoon = await deliver(companyId, [{}, {}]);

		expect(await repsOf(companyId, morning)).toEqual([ana, ana, ana]);
		expect(await repsOf(companyId, afternoon)).toEqual([ben, ben]);
	});

	it("routes by form id, phone country and an answer value to their teams", async ({ expect }) => {
		const { companyId, reps } = await companyWithReps(["Ana", "Ben", "Cy", "Dee"]);
		const [ana = 0, ben = 0, cy = 0, dee = 0] = reps;
		const [forms, spain, spanish] = [
			await addTeam(companyId, "Dental form", [ana]),
			await addTeam(companyId, "Spain", [ben]),
			await addTeam(companyId, "Spanish speakers", [cy]),
		];
		const rr = "round_robin";
		await addRule(companyId, {
			name: "Dental form",
			conditions: [{ field: "form_id", op: "equals", value: "7001" }],
			team_id: forms,
			method: rr,
		});
		await addRule(companyId, {
			name: "Spanish phones",
			conditions: [{ field: "phone_country", op: "one_of", values: ["ES", "MX"] }],
			team_id: spain,
			method: rr,
		});
		await addRule(companyId, {
			name: "Speaks Spanish",
			conditions: [{ field: "answer", question: "language", op: "contains", value: "español" }],
			team_id: spanish,
			method: rr,
		});

		const ids = await deliver(companyId, [
			{ formId: "7001" },
			{ phone: "+34612345678" },
			{ answers: [{ field: "language", value: "Español (España)" }] },
			{},
		]);

		// The fourth matches no rule: the company default, round robin over all four.
		expect(await repsOf(companyId, ids)).toEqual([ana, ben, cy, ana]);
		expect(dee).toBeGreaterThan(0);
	});

	it("applies the fallback when nobody can take the lead, and lists it under Needs action", async ({
		expect,
	}) => {
		const { companyId, reps } = await companyWithReps(["Ana", "Ben", "Cy"]);
		const [ana = 0, ben = 0, cy = 0] = reps;
		const away = { away_until: "2099-01-01T00:00:00Z" };
		await setRep(ana, away);
		const annas = await addTeam(companyId, "Ana only", [ana]);
		const bens = await addTeam(companyId, "Ben only", [ben]);
		await addRule(companyId, {
			name: "Form 7001 to Ana, else Cy",
			conditions: [{ field: "form_id", op: "equals", value: "7001" }],
			team_id: annas,
			method: "round_robin",
			fallback: "rep",
			fallback_rep_id: cy,
		});
		await addRule(companyId, {
			name: "Form 7002 to Ben, else nobody",
			conditions: [{ field: "form_id", op: "equals", value: "7002" }],
			team_id: bens,
			method: "round_robin",
			fallback: "unassigned",
		});
		await setRep(ben, away);

		const [toCy = "", toNobody = ""] = await deliver(companyId, [
			{ formId: "7001" },
			{ formId: "7002" },
		]);

		expect(await repsOf(companyId, [toCy, toNobody])).toEqual([cy, null]);
		const [unassigned] = await clientRows({ externalId: toNobody });
		expect(unassigned?.unassigned_reason).toBe("no eligible rep");
		const overview = await call<{ unassigned_leads: unknown[] }>("/overview");
		expect(overview.body.unassigned_leads).toEqual([
			{
				company_id: companyId,
				reason: "no eligible rep",
				count: 1,
				latest_client_id: unassigned?.id,
			},
		]);
		// No follow-up for the unassigned lead; one for Cy's.
		const tasks = await openTasksByClient(companyId);
		expect(tasks.get(unassigned?.id ?? 0)).toBeUndefined();
	});

	it("never exceeds a cap nor assigns a lead twice under 20 concurrent deliveries of 10 leads from 20 isolates", async ({
		expect,
	}) => {
		const { companyId, reps } = await companyWithReps(["Ana", "Ben", "Cy"]);
		const caps = [3, 5, 6];
		for (const [i, rep] of reps.entries()) await setRep(rep, { daily_cap: caps[i] });
		const team = await addTeam(companyId, "All", reps);
		await addRule(companyId, { name: "All", team_id: team, method: "round_robin" });

		await Promise.all(
			racingIsolates(20).map((isolate) =>
				deliver(
					companyId,
					Array.from({ length: 10 }, () => ({})),
					isolate,
				),
			),
		);

		const counts = await leadsPerRep(companyId);
		for (const [i, rep] of reps.entries()) {
			expect(counts.get(rep) ?? 0).toBeLessThanOrEqual(caps[i] ?? 0);
		}
		// 200 leads, 14 places: 186 are left for nobody.
		expect(counts.get(null)).toBe(186);
		const clients = await clientRows({ companyId });
		expect(clients).toHaveLength(200);
		const tasks = await openTasksByClient(companyId);
		for (const client of clients) {
			const expected =
				client.assigned_employee_id === null ? undefined : [client.assigned_employee_id];
			expect(tasks.get(client.id)).toEqual(expected);
		}
		const daily = await env.DB.prepare(
			`SELECT d.employee_id AS rep, sum(d.leads) AS n FROM rep_daily_leads d
			 JOIN employees e ON e.id = d.employee_id WHERE e.company_id = ? GROUP BY 1`,
		)
			.bind(companyId)
			.all<{ rep: number; n: number }>();
		expect(daily.results).toHaveLength(3);
		for (const row of daily.results) expect(row.n).toBe(counts.get(row.rep));
	}, 120_000);

	it("opens one First contact follow-up per assigned lead, and a website form's lead still one", async ({
		expect,
	}) => {
		const { companyId, reps } = await companyWithReps(["Ana", "Ben"]);
		const [ana = 0, ben = 0] = reps;
		const [tiktokLead = ""] = await deliver(companyId, [{}]);
		const form = await postForm(companyId, {
			name: "Maya Thompson",
			email: "maya.forms@example.com",
			message: "Call me",
		});
		expect(form.status).toBe(200);

		const [tiktokClient] = await clientRows({ externalId: tiktokLead });
		const formClient = (await clientRows({ companyId })).find((c) => c.source === "webform");
		expect(await taskRows(tiktokClient?.id)).toEqual([
			expect.objectContaining({ employee_id: ana, status: "open", note: "First contact" }),
		]);
		expect(await taskRows(formClient?.id)).toEqual([
			expect.objectContaining({ employee_id: ben, status: "open", note: "Website form: Call me" }),
		]);
	});

	it("does not move the turn for a redelivery", async ({ expect }) => {
		const { companyId, reps } = await companyWithReps(["Ana", "Ben"]);
		const [ana = 0, ben = 0] = reps;
		const leadId = newLeadId();
		const body = tiktokWebhook([{ leadId }]);
		const query = `?company_id=${companyId}`;

		await postTikTok(body, { query });
		await postTikTok(body, { query });
		await postTikTok(body, { query });
		const next = await deliver(companyId, [{}]);

		expect(await repsOf(companyId, [leadId, ...next])).toEqual([ana, ben]);
		expect((await openTasksByClient(companyId)).size).toBe(2);
	});

	it("names in the dry run the rep and rule ingest chose for the same lead and time", async ({
		expect,
	}) => {
		const { companyId, reps } = await companyWithReps(["Ana", "Ben", "Cy"]);
		const [ana = 0, ben = 0, cy = 0] = reps;
		await setRep(ana, { working_hours: { mon: { from: "13:00", to: "18:00" } } });
		await setRep(cy, { away_until: "2099-01-01T00:00:00Z" });
		const team = await addTeam(companyId, "Spain", [ana, ben, cy]);
		await addRule(companyId, {
			name: "Spanish phones",
			conditions: [{ field: "phone_country", op: "equals", value: "ES" }],
			team_id: team,
			method: "round_robin",
		});
		const at = "2026-12-07T09:15:00Z";

		const answer = await dryRun(companyId, {
			lead: { provider: "tiktok", phones: ["+34612345678"] },
			at,
		});
		clockAt(at);
		const [id = ""] = await deliver(companyId, [{ phone: "+34612345678" }]);

		expect(await repsOf(companyId, [id])).toEqual([answer.rep?.id]);
		expect(answer.rep?.id).toBe(ben);
		expect(answer.rule).toBe("rule 1 “Spanish phones”");
		const why = Object.fromEntries(answer.skipped.map((s) => [s.rep_id, s.reason]));
		expect(why[ana]).toMatch(/outside working hours \(Mon 09:15 in UTC\)/);
		expect(why[cy]).toMatch(/away until 2099/);
	});
});
