// A backfill run: one backfill_runs row (window, leads found, created, duplicates, failures) and one
// tail line, around the provider's reader. Only Meta can be read again: TikTok leads cannot be fetched
// again by the documented API (providers.md §0.3), so a TikTok backfill is refused with that reason.
import type { BackfillCounts, BackfillRunRow } from "../storage/backfill";
import { finishBackfillRun, startBackfillRun } from "../storage/backfill";
import type { IntegrationAccount } from "../storage/integration-accounts";
import type { BackfillDeps } from "./deps";
import { BackfillStopped, backfillMetaPage } from "./meta-backfill";
import { canBackfill, unsupportedReason } from "./readiness";

/** Hours the daily automatic backfill reads again. */
export const AUTO_BACKFILL_HOURS = 48;

/** The account's provider has no documented way to read its leads again. */
export class BackfillUnsupportedError extends Error {
	constructor(readonly provider: string) {
		super(unsupportedReason(provider));
		this.name = "BackfillUnsupportedError";
	}
}

export async function runBackfill(
	deps: BackfillDeps,
	account: IntegrationAccount,
	window: { since: Date; until: Date },
	trigger: "manual" | "auto",
	now = new Date(),
): Promise<BackfillRunRow> {
	if (!canBackfill(account.provider)) throw new BackfillUnsupportedError(account.provider);
	const run = await startBackfillRun(
		deps.db,
		{
			provider: account.provider,
			integrationAccountId: account.id,
			companyId: account.companyId,
			trigger,
			windowStart: window.since,
			windowEnd: window.until,
		},
		now,
	);
	const log = deps.log.with({
		provider: account.provider,
		action: "backfill",
		integrationAccountId: account.id,
		companyId: account.companyId,
	});
	// Filled in as pages are stored, so a run stopped halfway still says what it did.
	const counts: BackfillCounts = { found: 0, created: 0, duplicates: 0, failures: 0 };
	try {
		await backfillMetaPage(deps, account, window, counts);
		const done = await finishBackfillRun(
			deps.db,
			run.id,
			{ ...counts, status: "succeeded", error: null },
			new Date(),
		);
		log.info("backfill done", { outcome: "success", ...lineCounts(done) });
		return done;
	} catch (error) {
		const stopped = error instanceof BackfillStopped;
		const reason = stopped ? error.reason : `stopped by an internal error (${errorName(error)})`;
		const done = await finishBackfillRun(
			deps.db,
			run.id,
			{ ...counts, status: "failed", error: reason },
			new Date(),
		);
		log.error("backfill stopped", { outcome: "failure", reason, ...lineCounts(done) });
		return done;
	}
}

function lineCounts(run: BackfillRunRow) {
	return {
		received: run.found,
		created: run.created,
		duplicates: run.duplicates,
		failed: run.failures,
	};
}

function errorName(error: unknown): string {
	return error instanceof Error ? error.name : "unknown";
}
