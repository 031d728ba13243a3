// Refused webhook requests (forged or missing signatures, bad signed-URL `sig`): one counter row per
// (hour, provider, reason), bumped by an UPSERT, plus a sample integration log for the first refusal
// of each, in the same batch. A flood of forged POSTs grows a counter, never a row per request.
import { and, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";
import { logInserts } from "./receipts";
import { rejectionCounts } from "./schema";

export interface Rejection {
	provider: string;
	/** The route's log action, for the sample log. */
	action: string;
	reason: string;
	requestId: string;
	now: Date;
}

export type RejectionCount = typeof rejectionCounts.$inferSelect;

/** "2026-12-04T14:00:00Z": the UTC hour a refusal is counted in. */
export function rejectionHour(now: Date): string {
	return `${now.toISOString().slice(0, 13)}:00:00Z`;
}

/**
 * Counts one refusal; the first of its hour also writes a sample failure log (no payload). One D1
 * batch: the UPSERT is atomic, so of concurrent first refusals exactly one sees count = 1.
 */
export async function countRejection(db: Db, rejection: Rejection): Promise<void> {
	const hour = rejectionHour(rejection.now);
	const { provider, reason } = rejection;
	const key = sql`hour = ${hour} AND provider = ${provider} AND reason = ${reason}`;
	const firstOfHour: SQL = sql`(SELECT count FROM rejection_counts WHERE ${key}) = 1`;
	const sample = {
		companyId: null,
		status: "failure" as const,
		message: `${reason} (first this hour; later ones are only counted: GET /api/admin/rejections)`,
		externalId: null,
		payload: null,
	};
	const origin = { receiptId: rejection.requestId, provider, action: rejection.action };
	await guarded(() =>
		runBatch(db, [
			sql`INSERT INTO rejection_counts (hour, provider, reason, count, last_at)
				VALUES (${hour}, ${provider}, ${reason}, 1, ${rejection.now.toISOString()})
				ON CONFLICT (hour, provider, reason) DO UPDATE SET count = count + 1,
					last_at = excluded.last_at`,
			...logInserts(origin, [sample], firstOfHour),
		]),
	);
}

export interface RejectionFilter {
	/** Hours starting at or after this ISO time. */
	since: string;
	provider?: string;
}

/** Counter rows, newest hour first; bounded by hours × providers × reasons. */
export function listRejections(db: Db, filter: RejectionFilter): Promise<RejectionCount[]> {
	return guarded(() =>
		db.orm
			.select()
			.from(rejectionCounts)
			.where(
				and(
					gte(rejectionCounts.hour, rejectionHour(new Date(filter.since))),
					filter.provider === undefined ? undefined : eq(rejectionCounts.provider, filter.provider),
				),
			)
			.orderBy(desc(rejectionCounts.hour), rejectionCounts.provider, rejectionCounts.reason),
	);
}

/** Deletes counter rows of hours before `cutoff` (ISO time); returns how many. */
export async function clearOldRejections(db: Db, cutoff: string): Promise<number> {
	const result = await guarded(() =>
		db.orm
			.delete(rejectionCounts)
			.where(lt(rejectionCounts.hour, rejectionHour(new Date(cutoff))))
			.run(),
	);
	return result.meta.changes;
}
