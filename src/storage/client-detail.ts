// One client's related rows for the operator API: its tasks, the integration logs about it and its
// forwards, read in one D1 batch.
import { sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";
import type { ForwardRecord } from "./forward-queries";
import type { TaskStatus } from "./schema";

/** The newest logs shown with a client; the full history is GET /logs. */
const MAX_CLIENT_LOGS = 50;

export interface TaskRecord {
	id: number;
	clientId: number;
	employeeId: number | null;
	dueAt: string;
	status: TaskStatus;
	note: string | null;
	createdAt: string;
	completedAt: string | null;
}

export interface ClientLogRecord {
	id: number;
	provider: string;
	action: string;
	status: string;
	message: string | null;
	externalId: string | null;
	requestId: string | null;
	createdAt: string;
}

export interface ClientRelated {
	tasks: TaskRecord[];
	logs: ClientLogRecord[];
	forwards: ForwardRecord[];
}

const TASK_COLUMNS = sql`id, client_id AS clientId, employee_id AS employeeId, due_at AS dueAt,
	status, note, created_at AS createdAt, completed_at AS completedAt`;

/**
 * Logs about the client: of its company, and either its lead id (external_id), the receipt that
 * created it, or one of its website-form submission keys.
 */
export function getClientRelated(db: Db, clientId: number): Promise<ClientRelated> {
	return guarded(async () => {
		const [tasks = [], logs = [], forwards = []] = (await runBatch(db, [
			sql`SELECT ${TASK_COLUMNS} FROM tasks WHERE client_id = ${clientId} ORDER BY id`,
			sql`SELECT l.id, l.provider, l.action, l.status, l.message, l.external_id AS externalId,
					l.request_id AS requestId, l.created_at AS createdAt
				FROM clients c CROSS JOIN integration_logs l ON l.company_id = c.company_id
				WHERE c.id = ${clientId} AND (l.external_id = c.external_id
					OR l.request_id = c.receipt_id
					OR l.external_id IN (SELECT idempotency_key FROM form_submissions
						WHERE client_id = c.id AND company_id = c.company_id))
				ORDER BY l.id DESC LIMIT ${MAX_CLIENT_LOGS}`,
			sql`SELECT id, client_id AS clientId, company_id AS companyId, destination, status, attempts,
					next_attempt_at AS nextAttemptAt, last_error_code AS lastErrorCode, last_error AS lastError,
					remote_id AS remoteId, created_at AS createdAt, updated_at AS updatedAt
				FROM forwards WHERE client_id = ${clientId} ORDER BY id`,
		])) as [TaskRecord[], ClientLogRecord[], ForwardRecord[]];
		return { tasks, logs, forwards };
	});
}
