// Retention: raw payloads in integration_logs older than the cutoff are cleared (set to NULL) in
// bounded chunks, so one cron tick never holds D1 for long; the log rows themselves stay.
import { and, asc, inArray, isNotNull, lt } from "drizzle-orm";
import { type Db, guarded } from "./db";
import { integrationLogs } from "./schema";

export interface SweepLimits {
	/** Rows cleared per UPDATE statement. */
	chunkRows: number;
	/** UPDATE statements per sweep (per cron tick); the rest waits for the next tick. */
	maxStatements: number;
}

export const DEFAULT_SWEEP_LIMITS: SweepLimits = { chunkRows: 500, maxStatements: 20 };

/** Clears payloads of logs created before `cutoff` (ISO time), oldest first; returns how many. */
export async function clearOldPayloads(
	db: Db,
	cutoff: string,
	limits: SweepLimits = DEFAULT_SWEEP_LIMITS,
): Promise<number> {
	let cleared = 0;
	for (let statement = 0; statement < limits.maxStatements; statement++) {
		const changes = await guarded(() => clearChunk(db, cutoff, limits.chunkRows));
		cleared += changes;
		if (changes < limits.chunkRows) break;
	}
	return cleared;
}

async function clearChunk(db: Db, cutoff: string, rows: number): Promise<number> {
	const due = db.orm
		.select({ id: integrationLogs.id })
		.from(integrationLogs)
		.where(and(isNotNull(integrationLogs.payload), lt(integrationLogs.createdAt, cutoff)))
		.orderBy(asc(integrationLogs.createdAt))
		.limit(rows);
	const result = await db.orm
		.update(integrationLogs)
		.set({ payload: null })
		.where(inArray(integrationLogs.id, due))
		.run();
	return result.meta.changes;
}
