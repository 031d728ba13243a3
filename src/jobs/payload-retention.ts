// Cron job: clears raw payloads older than PAYLOAD_RETENTION_DAYS (default 90, TikTok's own lead
// retention) so D1 does not keep personal data forever; the integration_logs rows stay. Rejection
// counters of older hours go too, and console sessions and sign-in counters a day after they ended.
import { loadConfig } from "../config";
import { clearOldConsoleRows } from "../storage/console-sessions";
import { createDb } from "../storage/db";
import { clearOldPayloads } from "../storage/payload-retention";
import { clearOldRejections } from "../storage/rejections";
import type { CronJob } from "./cron-job";

const DAY_MS = 24 * 60 * 60 * 1000;

export const payloadRetentionJob: CronJob = {
	name: "payload_retention",
	async run(env, now, log) {
		const days = loadConfig(env).payloadRetentionDays;
		const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
		const db = createDb(env.DB);
		const cleared = await clearOldPayloads(db, cutoff);
		log.info("payloads cleared", {
			job: payloadRetentionJob.name,
			outcome: "cleared",
			count: cleared,
		});
		const counters = await clearOldRejections(db, cutoff);
		log.info("rejection counters cleared", {
			job: payloadRetentionJob.name,
			outcome: "cleared",
			count: counters,
		});
		const consoleRows = await clearOldConsoleRows(
			db,
			new Date(now.getTime() - DAY_MS).toISOString(),
		);
		log.info("console sessions cleared", {
			job: payloadRetentionJob.name,
			outcome: "cleared",
			count: consoleRows,
		});
	},
};
