// Health checks, the alert outbox and the monitor's cursors in D1: the rows the health job writes,
// the facts it checks (routed Pages, installs, TikTok accounts with a token, lead flows) and the
// scans of failed receipts and dead forwards that become alerts.
import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";
import { FORWARD_LOG_SUFFIX } from "./forwards";
import { hourOf, hourRange } from "./lead-counts";
import { META_PROVIDER } from "./meta-lead-fetches";
import { alerts, type HealthStatus, healthChecks, monitorState } from "./schema";

export type HealthCheckRow = typeof healthChecks.$inferSelect;
export type AlertRow = typeof alerts.$inferSelect;

export interface HealthCheckWrite {
	key: string;
	kind: string;
	companyId: number | null;
	subject: string;
	status: HealthStatus;
	reason: string;
	link: string;
}

export function listHealthChecks(
	db: Db,
	filter: { status?: HealthStatus; companyId?: number; kind?: string } = {},
): Promise<HealthCheckRow[]> {
	const where = and(
		filter.status ? eq(healthChecks.status, filter.status) : undefined,
		filter.companyId !== undefined ? eq(healthChecks.companyId, filter.companyId) : undefined,
		filter.kind ? eq(healthChecks.kind, filter.kind) : undefined,
	);
	return guarded(() =>
		db.orm.select().from(healthChecks).where(where).orderBy(asc(healthChecks.checkKey)),
	);
}

/**
 * Stores a run's results: a changed status moves changed_at; checks that no longer exist (a deleted
 * connection, an unrouted Page) are removed.
 */
export function saveHealthChecks(db: Db, results: HealthCheckWrite[], now: Date): Promise<void> {
	const at = now.toISOString();
	return guarded(async () => {
		const json = JSON.stringify(results);
		await runBatch(db, [
			sql`INSERT INTO health_checks (check_key, kind, company_id, subject, status, reason, link, checked_at, changed_at)
				SELECT j.value ->> '$.key', j.value ->> '$.kind', j.value ->> '$.companyId', j.value ->> '$.subject',
					j.value ->> '$.status', j.value ->> '$.reason', j.value ->> '$.link', ${at}, ${at}
				FROM json_each(${json}) AS j WHERE true
				ON CONFLICT (check_key) DO UPDATE SET kind = excluded.kind, company_id = excluded.company_id,
					subject = excluded.subject, reason = excluded.reason, link = excluded.link,
					checked_at = excluded.checked_at,
					changed_at = CASE WHEN health_checks.status = excluded.status THEN health_checks.changed_at
						ELSE excluded.changed_at END,
					status = excluded.status`,
			sql`DELETE FROM health_checks
				WHERE check_key NOT IN (SELECT j.value ->> '$.key' FROM json_each(${json}) AS j)`,
		]);
	});
}

/** A named cursor of the monitor (e.g. "health_last_run"), or undefined before its first write. */
export function readMonitorState(db: Db, key: string): Promise<string | undefined> {
	return guarded(async () => {
		const row = await db.orm
			.select({ value: monitorState.value })
			.from(monitorState)
			.where(eq(monitorState.key, key))
			.get();
		return row?.value;
	});
}

export function writeMonitorState(db: Db, key: string, value: string, now: Date): Promise<void> {
	const updatedAt = now.toISOString();
	return guarded(async () => {
		await db.orm
			.insert(monitorState)
			.values({ key, value, updatedAt })
			.onConflictDoUpdate({ target: monitorState.key, set: { value, updatedAt } });
	});
}

/** Meta Pages the relay routes (active Meta accounts keyed by Page id) and the Pages of FBE installs. */
export interface RoutedPage {
	pageId: string;
	companyId: number;
	accountId: number | null;
}

export function listRoutedPages(db: Db): Promise<RoutedPage[]> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT external_id AS pageId, company_id AS companyId, id AS accountId
				FROM integration_accounts
				WHERE provider = ${META_PROVIDER} AND external_id IS NOT NULL AND is_active = 1
				UNION
				SELECT j.value, f.company_id, NULL FROM fbe_installs AS f CROSS JOIN json_each(f.page_ids) AS j
				WHERE f.status = 'installed' AND f.company_id IS NOT NULL
					AND j.value NOT IN (SELECT external_id FROM integration_accounts
						WHERE provider = ${META_PROVIDER} AND external_id IS NOT NULL)
				ORDER BY 1`,
		]);
		return rows as RoutedPage[];
	});
}

export interface InstallHealthRow {
	businessId: string;
	companyId: number | null;
	status: string;
	hasToken: number;
	uninstalledAt: string | null;
}

/** Installs that belong to a company (a test install without one is nobody's problem). */
export function listInstallsForHealth(db: Db): Promise<InstallHealthRow[]> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT business_id AS businessId, company_id AS companyId, status,
					access_token_sealed IS NOT NULL AS hasToken, uninstalled_at AS uninstalledAt
				FROM fbe_installs WHERE company_id IS NOT NULL ORDER BY id`,
		]);
		return rows as InstallHealthRow[];
	});
}

export interface TokenAccount {
	accountId: number;
	companyId: number;
	externalId: string;
	sealed: string;
}

/** Active accounts of `provider` with an operator-set access token (e.g. TikTok advertisers). */
export function listTokenAccounts(db: Db, provider: string): Promise<TokenAccount[]> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT a.id AS accountId, a.company_id AS companyId, a.external_id AS externalId,
					t.access_token_sealed AS sealed
				FROM integration_accounts AS a JOIN integration_account_tokens AS t
					ON t.integration_account_id = a.id
				WHERE a.provider = ${provider} AND a.external_id IS NOT NULL AND a.is_active = 1
				ORDER BY a.id`,
		]);
		return rows as TokenAccount[];
	});
}

export interface LeadFlowRow {
	companyId: number;
	source: string;
	recent: number;
	daysWithLeads: number;
}

/**
 * Per company and source: leads since `windowStart` and how many of the `days` 24 h windows before it
 * held a lead; plus the flows already watched for silence (their rows may have gone quiet entirely).
 * Whole hours come from the hourly rollup (lead_counts, at most 24 × (days + 1) rows per flow); the
 * hours a day boundary cuts are counted from their clients (clients_created_idx, named: without
 * statistics SQLite would rather walk every client in company order), with the very expressions a
 * read of every client would use, so the answer is the same. Test leads are in neither and do not
 * keep a flow alive.
 */
export function leadFlows(db: Db, windowStart: Date, days: number): Promise<LeadFlowRow[]> {
	const start = windowStart.toISOString();
	const fromDate = new Date(windowStart.getTime() - days * 86_400_000);
	const from = fromDate.toISOString();
	const cut = Array.from({ length: days }, (_, k) =>
		hourRange(new Date(windowStart.getTime() - k * 86_400_000)),
	);
	const edges = [...cut.map((hour) => [hour.start, hour.end]), [from, hourRange(fromDate).end]];
	const edgeHours = edges.map(([hourStart = ""]) => hourStart.slice(0, 13));
	const dayOf = (at: SQL) => sql`CAST((julianday(${start}) - julianday(${at})) AS INTEGER)`;
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`WITH parts (company_id, source, recent, day) AS (
					SELECT company_id, source, CASE WHEN hour > ${hourOf(windowStart)} THEN count ELSE 0 END,
						CASE WHEN hour < ${hourOf(windowStart)} THEN ${dayOf(sql`hour || ':30:00Z'`)} END
					FROM lead_counts WHERE hour > ${hourOf(fromDate)} AND count > 0
						AND hour NOT IN (SELECT value FROM json_each(${JSON.stringify(edgeHours)}))
					UNION ALL
					SELECT c.company_id, c.source, c.created_at >= ${start},
						CASE WHEN c.created_at < ${start} THEN ${dayOf(sql`c.created_at`)} END
					FROM json_each(${JSON.stringify(edges)}) AS e
						CROSS JOIN clients AS c INDEXED BY clients_created_idx
					WHERE c.created_at >= e.value ->> 0 AND c.created_at < e.value ->> 1 AND c.is_test = 0
				),
				flows AS (
					SELECT company_id AS companyId, source, SUM(recent) AS recent,
						COUNT(DISTINCT day) AS daysWithLeads
					FROM parts GROUP BY company_id, source
				)
				SELECT companyId, source, recent, daysWithLeads FROM flows
				UNION ALL
				SELECT h.company_id, substr(h.check_key, length('silence:' || h.company_id || ':') + 1), 0, 0
				FROM health_checks AS h
				WHERE h.kind = 'silence' AND NOT EXISTS (SELECT 1 FROM flows AS f
					WHERE 'silence:' || f.companyId || ':' || f.source = h.check_key)`,
		]);
		return rows as LeadFlowRow[];
	});
}

/** Problem keys alerted with each status since `since` (the throttle), and each key's last alert. */
export function recentAlerts(
	db: Db,
	keys: string[],
	since: Date,
): Promise<{ within: Set<string>; last: Map<string, HealthStatus> }> {
	return guarded(async () => {
		if (keys.length === 0) return { within: new Set(), last: new Map() };
		const rows = await db.orm
			.select({ key: alerts.problemKey, status: alerts.status, createdAt: alerts.createdAt })
			.from(alerts)
			.where(inArray(alerts.problemKey, keys))
			.orderBy(asc(alerts.id));
		const within = new Set<string>();
		const last = new Map<string, HealthStatus>();
		for (const row of rows) {
			if (row.createdAt >= since.toISOString()) within.add(`${row.key}|${row.status}`);
			last.set(row.key, row.status);
		}
		return { within, last };
	});
}

export interface AlertWrite {
	problemKey: string;
	status: HealthStatus;
	text: string;
	link: string;
}

export function queueAlerts(db: Db, rows: AlertWrite[], now: Date): Promise<void> {
	if (rows.length === 0) return Promise.resolve();
	const createdAt = now.toISOString();
	return guarded(async () => {
		await db.orm.insert(alerts).values(rows.map((row) => ({ ...row, createdAt })));
	});
}

export function unsentAlerts(db: Db, limit: number): Promise<AlertRow[]> {
	return guarded(() =>
		db.orm.select().from(alerts).where(isNull(alerts.sentAt)).orderBy(asc(alerts.id)).limit(limit),
	);
}

export function markAlertsSent(db: Db, ids: number[], now: Date): Promise<void> {
	return guarded(async () => {
		await db.orm
			.update(alerts)
			.set({ sentAt: now.toISOString(), attempts: sql`${alerts.attempts} + 1`, lastError: null })
			.where(inArray(alerts.id, ids));
	});
}

export function markAlertsFailed(db: Db, ids: number[], error: string): Promise<void> {
	return guarded(async () => {
		await db.orm
			.update(alerts)
			.set({ attempts: sql`${alerts.attempts} + 1`, lastError: error })
			.where(inArray(alerts.id, ids));
	});
}

export function listAlerts(db: Db, limit: number): Promise<AlertRow[]> {
	return guarded(() => db.orm.select().from(alerts).orderBy(desc(alerts.id)).limit(limit));
}

export interface FailedReceipts {
	provider: string;
	action: string;
	count: number;
	lastId: number;
}

/**
 * Failed receipts that kept no payload (forged, too big, refused by storage: nothing to replay, so
 * no unresolved lead) after log `afterId` and not before `since`.
 */
export function failedReceiptsSince(
	db: Db,
	afterId: number,
	since: Date,
): Promise<FailedReceipts[]> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT provider, action, COUNT(*) AS count, MAX(id) AS lastId FROM integration_logs
				WHERE status = 'failure' AND payload IS NULL AND id > ${afterId}
					AND created_at >= ${since.toISOString()}
					AND action NOT GLOB ${`*${FORWARD_LOG_SUFFIX}`}
				GROUP BY provider, action ORDER BY provider, action`,
		]);
		return rows as FailedReceipts[];
	});
}

/** Forwards that went dead after `since`, per company. */
export function deadForwardsSince(
	db: Db,
	since: Date,
): Promise<{ companyId: number | null; count: number }[]> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT company_id AS companyId, COUNT(*) AS count FROM forwards
				WHERE status = 'dead' AND updated_at > ${since.toISOString()}
				GROUP BY company_id ORDER BY company_id`,
		]);
		return rows as { companyId: number | null; count: number }[];
	});
}
