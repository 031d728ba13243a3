// The console overview (and GET /api/admin/overview) in one D1 batch: new leads per company and
// source over the last day and week, and what needs an operator now — unresolved leads (however many
// replays failed), failed or dead forwards, Pages whose token Graph rejected, FBE uninstalls, leads
// no rep could take.
import { inArray, sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";
import { RETRYABLE_STATUSES } from "./forward-queries";
import { hourOf, hourRange } from "./lead-counts";
import { PAGE_TOKEN_REJECTED } from "./meta-lead-fetches";
import { forwards } from "./schema";
import { openGroupsQuery, type UnresolvedGroup } from "./unresolved";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows per "needs action" list: the overview links to the full list. */
const ACTION_ROWS = 20;

export interface Overview {
	leads: { companyId: number; companyName: string; source: string; day: number; week: number }[];
	/** Open unresolved leads per provider, cause and routing key (storage/unresolved.ts). */
	unresolved: UnresolvedGroup[];
	forwardProblems: { companyId: number | null; status: "failed" | "dead"; count: number }[];
	rejectedPages: { pageId: string; companyId: number; reads: number; lastAt: string }[];
	uninstalls: { businessId: string; companyId: number | null; uninstalledAt: string | null }[];
	/** Leads lead distribution could give to nobody ("no eligible rep"), per company, still unassigned. */
	unassigned: { companyId: number; reason: string; count: number; latestClientId: number }[];
}

/**
 * New leads come from the hourly rollup (lead_counts, at most 24 × 7 rows per company and source);
 * each window's first, partial hour is counted from its clients (clients_created_idx, named: without
 * statistics SQLite would rather walk every client), so the counts are exactly those of the window's
 * timestamps. The open unresolved leads are read from a partial index. Costs stay flat as clients
 * and logs pile up (docs/scaling.md).
 */
export function getOverview(db: Db, now: Date): Promise<Overview> {
	const dayStart = new Date(now.getTime() - DAY_MS);
	const weekStart = new Date(now.getTime() - 7 * DAY_MS);
	const [day, week] = [dayStart.toISOString(), weekStart.toISOString()];
	return guarded(async () => {
		const [
			leads = [],
			unresolved = [],
			forwardProblems = [],
			rejectedPages = [],
			uninstalls = [],
			unassigned = [],
		] = (await runBatch(db, [
			sql`WITH parts (company_id, source, day, week) AS (
						SELECT company_id, source, CASE WHEN hour > ${hourOf(dayStart)} THEN count ELSE 0 END, count
						FROM lead_counts WHERE hour > ${hourOf(weekStart)} AND count > 0
						UNION ALL
						SELECT company_id, source, 0, 1 FROM clients INDEXED BY clients_created_idx
						WHERE created_at >= ${week} AND created_at < ${hourRange(weekStart).end} AND is_test = 0
						UNION ALL
						SELECT company_id, source, 1, 0 FROM clients INDEXED BY clients_created_idx
						WHERE created_at >= ${day} AND created_at < ${hourRange(dayStart).end} AND is_test = 0
					)
					SELECT p.company_id AS companyId, co.name AS companyName, p.source AS source,
						sum(p.day) AS day, sum(p.week) AS week
					FROM parts AS p JOIN companies co ON co.id = p.company_id
					GROUP BY p.company_id, p.source HAVING sum(p.week) > 0 ORDER BY co.name, p.source`,
			openGroupsQuery(ACTION_ROWS),
			sql`SELECT company_id AS companyId, status, count(*) AS count FROM forwards
					WHERE ${inArray(forwards.status, RETRYABLE_STATUSES)}
					GROUP BY company_id, status ORDER BY count DESC LIMIT ${ACTION_ROWS}`,
			sql`SELECT page_id AS pageId, company_id AS companyId, count(*) AS reads,
						max(coalesce(updated_at, created_at)) AS lastAt
					FROM meta_lead_fetches
					WHERE status IN ('failed', 'dead') AND last_error LIKE ${`%${PAGE_TOKEN_REJECTED}%`}
					GROUP BY page_id, company_id ORDER BY lastAt DESC LIMIT ${ACTION_ROWS}`,
			sql`SELECT business_id AS businessId, company_id AS companyId, uninstalled_at AS uninstalledAt
					FROM fbe_installs WHERE status = 'uninstalled'
					ORDER BY uninstalled_at DESC LIMIT ${ACTION_ROWS}`,
			// Only rows of the partial index clients_unassigned_idx: leads no rep could take.
			sql`SELECT company_id AS companyId, unassigned_reason AS reason, count(*) AS count,
						max(id) AS latestClientId
					FROM clients WHERE unassigned_reason IS NOT NULL AND assigned_employee_id IS NULL
					GROUP BY company_id, unassigned_reason ORDER BY latestClientId DESC LIMIT ${ACTION_ROWS}`,
		])) as [
			Overview["leads"],
			Overview["unresolved"],
			Overview["forwardProblems"],
			Overview["rejectedPages"],
			Overview["uninstalls"],
			Overview["unassigned"],
		];
		return { leads, unresolved, forwardProblems, rejectedPages, uninstalls, unassigned };
	});
}
