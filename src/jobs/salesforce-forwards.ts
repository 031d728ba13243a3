// Cron job: sends due Salesforce forwards (first tries that waitUntil missed, and retries) per
// connection through sObject Collections; see src/forwarders/deliver.ts.
import { loadConfig } from "../config";
import { deliverDeps, deliverDueForwards } from "../forwarders/deliver";
import type { CronJob } from "./cron-job";

export const salesforceForwardsJob: CronJob = {
	name: "salesforce_forwards",
	run: (env, now, log) =>
		deliverDueForwards(
			deliverDeps(env, loadConfig(env), log.with({ job: "salesforce_forwards" })),
			now,
		),
};
