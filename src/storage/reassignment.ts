// A stored client as lead distribution sees it, and the one guarded batch that gives it to another rep
// (the reassignment seam of intake/distribute.ts: "Not mine" links, SLA escalation).
import { sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";
import { type AssignedLead, distributionGuard, isDistributionAbort } from "./distribution";
import { DistributionChangedError, type StoredPhone } from "./receipts";

export interface RoutedClient {
	companyId: number;
	externalId: string;
	assignedEmployeeId: number | null;
	isTest: boolean;
	provider: string | null;
	accountId: number | null;
	formId: string | null;
	attribution: Record<string, string> | null;
	answers: { name: string; values: string[] }[];
	phones: StoredPhone[];
}

interface RoutedClientRow {
	companyId: number;
	externalId: string | null;
	assignedEmployeeId: number | null;
	isTest: number;
	provider: string | null;
	accountId: number | null;
	formId: string | null;
	attribution: string | null;
	answers: string | null;
	phones: string;
}

export function loadRoutedClient(db: Db, clientId: number): Promise<RoutedClient | undefined> {
	return guarded(async () => {
		const [rows = []] = (await runBatch(db, [
			sql`SELECT c.company_id AS companyId, c.external_id AS externalId,
					c.assigned_employee_id AS assignedEmployeeId, c.is_test AS isTest, a.provider,
					c.integration_account_id AS accountId, c.form_id AS formId, c.attribution, c.answers,
					(SELECT json_group_array(json_object('number', p.phone_number, 'valid', p.is_valid = 1))
						FROM client_phone_numbers AS p WHERE p.client_id = c.id) AS phones
				FROM clients AS c LEFT JOIN integration_accounts AS a ON a.id = c.integration_account_id
				WHERE c.id = ${clientId}`,
		])) as [RoutedClientRow[]];
		const row = rows[0];
		if (!row) return undefined;
		return {
			...row,
			externalId: row.externalId ?? String(clientId),
			isTest: row.isTest === 1,
			attribution: row.attribution === null ? null : JSON.parse(row.attribution),
			answers: row.answers === null ? [] : JSON.parse(row.answers),
			phones: JSON.parse(row.phones) as StoredPhone[],
		};
	});
}

export interface Reassignment {
	clientId: number;
	/** The rep the decision was made away from (the write happens only if the client still has it). */
	from: number | null;
	repId: number;
	companyId: number;
	version: number;
	lead: AssignedLead;
	/** Due time of the follow-up the new rep gets. */
	dueAt: string;
}

/**
 * One batch, guarded by the distribution version like an ingest: the client gets the rep, its open
 * follow-up moves to the rep (or one is opened), the rep's daily count and the rotation move on.
 */
export function writeReassignment(db: Db, r: Reassignment): Promise<void> {
	const turn = r.lead.nextTurn;
	return guarded(async () => {
		const statements = [
			distributionGuard({ companyId: r.companyId, version: r.version }),
			sql`UPDATE clients SET assigned_employee_id = ${r.repId}, unassigned_reason = NULL
				WHERE id = ${r.clientId} AND assigned_employee_id IS ${r.from}`,
			sql`UPDATE tasks SET employee_id = ${r.repId}, due_at = ${r.dueAt}
				WHERE client_id = ${r.clientId} AND status = 'open'`,
			sql`INSERT INTO tasks (client_id, employee_id, due_at, status, note)
				SELECT ${r.clientId}, ${r.repId}, ${r.dueAt}, 'open', 'First contact'
				WHERE NOT EXISTS (SELECT 1 FROM tasks WHERE client_id = ${r.clientId} AND status = 'open')`,
			sql`INSERT INTO rep_daily_leads (employee_id, day, leads) VALUES (${r.repId}, ${r.lead.day}, 1)
				ON CONFLICT (employee_id, day) DO UPDATE SET leads = leads + 1`,
			sql`UPDATE routing_rules SET turn = ${turn} WHERE id = ${r.lead.ruleId} AND ${turn} IS NOT NULL`,
			sql`UPDATE companies SET distribution_version = ${r.version + 1},
					assignment_counter = CASE WHEN ${r.lead.ruleId} IS NULL AND ${turn} IS NOT NULL
						THEN ${turn} ELSE assignment_counter END
				WHERE id = ${r.companyId}`,
		];
		await runBatch(db, statements).catch((error: unknown) => {
			throw isDistributionAbort(error) ? new DistributionChangedError(error) : error;
		});
	});
}
