// Per-company numbers for a dashboard: new clients by source per day (test leads left out), failed and duplicate receipts,
// over a time window, in one D1 batch.
import { sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";

export interface CompanyStats {
	/** One row per day (UTC, YYYY-MM-DD) and source that had new clients, oldest first. */
	leadsBySourcePerDay: { day: string; source: string; count: number }[];
	failures: number;
	duplicates: number;
	/** Failed receipts per log action, e.g. tiktok_lead_received. */
	failuresByAction: { action: string; count: number }[];
}

export function getCompanyStats(
	db: Db,
	companyId: number,
	window: { since: string; until: string },
): Promise<CompanyStats> {
	const { since, until } = window;
	return guarded(async () => {
		const [leads = [], totals = [], byAction = []] = (await runBatch(db, [
			sql`SELECT substr(created_at, 1, 10) AS day, source, count(*) AS count FROM clients
				WHERE company_id = ${companyId} AND created_at >= ${since} AND created_at < ${until}
					AND is_test = 0
				GROUP BY day, source ORDER BY day, source`,
			sql`SELECT coalesce(sum(status = 'failure'), 0) AS failures,
					coalesce(sum(status = 'duplicate'), 0) AS duplicates
				FROM integration_logs
				WHERE company_id = ${companyId} AND created_at >= ${since} AND created_at < ${until}`,
			sql`SELECT action, count(*) AS count FROM integration_logs
				WHERE company_id = ${companyId} AND status = 'failure'
					AND created_at >= ${since} AND created_at < ${until}
				GROUP BY action ORDER BY action`,
		])) as [
			CompanyStats["leadsBySourcePerDay"],
			{ failures: number; duplicates: number }[],
			CompanyStats["failuresByAction"],
		];
		return {
			leadsBySourcePerDay: leads,
			failures: totals[0]?.failures ?? 0,
			duplicates: totals[0]?.duplicates ?? 0,
			failuresByAction: byAction,
		};
	});
}
