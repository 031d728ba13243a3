// An operator's lead search as a storage filter (operator API and console): a query that reads as
// a phone number is normalised to E.164 the way ingest stores phones, with the company's default
// country when the search is limited to one company (so "050 123 4567" finds +971501234567). Only
// such a query searches phones: the digits inside an email or a name never do.

import { toE164 } from "../leads/phone";
import type { ClientFilter } from "../storage/client-queries";
import { getCompany } from "../storage/companies";
import type { Db } from "../storage/db";

/** The operator's search as GET /api/admin/clients takes it (and the console's leads form). */
export interface ClientSearch {
	company_id?: number;
	source?: string;
	q?: string;
	external_id?: string;
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
		since: search.since,
		until: search.until,
	};
	if (q === undefined || !PHONE_LIKE.test(q)) return filter;
	const company =
		filter.companyId === undefined ? undefined : await getCompany(db, filter.companyId);
	return { ...filter, phoneDigits: phoneDigits(q, company?.defaultCountry) };
}

/**
 * The digits a phone-like search looks for inside stored E.164 numbers: the whole number when it
 * normalises, else the typed digits without a national trunk 0 (050… is stored as +97150…), so part
 * of a number ("+971 50 123", "555 0123") still finds it.
 */
function phoneDigits(q: string, defaultCountry: string | null | undefined): string {
	const e164 = toE164(q, defaultCountry);
	return e164 ? e164.slice(1) : q.replace(/\D/g, "").replace(/^0+/, "");
}
