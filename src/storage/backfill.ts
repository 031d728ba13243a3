// Backfill runs (one row per window read again) and the per-account switch of the daily automatic
// backfill. The leads themselves are stored by the ingest pipeline, never here.
import { desc, eq, sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";
import { insertedRow } from "./orm-results";
import { type BackfillStatus, backfillRuns, integrationAccountSettings } from "./schema";

export type BackfillRunRow = typeof backfillRuns.$inferSelect;

export interface BackfillStart {
	provider: string;
	integrationAccountId: number;
	companyId: number;
	trigger: "manual" | "auto";
	windowStart: Date;
	windowEnd: Date;
}

export function startBackfillRun(db: Db, run: BackfillStart, now: Date): Promise<BackfillRunRow> {
	return guarded(async () =>
		insertedRow(
			await db.orm
				.insert(backfillRuns)
				.values({
					provider: run.provider,
					integrationAccountId: run.integrationAccountId,
					companyId: run.companyId,
					trigger: run.trigger,
					windowStart: run.windowStart.toISOString(),
					windowEnd: run.windowEnd.toISOString(),
					startedAt: now.toISOString(),
				})
				.returning(),
		),
	);
}

export interface BackfillCounts {
	found: number;
	created: number;
	duplicates: number;
	failures: number;
}

export function finishBackfillRun(
	db: Db,
	id: number,
	result: BackfillCounts & { status: BackfillStatus; error: string | null },
	now: Date,
): Promise<BackfillRunRow> {
	return guarded(async () =>
		insertedRow(
			await db.orm
				.update(backfillRuns)
				.set({ ...result, finishedAt: now.toISOString() })
				.where(eq(backfillRuns.id, id))
				.returning(),
		),
	);
}

export function listBackfillRuns(
	db: Db,
	filter: { integrationAccountId?: number; limit: number },
): Promise<BackfillRunRow[]> {
	return guarded(() =>
		db.orm
			.select()
			.from(backfillRuns)
			.where(
				filter.integrationAccountId === undefined
					? undefined
					: eq(backfillRuns.integrationAccountId, filter.integrationAccountId),
			)
			.orderBy(desc(backfillRuns.id))
			.limit(filter.limit),
	);
}

export function setAutoBackfill(
	db: Db,
	accountId: number,
	enabled: boolean,
	now: Date,
): Promise<void> {
	const updatedAt = now.toISOString();
	return guarded(async () => {
		await db.orm
			.insert(integrationAccountSettings)
			.values({ integrationAccountId: accountId, autoBackfill: enabled, updatedAt })
			.onConflictDoUpdate({
				target: integrationAccountSettings.integrationAccountId,
				set: { autoBackfill: enabled, updatedAt },
			});
	});
}

export function getAutoBackfill(db: Db, accountId: number): Promise<boolean> {
	return guarded(async () => {
		const row = await db.orm
			.select({ autoBackfill: integrationAccountSettings.autoBackfill })
			.from(integrationAccountSettings)
			.where(eq(integrationAccountSettings.integrationAccountId, accountId))
			.get();
		return row?.autoBackfill ?? false;
	});
}

/** Accounts of `provider` with the daily backfill on and no automatic run started since `since`. */
export function dueAutoBackfills(
	db: Db,
	provider: string,
	since: Date,
): Promise<{ accountId: number }[]> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT a.id AS accountId FROM integration_accounts AS a
				JOIN integration_account_settings AS s ON s.integration_account_id = a.id
				WHERE s.auto_backfill = 1 AND a.is_active = 1 AND a.provider = ${provider}
					AND a.external_id IS NOT NULL
					AND NOT EXISTS (SELECT 1 FROM backfill_runs AS r WHERE r.integration_account_id = a.id
						AND r.trigger = 'auto' AND r.started_at > ${since.toISOString()})
				ORDER BY a.id`,
		]);
		return rows as { accountId: number }[];
	});
}
