// One client's related rows for the operator API: its tasks, the integration logs about it and its
// forwards, read in one D1 batch with the same columns as the tasks, logs and forwards lists.
import { asc, desc, eq, type SQL, sql } from "drizzle-orm";
import { type Db, guarded } from "./db";
import { type ForwardRecord, forwardColumns } from "./forward-queries";
import { type LogSummary, logSummaryColumns } from "./log-queries";
import { forwards, integrationLogs, tasks } from "./schema";
import type { TaskRecord } from "./task-queries";

/** The newest logs shown with a client; the full history is GET /logs. */
const MAX_CLIENT_LOGS = 50;

export interface ClientRelated {
	tasks: TaskRecord[];
	logs: LogSummary[];
	forwards: ForwardRecord[];
}

/**
 * Logs about the client: of its company, and either its lead id (external_id), the receipt that
 * created it, or one of its website-form submission keys. Each way is its own branch on its own
 * index (one OR of the three let SQLite walk every log of the company, newest first).
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
			WHERE c.id = ${clientId} AND l.company_id = c.company_id`;
}

export function getClientRelated(db: Db, clientId: number): Promise<ClientRelated> {
	const { orm } = db;
	return guarded(async () => {
		const [taskRows, logs, forwardRows] = await orm.batch([
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
		]);
		return { tasks: taskRows, logs, forwards: forwardRows };
	});
}
