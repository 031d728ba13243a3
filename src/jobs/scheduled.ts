// Cron Trigger entry: runs every job in turn (Meta Graph fetches, Salesforce forwards, retention...).
// One job's failure is logged and does not stop the others; each job claims its own due work.
import { createLogger, type Logger } from "../log";
import { payloadRetentionJob } from "./payload-retention";
import { salesforceForwardsJob } from "./salesforce-forwards";

export interface CronJob {
	/** Short name for the tail stream, e.g. "salesforce_forwards". */
	name: string;
	run(env: Env, now: Date, log: Logger): Promise<void>;
}

/** The jobs the cron runs, in order. */
export const CRON_JOBS: CronJob[] = [salesforceForwardsJob, payloadRetentionJob];

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
