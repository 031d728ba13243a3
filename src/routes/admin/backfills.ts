// /api/admin/backfill (run one now) and /api/admin/backfills (the runs): read again the leads an
// integration account should have received in a window, through the same ingest as the webhook.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import type { AppEnv } from "../../app-env";
import { realSleep } from "../../backfill/deps";
import { BackfillUnsupportedError, runBackfill } from "../../backfill/run-backfill";
import { healthDeps } from "../../health/deps";
import { type BackfillRunRow, listBackfillRuns } from "../../storage/backfill";
import { getAccount } from "../../storage/integration-accounts";
import { notFound } from "./http-errors";
import { bodyIdSchema, idSchema, validate } from "./validate";

/** Graph keeps leads 90 days; a longer window reads nothing more. */
const MAX_WINDOW_DAYS = 90;

const backfillBody = z
	.strictObject({
		provider: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/),
		integration_account_id: bodyIdSchema,
		since: z.iso.datetime({ offset: true }).transform((text) => new Date(text)),
		until: z.iso
			.datetime({ offset: true })
			.transform((text) => new Date(text))
			.optional(),
	})
	.transform((body) => ({ ...body, until: body.until ?? new Date() }))
	.refine((body) => body.since < body.until, { message: "since must be before until" })
	.refine((body) => body.until.getTime() - body.since.getTime() <= MAX_WINDOW_DAYS * 86_400_000, {
		message: `the window is at most ${MAX_WINDOW_DAYS} days`,
	});

const listQuery = z.object({
	integration_account_id: idSchema.optional(),
	limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function backfillJson(run: BackfillRunRow) {
	return {
		id: run.id,
		provider: run.provider,
		integration_account_id: run.integrationAccountId,
		company_id: run.companyId,
		trigger: run.trigger,
		since: run.windowStart,
		until: run.windowEnd,
		status: run.status,
		found: run.found,
		created: run.created,
		duplicates: run.duplicates,
		failures: run.failures,
		error: run.error,
		started_at: run.startedAt,
		finished_at: run.finishedAt,
	};
}

export const backfillRoutes = new Hono<AppEnv>().post(
	"/",
	validate("json", backfillBody),
	async (c) => {
		const body = c.req.valid("json");
		const account = await getAccount(c.var.db, body.integration_account_id);
		if (!account) throw notFound("integration account", body.integration_account_id);
		if (account.provider !== body.provider) {
			throw new HTTPException(400, {
				message: `integration account ${account.id} is a ${account.provider} account, not ${body.provider}`,
			});
		}
		const deps = { ...healthDeps(c.env, c.var.config, c.var.log), sleep: realSleep };
		try {
			const run = await runBackfill(deps, account, body, "manual");
			return c.json(backfillJson(run), run.status === "succeeded" ? 200 : 502);
		} catch (error) {
			if (error instanceof BackfillUnsupportedError) {
				throw new HTTPException(422, { message: error.message });
			}
			throw error;
		}
	},
);

export const backfillRunRoutes = new Hono<AppEnv>().get(
	"/",
	validate("query", listQuery),
	async (c) => {
		const query = c.req.valid("query");
		const runs = await listBackfillRuns(c.var.db, {
			integrationAccountId: query.integration_account_id,
			limit: query.limit,
		});
		return c.json({ data: runs.map(backfillJson) });
	},
);
