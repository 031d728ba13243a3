// The pure distribution decision: rule matching, rotations, skips with their reasons, fallbacks, and
// the state a delivery's decisions leave behind, on fixed clocks.
import { describe, expect, it } from "vitest";
import {
	decideLead,
	decideLeads,
	type LeadFacts,
	NO_ELIGIBLE_REP,
	rotation,
} from "../../src/leads/distribution";
import { withinClock, zonedTime } from "../../src/leads/zoned-time";
import type { DistributionState, Rep, RoutingRule } from "../../src/storage/distribution-state";

function rep(id: number, name: string, settings: Partial<Rep> = {}): Rep {
	return {
		id,
		name,
		isActive: true,
		weight: 1,
		dailyCap: null,
		weeklyCap: null,
		timeZone: null,
		hours: null,
		awayUntil: null,
		leadsByDay: {},
		openTasks: 0,
		...settings,
	};
}

function state(
	reps: Rep[],
	rules: RoutingRule[] = [],
	teams = [{ id: 1, name: "All", memberIds: reps.map((r) => r.id) }],
): DistributionState {
	return { companyId: 1, version: 0, timeZone: "UTC", defaultTurn: 0, rules, teams, reps };
}

function rule(id: number, fields: Partial<RoutingRule> = {}): RoutingRule {
	return {
		id,
		name: `Rule ${id}`,
		conditions: [],
		target: { kind: "team", teamId: 1, method: "round_robin" },
		fallback: { kind: "next_rule" },
		turn: 0,
		...fields,
	};
}

const lead: LeadFacts = {
	provider: "tiktok",
	integrationAccountId: 7,
	formId: "7001",
	attribution: { campaign_name: "Spring Whitening" },
	phoneCountries: ["AE"],
	answers: [{ name: "Language", values: ["Español"] }],
};
const monday = new Date("2026-12-07T10:00:00Z");

describe("decideLead", () => {
	it("splits a 3:1 weighted rotation exactly, spread out", () => {
		expect(
			rotation(
				[1, 2],
				new Map([
					[1, 3],
					[2, 1],
				]),
			),
		).toEqual([1, 1, 2, 1]);
		const weighted = state(
			[rep(1, "Ana", { weight: 3 }), rep(2, "Ben")],
			[rule(1, { target: { kind: "team", teamId: 1, method: "weighted_round_robin" } })],
		);
		const { decisions } = decideLeads(
			weighted,
			Array.from({ length: 200 }, () => lead),
			monday,
		);
		const ana = decisions.filter((d) => d.repId === 1).length;
		expect([ana, 200 - ana]).toEqual([150, 50]);
	});

	it("matches conditions case- and accent-blind, and says why a rule did not match", () => {
		const reps = [rep(1, "Ana"), rep(2, "Ben")];
		const teams = [
			{ id: 1, name: "Ana", memberIds: [1] },
			{ id: 2, name: "Ben", memberIds: [2] },
		];
		const rules = [
			rule(1, {
				name: "Saudi",
				conditions: [{ field: "phone_country", op: "one_of", values: ["SA"] }],
			}),
			rule(2, {
				name: "Spanish spring",
				conditions: [
					{ field: "answer", question: "language", op: "equals", value: "espanol" },
					{ field: "campaign_name", op: "contains", value: "spring" },
				],
				target: { kind: "team", teamId: 2, method: "round_robin" },
			}),
		];

		const decision = decideLead(state(reps, rules, teams), lead, monday);

		expect(decision.repId).toBe(2);
		expect(decision.decidedBy).toBe("rule 2 “Spanish spring”");
		expect(decision.steps[0]).toBe(
			"rule 1 “Saudi” did not match: phone country one of SA, but the lead has AE",
		);
		expect(decision.skipped).toEqual([{ repId: 1, name: "Ana", reason: "not in team “Ben”" }]);
	});

	it("skips reps away, off hours and at caps, with each reason, and falls back to the default", () => {
		const reps = [
			rep(1, "Ana", { awayUntil: "2026-12-08T00:00:00Z" }),
			rep(2, "Ben", {
				timeZone: "America/New_York",
				hours: { mon: { from: "09:00", to: "17:00" } },
			}),
			rep(3, "Cy", { dailyCap: 2, leadsByDay: { "2026-12-07": 2 } }),
			rep(4, "Dee", {
				weeklyCap: 3,
				leadsByDay: { "2026-12-07": 1, "2026-12-06": 9, "2026-12-08": 0 },
			}),
			rep(5, "Eve"),
		];
		const teams = [{ id: 1, name: "Four", memberIds: [1, 2, 3, 4] }];

		const decision = decideLead(state(reps, [rule(1)], teams), lead, monday);

		expect(decision.repId).toBe(4);
		const why = Object.fromEntries(decision.skipped.map((s) => [s.name, s.reason]));
		expect(why.Ana).toBe("away until 2026-12-08T00:00:00Z");
		expect(why.Ben).toBe("outside working hours (Mon 05:00 in America/New_York)");
		expect(why.Cy).toBe("at daily cap (2/2 today)");
		expect(why.Eve).toBe("not in team “Four”");

		const capped = state(
			[
				...reps.slice(0, 3),
				rep(4, "Dee", { weeklyCap: 1, leadsByDay: { "2026-12-07": 1 } }),
				rep(5, "Eve"),
			],
			[rule(1)],
			teams,
		);
		const fallback = decideLead(capped, lead, monday);
		expect(fallback.steps[0]).toBe(
			"rule 1 “Rule 1” matched, but nobody in team “Four” can take it",
		);
		expect(fallback.decidedBy).toBe("company default");
		expect(fallback.repId).toBe(5);
	});

	it("leaves the lead unassigned with no eligible rep when a rule says so", () => {
		const reps = [rep(1, "Ana", { isActive: false })];
		const decision = decideLead(
			state(reps, [rule(1, { fallback: { kind: "unassigned" } })]),
			lead,
			monday,
		);
		expect(decision.repId).toBeNull();
		expect(decision.unassignedReason).toBe(NO_ELIGIBLE_REP);
		expect(decision.skipped).toEqual([{ repId: 1, name: "Ana", reason: "inactive" }]);
	});

	it("carries counts, open tasks and turns from one lead to the next of a delivery", () => {
		const s = state(
			[rep(1, "Ana", { dailyCap: 1 }), rep(2, "Ben")],
			[rule(1, { target: { kind: "team", teamId: 1, method: "least_loaded" } })],
		);
		const { decisions, after } = decideLeads(s, [lead, lead, lead], monday);
		expect(decisions.map((d) => d.repId)).toEqual([1, 2, 2]);
		expect(after.reps.map((r) => [r.openTasks, r.leadsByDay["2026-12-07"]])).toEqual([
			[1, 1],
			[2, 2],
		]);
	});
});

describe("zoned time", () => {
	it("reads the weekday, minute and this week's days in a zone", () => {
		const late = zonedTime(new Date("2026-12-06T21:30:00Z"), "Asia/Dubai");
		expect(late).toMatchObject({
			weekday: "mon",
			minute: 90,
			day: "2026-12-07",
			weekDays: ["2026-12-07"],
		});
		expect(zonedTime(monday, "UTC").weekDays).toEqual(["2026-12-07"]);
		expect(zonedTime(new Date("2026-12-13T12:00:00Z"), "UTC").weekDays).toHaveLength(7);
	});

	it("treats a window past midnight and a whole-day window", () => {
		expect(withinClock(23 * 60, "22:00", "06:00")).toBe(true);
		expect(withinClock(7 * 60, "22:00", "06:00")).toBe(false);
		expect(withinClock(12 * 60, "00:00", "00:00")).toBe(true);
		expect(withinClock(17 * 60, "09:00", "17:00")).toBe(false);
	});
});
