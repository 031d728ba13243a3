// JSON parsing that keeps ids exact: integers beyond 2^53 (TikTok's 19-digit ids, providers.md §0.2)
// come back as their original digit strings instead of rounded doubles. Native JSON.parse with the
// reviver's source text where the runtime has it (workerd), lossless-json elsewhere (Node 20).
import { isSafeNumber, parse } from "lossless-json";

export type JsonValue =
	| string
	| number
	| boolean
	| null
	| JsonValue[]
	| { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type JsonParse = { ok: true; value: JsonValue } | { ok: false; reason: string };

/** workerd's JSON.parse hands revivers the source text of each value (V8 ≥ 11.4; not Node 20). */
type SourceReviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

const keepUnsafeIntegers: SourceReviver = (_key, value, context) =>
	typeof value === "number" &&
	!Number.isSafeInteger(value) &&
	context?.source &&
	/^-?\d+$/.test(context.source)
		? context.source
		: value;

const nativeSourceSupported = (() => {
	let supported = false;
	JSON.parse("1", ((_key, value, context) => {
		supported = typeof context?.source === "string";
		return value;
	}) as SourceReviver);
	return supported;
})();

/** Parses JSON text; unsafe integers become strings. Never throws. */
export function parseJsonLossless(text: string): JsonParse {
	try {
		const value = (
			nativeSourceSupported
				? JSON.parse(text, keepUnsafeIntegers)
				: parse(text, null, (digits: string) => (isSafeNumber(digits) ? Number(digits) : digits))
		) as JsonValue;
		return { ok: true, value };
	} catch (error) {
		// RangeError for absurd nesting, SyntaxError for malformed text.
		const reason = error instanceof RangeError ? "nesting too deep" : "malformed JSON";
		return { ok: false, reason };
	}
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An id field as a string: numbers and digit strings alike; anything else is undefined. */
export function idString(value: JsonValue | undefined): string | undefined {
	if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
	if (typeof value === "string" && value.trim() !== "") return value.trim();
	return undefined;
}
