// /api/admin/health, /api/admin/alerts — the health checks (latest status of each, run them now) and
// the alerts sent or waiting. Running on demand does what the cron does: checks, scans, one message.
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../app-env";
import { queueScanAlerts, sendAlerts } from "../../health/alerts";
import { healthDeps } from "../../health/deps";
import { HEALTH_LAST_RUN, runHealthChecks } from "../../health/run-health";
import {
	type AlertRow,
	type HealthCheckRow,
	listAlerts,
	listHealthChecks,
	readMonitorState,
} from "../../storage/health";
import { HEALTH_STATUSES } from "../../storage/schema";
import { idSchema, validate } from "./validate";

const listQuery = z.object({
	status: z.enum(HEALTH_STATUSES).optional(),
	kind: z
		.string()
		.regex(/^[a-z_]{1,40}$/)
		.optional(),
	company_id: idSchema.optional(),
});

const alertsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export function checkJson(check: HealthCheckRow) {
	return {
		key: check.checkKey,
		kind: check.kind,
		company_id: check.companyId,
		subject: check.subject,
		status: check.status,
		reason: check.reason,
		link: check.link,
		checked_at: check.checkedAt,
		changed_at: check.changedAt,
	};
}

export function alertJson(alert: AlertRow) {
	return {
		id: alert.id,
		problem: alert.problemKey,
		status: alert.status,
		text: alert.text,
		link: alert.link,
		created_at: alert.createdAt,
		sent_at: alert.sentAt,
		attempts: alert.attempts,
		last_error: alert.lastError,
	};
}

export const healthAdminRoutes = new Hono<AppEnv>()
	.get("/", validate("query", listQuery), async (c) => {
		const query = c.req.valid("query");
		const [checks, lastRun] = await Promise.all([
			listHealthChecks(c.var.db, {
				status: query.status,
				kind: query.kind,
				companyId: query.company_id,
			}),
			readMonitorState(c.var.db, HEALTH_LAST_RUN),
		]);
		return c.json({ last_run_at: lastRun ?? null, data: checks.map(checkJson) });
	})
	.post("/run", async (c) => {
		const deps = healthDeps(c.env, c.var.config, c.var.log);
		const now = new Date();
		const summary = await runHealthChecks(deps, now);
		await queueScanAlerts(deps, now);
		const alertsSent = await sendAlerts(deps, now);
		const checks = await listHealthChecks(c.var.db);
		return c.json({
			ran_at: now.toISOString(),
			ok: summary.ok,
			warning: summary.warning,
			failing: summary.failing,
			alerts_queued: summary.alertsQueued,
			alerts_sent: alertsSent,
			data: checks.map(checkJson),
		});
	});

export const alertAdminRoutes = new Hono<AppEnv>().get(
	"/",
	validate("query", alertsQuery),
	async (c) => {
		const alerts = await listAlerts(c.var.db, c.req.valid("query").limit);
		return c.json({ data: alerts.map(alertJson) });
	},
);
