// Pure: what every CRM person record (HubSpot contact, Twenty Person) is built from — first and last
// name, the phone split into country and national number — and error text with the lead's values cut.
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { leadValue, type MappableClient } from "./salesforce-mapping";

export interface PersonName {
	firstName: string;
	lastName: string;
}

/** The first/last-name answers when the form asked for them, else the full name split at its last space. */
export function personName(lead: MappableClient): PersonName {
	const last = leadValue(lead, "last_name");
	if (last) return { firstName: leadValue(lead, "first_name") ?? "", lastName: last };
	const full = (lead.fullName ?? "").trim().replace(/\s+/g, " ");
	const cut = full.lastIndexOf(" ");
	return cut > 0
		? { firstName: full.slice(0, cut), lastName: full.slice(cut + 1) }
		: { firstName: full, lastName: "" };
}

export interface SplitPhone {
	/** Digits after the calling code, as CRMs that store the parts separately want them. */
	nationalNumber: string;
	/** "+33" */
	callingCode: string;
	/** ISO 3166 alpha-2 ("FR"), or "" for non-geographic numbers. */
	countryCode: string;
}

/** An E.164 number in its parts; undefined when it does not parse (stored phones always do). */
export function splitPhone(e164: string): SplitPhone | undefined {
	const parsed = parsePhoneNumberFromString(e164);
	if (!parsed) return undefined;
	return {
		nationalNumber: String(parsed.nationalNumber),
		callingCode: `+${parsed.countryCallingCode}`,
		countryCode: parsed.country ?? "",
	};
}

/**
 * A destination's error message with what could be the lead's data cut out (emails, runs of digits,
 * quoted values), so it can be stored as a forward's last error and shown without the lead's PII.
 */
export function redactMessage(message: string, maxChars = 300): string {
	return message
		.replace(/[^\s"'@]+@[^\s"'@]+/g, "<email>")
		.replace(/\+?\d[\d\s().-]{4,}\d/g, "<number>")
		.slice(0, maxChars);
}
