// Writes one delivery atomically in a single D1 batch: clients, phones, round-robin assignment,
// Salesforce forwards, notification rows and integration logs. Rows travel as JSON arrays expanded by json_each, so a 1000-lead batch takes a
// handful of statements, not one per lead; the unique index on (integration_account_id, external_id)
// turns concurrent duplicates into no-ops. Joins against json_each are CROSS JOINs: SQLite then keeps
// the leads as the outer loop and finds each client through that unique index (a plain JOIN let the
// planner scan json_each once per client: 2.5 s instead of 5 ms for 1000 leads).
import { type SQL, sql } from "drizzle-orm";
import {
	type BatchQuery,
	type Db,
	guarded,
	prepared,
	preparedShapes,
	queryOf,
	runBatch,
	StorageUnavailableError,
} from "./db";
import {
	type AssignedLead,
	type DistributionWrite,
	distributionGuard,
	distributionWrites,
	isDistributionAbort,
} from "./distribution";
import { type ForwardingPolicy, forwardsForReceipt } from "./forwards";
import { notifyStatements } from "./notifications";
import { ROUTING_CHECK, type RoutingCheck } from "./routing";
import { cutClient, cutToBudget, jsonBytes, PAYLOAD_BUDGET_BYTES } from "./row-limits";
import type { FailureCause, LogStatus } from "./schema";
import { openUnresolved, resolveUnresolved } from "./unresolved";

/** A phone as client_phone_numbers keeps it: E.164 when `valid`, else the value as typed. */
export interface StoredPhone {
	number: string;
	valid: boolean;
}

export interface ClientRow {
	externalId: string;
	fullName: string | null;
	email: string | null;
	formId: string | null;
	phones: StoredPhone[];
	answers: { name: string; values: string[] }[];
	/** The form, campaign, ad set and ad the provider named (leads/lead.ts Attribution), as JSON. */
	attribution?: Record<string, string> | null;
	/** A test lead: stored without a rep, and it takes no turn of the round robin. */
	isTest?: boolean;
	/** The rep lead distribution chose (intake/distribute.ts); absent or null: nobody. */
	repId?: number | null;
	/** Why distribution found nobody ("no eligible rep"), for the Needs-action list. */
	unassignedReason?: string | null;
}

/** The follow-up task each client the receipt creates gets, for its rep ("first contact"). */
export interface FollowUp {
	dueAt: string;
	note: string;
	/** Also for a client nobody was assigned (a website form's task waits for whoever takes it). */
	unassignedToo?: boolean;
}

/**
 * An existing account (`isDefault` when it is the company's default one, not an external id's
 * mapping), or the company's default account for the provider, created on first use.
 */
export type AccountRef = { id: number; isDefault?: boolean } | { defaultName: string };

export interface ClientGroup {
	companyId: number;
	/** The company's auto_assign as read for this delivery (SQL checks it again). */
	autoAssign: boolean;
	account: AccountRef;
	clients: ClientRow[];
	/**
	 * False when the routing facts say this company's clients get no Salesforce forward (no connection
	 * of its own, no default): a receipt whose groups all say so skips the forwards statement.
	 */
	mayForward?: boolean;
}

export interface LogRow {
	/** The receipt's action unless given (one Meta delivery mixes leads, installs and messages). */
	action?: string;
	companyId: number | null;
	status: LogStatus;
	message: string;
	externalId: string | null;
	payload: string | null;
	/** What to fix, on a failure (stored as "other" when not given). */
	cause?: FailureCause;
	/** The routing key a failure could not route (TikTok advertiser, Meta Page, WhatsApp number). */
	routingKey?: string | null;
}

export interface Receipt {
	receiptId: string;
	provider: string;
	source: string;
	action: string;
	groups: ClientGroup[];
	/** Logs that are not about a created-or-duplicate client: failures, fast-path duplicates... */
	logs: LogRow[];
	/**
	 * The `?company_id` of the delivery's URL once trusted (signed, or no WEBHOOK_SIGNING_KEY set: the
	 * signed-URL guard ran first), kept on every log row so a replay routes to it again.
	 */
	urlCompanyId?: number;
	/**
	 * Which new clients get a Salesforce forward in this batch. Companies with their own connection
	 * always do; pass the config's default connection so every company's clients do.
	 */
	forwarding?: ForwardingPolicy;
	/**
	 * The routing facts the groups were built from (storage/routing.ts). The clients are written only
	 * while D1 still says what they say, and only under accounts that still are what the groups say;
	 * otherwise the whole batch aborts with RoutingChangedError and nothing is written, so the caller
	 * can re-read and retry.
	 */
	routingCheck?: RoutingCheck;
	/**
	 * What lead distribution decided each company's leads on (its version, checked first in the
	 * batch) and the leads it assigned: storage/distribution.ts.
	 */
	distribution?: { write: DistributionWrite; leads: AssignedLead[] }[];
	/** The follow-up task of every assigned (real) client this receipt creates. */
	followUp?: FollowUp;
	/**
	 * Statements run right after the clients are written, in the same batch (e.g. a website form's
	 * follow-up task for the client this receipt created: `clients.receipt_id` finds it).
	 */
	after?: BatchQuery[];
	/**
	 * Statements run last, after the logs, in the same batch (a big delivery's chunk marks itself done
	 * with the counts of the logs this receipt wrote: storage/lead-batches.ts).
	 */
	last?: BatchQuery[];
}

/** A lead D1 already held under the same account (found by the unique index, not by KV). */
export interface KnownLead {
	externalId: string;
	accountId: number;
}

export interface ReceiptResult {
	created: CreatedClient[];
	/** Leads of the groups that were already clients: redeliveries the KV fast path did not know. */
	known: KnownLead[];
}

export interface CreatedClient {
	clientId: number;
	companyId: number;
	accountId: number;
	externalId: string;
	assignedEmployeeId: number | null;
	/** A Salesforce forward was created with the client (send it: storage/forwards.ts). */
	forwarded: boolean;
}

/**
 * json_each arguments stay well under D1's 2,000,000-byte value limit (storage/row-limits.ts): rows
 * are cut to fit it first, then chunked.
 */
const CHUNK_BYTES = 512 * 1024;

/** A statement of the batch, and what its RETURNING rows are. */
interface Statement {
	query: BatchQuery;
	returns?: "clients" | "forwards";
}

/** Commits the receipt (all or nothing) and returns the clients it created and the leads D1 knew. */
export function writeReceipt(db: Db, receipt: Receipt): Promise<ReceiptResult> {
	const distribution = receipt.distribution ?? [];
	const statements: Statement[] = [
		...distribution.map(({ write }) => ({ query: distributionGuard({ ...write }) })),
		...receipt.groups.flatMap((group) => groupStatements(receipt, group)),
		...(receipt.followUp ? [{ query: insertFollowUps(receipt.receiptId, receipt.followUp) }] : []),
		...(receipt.after ?? []).map((query) => ({ query })),
		...distribution.flatMap(({ write, leads }) =>
			distributionWrites(write, receipt.receiptId, leads).map((query) => ({ query })),
		),
		...(receipt.groups.some((group) => group.mayForward !== false)
			? [
					{
						query: forwardsForReceipt(receipt.receiptId, receipt.forwarding),
						returns: "forwards" as const,
					},
				]
			: []),
		// The new leads' notification rows and SLA watch (storage/notifications.ts): sent after the answer.
		...(receipt.groups.length > 0 ? notifyStatements(receipt.receiptId) : []).map((query) => ({
			query,
		})),
		...logInserts(receipt, receipt.logs).map((query) => ({ query })),
		...(receipt.last ?? []).map((query) => ({ query })),
	];
	return guarded(async () => {
		const results = await runBatch(
			db,
			statements.map((statement) => statement.query),
		).catch((error: unknown) => {
			if (distribution.length > 0 && isDistributionAbort(error)) {
				throw new DistributionChangedError(error);
			}
			throw receipt.routingCheck && isRoutingAbort(error) ? new RoutingChangedError(error) : error;
		});
		const rowsOf = <T>(kind: Statement["returns"]) =>
			statements.flatMap((statement, i) =>
				statement.returns === kind ? ((results[i] ?? []) as T[]) : [],
			);
		const forwarded = new Set(rowsOf<{ clientId: number }>("forwards").map((r) => r.clientId));
		const created = rowsOf<Omit<CreatedClient, "forwarded">>("clients").map((client) => ({
			...client,
			forwarded: forwarded.has(client.clientId),
		}));
		return { created, known: knownLeads(receipt.groups, created) };
	});
}

/**
 * The leads of existing accounts that the batch did not create: the clients INSERT skips a lead only
 * when the unique index already holds it under that account (a default account created by this
 * batch holds none before it).
 */
function knownLeads(groups: ClientGroup[], created: Omit<CreatedClient, "forwarded">[]) {
	const createdKeys = new Set(created.map((client) => `${client.accountId}:${client.externalId}`));
	return groups.flatMap(({ account, clients }): KnownLead[] => {
		if (!("id" in account)) return [];
		return clients
			.filter((client) => !createdKeys.has(`${account.id}:${client.externalId}`))
			.map((client) => ({ externalId: client.externalId, accountId: account.id }));
	});
}

/**
 * The batch was aborted because the routing facts it was built from no longer hold: the check made
 * a client's company_id NULL, or a company or account it names is gone (foreign key).
 */
export class RoutingChangedError extends StorageUnavailableError {
	constructor(cause: unknown) {
		super(cause);
		this.name = "RoutingChangedError";
	}
}

/** The batch was aborted because a company's distribution state moved since the decision read it. */
export class DistributionChangedError extends StorageUnavailableError {
	constructor(cause: unknown) {
		super(cause);
		this.name = "DistributionChangedError";
	}
}

function isRoutingAbort(error: unknown): boolean {
	const message = error instanceof Error ? error.message : String(error);
	return /NOT NULL constraint failed: clients\.company_id|FOREIGN KEY constraint failed/.test(
		message,
	);
}

/**
 * How a group names its account in SQL: an existing one (mapped to an external id, or the company's
 * default), or the company's default account looked up by company and provider (this batch creates
 * it when missing).
 */
type AccountShape = "mapped" | "default" | "new";

function accountShape(account: AccountRef): AccountShape {
	if (!("id" in account)) return "new";
	return account.isDefault ? "default" : "mapped";
}

// Placeholders the receipt statements share; groupValues() gives them their values.
const param = {
	companyId: sql.placeholder("companyId"),
	accountId: sql.placeholder("accountId"),
	provider: sql.placeholder("provider"),
	source: sql.placeholder("source"),
	action: sql.placeholder("action"),
	receiptId: sql.placeholder("receiptId"),
	urlCompanyId: sql.placeholder("urlCompanyId"),
	json: sql.placeholder("json"),
};

function groupValues(receipt: Receipt, group: ClientGroup) {
	return {
		companyId: group.companyId,
		accountId: "id" in group.account ? group.account.id : null,
		accountName: "defaultName" in group.account ? group.account.defaultName : null,
		provider: receipt.provider,
		source: receipt.source,
		action: receipt.action,
		receiptId: receipt.receiptId,
		urlCompanyId: receipt.urlCompanyId ?? null,
		checkedFacts: receipt.routingCheck?.checkedFacts ?? null,
		routingKeys: receipt.routingCheck?.routingKeys ?? null,
	};
}

function accountIdExpr(account: AccountShape): SQL {
	if (account !== "new") return sql`${param.accountId}`;
	return sql`(SELECT id FROM integration_accounts WHERE company_id = ${param.companyId}
		AND provider = ${param.provider} AND external_id IS NULL ORDER BY id LIMIT 1)`;
}

function groupStatements(receipt: Receipt, group: ClientGroup): Statement[] {
	const account = accountShape(group.account);
	const values = groupValues(receipt, group);
	const statements: Statement[] = [];
	if (account === "new") statements.push({ query: insertDefaultAccount(values) });
	const hasPhones = group.clients.some((client) => client.phones.length > 0);
	const clientsShape = { account, checked: Boolean(receipt.routingCheck) };
	const rows = group.clients.map((client) => {
		const bounded = boundedClient(client);
		// Absent rather than null: `->` would store JSON null as the text 'null'.
		return {
			...bounded,
			attribution: bounded.attribution ?? undefined,
			isTest: client.isTest === true,
		};
	});
	for (const json of chunkJson(rows)) {
		const chunk = { ...values, json };
		statements.push({ returns: "clients", query: insertClients(clientsShape, chunk) });
		statements.push({ query: resolveGroupLeads({ account }, chunk) });
		if (hasPhones) statements.push({ query: insertPhones({ account }, chunk) });
		statements.push({ query: insertGroupLogs({ account }, chunk) });
	}
	return statements;
}

const insertDefaultAccount = prepared(
	() => sql`
		INSERT INTO integration_accounts (company_id, provider, name, external_id, is_active)
		SELECT ${param.companyId}, ${param.provider}, ${sql.placeholder("accountName")}, NULL, 1
		WHERE NOT EXISTS (SELECT 1 FROM integration_accounts WHERE company_id = ${param.companyId}
			AND provider = ${param.provider} AND external_id IS NULL)`,
);

const insertClients = preparedShapes(
	({ account, checked }: { account: AccountShape; checked: boolean }) => {
		// Stale routing facts make company_id NULL: the NOT NULL constraint aborts the whole batch.
		const companyId = checked
			? sql`CASE WHEN ${ROUTING_CHECK} AND ${accountStillRoutes(account)} THEN ${param.companyId} END`
			: sql`${param.companyId}`;
		return sql`
			INSERT INTO clients (company_id, integration_account_id, source, external_id, full_name,
				email, form_id, answers, receipt_id, assigned_employee_id, is_test, attribution,
				unassigned_reason)
			SELECT ${companyId}, ${accountIdExpr(account)}, ${param.source}, j.value ->> '$.externalId',
				j.value ->> '$.fullName', j.value ->> '$.email', j.value ->> '$.formId',
				j.value -> '$.answers', ${param.receiptId}, j.value ->> '$.repId', j.value ->> '$.isTest',
				j.value -> '$.attribution', j.value ->> '$.unassignedReason'
			FROM json_each(${param.json}) AS j WHERE true
			ON CONFLICT (integration_account_id, external_id) DO NOTHING
			RETURNING id AS clientId, company_id AS companyId, integration_account_id AS accountId,
				external_id AS externalId, assigned_employee_id AS assignedEmployeeId`;
	},
);

/**
 * The group's account still belongs to its company and provider (and is still the default one when
 * the facts said so): operators may move an account or give it an external id. A default account
 * this batch creates is found by the same lookup that created it.
 */
function accountStillRoutes(account: AccountShape): SQL {
	if (account === "new") return sql`1`;
	const defaultOnly = account === "default" ? sql`AND a.external_id IS NULL` : sql``;
	return sql`EXISTS (SELECT 1 FROM integration_accounts AS a WHERE a.id = ${param.accountId}
		AND a.company_id = ${param.companyId} AND a.provider = ${param.provider} ${defaultOnly})`;
}

/** The group's leads that were unresolved are resolved: each one is a client now (new or known). */
const resolveGroupLeads = preparedShapes(({ account }: { account: AccountShape }) =>
	resolveUnresolved(
		sql`SELECT ${param.provider} || ':' || (j.value ->> '$.externalId') FROM json_each(${param.json}) AS j`,
		sql`(SELECT c.id FROM clients AS c WHERE c.integration_account_id = ${accountIdExpr(account)}
			AND c.external_id = unresolved_leads.external_id)`,
	),
);

/** Phones of the clients this receipt created (a duplicate's phones stay as they were). */
const insertPhones = preparedShapes(
	({ account }: { account: AccountShape }) => sql`
		INSERT INTO client_phone_numbers (client_id, phone_number, is_valid)
		SELECT c.id, p.value ->> '$.number', p.value ->> '$.valid'
		FROM json_each(${param.json}) AS j
		CROSS JOIN clients AS c ON c.integration_account_id = ${accountIdExpr(account)}
			AND c.external_id = j.value ->> '$.externalId'
		CROSS JOIN json_each(j.value -> '$.phones') AS p
		WHERE c.receipt_id = ${param.receiptId}
		ON CONFLICT (client_id, phone_number) DO NOTHING`,
);

/** One log per lead: success for the clients this receipt created, duplicate for those D1 already held. */
const insertGroupLogs = preparedShapes(
	({ account }: { account: AccountShape }) => sql`
		INSERT INTO integration_logs (company_id, provider, action, status, message, external_id,
			request_id, url_company_id)
		SELECT ${param.companyId}, ${param.provider}, ${param.action},
			CASE WHEN c.receipt_id = ${param.receiptId} THEN 'success' ELSE 'duplicate' END,
			CASE WHEN c.receipt_id = ${param.receiptId} THEN 'client ' || c.id || ' created'
				ELSE 'duplicate of client ' || c.id END || coalesce(' (' || (j.value ->> '$.cut') || ')', ''),
			c.external_id, ${param.receiptId}, ${param.urlCompanyId}
		FROM json_each(${param.json}) AS j
		CROSS JOIN clients AS c ON c.integration_account_id = ${accountIdExpr(account)}
			AND c.external_id = j.value ->> '$.externalId'`,
);

/**
 * One open follow-up task per client this receipt created for its rep (test leads get none): the
 * "first contact" that least-loaded routing counts and SLA escalation watches. Only this receipt's
 * new clients, so a redelivery opens no second task.
 */
const insertFollowUpsSql = prepared(
	() => sql`INSERT INTO tasks (client_id, employee_id, due_at, status, note)
		SELECT c.id, c.assigned_employee_id, ${sql.placeholder("dueAt")}, 'open', ${sql.placeholder("note")}
		FROM clients AS c WHERE c.receipt_id = ${param.receiptId} AND c.is_test = 0
			AND (c.assigned_employee_id IS NOT NULL OR ${sql.placeholder("unassignedToo")})`,
);

function insertFollowUps(receiptId: string, followUp: FollowUp): BatchQuery {
	return insertFollowUpsSql({
		receiptId,
		dueAt: followUp.dueAt,
		note: followUp.note,
		unassignedToo: followUp.unassignedToo ? 1 : 0,
	});
}

/** Who writes a log row: the receipt (request id), provider, default action and trusted URL company. */
export type LogOrigin = Pick<Receipt, "receiptId" | "provider" | "action" | "urlCompanyId">;

/**
 * The INSERTs for log rows, with payloads cut to what a D1 row holds and rows chunked for json_each.
 * Every path that writes integration_logs goes through here. `when` lets a batch write the rows only
 * if a condition holds at that point (a sample log); without one the statement is prepared once.
 * Failures that kept their payload open (or carry on) their unresolved lead in the same batch.
 */
export function logInserts(origin: LogOrigin, logs: LogRow[], when?: SQL): BatchQuery[] {
	const values = {
		provider: origin.provider,
		action: origin.action,
		receiptId: origin.receiptId,
		urlCompanyId: origin.urlCompanyId ?? null,
	};
	const inserts = chunkJson(logs.map(truncatePayload)).map((json) =>
		when ? queryOf(insertLogsSql(when), { ...values, json }) : insertLogs({ ...values, json }),
	);
	const opensLeads = logs.some((log) => log.status === "failure" && log.payload !== null);
	return opensLeads ? [...inserts, openUnresolved({ receiptId: origin.receiptId })] : inserts;
}

function insertLogsSql(when: SQL): SQL {
	return sql`
		INSERT INTO integration_logs (company_id, provider, action, status, message, external_id, payload,
			request_id, url_company_id, cause, routing_key)
		SELECT j.value ->> '$.companyId', ${param.provider}, coalesce(j.value ->> '$.action', ${param.action}),
			j.value ->> '$.status', j.value ->> '$.message', j.value ->> '$.externalId',
			j.value ->> '$.payload', ${param.receiptId}, ${param.urlCompanyId}, j.value ->> '$.cause',
			j.value ->> '$.routingKey'

		FROM json_each(${param.json}) AS j WHERE ${when}`;
}

const insertLogs = prepared(() => insertLogsSql(sql`true`));

/**
 * A client as its row is written: values D1 cannot hold in one row cut, the cut stated in `cut`
 * (appended to the lead's log message: "client 12 created (answer "notes" cut from ...)").
 */
function boundedClient(client: ClientRow): ClientRow & { cut?: string } {
	const { client: bounded, cut } = cutClient(client);
	return cut === undefined ? bounded : { ...bounded, cut };
}

/** A payload over PAYLOAD_BUDGET_BYTES (as bound JSON) is cut to fit it; the message says so. */
function truncatePayload(log: LogRow): LogRow {
	if (log.payload === null || jsonBytes(log.payload) <= PAYLOAD_BUDGET_BYTES) return log;
	const payload = cutToBudget(log.payload, PAYLOAD_BUDGET_BYTES);
	return {
		...log,
		payload,
		message: `${log.message} (payload cut from ${log.payload.length} to ${payload.length} characters)`,
	};
}

/** Splits rows into JSON arrays of at most CHUNK_BYTES (one oversized row gets a chunk of its own). */
function chunkJson<T>(rows: T[]): string[] {
	const chunks: string[] = [];
	let current: string[] = [];
	let size = 0;
	for (const row of rows) {
		const json = JSON.stringify(row);
		if (current.length > 0 && size + json.length > CHUNK_BYTES) {
			chunks.push(`[${current.join(",")}]`);
			current = [];
			size = 0;
		}
		current.push(json);
		size += json.length + 1;
	}
	if (current.length > 0) chunks.push(`[${current.join(",")}]`);
	return chunks;
}
