// Cron jobs of the monitor: health checks when HEALTH_CHECK_INTERVAL_MINUTES have passed since the
// last run (0: only on demand), and the alert sender every tick (failed receipts, dead forwards, unsent alerts). Separate
// jobs so a failing alert webhook never stops a health run, and neither stops forwards (scheduled.ts).
import { loadConfig } from "../config";
import { queueScanAlerts, sendAlerts } from "../health/alerts";
import { healthDeps } from "../health/deps";
import { HEALTH_LAST_RUN, runHealthChecks } from "../health/run-health";
import { readMonitorState } from "../storage/health";
import type { CronJob } from "./cron-job";

export const healthJob: CronJob = {
	name: "health",
	async run(env, now, log) {
		const config = loadConfig(env);
		if (config.health.intervalMinutes === 0) return;
		const deps = healthDeps(env, config, log.with({ job: "health" }));
		const last = await readMonitorState(deps.db, HEALTH_LAST_RUN);
		const due =
			last === undefined ||
			now.getTime() - Date.parse(last) >= config.health.intervalMinutes * 60_000;
		if (due) await runHealthChecks(deps, now);
	},
};

export const alertsJob: CronJob = {
	name: "alerts",
	async run(env, now, log) {
		const deps = healthDeps(env, loadConfig(env), log.with({ job: "alerts" }));
		await queueScanAlerts(deps, now);
		await sendAlerts(deps, now);
	},
};
