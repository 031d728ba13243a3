// Phone values → E.164 with libphonenumber-js, following fixtures/manifest.json → conventions.phone_e164.
// TikTok and WhatsApp send the country code without "+", so a bare number is tried as international
// too; the company's default country covers numbers typed in national format. A value that does not
// parse is kept as typed and flagged, never dropped: the rep still sees what the lead wrote.
import {
	type CountryCode,
	isSupportedCountry,
	parsePhoneNumberFromString,
} from "libphonenumber-js";
import type { StoredPhone } from "../storage/receipts";

/** A value kept as typed is cut to this: a phone field holding a paragraph is not a number. */
export const INVALID_PHONE_MAX_CHARS = 100;

const E164 = /^\+[1-9]\d{7,14}$/;

/** Eastern Arabic (U+0660–0669) and Persian (U+06F0–06F9) digits → ASCII. */
function asciiDigits(value: string): string {
	// Both blocks end in 0–9 in their low hex digit: U+0660 → 0 … U+06F9 → 9.
	return value.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (digit) =>
		String(digit.charCodeAt(0) & 0xf),
	);
}

/** E.164 (+ and 8–15 digits) or null when the value cannot be a phone number. */
export function toE164(raw: string, defaultCountry?: string | null): string | null {
	const international = internationalDigits(raw);
	if (international === null) return null;
	const valid = validNumber(international, defaultCountry);
	if (valid) return valid;
	const fallback = international.startsWith("+") ? international : `+${international}`;
	return E164.test(fallback) ? fallback : null;
}

/**
 * E.164 of a whole, valid number (libphonenumber's metadata), or null: unlike toE164, never a mere
 * run of digits such as part of a number ("+971 50 123").
 */
export function validE164(raw: string, defaultCountry?: string | null): string | null {
	const international = internationalDigits(raw);
	return international === null ? null : validNumber(international, defaultCountry) || null;
}

/** The value's digits with a leading "+" ("00" read as "+"), or null if anything else is left. */
function internationalDigits(raw: string): string | null {
	const compact = asciiDigits(raw).replace(/[\s\-.()]/g, "");
	const international = compact.startsWith("00") ? `+${compact.slice(2)}` : compact;
	return /^\+?\d+$/.test(international) ? international : null;
}

/** The first valid reading: as international, or national in the default country; "" if none. */
function validNumber(international: string, defaultCountry?: string | null): string {
	const candidates: string[] = [];
	if (international.startsWith("+")) {
		candidates.push(parsed(international));
	} else {
		const country = supportedCountry(defaultCountry);
		if (country) candidates.push(parsed(international, country));
		candidates.push(parsed(`+${international}`));
	}
	return candidates.find((candidate) => candidate !== "") ?? "";
}

function parsed(value: string, country?: CountryCode): string {
	const phone = parsePhoneNumberFromString(value, country);
	return phone?.isValid() ? phone.number : "";
}

function supportedCountry(code: string | null | undefined): CountryCode | undefined {
	const upper = code?.toUpperCase();
	return upper && isSupportedCountry(upper) ? upper : undefined;
}

/**
 * A lead's phones in the order given, without repeats: E.164 numbers (`valid`), and values that do
 * not parse kept as typed (trimmed, cut to INVALID_PHONE_MAX_CHARS) with `valid: false`.
 */
export function normalisePhones(values: string[], defaultCountry?: string | null): StoredPhone[] {
	const phones = new Map<string, StoredPhone>();
	for (const value of values) {
		const typed = value.trim();
		if (typed === "") continue;
		const number = toE164(typed, defaultCountry);
		const phone = number
			? { number, valid: true }
			: { number: Array.from(typed).slice(0, INVALID_PHONE_MAX_CHARS).join(""), valid: false };
		if (!phones.has(phone.number)) phones.set(phone.number, phone);
	}
	return [...phones.values()];
}

/** The E.164 numbers among a lead's phones. */
export function validNumbers(phones: StoredPhone[]): string[] {
	return phones.filter((phone) => phone.valid).map((phone) => phone.number);
}

/** ISO 3166 countries of the valid numbers among a lead's phones (routing rules test them). */
export function phoneCountries(phones: StoredPhone[]): string[] {
	const countries = validNumbers(phones).flatMap(
		(number) => parsePhoneNumberFromString(number)?.country ?? [],
	);
	return [...new Set(countries)];
}
