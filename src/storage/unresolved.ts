// Unresolved leads (the unresolved_leads table): opened by a failed receipt in that receipt's own
// batch, resolved by the batch that makes the lead a client, dismissed by an operator. The
// statements the webhook path adds are prepared once and read through indexes only; the reads here
// serve the overview, the Unresolved list, the health run, alerts and "route and replay".
import { and, desc, eq, lt, type SQL, sql } from "drizzle-orm";
import { type BatchQuery, type Db, guarded, prepared, runBatch } from "./db";
import { type Page, type PageRequest, toPage } from "./pages";
import { type FailureCause, logReplays, unresolvedLeads } from "./schema";

export type UnresolvedLead = typeof unresolvedLeads.$inferSelect;
export type LogReplay = typeof logReplays.$inferSelect;

const NOW = sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/** Receipt ids of replays start with this, so a bulk replay never replays a replay's own logs. */
export const REPLAY_RECEIPT_PREFIX = "replay:";

/**
 * Opens (or carries on) the unresolved lead of every failed row of a receipt that kept its payload:
 * `<provider>:<lead id>`, or the row itself when no lead id was read. A replay's failure without a
 * lead id opens nothing (the replayed receipt's lead is still open; log_replays holds the attempt).
 * Idempotent per row: a row already counted (not past last_log_id) changes nothing. A new failure
 * reopens a dismissed lead; a resolved one stays resolved (a client exists).
 */
export const openUnresolved = prepared(
	() => sql`
		INSERT INTO unresolved_leads (lead_key, provider, external_id, action, company_id, cause,
			routing_key, message, first_log_id, last_log_id, attempts, first_at, last_at)
		SELECT coalesce(l.provider || ':' || l.external_id, 'log:' || l.id), l.provider, l.external_id,
			l.action, l.company_id, coalesce(l.cause, 'other'), l.routing_key, l.message, l.id, l.id, 1,
			l.created_at, l.created_at
		FROM integration_logs AS l INDEXED BY integration_logs_request_idx
		WHERE l.request_id = ${sql.placeholder("receiptId")} AND l.status = 'failure'
			AND l.payload IS NOT NULL
			AND (l.external_id IS NOT NULL OR l.request_id NOT LIKE ${`${REPLAY_RECEIPT_PREFIX}%`})
		ORDER BY l.id
		ON CONFLICT (lead_key) DO UPDATE SET attempts = attempts + 1, message = excluded.message,
			cause = excluded.cause, routing_key = excluded.routing_key,
			company_id = coalesce(excluded.company_id, company_id), last_at = excluded.last_at,
			dismissed_at = NULL, dismissed_reason = NULL, last_log_id = excluded.last_log_id
		WHERE excluded.last_log_id > unresolved_leads.last_log_id`,
);

/**
 * Resolves the open leads among a receipt group's leads (`leads`: `<provider>:<lead id>` keys, the
 * client SQL that finds each one's client by its lead id). Runs right after the clients INSERT in
 * the same batch, so a lead is resolved exactly when its client exists (created now or before).
 */
export function resolveUnresolved(leadKeys: SQL, clientOf: SQL): SQL {
	return sql`
		UPDATE unresolved_leads SET resolved_at = ${NOW}, resolved_client_id = ${clientOf}
		WHERE lead_key IN (${leadKeys}) AND resolved_at IS NULL`;
}

/**
 * Records a replay of log `logId` (append-only: its own log_replays row), keeps the first replay's
 * outcome on the log row, and when the replay did not fail, resolves the lead that log opened (a
 * receipt without a lead id has no client to find it by).
 */
export async function recordReplay(
	db: Db,
	logId: number,
	replay: { requestId: string; outcome: string; message: string },
): Promise<void> {
	const statements: BatchQuery[] = [
		sql`INSERT INTO log_replays (log_id, request_id, outcome, message)
			VALUES (${logId}, ${replay.requestId}, ${replay.outcome}, ${replay.message})`,
		sql`UPDATE integration_logs SET replayed_at = ${NOW}, replay_outcome = ${replay.outcome},
			replay_request_id = ${replay.requestId} WHERE id = ${logId} AND replayed_at IS NULL`,
	];
	if (replay.outcome !== "failure") {
		statements.push(sql`UPDATE unresolved_leads SET resolved_at = ${NOW}
			WHERE first_log_id = ${logId} AND resolved_at IS NULL`);
	}
	await guarded(() => runBatch(db, statements));
}

/** Every replay of a log, oldest first. */
export function listReplays(db: Db, logId: number): Promise<LogReplay[]> {
	return guarded(() =>
		db.orm
			.select()
			.from(logReplays)
			.where(eq(logReplays.logId, logId))
			.orderBy(logReplays.id)
			.limit(100),
	);
}

/** Open: neither resolved nor dismissed. Written literally so SQLite uses unresolved_leads_open_idx. */
const OPEN = sql`${unresolvedLeads.resolvedAt} IS NULL AND ${unresolvedLeads.dismissedAt} IS NULL`;

export interface UnresolvedGroup {
	provider: string;
	cause: FailureCause;
	routingKey: string | null;
	count: number;
	/** The newest lead's reason. */
	message: string | null;
	firstAt: string;
	lastAt: string;
}

/**
 * Open leads per provider, cause and routing key, the biggest first: the Unresolved list's groups,
 * the overview's "needs action" and the health run. Reads the open rows only (a partial index).
 */
export function openGroupsQuery(limit: number): SQL {
	return sql`SELECT provider, cause, routing_key AS routingKey, count(*) AS count,
			max(id) AS newest, message, min(first_at) AS firstAt, max(last_at) AS lastAt
		FROM unresolved_leads INDEXED BY unresolved_leads_open_idx WHERE ${OPEN}
		GROUP BY provider, cause, routing_key ORDER BY count DESC, newest DESC LIMIT ${limit}`;
}

export function listUnresolvedGroups(db: Db, limit = 100): Promise<UnresolvedGroup[]> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [openGroupsQuery(limit)]);
		return rows as UnresolvedGroup[];
	});
}

export interface UnresolvedFilter {
	provider?: string;
	cause?: FailureCause;
	routingKey?: string;
	companyId?: number;
}

/** One page of open leads, newest first. */
export async function listUnresolved(
	db: Db,
	filter: UnresolvedFilter,
	page: PageRequest,
): Promise<Page<UnresolvedLead>> {
	const conditions: SQL[] = [OPEN];
	if (filter.provider !== undefined) conditions.push(eq(unresolvedLeads.provider, filter.provider));
	if (filter.cause !== undefined) conditions.push(eq(unresolvedLeads.cause, filter.cause));
	if (filter.routingKey !== undefined) {
		conditions.push(eq(unresolvedLeads.routingKey, filter.routingKey));
	}
	if (filter.companyId !== undefined) {
		conditions.push(eq(unresolvedLeads.companyId, filter.companyId));
	}
	if (page.beforeId !== undefined) conditions.push(lt(unresolvedLeads.id, page.beforeId));
	const rows = await guarded(() =>
		db.orm
			.select()
			.from(unresolvedLeads)
			.where(and(...conditions))
			.orderBy(desc(unresolvedLeads.id))
			.limit(page.limit + 1),
	);
	return toPage(rows, page.limit);
}

export function getUnresolved(db: Db, id: number): Promise<UnresolvedLead | undefined> {
	return guarded(() =>
		db.orm.select().from(unresolvedLeads).where(eq(unresolvedLeads.id, id)).get(),
	);
}

/** Dismisses an open lead with the operator's reason; undefined when it is not open. */
export function dismissUnresolved(
	db: Db,
	id: number,
	reason: string,
): Promise<UnresolvedLead | undefined> {
	return guarded(() =>
		db.orm
			.update(unresolvedLeads)
			.set({ dismissedAt: sql`${NOW}`, dismissedReason: reason })
			.where(and(eq(unresolvedLeads.id, id), OPEN))
			.returning()
			.get(),
	);
}

/** Open leads a routing key could not route, oldest first (what "route and replay" replays). */
export function openLeadsWithKey(
	db: Db,
	key: { provider: string; routingKey: string },
	limit: number,
): Promise<UnresolvedLead[]> {
	return guarded(() =>
		db.orm
			.select()
			.from(unresolvedLeads)
			.where(
				and(
					OPEN,
					eq(unresolvedLeads.provider, key.provider),
					eq(unresolvedLeads.cause, "unmapped"),
					eq(unresolvedLeads.routingKey, key.routingKey),
				),
			)
			.orderBy(unresolvedLeads.id)
			.limit(limit),
	);
}

/**
 * Open leads of a routing key whatever their cause now (a Meta lead routed by a new mapping may wait
 * for its Page's token next).
 */
export function countOpenWithKey(
	db: Db,
	key: { provider: string; routingKey: string },
): Promise<number> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT count(*) AS count FROM unresolved_leads INDEXED BY unresolved_leads_open_idx
				WHERE ${OPEN} AND provider = ${key.provider} AND routing_key = ${key.routingKey}`,
		]);
		return (rows as { count: number }[])[0]?.count ?? 0;
	});
}

/** The leads among `ids` that became clients. */
export async function resolvedClients(
	db: Db,
	ids: number[],
): Promise<{ id: number; clientId: number }[]> {
	if (ids.length === 0) return [];
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT id, resolved_client_id AS clientId FROM unresolved_leads
				WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))
					AND resolved_client_id IS NOT NULL`,
		]);
		return rows as { id: number; clientId: number }[];
	});
}

export type NewUnresolved = Pick<
	UnresolvedGroup,
	"provider" | "cause" | "routingKey" | "message"
> & {
	/** Leads of the group opened after the cursor and still open. */
	count: number;
	lastId: number;
};

/** Open leads opened after lead `afterId`, per provider, cause and routing key (for alerts). */
export function newUnresolvedSince(db: Db, afterId: number): Promise<NewUnresolved[]> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT provider, cause, routing_key AS routingKey, count(*) AS count, max(id) AS lastId,
					message
				FROM unresolved_leads WHERE id > ${afterId} AND ${OPEN}
				GROUP BY provider, cause, routing_key ORDER BY provider, cause, routing_key`,
		]);
		return rows as NewUnresolved[];
	});
}
