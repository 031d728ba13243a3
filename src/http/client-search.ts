// An operator's lead search as a storage filter (operator API and console): a query that reads as
// a phone number is normalised to E.164 the way ingest stores phones, with the company's default
// country when the search is limited to one company (so "050 123 4567" finds +971501234567). Only
// such a query searches phones: the digits inside an email or a name never do.

import { toE164, validE164 } from "../leads/phone";
import type { ClientFilter, PhoneSearch } from "../storage/client-queries";
import { getCompany } from "../storage/companies";
import type { Db } from "../storage/db";

/** The operator's search as GET /api/admin/clients takes it (and the console's leads form). */
export interface ClientSearch {
	company_id?: number;
	source?: string;
	q?: string;
	external_id?: string;
	employee_id?: number;
	since?: string;
	until?: string;
}

/** Phone-like text: digits with the separators people type (+, spaces, dashes, dots, brackets). */
const PHONE_LIKE = /^[+\d\s\-.()\u0660-\u0669\u06f0-\u06f9]{5,}$/;

export async function clientFilter(db: Db, search: ClientSearch): Promise<ClientFilter> {
	const { q } = search;
	const filter: ClientFilter = {
		companyId: search.company_id,
		source: search.source,
		q,
		externalId: search.external_id,
		employeeId: search.employee_id,
		since: search.since,
		until: search.until,
	};
	if (q === undefined || !PHONE_LIKE.test(q)) return filter;
	const company =
		filter.companyId === undefined ? undefined : await getCompany(db, filter.companyId);
	return { ...filter, phone: phoneSearch(q, company?.defaultCountry) };
}

/**
 * A phone-like search: a whole valid number as E.164 (found by the phone index), else the digits to
 * find inside stored numbers, without a national trunk 0 (050… is stored as +97150…), so part of a
 * number ("+971 50 123", "555 0123") still finds it.
 */
function phoneSearch(q: string, defaultCountry: string | null | undefined): PhoneSearch {
	const e164 = validE164(q, defaultCountry);
	if (e164) return { e164 };
	const digits = toE164(q, defaultCountry)?.slice(1) ?? q.replace(/\D/g, "").replace(/^0+/, "");
	return { digits };
}
