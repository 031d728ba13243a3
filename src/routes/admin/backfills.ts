// /api/admin/backfill (run one now; /accounts: the accounts it can read) and /api/admin/backfills (the
// runs): read again the leads an integration account should have received in a window, through the
// same ingest as the webhook.
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/app-env";
import { idSchema, validate } from "../../http/validate";
import { operatorContext } from "../../operator/context";
import { backfillAccount, backfillBody, backfillChoices } from "../../operator/monitor";
import { type BackfillRunRow, listBackfillRuns } from "../../storage/backfill";
import { accountJson } from "./integration-accounts";

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

export const backfillRoutes = new Hono<AppEnv>()
	.post("/", validate("json", backfillBody), async (c) => {
		const run = await backfillAccount(operatorContext(c), c.req.valid("json"));
		return c.json(backfillJson(run), run.status === "succeeded" ? 200 : 502);
	})
	.get("/accounts", async (c) => {
		const accounts = await backfillChoices(operatorContext(c));
		return c.json({ data: accounts.map(accountJson) });
	});

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
