// Lead distribution, pure: a company's ordered routing rules, its teams and its reps' state (weights,
// caps, hours, away, counts) + one lead + the clock → the rep (or nobody), the rule that chose, and why
// every other rep was skipped. Ingest and the dry run call the very same `decideLeads`, so they cannot
// disagree; storage/distribution.ts reads the state and writes the outcome inside the receipt's batch.
import type {
	Condition,
	DistributionState,
	LeadField,
	Rep,
	Target,
} from "../storage/distribution-state";
import { type Weekday, withinClock, zonedTime } from "./zoned-time";

/** What conditions see of a lead. */
export interface LeadFacts {
	provider: string;
	integrationAccountId: number | null;
	formId: string | null;
	attribution: Record<string, string> | null;
	/** ISO 3166 countries of the lead's valid phones. */
	phoneCountries: string[];
	answers: { name: string; values: string[] }[];
}

export interface SkippedRep {
	repId: number;
	name: string;
	reason: string;
}

export interface Decision {
	repId: number | null;
	/** The rule that chose (null: the company default, or nobody). */
	ruleId: number | null;
	/** "rule 2 “Spanish leads”", "company default", or what left the lead unassigned. */
	decidedBy: string;
	/** The turn the choosing rotation moves to (rule or default), when a rotation chose. */
	nextTurn: number | null;
	/** Every rule tried, in order, and what came of it. */
	steps: string[];
	/** Why each rep other than the chosen one did not get the lead. */
	skipped: SkippedRep[];
	/** Set when rules ran out of eligible reps: shown on the overview's Needs-action list. */
	unassignedReason: string | null;
}

export const NO_ELIGIBLE_REP = "no eligible rep";
export const DEFAULT_RULE = "company default";

/**
 * Decides each lead in order, each seeing the assignments before it (counts, open tasks, turns), as
 * the batch will record them. The state given is not changed.
 */
export function decideLeads(
	state: DistributionState,
	leads: LeadFacts[],
	now: Date,
): { decisions: Decision[]; after: DistributionState } {
	let current = state;
	const decisions = leads.map((lead) => {
		const decision = decideLead(current, lead, now);
		current = afterDecision(current, decision, now);
		return decision;
	});
	return { decisions, after: current };
}

/** Who gets one lead now: the first matching rule with an eligible rep, then the company default. */
export function decideLead(state: DistributionState, lead: LeadFacts, now: Date): Decision {
	const steps: string[] = [];
	const companyClock = zonedTime(now, state.timeZone);
	const eligibility = new Map(state.reps.map((rep) => [rep.id, whyIneligible(rep, state, now)]));
	const skip = (reasons: Map<number, string>, chosen: number | null) =>
		state.reps
			.filter((rep) => rep.id !== chosen)
			.map((rep) => ({
				repId: rep.id,
				name: rep.name,
				reason: reasons.get(rep.id) ?? eligibility.get(rep.id) ?? "not considered",
			}));
	for (const [index, rule] of state.rules.entries()) {
		const label = `rule ${index + 1} “${rule.name}”`;
		const miss = rule.conditions
			.map((condition) => conditionMiss(condition, lead, companyClock))
			.find((why) => why !== null);
		if (miss) {
			steps.push(`${label} did not match: ${miss}`);
			continue;
		}
		const pick = pickFromTarget(state, rule.target, rule.turn, eligibility);
		if (pick.repId !== null) {
			steps.push(`${label} matched: ${pick.why}`);
			return {
				repId: pick.repId,
				ruleId: rule.id,
				decidedBy: label,
				nextTurn: pick.nextTurn,
				steps,
				skipped: skip(pick.reasons, pick.repId),
				unassignedReason: null,
			};
		}
		steps.push(`${label} matched, but ${pick.why}`);
		if (rule.fallback.kind === "next_rule") continue;
		if (rule.fallback.kind === "rep") {
			const repId = rule.fallback.repId;
			const why = eligibility.get(repId);
			const rep = state.reps.find((r) => r.id === repId);
			if (rep && why === undefined) {
				steps.push(`${label}'s fallback: ${rep.name}`);
				return {
					repId,
					ruleId: rule.id,
					decidedBy: `${label} (fallback)`,
					nextTurn: null,
					steps,
					skipped: skip(pick.reasons, repId),
					unassignedReason: null,
				};
			}
			steps.push(`${label}'s fallback rep ${rep?.name ?? repId} cannot take it: ${why ?? "gone"}`);
		}
		steps.push(`${label}'s fallback: leave it unassigned`);
		return unassigned(`${label} (fallback)`, steps, skip(pick.reasons, null));
	}
	const active = state.reps.filter((rep) => rep.isActive).map((rep) => rep.id);
	const pick = pickInTurn(
		state,
		active,
		weightsOf(state, active, false),
		state.defaultTurn,
		eligibility,
	);
	if (pick.repId !== null) {
		steps.push(`${DEFAULT_RULE}: ${pick.why}`);
		return {
			repId: pick.repId,
			ruleId: null,
			decidedBy: DEFAULT_RULE,
			nextTurn: pick.nextTurn,
			steps,
			skipped: skip(pick.reasons, pick.repId),
			unassignedReason: null,
		};
	}
	steps.push(`${DEFAULT_RULE}: ${pick.why}`);
	return unassigned(DEFAULT_RULE, steps, skip(pick.reasons, null));
}

function unassigned(decidedBy: string, steps: string[], skipped: SkippedRep[]): Decision {
	return {
		repId: null,
		ruleId: null,
		decidedBy,
		nextTurn: null,
		steps,
		skipped,
		unassignedReason: NO_ELIGIBLE_REP,
	};
}

/** The state once a decision is recorded: the rep's counts and open tasks, the rotation's turn. */
export function afterDecision(
	state: DistributionState,
	decision: Decision,
	now: Date,
): DistributionState {
	const { repId, ruleId, nextTurn } = decision;
	if (repId === null) return state;
	return {
		...state,
		defaultTurn: ruleId === null && nextTurn !== null ? nextTurn : state.defaultTurn,
		rules: state.rules.map((rule) =>
			rule.id === ruleId && nextTurn !== null ? { ...rule, turn: nextTurn } : rule,
		),
		reps: state.reps.map((rep) => {
			if (rep.id !== repId) return rep;
			const day = zonedTime(now, rep.timeZone ?? state.timeZone).day;
			return {
				...rep,
				openTasks: rep.openTasks + 1,
				leadsByDay: { ...rep.leadsByDay, [day]: (rep.leadsByDay[day] ?? 0) + 1 },
			};
		}),
	};
}

/** Why the rep cannot take a lead now (inactive, away, off hours, at a cap), or undefined. */
export function whyIneligible(rep: Rep, state: DistributionState, now: Date): string | undefined {
	if (!rep.isActive) return "inactive";
	if (rep.awayUntil !== null && Date.parse(rep.awayUntil) > now.getTime()) {
		return `away until ${rep.awayUntil}`;
	}
	const zone = rep.timeZone ?? state.timeZone;
	const clock = zonedTime(now, zone);
	if (rep.hours !== null) {
		const today = rep.hours[clock.weekday];
		if (!today || !withinClock(clock.minute, today.from, today.to)) {
			return `outside working hours (${clock.label} in ${zone})`;
		}
	}
	const { today, week } = repLoad(rep, clock);
	if (rep.dailyCap !== null && today >= rep.dailyCap) {
		return `at daily cap (${today}/${rep.dailyCap} today)`;
	}
	if (rep.weeklyCap !== null && week >= rep.weeklyCap) {
		return `at weekly cap (${week}/${rep.weeklyCap} this week)`;
	}
	return undefined;
}

/** The rep's leads today and this week, in the rep's own zone (the company page shows these). */
export function repLoad(
	rep: Pick<Rep, "leadsByDay">,
	clock: { day: string; weekDays: string[] },
): { today: number; week: number } {
	const week = clock.weekDays.reduce((sum, day) => sum + (rep.leadsByDay[day] ?? 0), 0);
	return { today: rep.leadsByDay[clock.day] ?? 0, week };
}

interface Choice {
	repId: number | null;
	nextTurn: number | null;
	/** What chose the rep, or why nobody could take it. */
	why: string;
	/** Per rep of the target that was passed over, why. */
	reasons: Map<number, string>;
}

function pickFromTarget(
	state: DistributionState,
	target: Target,
	turn: number,
	eligibility: Map<number, string | undefined>,
): Choice {
	if (target.kind === "rep") {
		const rep = state.reps.find((r) => r.id === target.repId);
		const why = rep ? eligibility.get(rep.id) : "no longer a rep of this company";
		return why === undefined && rep
			? {
					repId: rep.id,
					nextTurn: null,
					why: `assigned to ${rep.name}`,
					reasons: notInTarget(state, [rep.id], `not the rule's rep`),
				}
			: {
					repId: null,
					nextTurn: null,
					why: `${rep?.name ?? "its rep"} cannot take it (${why})`,
					reasons: notInTarget(state, [], "not the rule's rep"),
				};
	}
	const team = state.teams.find((t) => t.id === target.teamId);
	const members = (team?.memberIds ?? []).filter((id) =>
		state.reps.some((r) => r.id === id && r.isActive),
	);
	const outside = notInTarget(
		state,
		team?.memberIds ?? [],
		`not in team “${team?.name ?? target.teamId}”`,
	);
	const pick =
		target.method === "least_loaded"
			? pickLeastLoaded(state, members, eligibility)
			: pickInTurn(
					state,
					members,
					weightsOf(state, members, target.method === "weighted_round_robin"),
					turn,
					eligibility,
				);
	for (const [id, reason] of outside) if (!pick.reasons.has(id)) pick.reasons.set(id, reason);
	const teamName = `team “${team?.name ?? target.teamId}”`;
	return pick.repId === null
		? { ...pick, why: `nobody in ${teamName} can take it` }
		: { ...pick, why: `${pick.why} in ${teamName}` };
}

function notInTarget(state: DistributionState, memberIds: number[], reason: string) {
	return new Map(
		state.reps.filter((rep) => !memberIds.includes(rep.id)).map((rep) => [rep.id, reason]),
	);
}

function weightsOf(
	state: DistributionState,
	ids: number[],
	weighted: boolean,
): Map<number, number> {
	return new Map(
		ids.map((id) => [id, weighted ? (state.reps.find((r) => r.id === id)?.weight ?? 1) : 1]),
	);
}

/**
 * The rotation: a cycle of slots where each rep appears `weight` times, spread out by smooth weighted
 * round robin (3:1 → A A B A). Turn t takes slot t mod the cycle; a slot whose rep cannot take the
 * lead is passed to the next. The turn is a plain counter, so only created leads move it (the batch
 * stores the turn after the last lead it created) and a redelivery moves nothing.
 */
function pickInTurn(
	state: DistributionState,
	memberIds: number[],
	weights: Map<number, number>,
	turn: number,
	eligibility: Map<number, string | undefined>,
): Choice {
	const cycle = rotation(
		[...memberIds].sort((a, b) => a - b),
		weights,
	);
	const reasons = new Map<number, string>();
	for (let k = 0; k < cycle.length; k++) {
		const repId = cycle[(turn + k) % cycle.length] as number;
		const why = eligibility.get(repId);
		if (why !== undefined) {
			reasons.set(repId, why);
			continue;
		}
		for (const other of memberIds) {
			if (other !== repId && !reasons.has(other))
				reasons.set(other, eligibility.get(other) ?? "eligible, but not next in turn");
		}
		const name = state.reps.find((r) => r.id === repId)?.name ?? String(repId);
		return { repId, nextTurn: turn + k + 1, why: `${name} is next in turn`, reasons };
	}
	return {
		repId: null,
		nextTurn: null,
		why: cycle.length === 0 ? "no active rep" : "nobody can take it",
		reasons,
	};
}

/** One cycle of the weighted rotation (smooth weighted round robin, ties to the lower id). */
export function rotation(ids: number[], weights: Map<number, number>): number[] {
	const total = ids.reduce((sum, id) => sum + (weights.get(id) ?? 1), 0);
	const credit = new Map(ids.map((id) => [id, 0]));
	const cycle: number[] = [];
	for (let slot = 0; slot < total; slot++) {
		let best: number | undefined;
		for (const id of ids) {
			const next = (credit.get(id) ?? 0) + (weights.get(id) ?? 1);
			credit.set(id, next);
			if (best === undefined || next > (credit.get(best) ?? 0)) best = id;
		}
		if (best === undefined) break;
		credit.set(best, (credit.get(best) ?? 0) - total);
		cycle.push(best);
	}
	return cycle;
}

/** The eligible member with the fewest open follow-up tasks (ties: fewer leads today, then lower id). */
function pickLeastLoaded(
	state: DistributionState,
	memberIds: number[],
	eligibility: Map<number, string | undefined>,
): Choice {
	const reasons = new Map<number, string>();
	const eligible = state.reps
		.filter((rep) => memberIds.includes(rep.id))
		.filter((rep) => {
			const why = eligibility.get(rep.id);
			if (why !== undefined) reasons.set(rep.id, why);
			return why === undefined;
		})
		.sort((a, b) => a.openTasks - b.openTasks || a.id - b.id);
	const [chosen] = eligible;
	if (!chosen) return { repId: null, nextTurn: null, why: "nobody can take it", reasons };
	for (const rep of eligible.slice(1)) {
		reasons.set(
			rep.id,
			`more open follow-ups (${rep.openTasks}) than ${chosen.name} (${chosen.openTasks})`,
		);
	}
	return {
		repId: chosen.id,
		nextTurn: null,
		why: `${chosen.name} has the fewest open follow-ups (${chosen.openTasks})`,
		reasons,
	};
}

/** Null when the condition holds, else what the lead had instead. */
function conditionMiss(
	condition: Condition,
	lead: LeadFacts,
	companyClock: { weekday: Weekday; minute: number; label: string },
): string | null {
	if (condition.field === "time") {
		const inWindow =
			condition.days.includes(companyClock.weekday) &&
			withinClock(companyClock.minute, condition.from, condition.to);
		return inWindow
			? null
			: `${companyClock.label} is outside ${condition.days.join(",")} ${condition.from}–${condition.to}`;
	}
	const values = leadValues(condition.field, condition.question, lead);
	const wanted = condition.op === "one_of" ? condition.values : [condition.value];
	const matches = values.some((value) =>
		wanted.some((want) =>
			condition.op === "contains" ? fold(value).includes(fold(want)) : fold(value) === fold(want),
		),
	);
	if (matches) return null;
	const name =
		condition.field === "answer"
			? `answer “${condition.question ?? ""}”`
			: condition.field.replace(/_/g, " ");
	const op = condition.op.replace("_", " ");
	return `${name} ${op} ${wanted.join(" | ")}, but the lead has ${values.length > 0 ? values.join(" | ") : "none"}`;
}

/** Compared case- and accent-blind, trimmed: "Español " equals "espanol". */
function fold(value: string): string {
	return value.normalize("NFD").replace(/\p{M}/gu, "").trim().toLowerCase();
}

function leadValues(field: LeadField, question: string | undefined, lead: LeadFacts): string[] {
	switch (field) {
		case "provider":
			return [lead.provider];
		case "integration_account":
			return lead.integrationAccountId === null ? [] : [String(lead.integrationAccountId)];
		case "form_id":
			return lead.formId === null ? [] : [lead.formId];
		case "campaign_name":
		case "ad_set_name":
		case "ad_name": {
			const value = lead.attribution?.[field];
			return value === undefined ? [] : [value];
		}
		case "phone_country":
			return lead.phoneCountries;
		case "answer": {
			const wanted = fold(question ?? "");
			return lead.answers.filter((a) => fold(a.name) === wanted).flatMap((a) => a.values);
		}
	}
}
