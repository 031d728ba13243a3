// One client's related rows for the operator API: its tasks, the integration logs about it (the
// failed receipts that carried it before it became a client included) and its forwards, and when
// the lead first arrived, read in one D1 batch with the same columns as the tasks, logs and
// forwards lists.
import { asc, desc, eq, type SQL, sql } from "drizzle-orm";
import { type Db, guarded } from "./db";
import { type ForwardRecord, forwardColumns } from "./forward-queries";
import { type LogSummary, logSummaryColumns } from "./log-queries";
import { forwards, integrationLogs, tasks, unresolvedLeads } from "./schema";
import type { TaskRecord } from "./task-queries";

/** The newest logs shown with a client; the full history is GET /logs. */
const MAX_CLIENT_LOGS = 50;

export interface ClientRelated {
	tasks: TaskRecord[];
	logs: LogSummary[];
	forwards: ForwardRecord[];
	/** When the lead first arrived: its first failed receipt, if it failed before it became a client. */
	firstFailedAt: string | null;
}

/**
 * Logs about the client: of its company, and either its lead id (external_id), the receipt that
 * created it, or one of its website-form submission keys; and the failed receipts of the unresolved
 * lead it resolved (of no company yet, found by provider and lead id, or the receipt without one).
 * Each way is its own branch on its own index (one OR let SQLite walk every log of the company).
 */
function clientLogIds(clientId: number): SQL {
	return sql`SELECT l.id FROM clients AS c
			CROSS JOIN integration_logs AS l INDEXED BY integration_logs_external_idx
				ON l.external_id = c.external_id
			WHERE c.id = ${clientId} AND l.company_id = c.company_id
		UNION
		SELECT l.id FROM clients AS c
			CROSS JOIN integration_logs AS l INDEXED BY integration_logs_request_idx
				ON l.request_id = c.receipt_id
			WHERE c.id = ${clientId} AND l.company_id = c.company_id
		UNION
		SELECT l.id FROM clients AS c
			CROSS JOIN form_submissions AS s INDEXED BY form_submissions_client_idx
				ON s.client_id = c.id AND s.company_id = c.company_id
			CROSS JOIN integration_logs AS l INDEXED BY integration_logs_external_idx
				ON l.external_id = s.idempotency_key
			WHERE c.id = ${clientId} AND l.company_id = c.company_id
		UNION
		SELECT l.id FROM unresolved_leads AS u INDEXED BY unresolved_leads_client_idx
			CROSS JOIN integration_logs AS l INDEXED BY integration_logs_external_idx
				ON l.external_id = u.external_id AND l.provider = u.provider
			WHERE u.resolved_client_id = ${clientId}
		UNION
		SELECT u.first_log_id FROM unresolved_leads AS u INDEXED BY unresolved_leads_client_idx
			WHERE u.resolved_client_id = ${clientId}`;
}

export function getClientRelated(db: Db, clientId: number): Promise<ClientRelated> {
	const { orm } = db;
	return guarded(async () => {
		const [taskRows, logs, forwardRows, [first]] = await orm.batch([
			orm.select().from(tasks).where(eq(tasks.clientId, clientId)).orderBy(asc(tasks.id)),
			orm
				.select(logSummaryColumns)
				.from(integrationLogs)
				.where(sql`${integrationLogs.id} IN (${clientLogIds(clientId)})`)
				.orderBy(desc(integrationLogs.id))
				.limit(MAX_CLIENT_LOGS),
			orm
				.select(forwardColumns)
				.from(forwards)
				.where(eq(forwards.clientId, clientId))
				.orderBy(asc(forwards.id)),
			orm
				.select({ at: sql<string | null>`min(${unresolvedLeads.firstAt})` })
				.from(unresolvedLeads)
				.where(eq(unresolvedLeads.resolvedClientId, clientId)),
		]);
		return {
			tasks: taskRows,
			logs,
			forwards: forwardRows,
			firstFailedAt: first?.at ?? null,
		};
	});
}
