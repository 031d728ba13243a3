// Reads integration logs for the operator API: pages without payloads (they can be megabytes), and
// one log with its payload so an operator can replay the receipt.
import {
	and,
	asc,
	desc,
	eq,
	gt,
	gte,
	isNotNull,
	isNull,
	like,
	lt,
	not,
	type SQL,
	sql,
} from "drizzle-orm";
import { type Db, guarded } from "./db";
import { countMatching, type Page, type PageRequest, toPage, toRowCount } from "./pages";
import { integrationLogs, LOG_STATUSES, type LogStatus } from "./schema";
import { REPLAY_RECEIPT_PREFIX } from "./unresolved";

export { LOG_STATUSES, type LogStatus };

export interface LogSummary {
	id: number;
	companyId: number | null;
	provider: string;
	action: string;
	status: LogStatus;
	message: string | null;
	externalId: string | null;
	requestId: string | null;
	createdAt: string;
	hasPayload: boolean;
	replayedAt: string | null;
	replayOutcome: string | null;
	replayRequestId: string | null;
	/** The delivery URL's `?company_id`, kept once trusted (signed, or no signing key set). */
	urlCompanyId: number | null;
	/** A failure's cause and the routing key it could not route. */
	cause: string | null;
	routingKey: string | null;
}

export interface LogDetail extends LogSummary {
	payload: string | null;
}

export interface LogFilter {
	companyId?: number;
	status?: LogStatus;
	provider?: string;
	action?: string;
	/** Only failures a replay can still take (AWAITING_REPLAY). */
	replayable?: boolean;
}

/** The columns of a LogSummary (everything but the payload). */
export const logSummaryColumns = {
	id: integrationLogs.id,
	companyId: integrationLogs.companyId,
	provider: integrationLogs.provider,
	action: integrationLogs.action,
	status: integrationLogs.status,
	message: integrationLogs.message,
	externalId: integrationLogs.externalId,
	requestId: integrationLogs.requestId,
	createdAt: integrationLogs.createdAt,
	hasPayload: sql`${integrationLogs.payload} IS NOT NULL`.mapWith(Boolean),
	replayedAt: integrationLogs.replayedAt,
	replayOutcome: integrationLogs.replayOutcome,
	replayRequestId: integrationLogs.replayRequestId,
	urlCompanyId: integrationLogs.urlCompanyId,
	cause: integrationLogs.cause,
	routingKey: integrationLogs.routingKey,
};

/** One page of logs, newest first, without payloads, and how many match (up to COUNT_CAP). */
export async function listLogs(
	db: Db,
	filter: LogFilter,
	page: PageRequest,
): Promise<Page<LogSummary>> {
	const [rows, counts] = await guarded(() =>
		db.orm.batch([
			db.orm
				.select(logSummaryColumns)
				.from(integrationLogs)
				.where(and(...filterConditions(filter, page.beforeId)))
				.orderBy(desc(integrationLogs.id))
				.limit(page.limit + 1),
			countMatching(
				db.orm,
				integrationLogs,
				and(...filterConditions(filter, undefined)),
				// Else SQLite walks every failure, replayed or not, on integration_logs_status_idx.
				filter.replayable ? "integration_logs_awaiting_replay_idx" : undefined,
			),
		]),
	);
	return { ...toPage(rows, page.limit), matching: toRowCount(counts) };
}

export function getLog(db: Db, id: number): Promise<LogDetail | undefined> {
	return guarded(() =>
		db.orm
			.select({ ...logSummaryColumns, payload: integrationLogs.payload })
			.from(integrationLogs)
			.where(eq(integrationLogs.id, id))
			.get(),
	);
}

function filterConditions(filter: LogFilter, beforeId: number | undefined): SQL[] {
	const conditions: SQL[] = [];
	if (filter.companyId !== undefined) {
		conditions.push(eq(integrationLogs.companyId, filter.companyId));
	}
	if (filter.status !== undefined) conditions.push(eq(integrationLogs.status, filter.status));
	if (filter.provider !== undefined) conditions.push(eq(integrationLogs.provider, filter.provider));
	if (filter.action !== undefined) conditions.push(eq(integrationLogs.action, filter.action));
	if (filter.replayable) conditions.push(...AWAITING_REPLAY);
	if (beforeId !== undefined) conditions.push(lt(integrationLogs.id, beforeId));
	return conditions;
}

export { REPLAY_RECEIPT_PREFIX };

export interface ReplayFilter {
	companyId?: number;
	action?: string;
	/** ISO time: failures logged at or after it. */
	since: string;
	/** Only logs with a greater id (the previous page's last id). */
	afterId?: number;
}

/**
 * What a replay can take: a failed receipt that kept its payload and is not a replay's own log.
 * 'failure' is written into the SQL, not bound: SQLite uses the partial index
 * integration_logs_awaiting_replay_idx only when the query's terms are the index's own.
 */
export const REPLAYABLE_FAILURE: SQL[] = [
	sql`${integrationLogs.status} = 'failure'`,
	isNotNull(integrationLogs.payload),
	not(like(sql`coalesce(${integrationLogs.requestId}, '')`, `${REPLAY_RECEIPT_PREFIX}%`)),
];

/** Replayable failures not replayed yet: what the console's overview counts and links to. */
export const AWAITING_REPLAY: SQL[] = [...REPLAYABLE_FAILURE, isNull(integrationLogs.replayedAt)];

/** Failed receipts that kept a payload, oldest first, not written by a replay themselves. */
export function listReplayable(db: Db, filter: ReplayFilter, limit: number): Promise<LogDetail[]> {
	const conditions: SQL[] = [...REPLAYABLE_FAILURE, gte(integrationLogs.createdAt, filter.since)];
	if (filter.companyId !== undefined) {
		conditions.push(eq(integrationLogs.companyId, filter.companyId));
	}
	if (filter.action !== undefined) conditions.push(eq(integrationLogs.action, filter.action));
	if (filter.afterId !== undefined) conditions.push(gt(integrationLogs.id, filter.afterId));
	return guarded(() =>
		db.orm
			.select({ ...logSummaryColumns, payload: integrationLogs.payload })
			.from(integrationLogs)
			.where(and(...conditions))
			.orderBy(asc(integrationLogs.id))
			.limit(limit),
	);
}
