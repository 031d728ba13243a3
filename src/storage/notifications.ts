// The notification outbox in D1 (issue 22): rows made in the batch that stores or reassigns a lead,
// claimed with a lease exactly as forwards are (storage/forwards.ts: the cron and a waitUntil send
// never send one twice), settled with their attempt count and backoff time, and read for the lead page.
import { type SQL, sql } from "drizzle-orm";
import { type BatchQuery, type Db, guarded, prepared, preparedShapes, runBatch } from "./db";
import type { Claim } from "./forwards";
import type { ChannelKind, NotificationKind, NotificationStatus } from "./schema";

/**
 * The receipt's new leads get a "new_lead" row per active channel of their rep, and, when their
 * company has speed-to-lead rules, a lead_sla row (SLA and reminder due times counted from the
 * client's created_at). Run in the batch that creates the clients: a stored lead is never without them.
 */
export const notificationsForReceipt = prepared(
	() => sql`
		INSERT INTO notifications (client_id, company_id, channel_id, employee_id, kind, round)
		SELECT c.id, c.company_id, ch.id, ch.employee_id, 'new_lead', 0
		FROM clients AS c
		CROSS JOIN notification_channels AS ch INDEXED BY notification_channels_owner_idx
			ON ch.company_id = c.company_id AND ch.employee_id = c.assigned_employee_id AND ch.is_active = 1
		WHERE c.receipt_id = ${sql.placeholder("receiptId")} AND c.assigned_employee_id IS NOT NULL
		ON CONFLICT DO NOTHING`,
);

export const slaForReceipt = prepared(
	() => sql`
		INSERT INTO lead_sla (client_id, company_id, employee_id, assigned_at, sla_due_at, reminder_due_at)
		SELECT c.id, c.company_id, c.assigned_employee_id, c.created_at,
			CASE WHEN s.sla_minutes > 0
				THEN strftime('%Y-%m-%dT%H:%M:%fZ', c.created_at, '+' || s.sla_minutes || ' minutes') END,
			CASE WHEN s.reminder_hours > 0
				THEN strftime('%Y-%m-%dT%H:%M:%fZ', c.created_at, '+' || s.reminder_hours || ' hours') END
		FROM clients AS c
		CROSS JOIN company_notification_settings AS s ON s.company_id = c.company_id
		WHERE c.receipt_id = ${sql.placeholder("receiptId")} AND c.assigned_employee_id IS NOT NULL
			AND c.is_test = 0
		ON CONFLICT DO NOTHING`,
);

/** The two statements a receipt adds to its batch. */
export function notifyStatements(receiptId: string) {
	return [notificationsForReceipt({ receiptId }), slaForReceipt({ receiptId })];
}

/**
 * Rows telling the channels of `employee` (a rep, or NULL: the company's manager channels) about
 * the client, for assignment round `round`; `when` gates the INSERT (a compare-and-set's token).
 */
export function notificationRows(
	to: { clientId: number; employee: SQL; kind: NotificationKind; round: SQL | number },
	when: SQL = sql`1`,
): SQL {
	return sql`
		INSERT INTO notifications (client_id, company_id, channel_id, employee_id, kind, round)
		SELECT c.id, c.company_id, ch.id, ch.employee_id, ${to.kind}, ${to.round}
		FROM clients AS c
		CROSS JOIN notification_channels AS ch INDEXED BY notification_channels_owner_idx
			ON ch.company_id = c.company_id AND ch.employee_id IS ${to.employee} AND ch.is_active = 1
		WHERE c.id = ${to.clientId} AND ${when}
		ON CONFLICT DO NOTHING`;
}

export interface ClaimedNotification {
	id: number;
	clientId: number | null;
	attempts: number;
}

async function runClaim(db: Db, query: BatchQuery): Promise<ClaimedNotification[]> {
	const [rows = []] = await guarded(() => runBatch(db, [query]));
	return (rows as ClaimedNotification[]).sort((a, b) => a.id - b.id);
}

/** Claims up to `limit` due notifications of any lead (the cron), one UPDATE as forwards' claim. */
export function claimDueNotifications(
	db: Db,
	claim: Claim,
	limit: number,
): Promise<ClaimedNotification[]> {
	return runClaim(db, claimQuery("due", claimValues(claim, [], limit)));
}

/** Rows one claim of given clients takes at most (a lead has one per channel, kind and round). */
const MAX_CLAIM = 1000;

/** Claims the due notifications of these clients, or these rows (the waitUntil send). */
export function claimNotificationsOf(
	db: Db,
	of: { clientIds?: number[]; ids?: number[] },
	claim: Claim,
): Promise<ClaimedNotification[]> {
	const ids = of.ids ?? of.clientIds ?? [];
	return runClaim(db, claimQuery(of.ids ? "ids" : "clients", claimValues(claim, ids, MAX_CLAIM)));
}

function claimValues(claim: Claim, ids: number[], limit: number) {
	return {
		ids: JSON.stringify(ids),
		limit,
		token: claim.token,
		now: claim.now.toISOString(),
		leaseUntil: new Date(claim.now.getTime() + claim.leaseSeconds * 1000).toISOString(),
	};
}

/**
 * The claim: due rows as three disjoint branches (waiting with no time set, waiting whose time has
 * come, sends whose lease ran out), each an index range, as forwards' claim; of any lead, of given
 * clients, or given rows. Prepared once per isolate, so a delivery's background send builds no SQL.
 */
const claimQuery = preparedShapes<"due" | "ids" | "clients">((shape) => {
	const now = sql.placeholder("now");
	const ids = sql`(SELECT value FROM json_each(${sql.placeholder("ids")}))`;
	const where = { due: sql`1`, ids: sql`n.id IN ${ids}`, clients: sql`n.client_id IN ${ids}` }[
		shape
	];
	const branches = [
		sql`n.status IN ('pending', 'retry') AND n.next_attempt_at IS NULL`,
		sql`n.status IN ('pending', 'retry') AND n.next_attempt_at <= ${now}`,
		sql`n.status = 'sending' AND n.lease_until <= ${now}`,
	].map((due) => sql`SELECT n.id FROM notifications AS n WHERE ${where} AND ${due}`);
	return sql`
		UPDATE notifications SET status = 'sending', lease_until = ${sql.placeholder("leaseUntil")},
			claim_token = ${sql.placeholder("token")}, updated_at = ${now}
		WHERE id IN (SELECT id FROM (${sql.join(branches, sql` UNION ALL `)})
			ORDER BY id LIMIT ${sql.placeholder("limit")})
		RETURNING id, client_id AS clientId, attempts`;
});

/** Everything one send needs: the row, its channel (secret still sealed), the lead and its rep. */
export interface NotificationJob {
	id: number;
	kind: NotificationKind;
	round: number;
	attempts: number;
	companyId: number;
	companyName: string;
	channelKind: ChannelKind;
	target: string;
	secretSealed: string | null;
	employeeId: number | null;
	employeeName: string | null;
	clientId: number | null;
	fullName: string | null;
	email: string | null;
	source: string | null;
	formId: string | null;
	attribution: string | null;
	answers: string | null;
	phone: string | null;
	createdAt: string | null;
	/** The rep who has the lead now (for a reassignment's and an escalation's message). */
	assigneeName: string | null;
	reassignments: number;
}

export async function loadNotificationJobs(db: Db, ids: number[]): Promise<NotificationJob[]> {
	const [rows = []] = await guarded(() =>
		runBatch(db, [
			sql`
			SELECT n.id, n.kind, n.round, n.attempts, n.company_id AS companyId, co.name AS companyName,
				ch.kind AS channelKind, ch.target, ch.secret_sealed AS secretSealed,
				n.employee_id AS employeeId, e.name AS employeeName,
				c.id AS clientId, c.full_name AS fullName, c.email, c.source, c.form_id AS formId,
				c.attribution, c.answers, c.created_at AS createdAt,
				(SELECT p.phone_number FROM client_phone_numbers p WHERE p.client_id = c.id AND p.is_valid
					ORDER BY p.id LIMIT 1) AS phone,
				(SELECT a.name FROM employees a WHERE a.id = c.assigned_employee_id) AS assigneeName,
				coalesce((SELECT s.reassignments FROM lead_sla s WHERE s.client_id = c.id), 0)
					AS reassignments
			FROM json_each(${JSON.stringify(ids)}) AS j
			CROSS JOIN notifications AS n ON n.id = j.value
			CROSS JOIN notification_channels AS ch ON ch.id = n.channel_id
			CROSS JOIN companies AS co ON co.id = n.company_id
			LEFT JOIN employees AS e ON e.id = n.employee_id
			LEFT JOIN clients AS c ON c.id = n.client_id`,
		]),
	);
	return rows as NotificationJob[];
}

/** What one send did to one row. */
export interface NotificationSettlement {
	id: number;
	status: Exclude<NotificationStatus, "pending" | "sending">;
	attempts: number;
	nextAttemptAt: string | null;
	lastErrorCode: string | null;
}

/** Writes settlements in one statement, only for rows this claim still holds (as forwards do). */
export async function settleNotifications(
	db: Db,
	claimToken: string,
	settlements: NotificationSettlement[],
	now: Date,
): Promise<void> {
	if (settlements.length === 0) return;
	await guarded(() =>
		runBatch(db, [
			sql`
			UPDATE notifications SET status = j.value ->> '$.status', attempts = j.value ->> '$.attempts',
				next_attempt_at = j.value ->> '$.nextAttemptAt',
				last_error_code = j.value ->> '$.lastErrorCode',
				lease_until = NULL, claim_token = NULL, updated_at = ${now.toISOString()}
			FROM json_each(${JSON.stringify(settlements)}) AS j
			WHERE notifications.id = j.value ->> '$.id' AND notifications.claim_token = ${claimToken}`,
		]),
	);
}

/** Notifications that went dead after `since`, per company (the alert scan, as dead forwards). */
export function deadNotificationsSince(
	db: Db,
	since: Date,
): Promise<{ companyId: number; count: number }[]> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT company_id AS companyId, COUNT(*) AS count FROM notifications
				WHERE status = 'dead' AND updated_at > ${since.toISOString()}
				GROUP BY company_id ORDER BY company_id`,
		]);
		return rows as { companyId: number; count: number }[];
	});
}

/** One notification as the lead page and the operator API show it (no secret, no message text). */
export interface NotificationView {
	id: number;
	kind: NotificationKind;
	round: number;
	channelId: number;
	channelKind: ChannelKind;
	employeeName: string | null;
	status: NotificationStatus;
	attempts: number;
	nextAttemptAt: string | null;
	lastErrorCode: string | null;
	createdAt: string;
	updatedAt: string | null;
}

export async function clientNotifications(db: Db, clientId: number): Promise<NotificationView[]> {
	const [rows = []] = await guarded(() =>
		runBatch(db, [
			sql`
			SELECT n.id, n.kind, n.round, n.channel_id AS channelId, ch.kind AS channelKind,
				e.name AS employeeName, n.status, n.attempts, n.next_attempt_at AS nextAttemptAt,
				n.last_error_code AS lastErrorCode, n.created_at AS createdAt, n.updated_at AS updatedAt
			FROM notifications AS n
			CROSS JOIN notification_channels AS ch ON ch.id = n.channel_id
			LEFT JOIN employees AS e ON e.id = n.employee_id
			WHERE n.client_id = ${clientId}
			ORDER BY n.id`,
		]),
	);
	return rows as NotificationView[];
}
