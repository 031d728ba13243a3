// Cron jobs of speed to lead: the SLA and reminder sweep (src/intake/lead-sla.ts), then the
// notification sender (src/notifiers/deliver.ts): first tries waitUntil missed, retries, and the
// rows the sweep just wrote, so a reassignment is told in the same tick.
import { loadConfig } from "../config";
import { runLeadSla } from "../intake/lead-sla";
import { notifyDeps, sendDueNotifications } from "../notifiers/deliver";
import { createDb } from "../storage/db";
import type { CronJob } from "./cron-job";

export const leadSlaJob: CronJob = {
	name: "lead_sla",
	async run(env, now, log) {
		await runLeadSla({ db: createDb(env.DB), log: log.with({ job: "lead_sla" }) }, now);
	},
};

export const notificationsJob: CronJob = {
	name: "notifications",
	run: (env, now, log) =>
		sendDueNotifications(notifyDeps(env, loadConfig(env), log.with({ job: "notifications" })), now),
};
