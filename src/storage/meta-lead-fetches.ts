// Meta Lead Ads leads waiting for their Graph read (meta_lead_fetches): recorded in one D1 batch
// before the webhook is answered, claimed with a lease by waitUntil or the cron, then finished as
// succeeded, retried, failed (permanent) or dead (retries spent), with an integration log on failure.
import { type SQL, sql } from "drizzle-orm";
import { type BatchQuery, type Db, guarded, runBatch } from "./db";
import { type AccountRef, type LogRow, logInserts } from "./receipts";
import type { FailureCause } from "./schema";

export const META_PROVIDER = "meta";
export const META_LEAD_ACTION = "meta_lead_received";
export const META_DEFAULT_ACCOUNT_NAME = "Meta Lead Ads";
/** In a read's last_error when Graph refused the Page token (code 190): the overview finds them by it. */
export const PAGE_TOKEN_REJECTED = "the Page access token was rejected";

export interface LeadgenRow {
	leadgenId: string;
	pageId: string;
	formId: string | null;
	payload: string;
}

export interface LeadgenGroup {
	companyId: number;
	account: AccountRef;
	notices: LeadgenRow[];
}

export interface ClaimedFetch {
	id: number;
	companyId: number;
	integrationAccountId: number;
	leadgenId: string;
	pageId: string;
	formId: string | null;
	attempts: number;
	payload: string;
}

function accountExpr(group: LeadgenGroup): SQL {
	if ("id" in group.account) return sql`${group.account.id}`;
	return sql`(SELECT id FROM integration_accounts WHERE company_id = ${group.companyId}
		AND provider = ${META_PROVIDER} AND external_id IS NULL ORDER BY id LIMIT 1)`;
}

/**
 * Records routed leads (one row per account and leadgen id; a known one is a duplicate) and the
 * delivery's failure logs atomically. Returns the new rows' ids and the duplicates' leadgen ids.
 */
export function recordLeadgenNotices(
	db: Db,
	input: {
		receiptId: string;
		now: Date;
		groups: LeadgenGroup[];
		logs: LogRow[];
		/** The webhook URL's trusted `?company_id`, kept on the logs for replay. */
		urlCompanyId?: number;
	},
): Promise<{ fetchIds: number[]; duplicates: { companyId: number; leadgenId: string }[] }> {
	const now = input.now.toISOString();
	const queries: BatchQuery[] = [];
	const inserts: { index: number; group: LeadgenGroup }[] = [];
	for (const group of input.groups) {
		const account = accountExpr(group);
		const json = JSON.stringify(group.notices);
		if ("defaultName" in group.account) {
			queries.push(sql`
				INSERT INTO integration_accounts (company_id, provider, name, external_id, is_active)
				SELECT ${group.companyId}, ${META_PROVIDER}, ${group.account.defaultName}, NULL, 1
				WHERE NOT EXISTS (SELECT 1 FROM integration_accounts WHERE company_id = ${group.companyId}
					AND provider = ${META_PROVIDER} AND external_id IS NULL)`);
		}
		inserts.push({ index: queries.length, group });
		queries.push(sql`
			INSERT INTO meta_lead_fetches (company_id, integration_account_id, leadgen_id, page_id, form_id,
				status, attempts, next_attempt_at, payload, request_id, updated_at)
			SELECT ${group.companyId}, ${account}, j.value ->> '$.leadgenId', j.value ->> '$.pageId',
				j.value ->> '$.formId', 'pending', 0, ${now}, j.value ->> '$.payload', ${input.receiptId}, ${now}
			FROM json_each(${json}) AS j WHERE true
			ON CONFLICT (integration_account_id, leadgen_id) DO NOTHING
			RETURNING id, leadgen_id AS leadgenId`);
		queries.push(sql`
			INSERT INTO integration_logs (company_id, provider, action, status, message, external_id, request_id)
			SELECT ${group.companyId}, ${META_PROVIDER}, ${META_LEAD_ACTION}, 'duplicate',
				'duplicate of lead ' || f.id || ' (' || f.status || ')', f.leadgen_id, ${input.receiptId}
			FROM json_each(${json}) AS j
			CROSS JOIN meta_lead_fetches AS f ON f.integration_account_id = ${account}
				AND f.leadgen_id = j.value ->> '$.leadgenId'
			WHERE f.request_id IS NOT ${input.receiptId}`);
	}
	queries.push(...leadLogInserts(input.receiptId, input.logs, input.urlCompanyId));
	return guarded(async () => {
		const results = await runBatch(db, queries);
		const fetchIds: number[] = [];
		const duplicates: { companyId: number; leadgenId: string }[] = [];
		for (const { index, group } of inserts) {
			const rows = (results[index] ?? []) as { id: number; leadgenId: string }[];
			const fresh = new Set(rows.map((row) => row.leadgenId));
			fetchIds.push(...rows.map((row) => row.id));
			for (const notice of group.notices) {
				if (!fresh.has(notice.leadgenId)) {
					duplicates.push({ companyId: group.companyId, leadgenId: notice.leadgenId });
				}
			}
		}
		return { fetchIds, duplicates };
	});
}

/**
 * Claims due pending rows (the given ids, or the oldest due ones) by pushing next_attempt_at out to
 * `leaseUntil` and counting the attempt; a worker that dies mid-fetch leaves them due again later.
 */
export function claimLeadFetches(
	db: Db,
	options: { now: Date; leaseUntil: Date; ids?: number[]; limit: number },
): Promise<ClaimedFetch[]> {
	const now = options.now.toISOString();
	return guarded(async () => {
		// Read first: a cron tick with nothing due (the usual case) writes nothing.
		const ids = options.ids ?? (await dueIds(db, now, options.limit));
		if (ids.length === 0) return [];
		const [rows = []] = await runBatch(db, [
			sql`
			UPDATE meta_lead_fetches
			SET attempts = attempts + 1, next_attempt_at = ${options.leaseUntil.toISOString()}, updated_at = ${now}
			WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))
				AND status = 'pending' AND next_attempt_at <= ${now}
			RETURNING id, company_id AS companyId, integration_account_id AS integrationAccountId,
				leadgen_id AS leadgenId, page_id AS pageId, form_id AS formId, attempts, payload`,
		]);
		return rows as ClaimedFetch[];
	});
}

async function dueIds(db: Db, now: string, limit: number): Promise<number[]> {
	const [rows = []] = await runBatch(db, [
		sql`SELECT id FROM meta_lead_fetches WHERE status = 'pending' AND next_attempt_at <= ${now}
			ORDER BY next_attempt_at, id LIMIT ${limit}`,
	]);
	return (rows as { id: number }[]).map((row) => row.id);
}

/** Sealed tokens that can read these leads: per integration account (operator-set). */
export function loadSealedTokens(db: Db, accountIds: number[]): Promise<Map<number, string>> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT integration_account_id AS accountId, access_token_sealed AS sealed
				FROM integration_account_tokens
				WHERE integration_account_id IN (SELECT value FROM json_each(${JSON.stringify(accountIds)}))`,
		]);
		return new Map(
			(rows as { accountId: number; sealed: string }[]).map((r) => [r.accountId, r.sealed]),
		);
	});
}

export function markFetchSucceeded(db: Db, id: number, clientId: number | null, now: Date) {
	return guarded(() =>
		runBatch(db, [
			sql`UPDATE meta_lead_fetches SET status = 'succeeded', client_id = ${clientId},
				last_error = NULL, updated_at = ${now.toISOString()} WHERE id = ${id}`,
		]),
	);
}

export function scheduleFetchRetry(db: Db, id: number, at: Date, error: string, now: Date) {
	return guarded(() =>
		runBatch(db, [
			sql`UPDATE meta_lead_fetches SET next_attempt_at = ${at.toISOString()}, last_error = ${error},
				updated_at = ${now.toISOString()} WHERE id = ${id} AND status = 'pending'`,
		]),
	);
}

/**
 * Ends a fetch as failed or dead and, under `receiptId`, logs the failure with the lead's payload in
 * the same batch (null when the failure is logged already, e.g. by ingest).
 */
export function markFetchFailed(
	db: Db,
	fetch: ClaimedFetch,
	outcome: {
		status: "failed" | "dead";
		error: string;
		/** The log's reason when it says more than `error` (kept as the read's last_error). */
		message?: string;
		cause: FailureCause;
		receiptId: string | null;
		now: Date;
	},
) {
	const log: LogRow = {
		companyId: fetch.companyId,
		status: "failure",
		message: outcome.message ?? outcome.error,
		externalId: fetch.leadgenId,
		payload: fetch.payload,
		cause: outcome.cause,
		routingKey: fetch.pageId,
	};
	return guarded(() =>
		runBatch(db, [
			sql`UPDATE meta_lead_fetches SET status = ${outcome.status}, last_error = ${outcome.error},
				updated_at = ${outcome.now.toISOString()} WHERE id = ${fetch.id}`,
			...(outcome.receiptId === null ? [] : leadLogInserts(outcome.receiptId, [log])),
		]),
	);
}

/** Sets an account's sealed token and puts its failed (e.g. revoked-token) fetches back in the queue. */
export function setAccountToken(
	db: Db,
	accountId: number,
	sealed: string,
	now: Date,
): Promise<number> {
	const at = now.toISOString();
	return guarded(async () => {
		const [, requeued = []] = await runBatch(db, [
			sql`INSERT INTO integration_account_tokens (integration_account_id, access_token_sealed, updated_at)
				VALUES (${accountId}, ${sealed}, ${at})
				ON CONFLICT (integration_account_id) DO UPDATE SET access_token_sealed = excluded.access_token_sealed,
					updated_at = excluded.updated_at`,
			requeueFailed(sql`integration_account_id = ${accountId}`, now),
		]);
		return requeued.length;
	});
}

export function deleteAccountToken(db: Db, accountId: number): Promise<void> {
	return guarded(async () => {
		await runBatch(db, [
			sql`DELETE FROM integration_account_tokens WHERE integration_account_id = ${accountId}`,
		]);
	});
}

/**
 * Failed fetches matching `where` (also dead ones when `alsoDead`) become pending and due now, with
 * a fresh attempt budget; the statement returns their ids.
 */
export function requeueFailed(where: SQL, now: Date, alsoDead = false): SQL {
	const at = now.toISOString();
	const statuses = alsoDead ? sql`('failed', 'dead')` : sql`('failed')`;
	return sql`UPDATE meta_lead_fetches SET status = 'pending', attempts = 0, next_attempt_at = ${at},
		updated_at = ${at} WHERE status IN ${statuses} AND ${where} RETURNING id`;
}

function leadLogInserts(receiptId: string, logs: LogRow[], urlCompanyId?: number): BatchQuery[] {
	return logInserts(
		{ receiptId, provider: META_PROVIDER, action: META_LEAD_ACTION, urlCompanyId },
		logs,
	);
}

/** Failed or dead reads of these leads become pending and due now (a replay); returns their ids. */
export function requeueLeads(db: Db, leadgenIds: string[], now: Date): Promise<number[]> {
	const leads = sql`leadgen_id IN (SELECT value FROM json_each(${JSON.stringify(leadgenIds)}))`;
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [requeueFailed(leads, now, true)]);
		return (rows as { id: number }[]).map((row) => row.id);
	});
}

/** Where each lead's read stands, for a replay's answer. */
export function fetchStatuses(
	db: Db,
	leadgenIds: string[],
): Promise<
	{ leadgenId: string; status: string; clientId: number | null; lastError: string | null }[]
> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT leadgen_id AS leadgenId, status, client_id AS clientId, last_error AS lastError
				FROM meta_lead_fetches
				WHERE leadgen_id IN (SELECT value FROM json_each(${JSON.stringify(leadgenIds)}))
				ORDER BY id`,
		]);
		return rows as {
			leadgenId: string;
			status: string;
			clientId: number | null;
			lastError: string | null;
		}[];
	});
}
