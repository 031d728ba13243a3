// Console sessions kept on the server (sign-out revokes one at once) and the per-client count of
// sign-in attempts that stands in for the SIGN_IN_LIMIT binding when it is unbound.
import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { type Db, guarded } from "./db";
import { consoleSessions, signInAttempts } from "./schema";

export async function recordSession(
	db: Db,
	session: { id: string; operator: string; expiresAt: Date },
): Promise<void> {
	await guarded(() =>
		db.orm
			.insert(consoleSessions)
			.values({
				id: session.id,
				operator: session.operator,
				expiresAt: session.expiresAt.toISOString(),
			})
			.run(),
	);
}

/** True while the session was recorded, is not revoked and has not expired. */
export async function isSessionLive(db: Db, id: string, now: Date): Promise<boolean> {
	const row = await guarded(() =>
		db.orm
			.select({ id: consoleSessions.id })
			.from(consoleSessions)
			.where(
				and(
					eq(consoleSessions.id, id),
					isNull(consoleSessions.revokedAt),
					gt(consoleSessions.expiresAt, now.toISOString()),
				),
			)
			.get(),
	);
	return row !== undefined;
}

export async function revokeSession(db: Db, id: string, now: Date): Promise<void> {
	await guarded(() =>
		db.orm
			.update(consoleSessions)
			.set({ revokedAt: now.toISOString() })
			.where(and(eq(consoleSessions.id, id), isNull(consoleSessions.revokedAt)))
			.run(),
	);
}

/** Counts one attempt in its minute and answers the minute's count so far (an atomic UPSERT). */
export async function countSignInAttempt(db: Db, window: string, client: string): Promise<number> {
	const row = await guarded(() =>
		db.orm
			.insert(signInAttempts)
			.values({ window, client, count: 1 })
			.onConflictDoUpdate({
				target: [signInAttempts.window, signInAttempts.client],
				set: { count: sql`${signInAttempts.count} + 1` },
			})
			.returning({ count: signInAttempts.count })
			.get(),
	);
	return row?.count ?? 1;
}

/** Sessions that ended before `cutoff` and attempt counters of earlier minutes; how many rows went. */
export async function clearOldConsoleRows(db: Db, cutoff: string): Promise<number> {
	const [sessions, attempts] = await guarded(() =>
		db.orm.batch([
			db.orm.delete(consoleSessions).where(lt(consoleSessions.expiresAt, cutoff)),
			db.orm.delete(signInAttempts).where(lt(signInAttempts.window, cutoff)),
		]),
	);
	return sessions.meta.changes + attempts.meta.changes;
}
