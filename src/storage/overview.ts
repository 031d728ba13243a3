// The console overview (and GET /api/admin/overview) in one D1 batch: new leads per company and
// source over the last day and week, and what needs an operator now — unresolved leads (however many
// replays failed), failed or dead forwards, Pages whose token Graph rejected, FBE uninstalls.
import { inArray, sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";
import { RETRYABLE_STATUSES } from "./forward-queries";
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
}

/**
 * Indexes are named (INDEXED BY) where SQLite, without statistics, would rather walk a whole table
 * in GROUP BY order than read the small part these queries need: the last week of real clients
 * (clients_created_idx, which leaves test leads out) and the open unresolved leads (a partial index).
 * Costs stay flat as clients and logs pile up (docs/scaling.md).
 */
export function getOverview(db: Db, now: Date): Promise<Overview> {
	const day = new Date(now.getTime() - DAY_MS).toISOString();
	const week = new Date(now.getTime() - 7 * DAY_MS).toISOString();
	return guarded(async () => {
		const [leads = [], unresolved = [], forwardProblems = [], rejectedPages = [], uninstalls = []] =
			(await runBatch(db, [
				sql`SELECT c.company_id AS companyId, co.name AS companyName, c.source AS source,
						coalesce(sum(c.created_at >= ${day}), 0) AS day, count(*) AS week
					FROM clients AS c INDEXED BY clients_created_idx JOIN companies co ON co.id = c.company_id
					WHERE c.created_at >= ${week} AND c.is_test = 0
					GROUP BY c.company_id, c.source ORDER BY co.name, c.source`,
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
			])) as [
				Overview["leads"],
				Overview["unresolved"],
				Overview["forwardProblems"],
				Overview["rejectedPages"],
				Overview["uninstalls"],
			];
		return { leads, unresolved, forwardProblems, rejectedPages, uninstalls };
	});
}
