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

/** Leadwire's namespace for name-based record ids (a random v4, fixed once). */
const LEADWIRE_NAMESPACE = "6f1c2b1e-8d5a-4c7e-9b3f-2a4d6e8f0c11";

/**
 * An RFC 4122 version-5 UUID of `name` in Leadwire's namespace: the same lead always gets the same
 * id, so a CRM that lets the caller choose record ids refuses (or upserts) a second create.
 */
export async function stableUuid(
	name: string,
	namespaceUuid = LEADWIRE_NAMESPACE,
): Promise<string> {
	const namespace = namespaceUuid.replace(/-/g, "");
	const bytes = new Uint8Array([
		...(namespace.match(/../g) ?? []).map((h) => Number.parseInt(h, 16)),
		...new TextEncoder().encode(name),
	]);
	const hash = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes)).slice(0, 16);
	hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
	hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
	const hex = [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
