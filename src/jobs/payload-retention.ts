// Cron job: clears raw payloads older than PAYLOAD_RETENTION_DAYS (default 90, TikTok's own lead
// retention) so D1 does not keep personal data forever; the integration_logs rows stay.
import { loadConfig } from "../config";
import { createDb } from "../storage/db";
import { clearOldPayloads } from "../storage/payload-retention";
import type { CronJob } from "./scheduled";

const DAY_MS = 24 * 60 * 60 * 1000;

export const payloadRetentionJob: CronJob = {
	name: "payload_retention",
	async run(env, now, log) {
		const days = loadConfig(env).payloadRetentionDays;
		const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
		const cleared = await clearOldPayloads(createDb(env.DB), cutoff);
		log.info("payloads cleared", {
			job: payloadRetentionJob.name,
			outcome: "cleared",
			count: cleared,
		});
	},
};
