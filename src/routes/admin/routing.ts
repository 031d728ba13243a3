// /api/admin/companies/:id/routing — lead distribution: the rules, teams and reps' loads (GET), rules
// and teams (POST, PATCH, DELETE) and the dry run (POST /test). Thin: validate → operator → JSON.
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/app-env";
import {
	routingTestBody,
	ruleCreateBody,
	rulePatchBody,
	teamCreateBody,
	teamPatchBody,
} from "../../http/schemas/routing";
import { idSchema, validate } from "../../http/validate";
import {
	addRule,
	addTeam,
	dryRun,
	editRule,
	editTeam,
	removeRule,
	removeTeam,
	repLoads,
	routingState,
	ruleFields,
} from "../../operator/routing";
import type { DistributionState } from "../../storage/distribution-state";

const companyParam = z.object({ id: idSchema });
const ruleParam = z.object({ id: idSchema, ruleId: idSchema });
const teamParam = z.object({ id: idSchema, teamId: idSchema });

export function routingJson(state: DistributionState, now: Date) {
	return {
		company_id: state.companyId,
		time_zone: state.timeZone,
		rules: state.rules.map((rule, i) => {
			const fields = ruleFields(rule);
			return {
				id: rule.id,
				position: i + 1,
				name: fields.name,
				conditions: fields.conditions,
				team_id: fields.teamId,
				method: fields.method,
				rep_id: fields.repId,
				fallback: fields.fallback,
				fallback_rep_id: fields.fallbackRepId,
			};
		}),
		teams: state.teams.map((team) => ({
			id: team.id,
			name: team.name,
			member_ids: team.memberIds,
		})),
		reps: repLoads(state, now).map(({ rep, today, week, unavailable }) => ({
			id: rep.id,
			name: rep.name,
			is_active: rep.isActive,
			weight: rep.weight,
			daily_cap: rep.dailyCap,
			weekly_cap: rep.weeklyCap,
			leads_today: today,
			leads_this_week: week,
			open_follow_ups: rep.openTasks,
			unavailable,
		})),
	};
}

async function currentRouting(c: { var: AppEnv["Variables"] }, id: number) {
	const now = new Date();
	return routingJson(await routingState(c.var.db, id, now), now);
}

export const routingRoutes = new Hono<AppEnv>()
	.get("/", validate("param", companyParam), async (c) => {
		return c.json(await currentRouting(c, c.req.valid("param").id));
	})
	.post("/rules", validate("param", companyParam), validate("json", ruleCreateBody), async (c) => {
		const { id } = c.req.valid("param");
		const ruleId = await addRule(c.var.db, id, c.req.valid("json"));
		return c.json({ rule_id: ruleId, ...(await currentRouting(c, id)) }, 201);
	})
	.patch(
		"/rules/:ruleId",
		validate("param", ruleParam),
		validate("json", rulePatchBody),
		async (c) => {
			const { id, ruleId } = c.req.valid("param");
			await editRule(c.var.db, id, ruleId, c.req.valid("json"));
			return c.json(await currentRouting(c, id));
		},
	)
	.delete("/rules/:ruleId", validate("param", ruleParam), async (c) => {
		const { id, ruleId } = c.req.valid("param");
		await removeRule(c.var.db, id, ruleId);
		return c.json(await currentRouting(c, id));
	})
	.post("/teams", validate("param", companyParam), validate("json", teamCreateBody), async (c) => {
		const { id } = c.req.valid("param");
		const teamId = await addTeam(c.var.db, id, c.req.valid("json"));
		return c.json({ team_id: teamId, ...(await currentRouting(c, id)) }, 201);
	})
	.patch(
		"/teams/:teamId",
		validate("param", teamParam),
		validate("json", teamPatchBody),
		async (c) => {
			const { id, teamId } = c.req.valid("param");
			await editTeam(c.var.db, id, teamId, c.req.valid("json"));
			return c.json(await currentRouting(c, id));
		},
	)
	.delete("/teams/:teamId", validate("param", teamParam), async (c) => {
		const { id, teamId } = c.req.valid("param");
		await removeTeam(c.var.db, id, teamId);
		return c.json(await currentRouting(c, id));
	})
	.post("/test", validate("param", companyParam), validate("json", routingTestBody), async (c) => {
		const { id } = c.req.valid("param");
		const { at, decision, rep } = await dryRun(c.var.db, id, c.req.valid("json"));
		return c.json({
			at: at.toISOString(),
			rule: decision.decidedBy,
			rule_id: decision.ruleId,
			rep,
			unassigned_reason: decision.unassignedReason,
			steps: decision.steps,
			skipped: decision.skipped.map((s) => ({ rep_id: s.repId, name: s.name, reason: s.reason })),
		});
	});
