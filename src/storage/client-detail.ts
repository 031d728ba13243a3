// One client's related rows for the operator API: its tasks, the integration logs about it and its
// forwards, read in one D1 batch with the same columns as the tasks, logs and forwards lists.
import { and, asc, desc, eq, inArray, or } from "drizzle-orm";
import { type Db, guarded } from "./db";
import { type ForwardRecord, forwardColumns } from "./forward-queries";
import { type LogSummary, logSummaryColumns } from "./log-queries";
import { clients, formSubmissions, forwards, integrationLogs, tasks } from "./schema";
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
 * created it, or one of its website-form submission keys.
 */
export function getClientRelated(db: Db, clientId: number): Promise<ClientRelated> {
	const { orm } = db;
	const submissionKeys = orm
		.select({ key: formSubmissions.idempotencyKey })
		.from(formSubmissions)
		.where(
			and(
				eq(formSubmissions.clientId, clients.id),
				eq(formSubmissions.companyId, clients.companyId),
			),
		);
	return guarded(async () => {
		const [taskRows, logs, forwardRows] = await orm.batch([
			orm.select().from(tasks).where(eq(tasks.clientId, clientId)).orderBy(asc(tasks.id)),
			orm
				.select(logSummaryColumns)
				.from(clients)
				.innerJoin(integrationLogs, eq(integrationLogs.companyId, clients.companyId))
				.where(
					and(
						eq(clients.id, clientId),
						or(
							eq(integrationLogs.externalId, clients.externalId),
							eq(integrationLogs.requestId, clients.receiptId),
							inArray(integrationLogs.externalId, submissionKeys),
						),
					),
				)
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
