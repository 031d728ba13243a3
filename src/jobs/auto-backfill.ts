// Cron: the daily automatic backfill of the last 48 h for every account that switched it on
// (PUT /api/admin/integration-accounts/:id/auto-backfill). One account's failure is its run's row
// and never stops the next account.
import { realSleep } from "../backfill/deps";
import { AUTO_BACKFILL_HOURS, runBackfill } from "../backfill/run-backfill";
import { loadConfig } from "../config";
import { healthDeps } from "../health/deps";
import { dueAutoBackfills } from "../storage/backfill";
import { getAccount } from "../storage/integration-accounts";
import { META_PROVIDER } from "../storage/meta-lead-fetches";
import type { CronJob } from "./cron-job";

const DAY_MS = 86_400_000;

export const autoBackfillJob: CronJob = {
	name: "auto_backfill",
	async run(env, now, log) {
		const deps = {
			...healthDeps(env, loadConfig(env), log.with({ job: "auto_backfill" })),
			sleep: realSleep,
		};
		const due = await dueAutoBackfills(deps.db, META_PROVIDER, new Date(now.getTime() - DAY_MS));
		for (const { accountId } of due) {
			const account = await getAccount(deps.db, accountId);
			if (!account) continue;
			const since = new Date(now.getTime() - AUTO_BACKFILL_HOURS * 3_600_000);
			try {
				await runBackfill(deps, account, { since, until: now }, "auto", now);
			} catch (error) {
				deps.log.error("auto backfill failed", {
					integrationAccountId: accountId,
					error: String(error),
				});
			}
		}
	},
};
