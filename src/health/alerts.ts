// The alert sender: queues the alerts a run raises (checks, newly unresolved leads, failed receipts
// with nothing to replay, dead forwards and notifications) in the D1
// outbox, then posts every unsent one as ONE message to ALERT_WEBHOOK_URL. A failed post leaves them
// unsent for the next run; nothing here throws into the other cron jobs' way (scheduled.ts isolates).

import {
	deadForwardsSince,
	failedReceiptsSince,
	markAlertsFailed,
	markAlertsSent,
	queueAlerts,
	readMonitorState,
	recentAlerts,
	unsentAlerts,
	writeMonitorState,
} from "../storage/health";
import { deadNotificationsSince } from "../storage/notifications";
import { newUnresolvedSince } from "../storage/unresolved";
import { timedCall } from "../timed-call";
import { alertMessage, MAX_ALERTS_PER_MESSAGE } from "./alert-message";
import { type PlannedAlert, planCheckAlerts, planProblem } from "./alert-plan";
import type { CheckOutcome } from "./check";
import type { HealthDeps } from "./deps";
import { links } from "./links";
import { unresolvedProblemKey, unresolvedText } from "./unresolved-health";

const RECEIPTS_CURSOR = "alerts_receipts_after_id";
const UNRESOLVED_CURSOR = "alerts_unresolved_after_id";
const DEAD_FORWARDS_CURSOR = "alerts_dead_forwards_since";
const DEAD_NOTIFICATIONS_CURSOR = "alerts_dead_notifications_since";
const SEND_TIMEOUT_MS = 10_000;

/** Alerts are queued only while a webhook is configured (nobody would read them otherwise). */
export function alertsEnabled(deps: HealthDeps): boolean {
	return deps.config.alerts.webhookUrl !== undefined;
}

function repeatSince(deps: HealthDeps, now: Date): Date {
	return new Date(now.getTime() - deps.config.alerts.repeatHours * 3_600_000);
}

/** Queues the alerts a health run's results call for. */
export async function queueCheckAlerts(
	deps: HealthDeps,
	results: CheckOutcome[],
	now: Date,
): Promise<number> {
	if (!alertsEnabled(deps)) return 0;
	const history = await recentAlerts(
		deps.db,
		results.map((r) => r.key),
		repeatSince(deps, now),
	);
	const planned = planCheckAlerts(results, history);
	await queueAlerts(deps.db, planned, now);
	return planned.length;
}

/**
 * Queues alerts for leads that became unresolved (unroutable, unparsable, unread: one per provider,
 * cause and routing key, counting leads, not the receipts or replays that carried them), receipts
 * that failed with nothing to replay (per provider and action) and forwards that went dead (per
 * company) since the last scan (at most ALERT_REPEAT_HOURS back).
 */
export async function queueScanAlerts(deps: HealthDeps, now: Date): Promise<number> {
	if (!alertsEnabled(deps)) return 0;
	const since = repeatSince(deps, now);
	const afterId = Number((await readMonitorState(deps.db, RECEIPTS_CURSOR)) ?? 0);
	const afterLead = Number((await readMonitorState(deps.db, UNRESOLVED_CURSOR)) ?? 0);
	const deadSince = (await readMonitorState(deps.db, DEAD_FORWARDS_CURSOR)) ?? since.toISOString();
	const deadNoticeSince =
		(await readMonitorState(deps.db, DEAD_NOTIFICATIONS_CURSOR)) ?? since.toISOString();
	const [unresolved, receipts, dead, deadNotices] = await Promise.all([
		newUnresolvedSince(deps.db, afterLead),
		failedReceiptsSince(deps.db, afterId, since),
		deadForwardsSince(deps.db, new Date(deadSince)),
		deadNotificationsSince(deps.db, new Date(deadNoticeSince)),
	]);
	const problems: PlannedAlert[] = [
		...unresolved.map((group) => ({
			problemKey: unresolvedProblemKey(group),
			status: "failing" as const,
			text: unresolvedText(group, group.count, "newly unresolved"),
			link: links.unresolved(group),
		})),
		...receipts.map((group) => ({
			problemKey: `receipts:${group.provider}:${group.action}`,
			status: "failing" as const,
			text: `${group.count} ${group.provider} receipt${group.count === 1 ? "" : "s"} failed (${group.action}) with nothing kept to replay: refused, too big or unreadable`,
			link: links.failedLogs(group.action),
		})),
		...dead.map((group) => ({
			problemKey: `forwards_dead:${group.companyId ?? "none"}`,
			status: "failing" as const,
			text: `${group.count} Salesforce forward${group.count === 1 ? "" : "s"}${group.companyId === null ? "" : ` of company ${group.companyId}`} went dead after every retry`,
			link: links.deadForwards(group.companyId),
		})),
		...deadNotices.map((group) => ({
			problemKey: `notifications_dead:${group.companyId}`,
			status: "failing" as const,
			text: `${group.count} notification${group.count === 1 ? "" : "s"} of company ${group.companyId} went dead after every retry: check its channels`,
			link: links.notificationChannels(group.companyId),
		})),
	];
	const history = await recentAlerts(
		deps.db,
		problems.map((p) => p.problemKey),
		since,
	);
	const planned = problems.flatMap((problem) => planProblem(problem, history));
	await queueAlerts(deps.db, planned, now);
	const lastId = Math.max(afterId, ...receipts.map((group) => group.lastId));
	await writeMonitorState(deps.db, RECEIPTS_CURSOR, String(lastId), now);
	const lastLead = Math.max(afterLead, ...unresolved.map((group) => group.lastId));
	await writeMonitorState(deps.db, UNRESOLVED_CURSOR, String(lastLead), now);
	await writeMonitorState(deps.db, DEAD_FORWARDS_CURSOR, now.toISOString(), now);
	await writeMonitorState(deps.db, DEAD_NOTIFICATIONS_CURSOR, now.toISOString(), now);
	return planned.length;
}

/** Posts every unsent alert as one message; answers how many were sent (0 when the post failed). */
export async function sendAlerts(deps: HealthDeps, now: Date): Promise<number> {
	const url = deps.config.alerts.webhookUrl;
	if (!url) return 0;
	const rows = await unsentAlerts(deps.db, MAX_ALERTS_PER_MESSAGE);
	if (rows.length === 0) return 0;
	const body = alertMessage(rows, deps.config.alerts.format, deps.config.webhooks.publicBaseUrl);
	const call = await timedCall(
		deps.fetch,
		url,
		{
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify(body),
		},
		SEND_TIMEOUT_MS,
	);
	const ids = rows.map((row) => row.id);
	const log = deps.log.with({ action: "alerts", count: rows.length });
	if (call.ok && call.response.ok) {
		await markAlertsSent(deps.db, ids, now);
		log.info("alerts sent", { outcome: "success", status: call.response.status });
		return rows.length;
	}
	const error = call.ok ? `HTTP ${call.response.status}` : call.code;
	await markAlertsFailed(deps.db, ids, error);
	log.warn("alerts not sent; retried next run", { outcome: "retry", reason: error });
	return 0;
}
