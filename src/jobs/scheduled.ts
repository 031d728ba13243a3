// Cron Trigger entry: runs every job in turn (Meta Graph fetches, Salesforce forwards, retention...).
// One job's failure is logged and does not stop the others; each job claims its own due work.
import { createLogger } from "../log";
import { autoBackfillJob } from "./auto-backfill";
import type { CronJob } from "./cron-job";
import { alertsJob, healthJob } from "./health";
import { leadChunksJob } from "./lead-chunks";
import { metaLeadFetchJob } from "./meta-lead-fetches";
import { leadSlaJob, notificationsJob } from "./notifications";
import { payloadRetentionJob } from "./payload-retention";
import { salesforceForwardsJob } from "./salesforce-forwards";
import { searchIndexJob } from "./search-index";

/**
 * The jobs the cron runs, in order: big deliveries' chunks and Meta lead reads first, so their clients
 * are forwarded and notified this tick; the SLA sweep before the notification sender, so a
 * reassignment is told at once; the monitor last, so one tick's checks, failed receipts, dead
 * forwards and dead notifications go out as one alert message.
 */
export const CRON_JOBS: CronJob[] = [
	leadChunksJob,
	metaLeadFetchJob,
	salesforceForwardsJob,
	leadSlaJob,
	notificationsJob,
	payloadRetentionJob,
	searchIndexJob,
	healthJob,
	autoBackfillJob,
	alertsJob,
];

export async function runScheduled(
	controller: ScheduledController,
	env: Env,
	jobs: CronJob[] = CRON_JOBS,
): Promise<void> {
	const log = createLogger({ action: "cron" });
	log.info("cron tick", { outcome: controller.cron });
	const now = new Date(controller.scheduledTime);
	for (const job of jobs) {
		try {
			await job.run(env, now, log);
		} catch (error) {
			log.error("cron job failed", { job: job.name, error: String(error) });
		}
	}
}
