// Reads clients for the operator API: each with its E.164 phones (and the values that did not parse,
// as typed), assigned rep and parsed answers, one D1 batch (one round trip, one snapshot) per page.
import { and, asc, desc, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, guarded } from "./db";
import {
	countMatching,
	type Page,
	type PageRequest,
	type RowCount,
	toPage,
	toRowCount,
} from "./pages";
import { clientPhoneNumbers, clients, employees } from "./schema";
import { firstResponseSeconds } from "./speed-stats";

export interface ClientAnswer {
	name: string;
	values: string[];
}

export interface ClientRecord {
	id: number;
	companyId: number;
	integrationAccountId: number | null;
	source: string;
	externalId: string | null;
	fullName: string | null;
	email: string | null;
	formId: string | null;
	assignedEmployee: { id: number; name: string } | null;
	/** E.164 numbers, in the order they were stored. */
	phones: string[];
	/** Phone values that did not parse, as typed: the lead is flagged "invalid phone". */
	invalidPhones: string[];
	answers: ClientAnswer[];
	/** The form, campaign, ad set and ad the provider named (only the keys it sent). */
	attribution: Record<string, string>;
	/** Sent by the console's "Send a test lead": counted nowhere. */
	isTest: boolean;
	createdAt: string;
	/** When a rep first acted on the lead (its first follow-up task set done); null while waiting. */
	firstResponseAt: string | null;
	/** Seconds from the lead's arrival (createdAt) to its first response; null while waiting. */
	firstResponseSeconds: number | null;
}

export interface ClientFilter {
	companyId?: number;
	source?: string;
	/** Part of the name or email (any case, accents ignored). */
	q?: string;
	/**
	 * Set only when `q` reads as a phone number (src/http/client-search.ts), so an email's digits
	 * never search phones: the whole number in E.164 (found by the phone index), or else digits to
	 * find inside a stored number (E.164 without "+", through the trigram index).
	 */
	phone?: PhoneSearch;
	externalId?: string;
	/** The assigned rep. */
	employeeId?: number;
	/** ISO times: created at or after `since`, before `until`. */
	since?: string;
	until?: string;
}

export type PhoneSearch = { e164: string } | { digits: string };

const answersSchema = z.array(z.object({ name: z.string(), values: z.array(z.string()) }));
const attributionSchema = z.record(z.string(), z.string());

const columns = {
	id: clients.id,
	companyId: clients.companyId,
	integrationAccountId: clients.integrationAccountId,
	source: clients.source,
	externalId: clients.externalId,
	fullName: clients.fullName,
	email: clients.email,
	formId: clients.formId,
	answers: clients.answers,
	attribution: clients.attribution,
	isTest: clients.isTest,
	createdAt: clients.createdAt,
	firstResponseAt: clients.firstResponseAt,
	// Column names must stay unique: Drizzle's D1 batch maps rows by name, so a second `id` (e.g.
	// employees.id) would overwrite the client's.
	employeeId: clients.assignedEmployeeId,
	employeeName: employees.name,
};

interface ClientRow
	extends Omit<
		ClientRecord,
		| "assignedEmployee"
		| "phones"
		| "invalidPhones"
		| "answers"
		| "attribution"
		| "firstResponseSeconds"
	> {
	answers: string | null;
	attribution: string | null;
	employeeId: number | null;
	employeeName: string | null;
}

/**
 * One page of clients, newest first, and how many real leads match (test leads are listed but not
 * counted; counted up to COUNT_CAP).
 */
export async function listClients(
	db: Db,
	filter: ClientFilter,
	page: PageRequest,
): Promise<Page<ClientRecord>> {
	const where = and(...filterConditions(filter, page.beforeId));
	const counted = and(...filterConditions(filter, undefined), eq(clients.isTest, false));
	const [rows, matching] = await readClients(db, where, page.limit + 1, counted);
	return { ...toPage(rows, page.limit), matching };
}

export async function getClient(db: Db, id: number): Promise<ClientRecord | undefined> {
	const [[client]] = await readClients(db, eq(clients.id, id), 1);
	return client;
}

/**
 * Clients matching `where` (newest first, at most `limit`) and their phones, in one batch; with
 * `counted`, also how many clients match it (up to COUNT_CAP).
 */
async function readClients(
	db: Db,
	where: SQL | undefined,
	limit: number,
	counted?: SQL,
): Promise<[ClientRecord[], RowCount | undefined]> {
	const pageIds = db.orm
		.select({ id: clients.id })
		.from(clients)
		.where(where)
		.orderBy(desc(clients.id))
		.limit(limit);
	const [rows, phones, counts] = await guarded(() =>
		db.orm.batch([
			db.orm
				.select(columns)
				.from(clients)
				.leftJoin(employees, eq(employees.id, clients.assignedEmployeeId))
				.where(where)
				.orderBy(desc(clients.id))
				.limit(limit),
			db.orm
				.select({
					clientId: clientPhoneNumbers.clientId,
					phone: clientPhoneNumbers.phoneNumber,
					valid: clientPhoneNumbers.isValid,
				})
				.from(clientPhoneNumbers)
				.where(inArray(clientPhoneNumbers.clientId, pageIds))
				.orderBy(asc(clientPhoneNumbers.id)),
			countMatching(db.orm, clients, counted ?? sql`false`),
		]),
	);
	const phonesByClient = Map.groupBy(phones, (phone) => phone.clientId);
	return [
		rows.map((row) => toRecord(row, phonesByClient.get(row.id) ?? [])),
		counted === undefined ? undefined : toRowCount(counts),
	];
}

function toRecord(row: ClientRow, phones: { phone: string; valid: boolean }[]): ClientRecord {
	const { employeeId, employeeName, answers, attribution, ...client } = row;
	return {
		...client,
		assignedEmployee:
			employeeId === null || employeeName === null ? null : { id: employeeId, name: employeeName },
		phones: phones.filter((p) => p.valid).map((p) => p.phone),
		invalidPhones: phones.filter((p) => !p.valid).map((p) => p.phone),
		answers: parseJsonColumn(answers, answersSchema, []),
		attribution: parseJsonColumn(attribution, attributionSchema, {}),
		firstResponseSeconds: firstResponseSeconds(client.createdAt, client.firstResponseAt),
	};
}

/** A JSON column written by ingest; anything unreadable shows as `empty`. */
function parseJsonColumn<T>(text: string | null, schema: z.ZodType<T>, empty: T): T {
	if (text === null) return empty;
	try {
		const parsed = schema.safeParse(JSON.parse(text));
		return parsed.success ? parsed.data : empty;
	} catch {
		return empty;
	}
}

function filterConditions(filter: ClientFilter, beforeId: number | undefined): SQL[] {
	const conditions: SQL[] = [];
	if (filter.companyId !== undefined) conditions.push(eq(clients.companyId, filter.companyId));
	if (filter.source !== undefined) conditions.push(eq(clients.source, filter.source));
	if (filter.q !== undefined) conditions.push(searchCondition(filter.q, filter.phone));
	if (filter.externalId !== undefined) conditions.push(eq(clients.externalId, filter.externalId));
	if (filter.employeeId !== undefined) {
		conditions.push(eq(clients.assignedEmployeeId, filter.employeeId));
	}
	if (filter.since !== undefined) conditions.push(gte(clients.createdAt, filter.since));
	if (filter.until !== undefined) conditions.push(lt(clients.createdAt, filter.until));
	if (beforeId !== undefined) conditions.push(lt(clients.id, beforeId));
	return conditions;
}

/** `%text%` for LIKE, with the text's own % and _ taken literally (ESCAPE '\\'). */
function containsPattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The trigram tokenizer indexes runs of three characters: a shorter search cannot use it. */
const TRIGRAM = 3;

/** `text` as one FTS5 phrase: found wherever it occurs whole, its own quotes taken literally. */
function ftsPhrase(text: string): string {
	return `"${text.replaceAll('"', '""')}"`;
}

/**
 * Clients whose name or email contains `q` (trigram index `clients_search`), or with the phone
 * searched: a whole E.164 number through client_phone_numbers_phone_idx, digits inside one through
 * the trigram index `phones_search` (migrations/0016_client_search.sql). A `q` of one or two
 * characters (shorter than a trigram) falls back to LIKE, where the newest-first page ends the read
 * once it is full.
 */
function searchCondition(q: string, phone: PhoneSearch | undefined): SQL {
	const text = q.trim();
	const byPhone = phone ? phoneMatches(phone) : undefined;
	if (text.length < TRIGRAM) {
		const pattern = containsPattern(text);
		const byPhoneOr = byPhone ? sql` OR ${clients.id} IN (${byPhone})` : sql``;
		return sql`(${clients.fullName} LIKE ${pattern} ESCAPE '\\'
			OR ${clients.email} LIKE ${pattern} ESCAPE '\\'${byPhoneOr})`;
	}
	// One IN list of the matching ids (a UNION, not an OR of two INs): SQLite then looks each
	// client up by id instead of walking a company's clients and testing both lists.
	const byText = sql`SELECT rowid FROM clients_search WHERE clients_search MATCH ${ftsPhrase(text)}`;
	return sql`${clients.id} IN (${byText}${byPhone ? sql` UNION ${byPhone}` : sql``})`;
}

/** Ids of the clients holding the phone searched; none for digits shorter than a trigram. */
function phoneMatches(phone: PhoneSearch): SQL | undefined {
	if ("e164" in phone)
		return sql`SELECT client_id FROM client_phone_numbers WHERE phone_number = ${phone.e164}`;
	if (phone.digits.length < TRIGRAM) return undefined;
	return sql`SELECT client_id FROM phones_search WHERE phones_search MATCH ${ftsPhrase(phone.digits)}`;
}
