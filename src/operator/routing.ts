// The operator's lead-distribution actions, shared by the admin API (routes/admin/routing.ts) and the
// console's Routing card: edit rules and teams (checked against the company's reps, teams and rules,
// each problem reported on its field), and the dry run "Who would get this lead?", which calls the
// very decision ingest calls (leads/distribution.ts) on the state D1 holds now.
import { HTTPException } from "hono/http-exception";
import { conflict, notFound } from "../errors";
import type { routingTestBody, ruleCreateBody, teamCreateBody } from "../http/schemas/routing";
import { type Decision, decideLead, repLoad, whyIneligible } from "../leads/distribution";
import { normalisePhones, phoneCountries } from "../leads/phone";
import { zonedTime } from "../leads/zoned-time";
import { getCompany } from "../storage/companies";
import type { Db } from "../storage/db";
import { loadDistribution } from "../storage/distribution";
import type { DistributionState, RoutingRule } from "../storage/distribution-state";
import {
	createRule,
	createTeam,
	deleteRule,
	deleteTeam,
	type RuleWrite,
	teamNameTaken,
	updateRule,
	updateTeam,
} from "../storage/routing-rules";

type RuleBody = ReturnType<typeof ruleCreateBody.parse>;
type TeamBody = ReturnType<typeof teamCreateBody.parse>;
type TestBody = ReturnType<typeof routingTestBody.parse>;

interface Issue {
	path: string[];
	message: string;
}

/** 400 with the problems by field, as a zod failure reads (the console shows each beside its field). */
function invalid(issues: Issue[]): HTTPException {
	return new HTTPException(400, { message: issues[0]?.message ?? "invalid", cause: { issues } });
}

/** The company's rules, teams and reps as distribution sees them now; 404 for an unknown company. */
export async function routingState(db: Db, companyId: number, now = new Date()) {
	const state = await loadDistribution(db, companyId, now);
	if (!state) throw notFound("company", companyId);
	return state;
}

/** The rule as stored from a create body, or a patch applied to the rule as it is. */
function ruleWrite(body: Partial<RuleBody>, current?: RuleWrite): RuleWrite {
	const base: RuleWrite = current ?? {
		name: "",
		conditions: [],
		teamId: null,
		method: null,
		repId: null,
		fallback: "next_rule",
		fallbackRepId: null,
	};
	const teamId = body.team_id !== undefined ? body.team_id : body.rep_id ? null : base.teamId;
	const repId = body.rep_id !== undefined ? body.rep_id : body.team_id ? null : base.repId;
	const fallback = body.fallback ?? base.fallback;
	return {
		name: body.name ?? base.name,
		conditions: body.conditions ?? base.conditions,
		teamId,
		repId,
		method: teamId === null ? null : (body.method ?? base.method ?? "round_robin"),
		fallback,
		fallbackRepId:
			fallback === "rep"
				? body.fallback_rep_id !== undefined
					? body.fallback_rep_id
					: base.fallbackRepId
				: null,
	};
}

function storedRule(state: DistributionState, ruleId: number): RuleWrite | undefined {
	const rule = state.rules.find((r) => r.id === ruleId);
	return rule && ruleFields(rule);
}

/** A rule's target and fallback as the flat fields it is written with (and the API shows). */
export function ruleFields(rule: RoutingRule): RuleWrite {
	return {
		name: rule.name,
		conditions: rule.conditions,
		teamId: rule.target.kind === "team" ? rule.target.teamId : null,
		method: rule.target.kind === "team" ? rule.target.method : null,
		repId: rule.target.kind === "rep" ? rule.target.repId : null,
		fallback: rule.fallback.kind,
		fallbackRepId: rule.fallback.kind === "rep" ? rule.fallback.repId : null,
	};
}

/** What is wrong with the rule given the company's teams, reps and the rules' new order. */
function ruleIssues(
	state: DistributionState,
	rule: RuleWrite,
	order: { id: number; conditions: number }[],
): Issue[] {
	const issues: Issue[] = [];
	const repOf = (id: number) => state.reps.find((rep) => rep.id === id);
	if (rule.teamId !== null) {
		const team = state.teams.find((t) => t.id === rule.teamId);
		if (!team) {
			issues.push({
				path: ["team_id"],
				message: `team ${rule.teamId} is gone (or not this company's)`,
			});
		} else if (!team.memberIds.some((id) => repOf(id)?.isActive)) {
			issues.push({
				path: ["team_id"],
				message: `every rep in team “${team.name}” is deactivated`,
			});
		}
	}
	for (const [field, id] of [
		["rep_id", rule.repId],
		["fallback_rep_id", rule.fallbackRepId],
	] as const) {
		if (id === null) continue;
		const rep = repOf(id);
		if (!rep)
			issues.push({ path: [field], message: `rep ${id} is not one of this company's reps` });
		else if (!rep.isActive) issues.push({ path: [field], message: `${rep.name} is deactivated` });
	}
	const catchAll = order.findIndex((r) => r.conditions === 0);
	if (catchAll !== -1 && catchAll < order.length - 1) {
		issues.push({
			path: ["conditions"],
			message:
				"a rule with no conditions takes every lead: only the last rule may have none (the rules after it would never run)",
		});
	}
	return issues;
}

/** The rule ids in their new order, with `id` moved to `position` (1-based; last when undefined). */
function orderWith(state: DistributionState, id: number, position: number | undefined): number[] {
	const others = state.rules.map((r) => r.id).filter((ruleId) => ruleId !== id);
	const current = state.rules.findIndex((r) => r.id === id);
	const at = position === undefined ? (current === -1 ? others.length : current) : position - 1;
	others.splice(Math.min(Math.max(at, 0), others.length), 0, id);
	return others;
}

function conditionCounts(state: DistributionState, order: number[], id: number, rule: RuleWrite) {
	return order.map((ruleId) => ({
		id: ruleId,
		conditions:
			ruleId === id
				? rule.conditions.length
				: (state.rules.find((r) => r.id === ruleId)?.conditions.length ?? 0),
	}));
}

/** Adds a rule (last unless a position is given); 400 naming the field when it cannot work. */
export async function addRule(db: Db, companyId: number, body: RuleBody): Promise<number> {
	const state = await routingState(db, companyId);
	const rule = ruleWrite(body);
	const order = orderWith(state, 0, body.position);
	const issues = ruleIssues(state, rule, conditionCounts(state, order, 0, rule));
	if (issues.length > 0) throw invalid(issues);
	return createRule(db, companyId, rule, order);
}

export async function editRule(
	db: Db,
	companyId: number,
	ruleId: number,
	patch: Partial<RuleBody>,
): Promise<void> {
	const state = await routingState(db, companyId);
	const current = storedRule(state, ruleId);
	if (!current) throw notFound("routing rule", ruleId);
	const rule = ruleWrite(patch, current);
	const order = orderWith(state, ruleId, patch.position);
	const issues = ruleIssues(state, rule, conditionCounts(state, order, ruleId, rule));
	if (issues.length > 0) throw invalid(issues);
	await updateRule(db, companyId, ruleId, rule, order);
}

export async function removeRule(db: Db, companyId: number, ruleId: number): Promise<void> {
	const state = await routingState(db, companyId);
	if (!state.rules.some((r) => r.id === ruleId)) throw notFound("routing rule", ruleId);
	const order = state.rules.map((r) => r.id).filter((id) => id !== ruleId);
	await deleteRule(db, companyId, ruleId, order);
}

async function teamIssues(
	db: Db,
	state: DistributionState,
	team: Partial<TeamBody>,
	teamId = 0,
): Promise<Issue[]> {
	const issues: Issue[] = [];
	if (team.name !== undefined && (await teamNameTaken(db, state.companyId, team.name, teamId))) {
		issues.push({ path: ["name"], message: `a team named “${team.name}” exists already` });
	}
	if (team.member_ids !== undefined) {
		const strangers = team.member_ids.filter((id) => !state.reps.some((rep) => rep.id === id));
		if (strangers.length > 0) {
			issues.push({
				path: ["member_ids"],
				message: `not reps of this company: ${strangers.join(", ")}`,
			});
		} else if (!team.member_ids.some((id) => state.reps.find((rep) => rep.id === id)?.isActive)) {
			issues.push({ path: ["member_ids"], message: "every rep chosen is deactivated" });
		}
	}
	return issues;
}

export async function addTeam(db: Db, companyId: number, body: TeamBody): Promise<number> {
	const state = await routingState(db, companyId);
	const issues = await teamIssues(db, state, body);
	if (issues.length > 0) throw invalid(issues);
	return createTeam(db, companyId, { name: body.name, memberIds: [...new Set(body.member_ids)] });
}

export async function editTeam(
	db: Db,
	companyId: number,
	teamId: number,
	patch: Partial<TeamBody>,
): Promise<void> {
	const state = await routingState(db, companyId);
	if (!state.teams.some((t) => t.id === teamId)) throw notFound("team", teamId);
	const issues = await teamIssues(db, state, patch, teamId);
	if (issues.length > 0) throw invalid(issues);
	const memberIds = patch.member_ids && [...new Set(patch.member_ids)];
	await updateTeam(db, companyId, teamId, { name: patch.name, memberIds });
}

/** Deletes a team no rule targets; 409 naming the rules that do. */
export async function removeTeam(db: Db, companyId: number, teamId: number): Promise<void> {
	const state = await routingState(db, companyId);
	const team = state.teams.find((t) => t.id === teamId);
	if (!team) throw notFound("team", teamId);
	const users = state.rules
		.map((rule, i) => ({ rule, label: `rule ${i + 1} “${rule.name}”` }))
		.filter(({ rule }) => rule.target.kind === "team" && rule.target.teamId === teamId);
	if (users.length > 0) {
		throw conflict(
			`team “${team.name}” is used by ${users.map((u) => u.label).join(", ")}: change or delete those rules first`,
		);
	}
	await deleteTeam(db, companyId, teamId);
}

export interface DryRun {
	at: Date;
	decision: Decision;
	rep: { id: number; name: string } | null;
}

/** "Who would get this lead?": the decision ingest would make for the sample lead at `at` (now). */
export async function dryRun(db: Db, companyId: number, body: TestBody): Promise<DryRun> {
	const at = body.at ?? new Date();
	const company = await getCompany(db, companyId);
	if (!company) throw notFound("company", companyId);
	const state = await routingState(db, companyId, at);
	const { lead } = body;
	const attribution = Object.fromEntries(
		(["campaign_name", "ad_set_name", "ad_name"] as const).flatMap((key) =>
			lead[key] ? [[key, lead[key]]] : [],
		),
	);
	const decision = decideLead(
		state,
		{
			provider: lead.provider,
			integrationAccountId: lead.integration_account_id ?? null,
			formId: lead.form_id ?? null,
			attribution,
			phoneCountries: phoneCountries(normalisePhones(lead.phones, company.defaultCountry)),
			answers: lead.answers,
		},
		at,
	);
	if (!company.autoAssign) {
		// Ingest assigns nobody while auto-assign is off, whatever the rules say.
		const off = "auto-assign is off for this company: leads stay unassigned";
		return {
			at,
			decision: {
				...decision,
				repId: null,
				ruleId: null,
				decidedBy: off,
				steps: [off],
				unassignedReason: null,
			},
			rep: null,
		};
	}
	const rep = state.reps.find((r) => r.id === decision.repId);
	return { at, decision, rep: rep ? { id: rep.id, name: rep.name } : null };
}

/** Each rep's leads today and this week (in the rep's zone) against the caps, and whether they can take a lead now. */
export function repLoads(state: DistributionState, now: Date) {
	return state.reps.map((rep) => {
		const load = repLoad(rep, zonedTime(now, rep.timeZone ?? state.timeZone));
		return { rep, ...load, unavailable: whyIneligible(rep, state, now) ?? null };
	});
}
