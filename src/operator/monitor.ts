// The monitor's operator actions, shared by the operator API (/api/admin/health, /backfill,
// /integration-accounts/:id/auto-backfill) and the console's Health page: run the checks now, run a
// backfill, switch an account's daily backfill. One implementation and one body schema each.
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { realSleep } from "../backfill/deps";
import {
	backfillableAccounts,
	backfillBlockers,
	canBackfill,
	unsupportedReason,
} from "../backfill/readiness";
import { runBackfill } from "../backfill/run-backfill";
import { notFound, orNotFound } from "../errors";
import { queueScanAlerts, sendAlerts } from "../health/alerts";
import { healthDeps } from "../health/deps";
import { type HealthRunResult, runHealthChecks, runResult } from "../health/run-health";
import { bodyIdSchema } from "../http/validate";
import { type BackfillRunRow, setAutoBackfill } from "../storage/backfill";
import { getAccount, type IntegrationAccount, listAccounts } from "../storage/integration-accounts";
import type { OperatorContext } from "./context";

/** Graph keeps leads 90 days; a longer window reads nothing more. */
const MAX_WINDOW_DAYS = 90;

/** POST /api/admin/backfill's body (the console's backfill form is checked with it too). */
export const backfillBody = z
	.strictObject({
		provider: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/),
		integration_account_id: bodyIdSchema,
		since: z.iso.datetime({ offset: true }).transform((text) => new Date(text)),
		until: z.iso
			.datetime({ offset: true })
			.transform((text) => new Date(text))
			.optional(),
	})
	.transform((body) => ({ ...body, until: body.until ?? new Date() }))
	.refine((body) => body.since < body.until, {
		message: "since must be before until",
		path: ["until"],
	})
	.refine((body) => body.until.getTime() - body.since.getTime() <= MAX_WINDOW_DAYS * 86_400_000, {
		message: `the window is at most ${MAX_WINDOW_DAYS} days`,
		path: ["since"],
	});

export type BackfillRequest = z.output<typeof backfillBody>;

export interface HealthRunOutcome {
	ranAt: Date;
	checks: number;
	result: HealthRunResult;
	ok: number;
	warning: number;
	failing: number;
	alertsQueued: number;
	alertsSent: number;
}

/** Runs what the cron's health job does, now: the checks, the receipt/forward scans, one message. */
export async function runHealthNow(ctx: OperatorContext): Promise<HealthRunOutcome> {
	const deps = healthDeps(ctx.env, ctx.config, ctx.log);
	const ranAt = new Date();
	const summary = await runHealthChecks(deps, ranAt);
	await queueScanAlerts(deps, ranAt);
	const alertsSent = await sendAlerts(deps, ranAt);
	return {
		ranAt,
		checks: summary.checks,
		result: runResult(summary),
		ok: summary.ok,
		warning: summary.warning,
		failing: summary.failing,
		alertsQueued: summary.alertsQueued,
		alertsSent,
	};
}

/** The accounts a backfill can read now (Meta Pages with a token): what the backfill form offers. */
export async function backfillChoices(ctx: OperatorContext): Promise<IntegrationAccount[]> {
	return backfillableAccounts(ctx, await listAccounts(ctx.db, {}));
}

/**
 * Reads again the leads an account should have received in the window, through the webhook's ingest;
 * 404 unknown account, 400 provider mismatch, 422 an account a backfill cannot read (another provider,
 * inactive, no Page id, no token), before any run is recorded.
 */
export async function backfillAccount(
	ctx: OperatorContext,
	body: BackfillRequest,
): Promise<BackfillRunRow> {
	const account = await getAccount(ctx.db, body.integration_account_id);
	if (!account) throw notFound("integration account", body.integration_account_id);
	if (account.provider !== body.provider) {
		throw new HTTPException(400, {
			message: `integration account ${account.id} is a ${account.provider} account, not ${body.provider}`,
		});
	}
	const [blocker] = await backfillBlockers(ctx, [account]);
	if (blocker !== undefined) throw new HTTPException(422, { message: blocker });
	const deps = { ...healthDeps(ctx.env, ctx.config, ctx.log), sleep: realSleep };
	return runBackfill(deps, account, body, "manual");
}

/** Switches the daily automatic backfill of an account; 404 unknown, 422 where leads cannot be read again. */
export async function switchAutoBackfill(
	ctx: OperatorContext,
	id: number,
	enabled: boolean,
): Promise<void> {
	const account = orNotFound(await getAccount(ctx.db, id), "integration account", id);
	if (enabled && !canBackfill(account.provider)) {
		throw new HTTPException(422, { message: unsupportedReason(account.provider) });
	}
	await setAutoBackfill(ctx.db, id, enabled, new Date());
}
