// Speed-to-lead state in D1: the leads whose SLA or reminder is due, and the one-batch changes made
// to them — a reassignment (compare-and-set on the assignee and round), an escalation, a reminder,
// and a one-click link's action (recorded once in action_link_uses).
import { type SQL, sql } from "drizzle-orm";
import { type Db, guarded, prepared, runBatch } from "./db";
import { notificationRows } from "./notifications";

export interface DueLead {
	clientId: number;
	employeeId: number | null;
	reassignments: number;
	slaDueAt: string | null;
	reminderDueAt: string | null;
	/** The lead still has an open follow-up task. */
	openTask: number;
	firstResponseAt: string | null;
}

const DUE_COLUMNS = sql`s.client_id AS clientId, s.employee_id AS employeeId, s.reassignments,
	s.sla_due_at AS slaDueAt, s.reminder_due_at AS reminderDueAt,
	EXISTS (SELECT 1 FROM tasks t WHERE t.client_id = s.client_id AND t.status = 'open') AS openTask,
	(SELECT c.first_response_at FROM clients c WHERE c.id = s.client_id) AS firstResponseAt`;

/** Leads whose SLA or reminder time has come, each branch on its partial index. */
export async function dueLeads(db: Db, now: Date, limit: number): Promise<DueLead[]> {
	const at = now.toISOString();
	const [sla = [], reminders = []] = await guarded(() =>
		runBatch(db, [
			sql`SELECT ${DUE_COLUMNS} FROM lead_sla s INDEXED BY lead_sla_due_idx
				WHERE s.sla_due_at IS NOT NULL AND s.sla_due_at <= ${at} ORDER BY s.sla_due_at LIMIT ${limit}`,
			sql`SELECT ${DUE_COLUMNS} FROM lead_sla s INDEXED BY lead_sla_reminder_idx
				WHERE s.reminder_due_at IS NOT NULL AND s.reminder_due_at <= ${at}
				ORDER BY s.reminder_due_at LIMIT ${limit}`,
		]),
	);
	const byClient = new Map<number, DueLead>();
	for (const row of [...sla, ...reminders] as DueLead[]) byClient.set(row.clientId, row);
	return [...byClient.values()];
}

/** These clients' SLA state (the queue's message names its lead); prepared once per isolate. */
export async function leadsOf(db: Db, clientIds: number[]): Promise<DueLead[]> {
	const [rows = []] = await guarded(() =>
		runBatch(db, [leadsOfQuery({ ids: JSON.stringify(clientIds) })]),
	);
	return rows as DueLead[];
}

const leadsOfQuery = prepared(
	() => sql`SELECT ${DUE_COLUMNS} FROM json_each(${sql.placeholder("ids")}) j
		CROSS JOIN lead_sla s ON s.client_id = j.value`,
);

/** Who the lead is assigned to now, and its round (0 when it was never reassigned). */
export async function currentAssignment(
	db: Db,
	clientId: number,
): Promise<{ employeeId: number | null; reassignments: number } | undefined> {
	const [rows = []] = await guarded(() =>
		runBatch(db, [
			sql`SELECT c.assigned_employee_id AS employeeId,
					coalesce((SELECT s.reassignments FROM lead_sla s WHERE s.client_id = c.id), 0)
						AS reassignments
				FROM clients c WHERE c.id = ${clientId}`,
		]),
	);
	return (rows as { employeeId: number | null; reassignments: number }[])[0];
}

/** The one-click link whose use a change records (its nonce is the link's identity). */
export interface LinkUse {
	nonce: string;
	action: string;
}

export interface Reassignment {
	clientId: number;
	/** The assignee and round the caller saw: the change happens only if D1 still says so. */
	from: number | null;
	round: number;
	to: number;
	now: Date;
	/** Set when a one-click "Not mine" asks: the change happens only on the link's first use. */
	link?: LinkUse;
}

export type ChangeOutcome = "changed" | "stale" | "already_used";

/**
 * Moves the lead to `to` in one batch, all statements gated on this batch's token: the lead_sla
 * compare-and-set (assignee and round as read), the client and its open tasks, the rows telling
 * both reps, and, once the company's escalate_after is reached, the manager channels. A repeated
 * cron run or a redelivered message sees a changed round and changes nothing.
 */
export async function reassignLead(db: Db, change: Reassignment): Promise<ChangeOutcome> {
	const { clientId, to, round } = change;
	const { token, mine } = changeGuard(clientId);
	const at = change.now.toISOString();
	const nextRound = round + 1;
	const escalates = sql`${mine} AND EXISTS (SELECT 1 FROM lead_sla s
		CROSS JOIN company_notification_settings cs ON cs.company_id = s.company_id
		WHERE s.client_id = ${clientId} AND s.escalated_at IS NULL AND cs.escalate_after > 0
			AND s.reassignments >= cs.escalate_after)`;
	const results = await guarded(() =>
		runBatch(db, [
			...linkUse(change.link, clientId, token, at),
			// Seeded with the assignee the caller saw, not the client's: chooseReassignee has already
			// written the new rep on the client (intake/distribute.ts) when a lead without a watch row
			// gets a "Not mine"; the link's one use guards that path.
			sql`INSERT INTO lead_sla (client_id, company_id, employee_id, assigned_at)
				SELECT id, company_id, ${change.from}, created_at FROM clients WHERE id = ${clientId}
				ON CONFLICT DO NOTHING`,
			sql`UPDATE lead_sla SET employee_id = ${to}, reassignments = ${nextRound}, assigned_at = ${at},
					change_token = ${token},
					sla_due_at = (SELECT CASE WHEN cs.sla_minutes > 0 AND lead_sla.sla_due_at IS NOT NULL
						THEN strftime('%Y-%m-%dT%H:%M:%fZ', ${at}, '+' || cs.sla_minutes || ' minutes') END
						FROM company_notification_settings cs WHERE cs.company_id = lead_sla.company_id)
				WHERE client_id = ${clientId} AND employee_id IS ${change.from} AND reassignments = ${round}
					AND ${linkIsMine(change.link, token)}`,
			sql`UPDATE clients SET assigned_employee_id = ${to} WHERE id = ${clientId} AND ${mine}`,
			sql`UPDATE tasks SET employee_id = ${to}
				WHERE client_id = ${clientId} AND status = 'open' AND ${mine}`,
			notificationRows(
				{ clientId, employee: sql`${to}`, kind: "reassigned_to", round: nextRound },
				mine,
			),
			notificationRows(
				{ clientId, employee: sql`${change.from}`, kind: "reassigned_from", round: nextRound },
				sql`${mine} AND ${change.from} IS NOT NULL`,
			),
			notificationRows(
				{ clientId, employee: sql`NULL`, kind: "escalation", round: nextRound },
				escalates,
			),
			sql`UPDATE lead_sla SET escalated_at = ${at} WHERE client_id = ${clientId} AND ${escalates}`,
			sql`SELECT ${mine} AS changed, ${linkWasUsed(change.link, token)} AS used`,
		]),
	);
	return outcomeOf(results.at(-1));
}

/**
 * No rep is left to take the lead: its manager channels are told (once per lead) and its SLA stops
 * being watched. Gated on the SLA time the caller read, so a repeated run does nothing.
 */
export async function escalateUnassignable(
	db: Db,
	lead: { clientId: number; round: number; slaDueAt: string | null },
	now: Date,
): Promise<void> {
	const { clientId } = lead;
	const { token, mine } = changeGuard(clientId);
	await guarded(() =>
		runBatch(db, [
			sql`UPDATE lead_sla SET sla_due_at = NULL, change_token = ${token}
				WHERE client_id = ${clientId} AND sla_due_at IS ${lead.slaDueAt}`,
			notificationRows(
				{ clientId, employee: sql`NULL`, kind: "escalation", round: lead.round },
				sql`${mine} AND EXISTS (SELECT 1 FROM lead_sla s WHERE s.client_id = ${clientId}
					AND s.escalated_at IS NULL)`,
			),
			sql`UPDATE lead_sla SET escalated_at = coalesce(escalated_at, ${now.toISOString()})
				WHERE client_id = ${clientId} AND ${mine}`,
		]),
	);
}

/** Stops watching the SLA of a lead that was answered (its task is done), as read. */
export async function clearSla(db: Db, lead: { clientId: number; slaDueAt: string | null }) {
	await guarded(() =>
		runBatch(db, [
			sql`UPDATE lead_sla SET sla_due_at = NULL
				WHERE client_id = ${lead.clientId} AND sla_due_at IS ${lead.slaDueAt}`,
		]),
	);
}

/**
 * The reminder's time has come: the rep's channels get a reminder when nobody has answered the
 * lead yet, and the reminder is settled either way; gated on the time read, so it is sent once.
 */
export async function settleReminder(
	db: Db,
	lead: { clientId: number; employeeId: number | null; round: number; reminderDueAt: string },
	remind: boolean,
): Promise<void> {
	const { clientId } = lead;
	const { token, mine } = changeGuard(clientId);
	await guarded(() =>
		runBatch(db, [
			sql`UPDATE lead_sla SET reminder_due_at = NULL, change_token = ${token}
				WHERE client_id = ${clientId} AND reminder_due_at = ${lead.reminderDueAt}`,
			...(remind && lead.employeeId !== null
				? [
						notificationRows(
							{ clientId, employee: sql`${lead.employeeId}`, kind: "reminder", round: lead.round },
							mine,
						),
					]
				: []),
		]),
	);
}

/**
 * "Contacted": on the link's first use, the lead's open follow-up tasks are done (a lead without
 * one gets one, done at once), so the trigger of migration 0018 records its first response, and
 * its SLA and reminder stop.
 */
export async function markContacted(
	db: Db,
	input: { clientId: number; employeeId: number | null; link: LinkUse; now: Date },
): Promise<ChangeOutcome> {
	const { clientId } = input;
	const token = crypto.randomUUID();
	const at = input.now.toISOString();
	const mine = linkIsMine(input.link, token);
	const results = await guarded(() =>
		runBatch(db, [
			...linkUse(input.link, clientId, token, at),
			sql`INSERT INTO tasks (client_id, employee_id, due_at, status, note)
				SELECT ${clientId}, ${input.employeeId}, ${at}, 'open', 'Contacted (one-click link)'
				WHERE ${mine} AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.client_id = ${clientId}
					AND t.status = 'open')`,
			sql`UPDATE tasks SET status = 'done', completed_at = ${at}
				WHERE client_id = ${clientId} AND status = 'open' AND ${mine}`,
			sql`UPDATE lead_sla SET sla_due_at = NULL, reminder_due_at = NULL
				WHERE client_id = ${clientId} AND ${mine}`,
			sql`SELECT ${mine} AS changed, ${linkWasUsed(input.link, token)} AS used`,
		]),
	);
	return outcomeOf(results.at(-1));
}

/**
 * A change's compare-and-set: its first UPDATE writes `token` to the lead's lead_sla row (only where
 * the row is still as read); `mine` gates every later statement of the batch on that token.
 */
function changeGuard(clientId: number): { token: string; mine: SQL } {
	const token = crypto.randomUUID();
	const mine = sql`EXISTS (SELECT 1 FROM lead_sla s WHERE s.client_id = ${clientId}
		AND s.change_token = ${token})`;
	return { token, mine };
}

function linkUse(link: LinkUse | undefined, clientId: number, token: string, at: string): SQL[] {
	if (!link) return [];
	return [
		sql`INSERT INTO action_link_uses (nonce, action, client_id, use_token, used_at)
			VALUES (${link.nonce}, ${link.action}, ${clientId}, ${token}, ${at})
			ON CONFLICT (nonce) DO NOTHING`,
	];
}

function linkIsMine(link: LinkUse | undefined, token: string): SQL {
	return link
		? sql`EXISTS (SELECT 1 FROM action_link_uses u WHERE u.nonce = ${link.nonce}
			AND u.use_token = ${token})`
		: sql`1`;
}

function linkWasUsed(link: LinkUse | undefined, token: string): SQL {
	return link
		? sql`EXISTS (SELECT 1 FROM action_link_uses u WHERE u.nonce = ${link.nonce}
			AND u.use_token <> ${token})`
		: sql`0`;
}

function outcomeOf(rows: unknown[] | undefined): ChangeOutcome {
	const row = rows?.[0] as { changed: number; used: number } | undefined;
	if (row?.used === 1) return "already_used";
	return row?.changed === 1 ? "changed" : "stale";
}

/** True when the link with this nonce was used already. */
export async function linkWasUsedBefore(db: Db, nonce: string): Promise<boolean> {
	const [rows = []] = await guarded(() =>
		runBatch(db, [sql`SELECT 1 AS used FROM action_link_uses WHERE nonce = ${nonce}`]),
	);
	return rows.length > 0;
}
