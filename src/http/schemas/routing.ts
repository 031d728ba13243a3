// The lead-distribution body schemas shared by the operator API (routes/admin/routing.ts) and the
// console's routing forms: routing rules, teams, a rep's routing settings, the company's time zone and
// the dry run's sample lead. The same rules, the same 400s (with the field) on both faces.
import { z } from "zod";
import { isTimeZone } from "../../leads/zoned-time";
import { LEAD_FIELDS, ROUTING_METHODS, WEEKDAYS } from "../../storage/distribution-state";
import { ROUTING_FALLBACKS } from "../../storage/schema";
import { bodyIdSchema, patchSchema } from "../validate";

/** An IANA zone Intl knows ("Europe/Berlin"). */
export const timeZoneSchema = z
	.string()
	.trim()
	.min(1)
	.max(64)
	.refine(isTimeZone, "not an IANA time zone Intl knows, e.g. Europe/Berlin");

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time as HH:MM, e.g. 09:30");
const text = z.string().trim().min(1).max(200);

const leadCondition = {
	field: z.enum(LEAD_FIELDS),
	/** The question an `answer` condition reads. */
	question: text.optional(),
};

/** A condition on the lead; `answer` conditions name their question. */
export const conditionSchema = z
	.discriminatedUnion("op", [
		z.strictObject({ ...leadCondition, op: z.enum(["equals", "contains"]), value: text }),
		z.strictObject({
			...leadCondition,
			op: z.literal("one_of"),
			values: z.array(text).min(1).max(100),
		}),
		z.strictObject({
			field: z.literal("time"),
			op: z.literal("within"),
			days: z.array(z.enum(WEEKDAYS)).min(1).max(7),
			from: clock,
			to: clock,
		}),
	])
	.refine((c) => c.field !== "answer" || ("question" in c && c.question !== undefined), {
		message: "an answer condition names its question",
		path: ["question"],
	});

const ruleFields = {
	name: text,
	/** All must hold; none: a catch-all, allowed only as the last rule. */
	conditions: z.array(conditionSchema).max(20),
	team_id: bodyIdSchema.nullable(),
	method: z.enum(ROUTING_METHODS).nullable(),
	rep_id: bodyIdSchema.nullable(),
	fallback: z.enum(ROUTING_FALLBACKS),
	fallback_rep_id: bodyIdSchema.nullable(),
	/** 1-based place among the company's rules; last when left out on create. */
	position: z.number().int().min(1).max(1000),
};

type RuleShape = Partial<{
	team_id: number | null;
	method: string | null;
	rep_id: number | null;
	fallback: string;
	fallback_rep_id: number | null;
}>;

/** A rule targets a team (with a method) or one rep, and a "rep" fallback names its rep. */
function checkTarget(rule: RuleShape, ctx: z.RefinementCtx, creating: boolean): void {
	const team = rule.team_id !== undefined && rule.team_id !== null;
	const rep = rule.rep_id !== undefined && rule.rep_id !== null;
	if (team && rep) {
		ctx.addIssue({ code: "custom", path: ["rep_id"], message: "target a team or a rep, not both" });
	}
	if (creating && !team && !rep) {
		ctx.addIssue({ code: "custom", path: ["team_id"], message: "choose a team or a rep" });
	}
	if (team && !rule.method && creating) {
		ctx.addIssue({ code: "custom", path: ["method"], message: "choose how the team shares leads" });
	}
	if (rule.fallback === "rep" && !rule.fallback_rep_id) {
		ctx.addIssue({ code: "custom", path: ["fallback_rep_id"], message: "choose the fallback rep" });
	}
}

export const ruleCreateBody = z
	.strictObject({
		name: ruleFields.name,
		conditions: ruleFields.conditions.default([]),
		team_id: ruleFields.team_id.optional(),
		method: ruleFields.method.optional(),
		rep_id: ruleFields.rep_id.optional(),
		fallback: ruleFields.fallback.default("next_rule"),
		fallback_rep_id: ruleFields.fallback_rep_id.optional(),
		position: ruleFields.position.optional(),
	})
	.superRefine((rule, ctx) => checkTarget(rule, ctx, true));

export const rulePatchBody = patchSchema(ruleFields).superRefine((rule, ctx) =>
	checkTarget(rule, ctx, false),
);

const teamFields = {
	name: text,
	member_ids: z.array(bodyIdSchema).min(1, "a team needs at least one rep").max(500),
};

export const teamCreateBody = z.strictObject(teamFields);
export const teamPatchBody = patchSchema(teamFields);

/** A weekday's hours; from after to runs past midnight. */
const dayHours = z.strictObject({ from: clock, to: clock });

/** A rep's routing settings (PATCH /api/admin/employees/:id and the console's rep form). */
export const repRoutingFields = {
	weight: z.number().int().min(1).max(100),
	daily_cap: z.number().int().nonnegative("a cap cannot be negative").max(100_000).nullable(),
	weekly_cap: z.number().int().nonnegative("a cap cannot be negative").max(100_000).nullable(),
	time_zone: timeZoneSchema.nullable(),
	working_hours: z.partialRecord(z.enum(WEEKDAYS), dayHours).nullable(),
	away_until: z.iso
		.datetime({ offset: true })
		.transform((time) => new Date(time).toISOString())
		.nullable(),
};

/** The dry run: a sample lead and when it arrives (now if left out). */
export const routingTestBody = z.strictObject({
	lead: z.strictObject({
		provider: z.string().trim().min(1).max(40),
		integration_account_id: bodyIdSchema.nullable().optional(),
		form_id: text.nullable().optional(),
		campaign_name: text.nullable().optional(),
		ad_set_name: text.nullable().optional(),
		ad_name: text.nullable().optional(),
		phones: z.array(z.string().max(100)).max(10).default([]),
		answers: z
			.array(z.strictObject({ name: text, values: z.array(z.string().max(1000)).max(50) }))
			.max(100)
			.default([]),
	}),
	at: z.iso
		.datetime({ offset: true })
		.transform((time) => new Date(time))
		.optional(),
});
