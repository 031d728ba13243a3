// Health: the stored health checks (filter by status) with Run checks now, the recent alerts, and the
// backfill runs with a form to run one. The actions are the operator API's (src/operator/monitor.ts).
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import { HEALTH_LAST_RUN } from "../../health/run-health";
import { healthListQuery } from "../../http/schemas/health";
import { operatorContext } from "../../operator/context";
import {
	backfillAccount,
	backfillBody,
	backfillChoices,
	runHealthNow,
} from "../../operator/monitor";
import { type BackfillRunRow, listBackfillRuns } from "../../storage/backfill";
import {
	type AlertRow,
	type HealthCheckRow,
	listAlerts,
	listHealthChecks,
	readMonitorState,
} from "../../storage/health";
import { type IntegrationAccount, listAccounts } from "../../storage/integration-accounts";
import { HEALTH_STATUSES } from "../../storage/schema";
import { type ConsoleContext, type ConsoleEnv, done, takeFlash } from "../console-env";
import {
	actionErrors,
	check,
	type FormData,
	numeric,
	optional,
	queryFields,
	textFields,
} from "../forms";
import {
	Badge,
	Csrf,
	Empty,
	Field,
	type FieldErrors,
	FilterSelect,
	FormErrors,
	Page,
	Select,
	when,
} from "../layout";

/** What a run with no check to make says (never a green success). */
const NOTHING_TO_CHECK =
	"Nothing to check: no Salesforce connection, Meta Page, Business Extension install or TikTok advertiser token is set up yet, so no check ran.";

/** Rows of the recent alerts and backfill runs shown. */
const RECENT = 10;

/** The console page that shows a check's problem (its stored link is the operator API path). */
export function consoleLinkOf(check: HealthCheckRow): string {
	if (check.companyId === null)
		return check.kind === "salesforce" ? "/console/companies" : "/console/health";
	if (check.kind === "silence") return `/console/leads?company_id=${check.companyId}`;
	return `/console/companies/${check.companyId}`;
}

/** A datetime-local value (minutes, no zone) read as UTC; any other text goes to the schema as is. */
function utcInstant(value: string | undefined): string | undefined {
	const text = optional(value);
	if (text && /^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(text)) return `${text}:00Z`;
	return text;
}

const CheckTable: FC<{ checks: HealthCheckRow[] }> = ({ checks }) => (
	<div class="table-wrap">
		<table>
			<thead>
				<tr>
					<th scope="col">Check</th>
					<th scope="col">Reason</th>
					<th scope="col" class="hide-narrow">
						Since
					</th>
				</tr>
			</thead>
			<tbody>
				{checks.map((row) => (
					<tr>
						<td>
							<Badge status={row.status} />{" "}
							<a href={consoleLinkOf(row)} dir="auto">
								{row.subject}
							</a>{" "}
							<span class="muted hide-narrow">{row.kind}</span>
						</td>
						<td dir="auto">{row.reason}</td>
						<td class="hide-narrow">{when(row.changedAt)}</td>
					</tr>
				))}
			</tbody>
		</table>
	</div>
);

const AlertTable: FC<{ alerts: AlertRow[] }> = ({ alerts }) => (
	<div class="table-wrap">
		<table>
			<thead>
				<tr>
					<th scope="col">Alert</th>
					<th scope="col">Status</th>
					<th scope="col">Sent</th>
					<th scope="col" class="hide-narrow">
						Last error
					</th>
				</tr>
			</thead>
			<tbody>
				{alerts.map((alert) => (
					<tr>
						<td dir="auto">{alert.text}</td>
						<td>
							<Badge status={alert.status} />
						</td>
						<td>{alert.sentAt ? when(alert.sentAt) : `waiting (${alert.attempts} attempts)`}</td>
						<td class="hide-narrow">{alert.lastError ?? ""}</td>
					</tr>
				))}
			</tbody>
		</table>
	</div>
);

const RunTable: FC<{ runs: BackfillRunRow[]; names: Map<number, string> }> = ({ runs, names }) => (
	<div class="table-wrap">
		<table>
			<thead>
				<tr>
					<th scope="col">Account</th>
					<th scope="col">Window</th>
					<th scope="col" class="num">
						Found
					</th>
					<th scope="col" class="num">
						Created
					</th>
					<th scope="col" class="num hide-narrow">
						Duplicates
					</th>
					<th scope="col" class="num hide-narrow">
						Failures
					</th>
					<th scope="col">Status</th>
				</tr>
			</thead>
			<tbody>
				{runs.map((run) => (
					<tr>
						<td dir="auto">
							<a href={`/console/companies/${run.companyId}`}>
								{names.get(run.integrationAccountId) ?? `account ${run.integrationAccountId}`}
							</a>{" "}
							<span class="muted">{run.trigger}</span>
						</td>
						<td>
							{when(run.windowStart)} – {when(run.windowEnd)}
						</td>
						<td class="num">{run.found}</td>
						<td class="num">{run.created}</td>
						<td class="num hide-narrow">{run.duplicates}</td>
						<td class="num hide-narrow">{run.failures}</td>
						<td>
							<Badge status={run.status} />
							{run.error ? <span class="field-error">{run.error}</span> : null}
						</td>
					</tr>
				))}
			</tbody>
		</table>
	</div>
);

const BackfillForm: FC<{
	accounts: IntegrationAccount[];
	csrf: string;
	values: FormData;
	errors: FieldErrors;
}> = ({ accounts, csrf, values, errors }) => (
	<form class="inline" method="post" action="/console/health/backfill">
		<Csrf token={csrf} />
		<FormErrors errors={errors} />
		<Select
			id="bf-account"
			name="integration_account_id"
			label="Integration account"
			value={values.integration_account_id}
			options={accounts.map((account) => ({
				value: String(account.id),
				label: `${account.provider} · ${account.name} (${account.externalId ?? "default"})`,
			}))}
			errors={errors}
		/>
		<Field
			id="bf-since"
			name="since"
			label="Since (UTC)"
			type="datetime-local"
			value={values.since}
			errors={errors}
			required
		/>
		<Field
			id="bf-until"
			name="until"
			label="Until (UTC)"
			type="datetime-local"
			value={values.until}
			errors={errors}
			hint="blank for now"
		/>
		<button type="submit">Run backfill</button>
	</form>
);

async function healthPage(
	c: ConsoleContext,
	backfill: { values: FormData; errors: FieldErrors } = { values: {}, errors: {} },
) {
	const raw = c.req.query();
	const checked = check(healthListQuery, queryFields(raw, ["status"]));
	const [checks, alerts, runs, accounts, lastRun, choices] = await Promise.all([
		checked.ok ? listHealthChecks(c.var.db, { status: checked.data.status }) : [],
		listAlerts(c.var.db, RECENT),
		listBackfillRuns(c.var.db, { limit: RECENT }),
		listAccounts(c.var.db, {}),
		readMonitorState(c.var.db, HEALTH_LAST_RUN),
		backfillChoices(operatorContext(c)),
	]);
	// A run happened and stored no check at all: say so, rather than an empty list.
	const nothingChecked = lastRun !== undefined && checks.length === 0 && raw.status === undefined;
	const names = new Map(accounts.map((account) => [account.id, account.name]));
	const hasErrors = Object.keys(backfill.errors).length > 0;
	return c.html(
		<Page title="Health" section="health" csrf={c.var.csrf} flash={takeFlash(c)}>
			<section class="card" aria-labelledby="checks">
				<h2 id="checks">Checks</h2>
				<form class="inline" method="get" action="/console/health">
					<FilterSelect
						name="status"
						label="Status"
						any="Any status"
						choices={HEALTH_STATUSES}
						query={raw}
						errors={checked.ok ? {} : checked.errors}
					/>
					<button type="submit">Filter</button>
				</form>
				<form class="actions" method="post" action="/console/health/run">
					<Csrf token={c.var.csrf} />
					<span>Credentials, subscriptions and lead flows, as the cron checks them:</span>
					<button type="submit">Run checks now</button>
				</form>
				{nothingChecked ? (
					<Empty>{NOTHING_TO_CHECK}</Empty>
				) : checks.length === 0 ? (
					<Empty>
						No checks match. Checks run every hour from the cron (HEALTH_CHECK_INTERVAL_MINUTES) or
						with Run checks now.
					</Empty>
				) : (
					<CheckTable checks={checks} />
				)}
			</section>
			<section class="card" aria-labelledby="alerts">
				<h2 id="alerts">Recent alerts</h2>
				{alerts.length === 0 ? (
					<Empty>No alerts. They are sent when ALERT_WEBHOOK_URL is set.</Empty>
				) : (
					<AlertTable alerts={alerts} />
				)}
			</section>
			<section class="card" aria-labelledby="backfills">
				<h2 id="backfills">Backfill</h2>
				<p class="muted">
					Read again the leads a Meta Page's forms received in a window (up to 90 days), through the
					webhook's ingest: leads already stored count as duplicates. Only active Meta Pages with an
					access token are offered: TikTok leads cannot be read again.
				</p>
				{choices.length === 0 ? (
					<Empty>
						No Meta Page can be backfilled yet: map a Page with an access token on its{" "}
						<a href="/console/companies">company</a>.
					</Empty>
				) : (
					<BackfillForm
						accounts={choices}
						csrf={c.var.csrf}
						values={backfill.values}
						errors={backfill.errors}
					/>
				)}
				{runs.length === 0 ? (
					<Empty>No backfill runs yet.</Empty>
				) : (
					<RunTable runs={runs} names={names} />
				)}
			</section>
		</Page>,
		hasErrors ? 400 : 200,
	);
}

function plural(count: number, word: string): string {
	return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export const healthPages = new Hono<ConsoleEnv>()
	.get("/", (c) => healthPage(c))
	.post("/run", async (c) => {
		const outcome = await runHealthNow(operatorContext(c));
		if (outcome.result === "nothing_to_check") {
			return done(c, "/console/health", NOTHING_TO_CHECK, "info");
		}
		return done(
			c,
			"/console/health",
			`Checks run: ${outcome.ok} ok, ${outcome.warning} warning, ${outcome.failing} failing; ${plural(outcome.alertsQueued, "alert")} queued, ${outcome.alertsSent} sent.`,
		);
	})
	.post("/backfill", async (c) => {
		const values = textFields(await c.req.parseBody());
		const accountId = numeric(values.integration_account_id);
		const accounts = await listAccounts(c.var.db, {});
		const account = accounts.find((row) => row.id === accountId);
		const checked = check(backfillBody, {
			provider: account?.provider ?? "meta",
			integration_account_id: accountId,
			since: utcInstant(values.since),
			until: utcInstant(values.until),
		});
		if (!checked.ok) return healthPage(c, { values, errors: checked.errors });
		try {
			const run = await backfillAccount(operatorContext(c), checked.data);
			const counts = `found ${run.found}, created ${run.created}, ${plural(run.duplicates, "duplicate")}, ${plural(run.failures, "failure")}`;
			if (run.status !== "succeeded") {
				return done(
					c,
					"/console/health",
					`Backfill ${run.id} stopped: ${run.error ?? run.status} (${counts}).`,
					"error",
				);
			}
			return done(c, "/console/health", `Backfill ${run.id} done: ${counts}.`);
		} catch (error) {
			return healthPage(c, { values, errors: actionErrors(error) });
		}
	});
