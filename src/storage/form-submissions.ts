// Website form submissions: find the company's existing client (by email or E.164 phone), then
// either update it or create one as a receipt (lead distribution, logs, forwards alike: intake/forms.ts
// writes it), with a follow-up task and the submission's idempotency key in the same D1 batch.
import { sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";
import { bumpDistribution } from "./distribution";
import type { ForwardingPolicy } from "./forwards";
import type { ClientRow, Receipt, ReceiptResult } from "./receipts";

export interface FormCompany {
	id: number;
	defaultCountry: string | null;
	autoAssign: boolean;
	/** The company's default webform integration account, once created. */
	defaultAccountId: number | null;
}

export interface FormFacts {
	company: FormCompany | undefined;
	/** The client a submission with this key already went to (null: none was stored). */
	seenKey: { clientId: number | null } | undefined;
	/** The oldest client of the company with this (lower-cased) email. */
	matchId: number | undefined;
}

export interface FormKind {
	provider: string;
	source: string;
	action: string;
	accountName: string;
}

export interface FormWrite {
	kind: FormKind;
	receiptId: string;
	companyId: number;
	idempotencyKey: string;
	/** externalId is the idempotency key, so a racing resubmit hits the clients unique index. */
	client: ClientRow;
	task: { dueAt: string; note: string };
	/** Salesforce forwards for a new client, exactly as every lead gets them (storage/forwards.ts). */
	forwarding?: ForwardingPolicy;
}

export type FormWritten =
	| { outcome: "created"; clientId: number; forwarded: boolean }
	| { outcome: "updated"; clientId: number }
	| { outcome: "duplicate"; clientId: number | null };

interface CompanyRow {
	id: number;
	defaultCountry: string | null;
	autoAssign: number;
	defaultAccountId: number | null;
}

/** The company, the key's earlier submission and a client with this email, in one round trip. */
export function loadFormFacts(
	db: Db,
	provider: string,
	lookup: { companyId: number; idempotencyKey: string; email: string | null },
): Promise<FormFacts> {
	const { companyId, idempotencyKey, email } = lookup;
	return guarded(async () => {
		const [companies = [], seen = [], matches = []] = (await runBatch(db, [
			sql`SELECT c.id, c.default_country AS defaultCountry, c.auto_assign AS autoAssign,
					(SELECT a.id FROM integration_accounts a WHERE a.company_id = c.id
						AND a.provider = ${provider} AND a.external_id IS NULL ORDER BY a.id LIMIT 1)
						AS defaultAccountId
				FROM companies c WHERE c.id = ${companyId}`,
			sql`SELECT client_id AS clientId FROM form_submissions
				WHERE company_id = ${companyId} AND idempotency_key = ${idempotencyKey}`,
			sql`SELECT id FROM clients WHERE company_id = ${companyId} AND email = ${email}
				ORDER BY id LIMIT 1`,
		])) as [CompanyRow[], { clientId: number | null }[], { id: number }[]];
		const company = companies[0];
		return {
			company: company && { ...company, autoAssign: company.autoAssign === 1 },
			seenKey: seen[0],
			matchId: matches[0]?.id,
		};
	});
}

/** The oldest client of the company holding one of these E.164 numbers. */
export async function findClientByPhone(
	db: Db,
	companyId: number,
	phones: string[],
): Promise<number | undefined> {
	if (phones.length === 0) return undefined;
	const [rows = []] = (await guarded(() =>
		runBatch(db, [
			sql`SELECT c.id FROM client_phone_numbers p
				CROSS JOIN clients c ON c.id = p.client_id AND c.company_id = ${companyId}
				WHERE p.phone_number IN (SELECT value FROM json_each(${JSON.stringify(phones)}))
					AND p.is_valid
				ORDER BY c.id LIMIT 1`,
		]),
	)) as [{ id: number }[]];
	return rows[0]?.id;
}

/** The receipt that creates the client (its rep decided as every lead's) with its task and key. */
export function formClientReceipt(company: FormCompany, write: FormWrite): Receipt {
	const { kind, receiptId } = write;
	const account =
		company.defaultAccountId === null
			? { defaultName: kind.accountName }
			: { id: company.defaultAccountId };
	return {
		receiptId,
		provider: kind.provider,
		source: kind.source,
		action: kind.action,
		groups: [
			{ companyId: company.id, autoAssign: company.autoAssign, account, clients: [write.client] },
		],
		logs: [],
		forwarding: write.forwarding,
		// The form's task waits for whoever takes the lead, so an unassigned client gets one too.
		followUp: { ...write.task, unassignedToo: true },
		after: [
			sql`INSERT INTO form_submissions (company_id, idempotency_key, request_id, client_id)
				SELECT company_id, ${write.idempotencyKey}, receipt_id, id FROM clients
				WHERE receipt_id = ${receiptId}
				ON CONFLICT (company_id, idempotency_key) DO NOTHING`,
		],
	};
}

/** What the written receipt of formClientReceipt came to. */
export function formClientWritten({ created }: ReceiptResult): FormWritten {
	const client = created[0];
	return client
		? { outcome: "created", clientId: client.clientId, forwarded: client.forwarded }
		: { outcome: "duplicate", clientId: null };
}

/**
 * Fills the client's missing name, email and answers, adds new phones, opens a task and logs the
 * update. Every statement after the key's INSERT runs only if this receipt owns the key, so a
 * racing resubmit changes nothing and is logged as a duplicate.
 */
export function updateFormClient(db: Db, clientId: number, write: FormWrite): Promise<FormWritten> {
	const { kind, receiptId, companyId, idempotencyKey, client } = write;
	const owned = sql`EXISTS (SELECT 1 FROM form_submissions WHERE company_id = ${companyId}
		AND idempotency_key = ${idempotencyKey} AND request_id = ${receiptId})`;
	return guarded(async () => {
		const results = await runBatch(db, [
			sql`INSERT INTO form_submissions (company_id, idempotency_key, request_id, client_id)
				VALUES (${companyId}, ${idempotencyKey}, ${receiptId}, ${clientId})
				ON CONFLICT (company_id, idempotency_key) DO NOTHING`,
			sql`UPDATE clients SET full_name = coalesce(full_name, ${client.fullName}),
					email = coalesce(email, ${client.email}),
					answers = coalesce(answers, ${JSON.stringify(client.answers)})
				WHERE id = ${clientId} AND ${owned}`,
			sql`INSERT INTO client_phone_numbers (client_id, phone_number, is_valid)
				SELECT ${clientId}, p.value ->> '$.number', p.value ->> '$.valid'
				FROM json_each(${JSON.stringify(client.phones)}) AS p
				WHERE ${owned}
				ON CONFLICT (client_id, phone_number) DO NOTHING`,
			sql`INSERT INTO tasks (client_id, employee_id, due_at, status, note)
				SELECT c.id, c.assigned_employee_id, ${write.task.dueAt}, 'open', ${write.task.note}
				FROM clients c WHERE c.id = ${clientId} AND ${owned}`,
			// A new open task changes what least-loaded routing counts (storage/distribution.ts).
			bumpDistribution(companyId),
			sql`INSERT INTO integration_logs (company_id, provider, action, status, message, external_id,
					request_id)
				SELECT ${companyId}, ${kind.provider}, ${kind.action},
					CASE WHEN ${owned} THEN 'success' ELSE 'duplicate' END,
					CASE WHEN ${owned} THEN ${`client ${clientId} updated`} ELSE 'duplicate submission' END,
					${idempotencyKey}, ${receiptId}`,
			sql`SELECT ${owned} AS owned`,
		]);
		const owner = results.at(-1)?.[0] as { owned: number } | undefined;
		return owner?.owned === 1
			? { outcome: "updated", clientId }
			: { outcome: "duplicate", clientId };
	});
}
