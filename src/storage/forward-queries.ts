// Forwards for the operator API: pages filtered by status and company, one forward with its
// attempts, and putting failed or dead forwards back in line (a fresh attempt budget), due now.
import { and, asc, desc, eq, gt, inArray, lt, type SQL } from "drizzle-orm";
import { type Db, guarded } from "./db";
import { countMatching, type Page, type PageRequest, toPage, toRowCount } from "./pages";
import { FORWARD_STATUSES, type ForwardStatus, forwardAttempts, forwards } from "./schema";

export { FORWARD_STATUSES, type ForwardStatus };

export type ForwardRecord = Omit<typeof forwards.$inferSelect, "leaseUntil" | "claimToken">;
export type AttemptRecord = Omit<typeof forwardAttempts.$inferSelect, "forwardId">;

export interface ForwardFilter {
	companyId?: number;
	status?: ForwardStatus;
}

/** Statuses an operator may send again: the relay gave up on them. */
export const RETRYABLE_STATUSES: ForwardStatus[] = ["failed", "dead"];
/** Statuses whose forwards wait for next_attempt_at (a backoff step, or an admin to fix the org). */
const WAITING_STATUSES: ForwardStatus[] = ["pending", "retry"];

/** The columns of a ForwardRecord (everything but the claim lease). */
export const forwardColumns = {
	id: forwards.id,
	clientId: forwards.clientId,
	companyId: forwards.companyId,
	destination: forwards.destination,
	status: forwards.status,
	attempts: forwards.attempts,
	nextAttemptAt: forwards.nextAttemptAt,
	lastErrorCode: forwards.lastErrorCode,
	lastError: forwards.lastError,
	remoteId: forwards.remoteId,
	createdAt: forwards.createdAt,
	updatedAt: forwards.updatedAt,
};

/** One page of forwards, newest first, and how many match (up to COUNT_CAP). */
export async function listForwards(
	db: Db,
	filter: ForwardFilter,
	page: PageRequest,
): Promise<Page<ForwardRecord>> {
	const conditions: SQL[] = [];
	if (filter.companyId !== undefined) conditions.push(eq(forwards.companyId, filter.companyId));
	if (filter.status !== undefined) conditions.push(eq(forwards.status, filter.status));
	const before = page.beforeId === undefined ? [] : [lt(forwards.id, page.beforeId)];
	const [rows, counts] = await guarded(() =>
		db.orm.batch([
			db.orm
				.select(forwardColumns)
				.from(forwards)
				.where(and(...conditions, ...before))
				.orderBy(desc(forwards.id))
				.limit(page.limit + 1),
			countMatching(db.orm, forwards, and(...conditions)),
		]),
	);
	return { ...toPage(rows, page.limit), matching: toRowCount(counts) };
}

/** A forward and its attempts, oldest first; undefined for an unknown id. */
export async function getForward(
	db: Db,
	id: number,
): Promise<{ forward: ForwardRecord; attempts: AttemptRecord[] } | undefined> {
	const [rows, attempts] = await guarded(() =>
		db.orm.batch([
			db.orm.select(forwardColumns).from(forwards).where(eq(forwards.id, id)),
			db.orm
				.select({
					id: forwardAttempts.id,
					attemptNumber: forwardAttempts.attemptNumber,
					outcome: forwardAttempts.outcome,
					httpStatus: forwardAttempts.httpStatus,
					errorCode: forwardAttempts.errorCode,
					durationMs: forwardAttempts.durationMs,
					trigger: forwardAttempts.trigger,
					createdAt: forwardAttempts.createdAt,
				})
				.from(forwardAttempts)
				.where(eq(forwardAttempts.forwardId, id))
				.orderBy(asc(forwardAttempts.id)),
		]),
	);
	const [forward] = rows;
	return forward ? { forward, attempts } : undefined;
}

function requeue(where: SQL | undefined) {
	return {
		set: {
			status: "pending" as const,
			attempts: 0,
			nextAttemptAt: null,
			updatedAt: new Date().toISOString(),
		},
		where: and(inArray(forwards.status, RETRYABLE_STATUSES), where),
	};
}

/** Puts one failed or dead forward back to pending; undefined when it is not in such a status. */
export function retryForward(db: Db, id: number): Promise<ForwardRecord | undefined> {
	const { set, where } = requeue(eq(forwards.id, id));
	return guarded(() =>
		db.orm.update(forwards).set(set).where(where).returning(forwardColumns).get(),
	);
}

/**
 * "Retry all" of a company: every failed and dead forward goes back to pending (a fresh attempt
 * budget) and every forward waiting for a later attempt becomes due now. Returns how many changed.
 */
export async function retryCompanyForwards(db: Db, companyId: number): Promise<number> {
	const { set, where } = requeue(eq(forwards.companyId, companyId));
	const now = new Date().toISOString();
	const [requeued, moved] = await guarded(() =>
		db.orm.batch([
			db.orm.update(forwards).set(set).where(where).returning({ id: forwards.id }),
			db.orm
				.update(forwards)
				.set({ nextAttemptAt: null, updatedAt: now })
				.where(
					and(
						eq(forwards.companyId, companyId),
						inArray(forwards.status, WAITING_STATUSES),
						gt(forwards.nextAttemptAt, now),
					),
				)
				.returning({ id: forwards.id }),
		]),
	);
	return requeued.length + moved.length;
}
