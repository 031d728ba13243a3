// What every cron job is: a name for the tail stream and a run. Apart from scheduled.ts, the list of
// jobs, so each job imports the type without importing the list that imports it.
import type { Logger } from "../log";

export interface CronJob {
	/** Short name for the tail stream, e.g. "salesforce_forwards". */
	name: string;
	run(env: Env, now: Date, log: Logger): Promise<void>;
}
