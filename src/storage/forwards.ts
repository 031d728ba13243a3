// Forwards in D1, one per client and destination: created with their client (same batch), claimed
// atomically with a lease so the cron, the queue and a waitUntil send never send one twice, and
// settled with their attempt, the client's Salesforce id and an integration log in one batch. Rows
// travel as json_each arrays; the clients UPDATE looks rows up by id (an UPDATE ... FROM made SQLite
// scan every client per batch).
import { type Query, type SQL, sql } from "drizzle-orm";
import { type Db, guarded, prepared, runBatch } from "./db";
import { scopeCondition } from "./salesforce-connections";
import type { ForwardAttemptOutcome, ForwardStatus, LogStatus } from "./schema";

export const SALESFORCE_DESTINATION = "salesforce";
export const FORWARD_LOG_ACTION = "salesforce_forward";

/** The integration log action of a destination's forwards ends so: salesforce_forward, webhook_forward... */
export const FORWARD_LOG_SUFFIX = "_forward";

export function forwardLogAction(destination: string): string {
	return destination + FORWARD_LOG_SUFFIX;
}

/** How a receipt decides which new clients get a forward. */
export interface ForwardingPolicy {
	/** A default connection is configured (secrets): every company's clients are forwarded. */
	defaultConnection: boolean;
}

/**
 * The statement that gives every client created by `receiptId` a pending forward per destination of
 * its company that is not switched off: Salesforce when the company has a connection (or a default
 * connection exists), and each other destination row. Run it in the batch that creates the clients,
 * so a client never exists without its forwards. Any client-creation path should include it.
 * The default connection counts only through the policy (today's secrets), not its D1 row: that row
 * outlives removed secrets until the next cron, and forwards made for it then would never be sent.
 * Returns one row per forward (a client with two destinations comes back twice).
 */
export function forwardsForReceipt(receiptId: string, policy: ForwardingPolicy | undefined): Query {
	return receiptForwards({ receiptId, everyCompany: policy?.defaultConnection ? 1 : 0 });
}

const receiptForwards = prepared(
	() => sql`
		INSERT INTO forwards (client_id, company_id, destination, status)
		SELECT clientId, companyId, destination, 'pending' FROM (
			SELECT c.id AS clientId, c.company_id AS companyId, ${SALESFORCE_DESTINATION} AS destination
			FROM clients AS c
			WHERE c.receipt_id = ${sql.placeholder("receiptId")}
				AND (${sql.placeholder("everyCompany")} = 1
					OR EXISTS (SELECT 1 FROM salesforce_connections s WHERE s.company_id = c.company_id))
				AND NOT EXISTS (SELECT 1 FROM destinations d WHERE d.company_id = c.company_id
					AND d.kind = ${SALESFORCE_DESTINATION} AND d.state = 'off')
			UNION ALL
			SELECT c.id, c.company_id, d.kind
			FROM clients AS c CROSS JOIN destinations AS d ON d.company_id = c.company_id
			WHERE c.receipt_id = ${sql.placeholder("receiptId")}
				AND d.kind <> ${SALESFORCE_DESTINATION} AND d.state <> 'off')
		WHERE true
		ON CONFLICT (client_id, destination) DO NOTHING
		RETURNING client_id AS clientId`,
);

export interface ClaimedForward {
	id: number;
	clientId: number;
	companyId: number;
	/** The destination kind: "salesforce", "webhook"... */
	destination: string;
	/** Attempts made before this one. */
	attempts: number;
}

export interface Claim {
	token: string;
	now: Date;
	leaseSeconds: number;
}

/**
 * The due forwards as three disjoint branches, each one an index range: waiting with no time set,
 * waiting whose time has come, and sending whose lease ran out. One condition joining them with OR
 * let SQLite use no index past the scope (every forward of the company was read); UNION ALL of the
 * branches gives the same rows, none twice.
 */
const DUE_BRANCHES = (now: string) => [
	sql`f.status IN ('pending', 'retry') AND f.next_attempt_at IS NULL`,
	sql`f.status IN ('pending', 'retry') AND f.next_attempt_at <= ${now}`,
	sql`f.status = 'sending' AND f.lease_until <= ${now}`,
];

/**
 * Which forwards a claim looks at, and the index that finds them: one company's waiting rows
 * (forwards_company_status_idx), every company's due rows (forwards_due_idx), or given clients'
 * rows (forwards_client_destination_uq). Named, because without statistics SQLite picked an index
 * that reads every company's waiting forwards for a claim of one company or of a few clients.
 */
interface ClaimScope {
	where: SQL;
	index: "forwards_company_status_idx" | "forwards_due_idx" | "forwards_client_destination_uq";
}

function dueIds(now: string, { where, index }: ClaimScope): SQL {
	const branches = DUE_BRANCHES(now).map(
		(due) => sql`SELECT f.id FROM forwards AS f INDEXED BY ${sql.raw(index)}
			WHERE ${where} AND ${due}`,
	);
	return sql.join(branches, sql` UNION ALL `);
}

function claimWhere(claim: Claim, scope: ClaimScope, limit: number): SQL {
	const now = claim.now.toISOString();
	const leaseUntil = new Date(claim.now.getTime() + claim.leaseSeconds * 1000).toISOString();
	return sql`
		UPDATE forwards SET status = 'sending', lease_until = ${leaseUntil}, claim_token = ${claim.token},
			updated_at = ${now}
		WHERE id IN (SELECT id FROM (${dueIds(now, scope)}) ORDER BY id LIMIT ${limit})
		RETURNING id, client_id AS clientId, company_id AS companyId, destination, attempts`;
}

async function runClaim(db: Db, query: SQL): Promise<ClaimedForward[]> {
	const [rows = []] = await guarded(() => runBatch(db, [query]));
	return (rows as ClaimedForward[]).sort((a, b) => a.id - b.id);
}

/**
 * Claims up to `limit` due forwards of one destination: a Salesforce connection's (every company
 * without one of its own, for the default connection), or one company's destination of another kind.
 * One UPDATE: SQLite runs it alone, so two claimers can never both take a row; a crashed sender's
 * rows come back when the lease ends.
 */
export function claimDueForwards(
	db: Db,
	connection: { companyId: number | null },
	claim: Claim,
	limit: number,
	destination: string = SALESFORCE_DESTINATION,
): Promise<ClaimedForward[]> {
	const index = connection.companyId === null ? "forwards_due_idx" : "forwards_company_status_idx";
	const where = sql`f.destination = ${destination} AND ${scopeCondition(connection)}`;
	return runClaim(db, claimWhere(claim, { where, index }, limit));
}

/** A claim of given clients takes each one's forwards: at most one per destination kind. */
const MAX_DESTINATIONS_PER_CLIENT = 8;

/** Claims the due forwards of just-created clients, every destination (the waitUntil send). */
export function claimClientForwards(
	db: Db,
	clientIds: number[],
	claim: Claim,
): Promise<ClaimedForward[]> {
	const ids = JSON.stringify(clientIds);
	const where = sql`f.client_id IN (SELECT value FROM json_each(${ids}))`;
	return runClaim(
		db,
		claimWhere(
			claim,
			{ where, index: "forwards_client_destination_uq" },
			clientIds.length * MAX_DESTINATIONS_PER_CLIENT,
		),
	);
}

export interface ForwardClient {
	forwardId: number;
	clientId: number;
	companyId: number;
	companyName: string;
	source: string;
	externalId: string | null;
	fullName: string | null;
	email: string | null;
	formId: string | null;
	/** JSON [{ name, values }] as ingest stored it. */
	answers: string | null;
	/** The first stored E.164 phone. */
	phone: string | null;
	/** The first phone value that did not parse, as typed. */
	invalidPhone: string | null;
	/** The assigned rep, when there is one. */
	repName: string | null;
	repEmail: string | null;
	/** JSON { form_name, campaign_name, ... } as ingest stored it; null when the provider sent none. */
	attribution: string | null;
	isTest: number;
	createdAt: string;
}

/** The clients behind claimed forwards, with their company's name, first phone and first invalid one. */
export async function loadForwardClients(db: Db, forwardIds: number[]): Promise<ForwardClient[]> {
	const ids = JSON.stringify(forwardIds);
	const [rows = []] = await guarded(() =>
		runBatch(db, [
			sql`
			SELECT f.id AS forwardId, c.id AS clientId, c.company_id AS companyId, co.name AS companyName,
				c.source, c.external_id AS externalId, c.full_name AS fullName, c.email, c.form_id AS formId,
				c.answers, c.attribution, c.is_test AS isTest, c.created_at AS createdAt,
				e.name AS repName, e.email AS repEmail,
				(SELECT p.phone_number FROM client_phone_numbers p WHERE p.client_id = c.id AND p.is_valid
					ORDER BY p.id LIMIT 1) AS phone,
				(SELECT p.phone_number FROM client_phone_numbers p WHERE p.client_id = c.id
					AND NOT p.is_valid ORDER BY p.id LIMIT 1) AS invalidPhone
			FROM json_each(${ids}) AS j
			CROSS JOIN forwards AS f ON f.id = j.value
			CROSS JOIN clients AS c ON c.id = f.client_id
			CROSS JOIN companies AS co ON co.id = c.company_id
			LEFT JOIN employees AS e ON e.id = c.assigned_employee_id`,
		]),
	);
	return rows as ForwardClient[];
}

/** What one send did to one forward: its next state, the attempt row and the log line. */
export interface ForwardSettlement {
	forwardId: number;
	clientId: number;
	companyId: number;
	status: ForwardStatus;
	attempts: number;
	nextAttemptAt: string | null;
	lastErrorCode: string | null;
	lastError: string | null;
	remoteId: string | null;
	attempt: {
		outcome: ForwardAttemptOutcome;
		httpStatus: number | null;
		errorCode: string | null;
		durationMs: number;
		trigger: string;
	};
	log: { status: LogStatus; message: string };
}

/**
 * Writes settlements in one batch, only for forwards this claim still holds (a claim whose lease
 * ran out and was taken over writes nothing, so the new holder's result stands).
 */
export async function settleForwards(
	db: Db,
	claimToken: string,
	settlements: ForwardSettlement[],
	now: Date,
): Promise<void> {
	if (settlements.length === 0) return;
	const json = JSON.stringify(settlements);
	const at = now.toISOString();
	const held = sql`f.id = j.value ->> '$.forwardId' AND f.claim_token = ${claimToken}`;
	await guarded(() =>
		runBatch(db, [
			sql`
			INSERT INTO forward_attempts (forward_id, attempt_number, outcome, http_status, error_code,
				duration_ms, trigger, created_at)
			SELECT f.id, j.value ->> '$.attempts', j.value ->> '$.attempt.outcome',
				j.value ->> '$.attempt.httpStatus', j.value ->> '$.attempt.errorCode',
				j.value ->> '$.attempt.durationMs', j.value ->> '$.attempt.trigger', ${at}
			FROM json_each(${json}) AS j CROSS JOIN forwards AS f ON ${held}`,
			sql`
			UPDATE clients SET salesforce_id = (SELECT j.value ->> '$.remoteId' FROM json_each(${json}) AS j
				WHERE j.value ->> '$.clientId' = clients.id)
			WHERE clients.id IN (SELECT f.client_id FROM json_each(${json}) AS j CROSS JOIN forwards AS f
				ON ${held} WHERE j.value ->> '$.remoteId' IS NOT NULL
					AND f.destination = ${SALESFORCE_DESTINATION})`,
			sql`
			INSERT INTO integration_logs (company_id, provider, action, status, message, external_id,
				request_id)
			SELECT f.company_id, f.destination, f.destination || ${FORWARD_LOG_SUFFIX},
				j.value ->> '$.log.status', j.value ->> '$.log.message', j.value ->> '$.remoteId',
				${claimToken}
			FROM json_each(${json}) AS j CROSS JOIN forwards AS f ON ${held}`,
			sql`
			UPDATE forwards SET status = j.value ->> '$.status', attempts = j.value ->> '$.attempts',
				next_attempt_at = j.value ->> '$.nextAttemptAt',
				last_error_code = j.value ->> '$.lastErrorCode', last_error = j.value ->> '$.lastError',
				remote_id = coalesce(j.value ->> '$.remoteId', forwards.remote_id),
				lease_until = NULL, claim_token = NULL, updated_at = ${at}
			FROM json_each(${json}) AS j
			WHERE forwards.id = j.value ->> '$.forwardId' AND forwards.claim_token = ${claimToken}`,
		]),
	);
}

/** Gives claimed forwards back untouched (nothing was sent), e.g. when the connection must wait. */
export async function releaseForwards(db: Db, claimToken: string): Promise<void> {
	await guarded(() =>
		runBatch(db, [
			sql`
			UPDATE forwards SET status = CASE WHEN attempts = 0 THEN 'pending' ELSE 'retry' END,
				lease_until = NULL, claim_token = NULL
			WHERE claim_token = ${claimToken} AND status = 'sending'`,
		]),
	);
}

/** Where a client's forward stands, for a queue message deciding between ack and retry-later. */
export interface ForwardState {
	clientId: number;
	destination: string;
	status: ForwardStatus;
	nextAttemptAt: string | null;
	leaseUntil: string | null;
}

/** The forwards of these clients as they are now, every destination (clients without one are absent). */
export async function forwardStates(db: Db, clientIds: number[]): Promise<ForwardState[]> {
	const ids = JSON.stringify(clientIds);
	const [rows = []] = await guarded(() =>
		runBatch(db, [
			sql`
			SELECT f.client_id AS clientId, f.destination, f.status, f.next_attempt_at AS nextAttemptAt,
				f.lease_until AS leaseUntil
			FROM json_each(${ids}) AS j CROSS JOIN forwards AS f ON f.client_id = j.value`,
		]),
	);
	return rows as ForwardState[];
}
