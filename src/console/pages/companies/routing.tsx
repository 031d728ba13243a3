// The Lead routing card of a company's page: each rep's leads today and this week against their caps,
// the ordered rules, the teams, each rep's routing settings, and "Who would get this lead?" (the dry
// run); and the POSTs that edit them, checked with the admin API's zod schemas (http/schemas/routing).
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import { employeePatch, employeePatchBody } from "../../../http/schemas/employees";
import {
	routingTestBody,
	ruleCreateBody,
	rulePatchBody,
	teamCreateBody,
} from "../../../http/schemas/routing";
import type { Decision } from "../../../leads/distribution";
import {
	addRule,
	addTeam,
	type DryRun,
	dryRun,
	editRule,
	editTeam,
	removeRule,
	removeTeam,
	repLoads,
} from "../../../operator/routing";
import type { DistributionState, RoutingRule } from "../../../storage/distribution-state";
import { WEEKDAYS } from "../../../storage/distribution-state";
import { type Employee, getEmployee, updateEmployee } from "../../../storage/employees";
import type { ROUTING_FALLBACKS } from "../../../storage/schema";
import { type ConsoleContext, type ConsoleEnv, done } from "../../console-env";
import {
	actionErrors,
	check,
	type FormData,
	issueErrors,
	nullable,
	numeric,
	optional,
	pathId,
	textFields,
} from "../../forms";
import { providerLabel } from "../../labels";
import { Csrf, Empty, Field, type FieldErrors, FormErrors, Select } from "../../layout";
import { conditionText, readAnswers, readConditions, readHours } from "../../routing-text";
import {
	companyId,
	errorsOf,
	type FormName,
	type FormState,
	type RenderCompanyPage,
	valuesOf,
} from "./company-route";

const METHOD_LABELS = {
	round_robin: "Round robin",
	weighted_round_robin: "Weighted round robin (rep weights)",
	least_loaded: "Least loaded (fewest open follow-ups)",
} as const;

const FALLBACK_LABELS: Record<(typeof ROUTING_FALLBACKS)[number], string> = {
	next_rule: "Try the next rule",
	rep: "Give it to the fallback rep",
	unassigned: "Leave it unassigned (Needs action)",
};

const PROVIDERS = ["tiktok", "meta", "whatsapp", "webform"];

export interface RoutingView {
	state: DistributionState;
	reps: Employee[];
	now: Date;
}

export const RoutingCard: FC<{
	id: number;
	view: RoutingView;
	csrf: string;
	state?: FormState;
}> = ({ id, view, csrf, state }) => (
	<section class="card" aria-labelledby="routing" id="routing-card">
		<h2 id="routing">Lead routing</h2>
		<p class="muted">
			Rules are tried in order: the first that matches, with a rep who can take the lead, assigns
			it. Otherwise the company default gives it to the next active rep in turn. A rep at a cap,
			outside their hours or away is skipped. Time windows are in {view.state.timeZone}.
		</p>
		<RepLoads view={view} />
		<h3>Rules</h3>
		<Rules id={id} view={view} csrf={csrf} state={state} />
		<h3>Teams</h3>
		<Teams id={id} view={view} csrf={csrf} state={state} />
		<h3>Rep settings</h3>
		{view.reps.map((rep) => (
			<RepSettings id={id} rep={rep} csrf={csrf} state={state} />
		))}
		<h3 id="who-gets-it">Who would get this lead?</h3>
		<DryRunForm id={id} csrf={csrf} state={state} />
	</section>
);

function capped(count: number, cap: number | null): string {
	return cap === null ? String(count) : `${count} / ${cap}`;
}

const RepLoads: FC<{ view: RoutingView }> = ({ view }) => {
	const loads = repLoads(view.state, view.now);
	if (loads.length === 0) return <Empty>No reps: leads stay unassigned.</Empty>;
	return (
		<div class="table-wrap">
			<table class="stack-narrow" aria-label="Reps' leads against their caps">
				<thead>
					<tr>
						<th scope="col">Rep</th>
						<th scope="col" class="num">
							Today / cap
						</th>
						<th scope="col" class="num">
							This week / cap
						</th>
						<th scope="col" class="num">
							Open follow-ups
						</th>
						<th scope="col">Now</th>
					</tr>
				</thead>
				<tbody>
					{loads.map(({ rep, today, week, unavailable }) => (
						<tr>
							<td data-label="Rep" dir="auto">
								{rep.name}
							</td>
							<td data-label="Today / cap" class="num">
								{capped(today, rep.dailyCap)}
							</td>
							<td data-label="This week / cap" class="num">
								{capped(week, rep.weeklyCap)}
							</td>
							<td data-label="Open follow-ups" class="num">
								{rep.openTasks}
							</td>
							<td data-label="Now">{unavailable ?? "can take leads"}</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
};

function targetText(view: RoutingView, rule: RoutingRule): string {
	if (rule.target.kind === "rep") {
		const repId = rule.target.repId;
		return `rep ${view.state.reps.find((r) => r.id === repId)?.name ?? repId}`;
	}
	const { teamId, method } = rule.target;
	const team = view.state.teams.find((t) => t.id === teamId);
	return `team ${team?.name ?? teamId}, ${METHOD_LABELS[method].toLowerCase()}`;
}

function fallbackText(view: RoutingView, rule: RoutingRule): string {
	if (rule.fallback.kind !== "rep") return FALLBACK_LABELS[rule.fallback.kind].toLowerCase();
	const repId = rule.fallback.repId;
	return `give it to ${view.state.reps.find((r) => r.id === repId)?.name ?? repId}`;
}

const Rules: FC<{ id: number; view: RoutingView; csrf: string; state?: FormState }> = ({
	id,
	view,
	csrf,
	state,
}) => (
	<>
		{view.state.rules.length === 0 ? (
			<Empty>No rules: every lead goes to the company default.</Empty>
		) : (
			<ol class="groups">
				{view.state.rules.map((rule, i) => (
					<li>
						<p>
							<strong dir="auto">{rule.name}</strong> →{" "}
							<span dir="auto">{targetText(view, rule)}</span>; if nobody can take it:{" "}
							{fallbackText(view, rule)}
						</p>
						<p class="muted">
							{rule.conditions.length === 0
								? "Every lead (no conditions)"
								: rule.conditions.map(conditionText).join(" · ")}
						</p>
						<details open={state?.form === `rule-${rule.id}`}>
							<summary>Edit rule {i + 1}</summary>
							<RuleForm
								id={id}
								view={view}
								csrf={csrf}
								form={`rule-${rule.id}`}
								action={`/console/companies/${id}/routing/rules/${rule.id}`}
								values={valuesOf(state, `rule-${rule.id}`, ruleValues(rule, i + 1))}
								errors={errorsOf(state, `rule-${rule.id}`)}
								button="Save rule"
							/>
							<DeleteButton
								action={`/console/companies/${id}/routing/rules/${rule.id}/delete`}
								csrf={csrf}
								label="Delete rule"
							/>
						</details>
					</li>
				))}
			</ol>
		)}
		<details open={state?.form === "rule"}>
			<summary>Add a rule</summary>
			<RuleForm
				id={id}
				view={view}
				csrf={csrf}
				form="rule"
				action={`/console/companies/${id}/routing/rules`}
				values={valuesOf(state, "rule", { fallback: "next_rule", method: "round_robin" })}
				errors={errorsOf(state, "rule")}
				button="Add rule"
			/>
		</details>
	</>
);

const DeleteButton: FC<{ action: string; csrf: string; label: string }> = ({
	action,
	csrf,
	label,
}) => (
	<form method="post" action={action} class="actions">
		<Csrf token={csrf} />
		<button type="submit" class="secondary">
			{label}
		</button>
	</form>
);

function ruleValues(rule: RoutingRule, position: number): FormData {
	return {
		name: rule.name,
		conditions: rule.conditions.map(conditionText).join("\n"),
		target: rule.target.kind === "rep" ? `rep:${rule.target.repId}` : `team:${rule.target.teamId}`,
		method: rule.target.kind === "team" ? rule.target.method : "round_robin",
		fallback: rule.fallback.kind,
		fallback_rep_id: rule.fallback.kind === "rep" ? String(rule.fallback.repId) : "",
		position: String(position),
	};
}

const RuleForm: FC<{
	id: number;
	view: RoutingView;
	csrf: string;
	form: FormName;
	action: string;
	values: FormData;
	errors: FieldErrors;
	button: string;
}> = ({ view, csrf, form, action, values, errors, button }) => {
	const reps = view.state.reps.filter((rep) => rep.isActive);
	const conditionsId = `${form}-conditions`;
	return (
		<form class="stack" method="post" action={action}>
			<Csrf token={csrf} />
			<FormErrors errors={errors} />
			<Field
				id={`${form}-name`}
				name="name"
				label="Name"
				value={values.name}
				errors={errors}
				required
			/>
			<label for={conditionsId}>
				Conditions (all must hold; none: every lead — only the last rule)
				<textarea
					id={conditionsId}
					name="conditions"
					rows={3}
					dir="auto"
					aria-invalid={errors.conditions ? "true" : undefined}
					aria-describedby={`${conditionsId}-hint${errors.conditions ? ` ${conditionsId}-error` : ""}`}
				>
					{values.conditions ?? ""}
				</textarea>
				<span class="muted" id={`${conditionsId}-hint`}>
					One per line: form_id equals 7001 · phone_country one of ES, MX · answer[language]
					contains español · campaign_name contains Spring · time within mon-fri 09:00-17:00
				</span>
				{errors.conditions ? (
					<span class="field-error" id={`${conditionsId}-error`}>
						{errors.conditions}
					</span>
				) : null}
			</label>
			<Select
				id={`${form}-target`}
				name="target"
				label="Give the lead to"
				value={values.target}
				errors={errors}
				options={[
					{ value: "", label: "Choose a team or a rep" },
					...view.state.teams.map((team) => ({
						value: `team:${team.id}`,
						label: `Team ${team.name}`,
					})),
					...reps.map((rep) => ({ value: `rep:${rep.id}`, label: `Rep ${rep.name}` })),
				]}
			/>
			<Select
				id={`${form}-method`}
				name="method"
				label="How a team shares its leads"
				value={values.method}
				errors={errors}
				options={Object.entries(METHOD_LABELS).map(([value, label]) => ({ value, label }))}
			/>
			<Select
				id={`${form}-fallback`}
				name="fallback"
				label="When nobody there can take it"
				value={values.fallback}
				errors={errors}
				options={Object.entries(FALLBACK_LABELS).map(([value, label]) => ({ value, label }))}
			/>
			<Select
				id={`${form}-fallback-rep`}
				name="fallback_rep_id"
				label="Fallback rep"
				value={values.fallback_rep_id}
				errors={errors}
				options={[
					{ value: "", label: "None" },
					...reps.map((rep) => ({ value: String(rep.id), label: rep.name })),
				]}
			/>
			<Field
				id={`${form}-position`}
				name="position"
				label="Position (1 is tried first)"
				type="number"
				value={values.position}
				errors={errors}
			/>
			<button type="submit">{button}</button>
		</form>
	);
};

const Teams: FC<{ id: number; view: RoutingView; csrf: string; state?: FormState }> = ({
	id,
	view,
	csrf,
	state,
}) => {
	const nameOf = (repId: number) => view.state.reps.find((r) => r.id === repId)?.name ?? repId;
	return (
		<>
			{view.state.teams.length === 0 ? (
				<Empty>No teams yet: a rule gives leads to a team or to one rep.</Empty>
			) : (
				<ul class="groups">
					{view.state.teams.map((team) => (
						<li>
							<p>
								<strong dir="auto">{team.name}</strong>:{" "}
								<span dir="auto">{team.memberIds.map(nameOf).join(", ")}</span>
							</p>
							<details open={state?.form === `team-${team.id}`}>
								<summary>Edit team</summary>
								<TeamForm
									view={view}
									csrf={csrf}
									form={`team-${team.id}`}
									action={`/console/companies/${id}/routing/teams/${team.id}`}
									values={valuesOf(state, `team-${team.id}`, teamValues(team))}
									errors={errorsOf(state, `team-${team.id}`)}
									button="Save team"
								/>
								<DeleteButton
									action={`/console/companies/${id}/routing/teams/${team.id}/delete`}
									csrf={csrf}
									label="Delete team"
								/>
							</details>
						</li>
					))}
				</ul>
			)}
			<details open={state?.form === "team"}>
				<summary>Add a team</summary>
				<TeamForm
					view={view}
					csrf={csrf}
					form="team"
					action={`/console/companies/${id}/routing/teams`}
					values={valuesOf(state, "team", {})}
					errors={errorsOf(state, "team")}
					button="Add team"
				/>
			</details>
		</>
	);
};

function teamValues(team: DistributionState["teams"][number]): FormData {
	return {
		name: team.name,
		...Object.fromEntries(team.memberIds.map((repId) => [`member_${repId}`, "on"])),
	};
}

const TeamForm: FC<{
	view: RoutingView;
	csrf: string;
	form: FormName;
	action: string;
	values: FormData;
	errors: FieldErrors;
	button: string;
}> = ({ view, csrf, form, action, values, errors, button }) => (
	<form class="stack" method="post" action={action}>
		<Csrf token={csrf} />
		<FormErrors errors={errors} />
		<Field
			id={`${form}-name`}
			name="name"
			label="Team name"
			value={values.name}
			errors={errors}
			required
		/>
		<fieldset aria-describedby={errors.member_ids ? `${form}-members-error` : undefined}>
			<legend>Reps</legend>
			{view.state.reps.map((rep) => (
				<label class="check" for={`${form}-member-${rep.id}`}>
					<input
						id={`${form}-member-${rep.id}`}
						type="checkbox"
						name={`member_${rep.id}`}
						checked={values[`member_${rep.id}`] !== undefined}
					/>
					<span dir="auto">{rep.name}</span>
					{rep.isActive ? null : <span class="muted">(deactivated)</span>}
				</label>
			))}
			{errors.member_ids ? (
				<span class="field-error" id={`${form}-members-error`}>
					{errors.member_ids}
				</span>
			) : null}
		</fieldset>
		<button type="submit">{button}</button>
	</form>
);

function repValues(rep: Employee): FormData {
	return {
		weight: String(rep.weight),
		daily_cap: rep.dailyCap === null ? "" : String(rep.dailyCap),
		weekly_cap: rep.weeklyCap === null ? "" : String(rep.weeklyCap),
		time_zone: rep.timeZone ?? "",
		away_until: rep.awayUntil ?? "",
		...Object.fromEntries(
			WEEKDAYS.map((day) => {
				const hours = rep.workingHours?.[day];
				return [`hours_${day}`, hours ? `${hours.from}-${hours.to}` : ""];
			}),
		),
		any_time: rep.workingHours === null ? "on" : "",
	};
}

const RepSettings: FC<{ id: number; rep: Employee; csrf: string; state?: FormState }> = ({
	id,
	rep,
	csrf,
	state,
}) => {
	const form: FormName = `rep-routing-${rep.id}`;
	const values = valuesOf(state, form, repValues(rep));
	const errors = errorsOf(state, form);
	return (
		<details open={state?.form === form}>
			<summary>
				<span dir="auto">{rep.name}</span>
			</summary>
			<form class="stack" method="post" action={`/console/companies/${id}/reps/${rep.id}/routing`}>
				<Csrf token={csrf} />
				<FormErrors errors={errors} />
				<Field
					id={`${form}-weight`}
					name="weight"
					label="Weight (share in a weighted round robin)"
					type="number"
					value={values.weight}
					errors={errors}
				/>
				<Field
					id={`${form}-daily`}
					name="daily_cap"
					label="Daily cap (blank: none)"
					type="number"
					value={values.daily_cap}
					errors={errors}
				/>
				<Field
					id={`${form}-weekly`}
					name="weekly_cap"
					label="Weekly cap (blank: none)"
					type="number"
					value={values.weekly_cap}
					errors={errors}
				/>
				<Field
					id={`${form}-zone`}
					name="time_zone"
					label="Time zone (blank: the company's)"
					value={values.time_zone}
					errors={errors}
					hint="IANA zone, e.g. Europe/Berlin"
				/>
				<Field
					id={`${form}-away`}
					name="away_until"
					label="Away until (blank: here)"
					value={values.away_until}
					errors={errors}
					hint="e.g. 2026-12-24T09:00:00Z"
				/>
				<fieldset aria-describedby={errors.working_hours ? `${form}-hours-error` : undefined}>
					<legend>Working hours (blank day: off; all blank: any time)</legend>
					{WEEKDAYS.map((day) => (
						<label for={`${form}-${day}`}>
							{day}
							<input
								id={`${form}-${day}`}
								name={`hours_${day}`}
								value={values[`hours_${day}`] ?? ""}
								placeholder="09:00-17:00"
								aria-invalid={errors.working_hours ? "true" : undefined}
							/>
						</label>
					))}
					{errors.working_hours ? (
						<span class="field-error" id={`${form}-hours-error`}>
							{errors.working_hours}
						</span>
					) : null}
				</fieldset>
				<button type="submit">Save {rep.name}'s settings</button>
			</form>
		</details>
	);
};

const DryRunForm: FC<{ id: number; csrf: string; state?: FormState }> = ({ id, csrf, state }) => {
	const values = valuesOf(state, "routing-test", { provider: "tiktok" });
	const errors = errorsOf(state, "routing-test");
	return (
		<>
			<form
				class="stack"
				method="post"
				action={`/console/companies/${id}/routing/test#who-gets-it`}
			>
				<Csrf token={csrf} />
				<FormErrors errors={errors} />
				<Select
					id="test-provider"
					name="provider"
					label="The lead's provider"
					value={values.provider}
					errors={errors}
					options={PROVIDERS.map((p) => ({ value: p, label: providerLabel(p) }))}
				/>
				<Field
					id="test-account"
					name="integration_account_id"
					label="Integration account id"
					value={values.integration_account_id}
					errors={errors}
				/>
				<Field
					id="test-form"
					name="form_id"
					label="Form id"
					value={values.form_id}
					errors={errors}
				/>
				<Field
					id="test-campaign"
					name="campaign_name"
					label="Campaign name"
					value={values.campaign_name}
					errors={errors}
				/>
				<Field id="test-phone" name="phone" label="Phone" value={values.phone} errors={errors} />
				<label for="test-answers">
					Answers ("question: value", one per line)
					<textarea id="test-answers" name="answers" rows={2} dir="auto">
						{values.answers ?? ""}
					</textarea>
				</label>
				<Field
					id="test-at"
					name="at"
					label="Arriving at (blank: now)"
					value={values.at}
					errors={errors}
					hint="e.g. 2026-12-07T09:15:00Z"
				/>
				<button type="submit">Who would get it?</button>
			</form>
			{state?.dryRun ? <DryRunResult result={state.dryRun} /> : null}
		</>
	);
};

const DryRunResult: FC<{ result: DryRun }> = ({ result }) => {
	const decision: Decision = result.decision;
	return (
		<div class="notice info" role="status" aria-live="polite" id="dry-run-result">
			<p>
				<strong>{result.rep ? result.rep.name : "Nobody"}</strong> — {decision.decidedBy}
				{decision.unassignedReason ? ` (${decision.unassignedReason})` : ""}, at{" "}
				{result.at.toISOString()}
			</p>
			<ol>
				{decision.steps.map((step) => (
					<li dir="auto">{step}</li>
				))}
			</ol>
			{decision.skipped.length > 0 ? (
				<ul>
					{decision.skipped.map((skip) => (
						<li>
							<span dir="auto">{skip.name}</span>: {skip.reason}
						</li>
					))}
				</ul>
			) : null}
		</div>
	);
};

/** The form's target select ("team:3", "rep:5") as the API's team_id / rep_id. */
function ruleInput(values: FormData, creating: boolean) {
	const [kind, targetId] = (values.target ?? "").split(":");
	const conditions = readConditions(values.conditions ?? "");
	return {
		problem: conditions.problem,
		body: {
			name: values.name ?? "",
			conditions: conditions.conditions,
			team_id: kind === "team" ? Number(targetId) : creating ? undefined : null,
			rep_id: kind === "rep" ? Number(targetId) : creating ? undefined : null,
			method: kind === "team" ? optional(values.method) : null,
			fallback: optional(values.fallback),
			fallback_rep_id: numeric(values.fallback_rep_id) ?? null,
			position: numeric(values.position),
		},
	};
}

/** The API's field names on the console's fields: team_id and rep_id are both the target select. */
function formErrors(errors: FieldErrors): FieldErrors {
	const { team_id, rep_id, ...rest } = errors;
	const target = team_id ?? rep_id;
	return target ? { ...rest, target } : rest;
}

function repInput(values: FormData) {
	const hours = Object.fromEntries(
		WEEKDAYS.flatMap((day) => {
			const read = readHours(values[`hours_${day}`]);
			return read ? [[day, read]] : [];
		}),
	);
	return {
		weight: numeric(values.weight),
		daily_cap: numeric(values.daily_cap) ?? null,
		weekly_cap: numeric(values.weekly_cap) ?? null,
		time_zone: nullable(values.time_zone),
		away_until: nullable(values.away_until),
		working_hours: Object.keys(hours).length === 0 ? null : hours,
	};
}

function dryRunInput(values: FormData) {
	const phone = optional(values.phone);
	return {
		lead: {
			provider: values.provider ?? "",
			integration_account_id: numeric(values.integration_account_id) ?? null,
			form_id: nullable(values.form_id),
			campaign_name: nullable(values.campaign_name),
			phones: phone ? [phone] : [],
			answers: readAnswers(values.answers),
		},
		at: optional(values.at),
	};
}

/** Runs a routing action; on a 4xx the page again with the form's values and the errors by field. */
async function attempt(
	c: ConsoleContext,
	companyPage: RenderCompanyPage,
	form: FormName,
	values: FormData,
	action: () => Promise<string>,
) {
	const id = companyId(c);
	try {
		const message = await action();
		return done(c, `/console/companies/${id}#routing`, message);
	} catch (error) {
		return companyPage(c, id, { form, values, errors: formErrors(actionErrors(error)) });
	}
}

export function routingRoutes(companyPage: RenderCompanyPage) {
	const failed = (c: ConsoleContext, form: FormName, values: FormData, errors: FieldErrors) =>
		companyPage(c, companyId(c), { form, values, errors: formErrors(errors) });
	return new Hono<ConsoleEnv>()
		.post("/:id/routing/rules", async (c) => {
			const values = textFields(await c.req.parseBody());
			const { problem, body } = ruleInput(values, true);
			if (problem) return failed(c, "rule", values, { conditions: problem });
			const checked = check(ruleCreateBody, body);
			if (!checked.ok) return failed(c, "rule", values, checked.errors);
			return attempt(c, companyPage, "rule", values, async () => {
				await addRule(c.var.db, companyId(c), checked.data);
				return `Rule ${checked.data.name} added.`;
			});
		})
		.post("/:id/routing/rules/:ruleId", async (c) => {
			const ruleId = pathId(c, "ruleId");
			const form: FormName = `rule-${ruleId}`;
			const values = textFields(await c.req.parseBody());
			const { problem, body } = ruleInput(values, false);
			if (problem) return failed(c, form, values, { conditions: problem });
			const checked = check(rulePatchBody, body);
			if (!checked.ok) return failed(c, form, values, checked.errors);
			return attempt(c, companyPage, form, values, async () => {
				await editRule(c.var.db, companyId(c), ruleId, checked.data);
				return "Rule saved.";
			});
		})
		.post("/:id/routing/rules/:ruleId/delete", async (c) => {
			const ruleId = pathId(c, "ruleId");
			return attempt(c, companyPage, `rule-${ruleId}`, {}, async () => {
				await removeRule(c.var.db, companyId(c), ruleId);
				return "Rule deleted.";
			});
		})
		.post("/:id/routing/teams", async (c) => {
			const values = textFields(await c.req.parseBody());
			const checked = check(teamCreateBody, teamInput(values));
			if (!checked.ok) return failed(c, "team", values, checked.errors);
			return attempt(c, companyPage, "team", values, async () => {
				await addTeam(c.var.db, companyId(c), checked.data);
				return `Team ${checked.data.name} added.`;
			});
		})
		.post("/:id/routing/teams/:teamId", async (c) => {
			const teamId = pathId(c, "teamId");
			const form: FormName = `team-${teamId}`;
			const values = textFields(await c.req.parseBody());
			const checked = check(teamCreateBody, teamInput(values));
			if (!checked.ok) return failed(c, form, values, checked.errors);
			return attempt(c, companyPage, form, values, async () => {
				await editTeam(c.var.db, companyId(c), teamId, checked.data);
				return "Team saved.";
			});
		})
		.post("/:id/routing/teams/:teamId/delete", async (c) => {
			const teamId = pathId(c, "teamId");
			return attempt(c, companyPage, `team-${teamId}`, {}, async () => {
				await removeTeam(c.var.db, companyId(c), teamId);
				return "Team deleted.";
			});
		})
		.post("/:id/reps/:repId/routing", async (c) => {
			const id = companyId(c);
			const repId = pathId(c, "repId");
			const form: FormName = `rep-routing-${repId}`;
			const values = textFields(await c.req.parseBody());
			const rep = await getEmployee(c.var.db, repId);
			if (!rep || rep.companyId !== id) {
				return done(c, `/console/companies/${id}`, "No such rep.", "error");
			}
			const checked = check(employeePatchBody, repInput(values));
			if (!checked.ok) return failed(c, form, values, checked.errors);
			await updateEmployee(c.var.db, rep.id, employeePatch(checked.data));
			return done(c, `/console/companies/${id}#routing`, `${rep.name}'s routing settings saved.`);
		})
		.post("/:id/routing/test", async (c) => {
			const id = companyId(c);
			const values = textFields(await c.req.parseBody());
			const checked = routingTestBody.safeParse(dryRunInput(values));
			if (!checked.success) {
				// The sample lead's fields sit under `lead` in the API; the form has them at the top.
				const issues = checked.error.issues.map((issue) => {
					const path = issue.path[0] === "lead" ? issue.path.slice(1) : issue.path;
					return { ...issue, path: path[0] === "phones" ? ["phone"] : path };
				});
				return failed(c, "routing-test", values, issueErrors(issues));
			}
			try {
				const result = await dryRun(c.var.db, id, checked.data);
				return companyPage(c, id, { form: "routing-test", values, errors: {}, dryRun: result });
			} catch (error) {
				return failed(c, "routing-test", values, actionErrors(error));
			}
		});
}

function teamInput(values: FormData) {
	const memberIds = Object.keys(values)
		.filter((key) => key.startsWith("member_"))
		.map((key) => Number(key.slice("member_".length)));
	return { name: values.name ?? "", member_ids: memberIds };
}
