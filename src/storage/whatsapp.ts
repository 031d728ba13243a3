// WhatsApp contacts and messages: what a delivery already knows (wamids, contact keys) in one read,
// and the statements that record new ones in the same batch as the clients (writeReceipt `after`).
// A new contact's keys are inserted without ON CONFLICT: if a concurrent delivery created the same
// contact first, the whole batch fails (503) and Meta's retry finds the contact.
import { type SQL, sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";

export interface KnownWhatsApp {
	/** "<company id>:<wamid>" of messages already stored. */
	wamids: Set<string>;
	/** "<company id>:<contact key>" → client id. */
	contacts: Map<string, number>;
}

export function loadKnownWhatsApp(
	db: Db,
	companyIds: number[],
	wamids: string[],
	contactKeys: string[],
): Promise<KnownWhatsApp> {
	const companies = JSON.stringify(companyIds);
	return guarded(async () => {
		const [messages = [], contacts = []] = await runBatch(db, [
			sql`SELECT company_id AS companyId, wamid FROM whatsapp_messages
				WHERE company_id IN (SELECT value FROM json_each(${companies}))
					AND wamid IN (SELECT value FROM json_each(${JSON.stringify(wamids)}))`,
			sql`SELECT company_id AS companyId, contact_key AS contactKey, client_id AS clientId
				FROM whatsapp_contacts
				WHERE company_id IN (SELECT value FROM json_each(${companies}))
					AND contact_key IN (SELECT value FROM json_each(${JSON.stringify(contactKeys)}))`,
		]);
		return {
			wamids: new Set(
				(messages as { companyId: number; wamid: string }[]).map(
					(m) => `${m.companyId}:${m.wamid}`,
				),
			),
			contacts: new Map(
				(contacts as { companyId: number; contactKey: string; clientId: number }[]).map((c) => [
					`${c.companyId}:${c.contactKey}`,
					c.clientId,
				]),
			),
		};
	});
}

export interface NewContact {
	/** The wamid of the message that created the contact's client (its external_id). */
	wamid: string;
	keys: string[];
}

export interface MessageRow {
	wamid: string;
	/** Any key of the sender; the client is looked up through it after the contacts are written. */
	contactKey: string;
	type: string;
}

/** Statements for one company: new contacts' keys, extra keys of known contacts, the messages. */
export function whatsAppStatements(
	receiptId: string,
	companyId: number,
	rows: {
		newContacts: NewContact[];
		extraKeys: { key: string; clientId: number }[];
		messages: MessageRow[];
	},
): SQL[] {
	const statements: SQL[] = [];
	if (rows.newContacts.length > 0) {
		statements.push(sql`
			INSERT INTO whatsapp_contacts (company_id, contact_key, client_id)
			SELECT ${companyId}, k.value, c.id
			FROM json_each(${JSON.stringify(rows.newContacts)}) AS j
			CROSS JOIN clients AS c ON c.receipt_id = ${receiptId} AND c.company_id = ${companyId}
				AND c.external_id = j.value ->> '$.wamid'
			CROSS JOIN json_each(j.value -> '$.keys') AS k`);
	}
	if (rows.extraKeys.length > 0) {
		statements.push(sql`
			INSERT INTO whatsapp_contacts (company_id, contact_key, client_id)
			SELECT ${companyId}, j.value ->> '$.key', j.value ->> '$.clientId'
			FROM json_each(${JSON.stringify(rows.extraKeys)}) AS j WHERE true
			ON CONFLICT (company_id, contact_key) DO NOTHING`);
	}
	if (rows.messages.length > 0) {
		statements.push(sql`
			INSERT INTO whatsapp_messages (company_id, wamid, client_id, message_type, request_id)
			SELECT ${companyId}, j.value ->> '$.wamid',
				(SELECT client_id FROM whatsapp_contacts WHERE company_id = ${companyId}
					AND contact_key = j.value ->> '$.contactKey'),
				j.value ->> '$.type', ${receiptId}
			FROM json_each(${JSON.stringify(rows.messages)}) AS j WHERE true
			ON CONFLICT (company_id, wamid) DO NOTHING`);
	}
	return statements;
}
