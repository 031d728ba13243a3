// /api/admin/rejections — refused webhook requests (forged or missing signatures, bad signed-URL
// `sig`) counted per hour, provider and reason; only the first of each hour has a log row.
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/app-env";
import { validate } from "../../http/validate";
import { listRejections, type RejectionCount } from "../../storage/rejections";

const DAY_MS = 24 * 60 * 60 * 1000;

const listQuery = z.object({
	/** Hours from this time on; the last 24 hours by default. */
	since: z.iso.datetime({ offset: true }).optional(),
	provider: z.string().min(1).max(64).optional(),
});

function rejectionJson(row: RejectionCount) {
	return {
		hour: row.hour,
		provider: row.provider,
		reason: row.reason,
		count: row.count,
		last_at: row.lastAt,
	};
}

export const rejectionRoutes = new Hono<AppEnv>().get(
	"/",
	validate("query", listQuery),
	async (c) => {
		const query = c.req.valid("query");
		const since = query.since ?? new Date(Date.now() - DAY_MS).toISOString();
		const rows = await listRejections(c.var.db, { since, provider: query.provider });
		return c.json({
			since,
			total: rows.reduce((sum, row) => sum + row.count, 0),
			data: rows.map(rejectionJson),
		});
	},
);
