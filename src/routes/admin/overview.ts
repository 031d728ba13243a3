// /api/admin/overview — what the console's overview shows: new leads per company and source over
// the last 24 h and 7 days, and what needs an operator now (storage/overview.ts).
import { Hono } from "hono";
import type { AppEnv } from "../../http/app-env";
import { unresolvedGroupJson } from "../../http/schemas/unresolved";
import { getOverview, type Overview } from "../../storage/overview";

export function overviewJson(overview: Overview, now: Date) {
	return {
		generated_at: now.toISOString(),
		leads: overview.leads.map((row) => ({
			company_id: row.companyId,
			company_name: row.companyName,
			source: row.source,
			last_24h: row.day,
			last_7d: row.week,
		})),
		unresolved_leads: overview.unresolved.map(unresolvedGroupJson),
		forward_problems: overview.forwardProblems.map((row) => ({
			company_id: row.companyId,
			status: row.status,
			count: row.count,
		})),
		rejected_page_tokens: overview.rejectedPages.map((row) => ({
			page_id: row.pageId,
			company_id: row.companyId,
			failed_reads: row.reads,
			last_at: row.lastAt,
		})),
		fbe_uninstalls: overview.uninstalls.map((row) => ({
			business_id: row.businessId,
			company_id: row.companyId,
			uninstalled_at: row.uninstalledAt,
		})),
		unassigned_leads: overview.unassigned.map((row) => ({
			company_id: row.companyId,
			reason: row.reason,
			count: row.count,
			latest_client_id: row.latestClientId,
		})),
	};
}

export const overviewRoutes = new Hono<AppEnv>().get("/", async (c) => {
	const now = new Date();
	return c.json(overviewJson(await getOverview(c.var.db, now), now));
});
