// Salesforce connections in D1: one per company (set through the operator API) plus the default row
// of a single-tenant install (secrets in config, state and rotated refresh token here). Secrets are
// stored sealed; this file never sees them in clear (src/forwarders/connection.ts opens them).
import { and, eq, not, sql } from "drizzle-orm";
import { type Db, guarded } from "./db";
import { insertedRow } from "./orm-results";
import { type ConnectionState, salesforceConnections } from "./schema";

export type ConnectionRow = typeof salesforceConnections.$inferSelect;

const DEFAULT_SCOPE = "default";

export function companyScope(companyId: number): string {
	return `company:${companyId}`;
}

/** What the operator API sets; sealed secrets left undefined keep their stored value. */
export interface ConnectionSettings {
	loginUrl: string;
	apiVersion: string;
	targetObject: "Lead" | "Case";
	fieldMapping: Record<string, string | null> | null;
	externalIdField: string | null;
	autoAssign: string | null;
	duplicateAllowSave: boolean;
	consumerKeySealed?: string;
	consumerSecretSealed?: string;
	refreshTokenSealed?: string;
}

export function getConnection(db: Db, scope: string): Promise<ConnectionRow | undefined> {
	return guarded(() =>
		db.orm.select().from(salesforceConnections).where(eq(salesforceConnections.scope, scope)).get(),
	);
}

export function getConnectionById(db: Db, id: number): Promise<ConnectionRow | undefined> {
	return guarded(() =>
		db.orm.select().from(salesforceConnections).where(eq(salesforceConnections.id, id)).get(),
	);
}

export function listConnections(db: Db): Promise<ConnectionRow[]> {
	return guarded(() =>
		db.orm.select().from(salesforceConnections).orderBy(salesforceConnections.id),
	);
}

/**
 * Connections whose forwards may be sent now: not waiting for an admin, and not switched off as
 * their company's Salesforce destination.
 */
export function listReadyConnections(db: Db): Promise<ConnectionRow[]> {
	const switchedOff = sql`EXISTS (SELECT 1 FROM destinations AS d
		WHERE d.company_id = ${salesforceConnections.companyId} AND d.kind = 'salesforce' AND d.state = 'off')`;
	return guarded(() =>
		db.orm
			.select()
			.from(salesforceConnections)
			.where(and(eq(salesforceConnections.state, "ok"), not(switchedOff))),
	);
}

/**
 * Creates or replaces a company's connection. Saving is how an operator fixes a connection, so the
 * state goes back to ok and the forwards that waited are sent again.
 */
export function putCompanyConnection(
	db: Db,
	companyId: number,
	settings: ConnectionSettings,
): Promise<ConnectionRow> {
	const now = new Date().toISOString();
	const values = { ...settings, state: "ok" as const, stateReason: null, stateChangedAt: now };
	return guarded(async () =>
		insertedRow(
			await db.orm
				.insert(salesforceConnections)
				.values({ ...values, companyId, scope: companyScope(companyId), updatedAt: now })
				.onConflictDoUpdate({
					target: salesforceConnections.scope,
					set: { ...values, updatedAt: now },
				})
				.returning(),
		),
	);
}

/**
 * The default connection's row, created on first use. A new secrets fingerprint (the operator put new
 * secrets) drops a rotated refresh token and the state, as saving a company connection does.
 */
export function ensureDefaultConnection(
	db: Db,
	settings: { loginUrl: string; apiVersion: string; targetObject: "Lead" | "Case" },
	fingerprint: string,
): Promise<ConnectionRow> {
	const now = new Date().toISOString();
	const reset = {
		...settings,
		refreshTokenSealed: null,
		state: "ok" as const,
		stateReason: null,
		stateChangedAt: now,
		secretsFingerprint: fingerprint,
		updatedAt: now,
	};
	return guarded(async () => {
		const existing = await getConnection(db, DEFAULT_SCOPE);
		if (existing?.secretsFingerprint === fingerprint) return existing;
		return insertedRow(
			await db.orm
				.insert(salesforceConnections)
				.values({ ...reset, scope: DEFAULT_SCOPE, companyId: null })
				.onConflictDoUpdate({ target: salesforceConnections.scope, set: reset })
				.returning(),
		);
	});
}

/** The default row goes when its secrets do, so new clients stop getting forwards nobody sends. */
export function removeDefaultConnection(db: Db): Promise<void> {
	return guarded(async () => {
		await db.orm
			.delete(salesforceConnections)
			.where(eq(salesforceConnections.scope, DEFAULT_SCOPE));
	});
}

/** Moves a connection to a state; only from ok, so a later save (which sets ok) is never undone. */
export function setConnectionState(
	db: Db,
	id: number,
	state: ConnectionState,
	reason: string,
): Promise<void> {
	const now = new Date().toISOString();
	return guarded(async () => {
		await db.orm
			.update(salesforceConnections)
			.set({ state, stateReason: reason, stateChangedAt: now, updatedAt: now })
			.where(and(eq(salesforceConnections.id, id), eq(salesforceConnections.state, "ok")));
	});
}

/** Persists a rotated refresh token (sealed): the old one stops working (providers.md §0.7). */
export function storeRefreshToken(db: Db, id: number, sealed: string): Promise<void> {
	return guarded(async () => {
		await db.orm
			.update(salesforceConnections)
			.set({ refreshTokenSealed: sealed, updatedAt: new Date().toISOString() })
			.where(eq(salesforceConnections.id, id));
	});
}

export function recordApiUsage(db: Db, id: number, used: number, max: number): Promise<void> {
	return guarded(async () => {
		await db.orm
			.update(salesforceConnections)
			.set({ apiUsed: used, apiMax: max })
			.where(eq(salesforceConnections.id, id));
	});
}

/** Forwards per status, e.g. { pending: 3, dead: 1 }. */
export type ForwardCounts = Record<string, number>;

/**
 * Forward counts of every connection (or just `onlyId`) in one query: forwards are counted per
 * company and status on forwards_company_status_idx, then each company's counts go to its own
 * connection, or to the default connection when it has none (the scope scopeCondition sends).
 */
export async function forwardCountsByConnection(
	db: Db,
	onlyId?: number,
): Promise<Map<number, ForwardCounts>> {
	const rows = await guarded(() =>
		db.d1
			.prepare(
				`SELECT coalesce(own.id, def.id) AS connectionId, g.status, sum(g.n) AS n
				FROM (SELECT company_id, status, count(*) AS n FROM forwards
					WHERE destination = 'salesforce' GROUP BY company_id, status) AS g
				LEFT JOIN salesforce_connections AS own ON own.company_id = g.company_id
				LEFT JOIN salesforce_connections AS def ON def.company_id IS NULL
				WHERE coalesce(own.id, def.id) IS NOT NULL AND (?1 IS NULL OR coalesce(own.id, def.id) = ?1)
				GROUP BY 1, 2`,
			)
			.bind(onlyId ?? null)
			.all<{ connectionId: number; status: string; n: number }>(),
	);
	const counts = new Map<number, ForwardCounts>();
	for (const row of rows.results) {
		const own = counts.get(row.connectionId) ?? {};
		own[row.status] = row.n;
		counts.set(row.connectionId, own);
	}
	return counts;
}

/**
 * One connection's forward counts (see forwardCountsByConnection). A company's own connection sends
 * exactly that company's forwards: they are counted on forwards_company_status_idx alone, without
 * counting every other company's forwards first.
 */
export async function forwardCounts(db: Db, connection: ConnectionRow): Promise<ForwardCounts> {
	if (connection.companyId === null) {
		return (await forwardCountsByConnection(db, connection.id)).get(connection.id) ?? {};
	}
	const rows = await guarded(() =>
		db.d1
			.prepare(
				`SELECT status, count(*) AS n FROM forwards
				WHERE company_id = ?1 AND destination = 'salesforce' GROUP BY status`,
			)
			.bind(connection.companyId)
			.all<{ status: string; n: number }>(),
	);
	return Object.fromEntries(rows.results.map((row) => [row.status, row.n]));
}

/** SQL condition: forwards `f` that this connection sends. */
export function scopeCondition(connection: { companyId: number | null }) {
	return connection.companyId === null
		? sql`f.company_id NOT IN (SELECT company_id FROM salesforce_connections WHERE company_id IS NOT NULL)`
		: sql`f.company_id = ${connection.companyId}`;
}
