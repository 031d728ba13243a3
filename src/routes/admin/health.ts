// /api/admin/health, /api/admin/alerts — the health checks (latest status of each, run them now) and
// the alerts sent or waiting. Running on demand does what the cron does: checks, scans, one message.
import { Hono } from "hono";
import { z } from "zod";
import { countStatuses, HEALTH_LAST_RUN, runResult } from "../../health/run-health";
import type { AppEnv } from "../../http/app-env";
import { healthListQuery } from "../../http/schemas/health";
import { validate } from "../../http/validate";
import { operatorContext } from "../../operator/context";
import { runHealthNow } from "../../operator/monitor";
import {
	type AlertRow,
	type HealthCheckRow,
	listAlerts,
	listHealthChecks,
	readMonitorState,
} from "../../storage/health";

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
	.get("/", validate("query", healthListQuery), async (c) => {
		const query = c.req.valid("query");
		const filtered = query.status ?? query.kind ?? query.company_id;
		const [checks, all, lastRun] = await Promise.all([
			listHealthChecks(c.var.db, {
				status: query.status,
				kind: query.kind,
				companyId: query.company_id,
			}),
			filtered === undefined ? undefined : listHealthChecks(c.var.db),
			readMonitorState(c.var.db, HEALTH_LAST_RUN),
		]);
		return c.json({
			last_run_at: lastRun ?? null,
			// The last run's verdict over every check (null before the first run).
			result: lastRun === undefined ? null : runResult(countStatuses(all ?? checks)),
			data: checks.map(checkJson),
		});
	})
	.post("/run", async (c) => {
		const outcome = await runHealthNow(operatorContext(c));
		const checks = await listHealthChecks(c.var.db);
		return c.json({
			ran_at: outcome.ranAt.toISOString(),
			result: outcome.result,
			checks: outcome.checks,
			ok: outcome.ok,
			warning: outcome.warning,
			failing: outcome.failing,
			alerts_queued: outcome.alertsQueued,
			alerts_sent: outcome.alertsSent,
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
