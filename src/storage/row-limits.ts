// What one D1 row and one bound value can hold, and the cuts that keep a delivery's rows inside it.
// D1's limits (https://developers.cloudflare.com/d1/platform/limits/, as of Apr 2026): "Maximum
// string, BLOB or table row size 2,000,000 bytes (2 MB)", "Maximum SQL statement length 100,000 bytes
// (100 KB)", "Maximum bound parameters per query 100". A bound value is a string, so it is held to the
// same 2,000,000 bytes: past it D1 answers SQLITE_TOOBIG on every retry.

/** D1's largest string, BLOB or row, in bytes. */
export const D1_MAX_VALUE_BYTES = 2_000_000;

/**
 * What one client row's JSON (fields and answers, as bound into json_each) may take: half of D1's
 * limit, so the row with its other columns, and the chunk carrying it, stay well inside.
 */
export const ROW_BUDGET_BYTES = 1_000_000;

/** A value longer than this is cut to it first; if the row is still too big, all are cut shorter. */
export const VALUE_MAX_CHARS = 100_000;

/** What a log's payload (the delivery as received, for replay) may take, as JSON-escaped UTF-8. */
export const PAYLOAD_BUDGET_BYTES = 1_500_000;

const encoder = new TextEncoder();

/** Bytes of a value once JSON-escaped and UTF-8 encoded: what it takes inside a bound json_each. */
export function jsonBytes(value: unknown): number {
	return encoder.encode(JSON.stringify(value)).length;
}

/** A text cut to at most `maxChars` characters without splitting a surrogate pair. */
export function cutText(text: string, maxChars: number): string {
	if (text.length <= maxChars) return text;
	const end = /[\uD800-\uDBFF]/.test(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
	return text.slice(0, end);
}

/**
 * The longest prefix of `text` whose JSON form fits `budget` bytes, in characters (halving from the
 * whole text, then kept), so a payload of quotes or non-ASCII text is cut as surely as plain ASCII.
 */
export function cutToBudget(text: string, budget: number): string {
	let cut = cutText(text, budget);
	while (cut.length > 0 && jsonBytes(cut) > budget) cut = cutText(cut, Math.floor(cut.length / 2));
	return cut;
}

export interface ClientFields {
	fullName: string | null;
	email: string | null;
	formId: string | null;
	answers: { name: string; values: string[] }[];
	/** Names of the lead's form, campaign, ad set and ad, by key. */
	attribution?: Record<string, string> | null;
}

/**
 * The client's fields cut so its row fits ROW_BUDGET_BYTES, and what was cut in words for its log
 * message (`undefined` when nothing was). Values longer than VALUE_MAX_CHARS are cut to it; a row
 * still too big (many long values) has every value cut to a tenth of that, and so on.
 */
export function cutClient<T extends ClientFields>(client: T): { client: T; cut?: string } {
	if (jsonBytes(client) <= ROW_BUDGET_BYTES) return { client };
	let cap = VALUE_MAX_CHARS;
	for (;;) {
		const cuts: string[] = [];
		const cutValue = (label: string, value: string) => {
			if (value.length <= cap) return value;
			cuts.push(`${label} cut from ${value.length} to ${cap} characters`);
			return cutText(value, cap);
		};
		const cutNullable = (label: string, value: string | null) =>
			value === null ? null : cutValue(label, value);
		const bounded: T = {
			...client,
			fullName: cutNullable("full name", client.fullName),
			email: cutNullable("email", client.email),
			formId: cutNullable("form id", client.formId),
			attribution: client.attribution
				? Object.fromEntries(
						Object.entries(client.attribution).map(([key, value]) => [
							key,
							cutValue(key.replace(/_/g, " "), value),
						]),
					)
				: client.attribution,
			answers: client.answers.map((answer) => {
				const name = cutValue("an answer's name", answer.name);
				return {
					name,
					values: answer.values.map((value) => cutValue(`answer "${name}"`, value)),
				};
			}),
		};
		if (jsonBytes(bounded) <= ROW_BUDGET_BYTES || cap <= 10) {
			return { client: bounded, cut: cuts.join("; ") || undefined };
		}
		cap = Math.floor(cap / 10);
	}
}
