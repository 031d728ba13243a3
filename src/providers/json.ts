// JSON parsing that keeps ids exact: integers beyond 2^53 (TikTok's 19-digit ids, providers.md §0.2)
// come back as their original digit strings instead of rounded doubles. Native JSON.parse on every
// runtime: the text is validated first, then only a text holding such an integer is parsed again with
// those integers quoted. Nesting is bounded: a deeper text is refused before anything walks it.
export type JsonValue =
	| string
	| number
	| boolean
	| null
	| JsonValue[]
	| { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type JsonParse = { ok: true; value: JsonValue } | { ok: false; reason: string };

/** Any integer above 2^53 has at least 16 digits; texts without such a run are parsed once. */
const LONG_DIGIT_RUN = /\d{16}/;

/**
 * A JSON string (skipped whole, so digits inside strings are never touched) or a whole integer of 16
 * digits or more: not part of a fraction or an exponent, not followed by one. Linear on valid JSON,
 * the only text it is run on (every quote then opens a string that closes).
 */
const STRING_OR_LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;

/**
 * The deepest nesting any provider's payload is read to (theirs are under 10 deep). Adapters,
 * JSON.stringify and the Salesforce mapping walk values recursively: a value nested 100,000 deep
 * overflowed the stack (RangeError, a 500 and no row), so deeper text is refused as malformed.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when brackets outside strings nest deeper than `max` (one linear pass, no recursion). */
export function nestsDeeperThan(text: string, max: number): boolean {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (inString) {
			if (code === BACKSLASH) i++;
			else if (code === QUOTE) inString = false;
		} else if (code === QUOTE) inString = true;
		else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
			depth++;
			if (depth > max) return true;
		} else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) depth--;
	}
	return false;
}

/** Parses JSON text; unsafe integers become strings. Never throws. */
export function parseJsonLossless(text: string): JsonParse {
	if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
		return { ok: false, reason: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
	}
	let value: JsonValue;
	try {
		value = JSON.parse(text) as JsonValue;
	} catch {
		return { ok: false, reason: "malformed JSON" };
	}
	if (!LONG_DIGIT_RUN.test(text)) return { ok: true, value };
	return { ok: true, value: JSON.parse(text.replace(STRING_OR_LONG_INTEGER, quoteUnsafe)) };
}

function quoteUnsafe(token: string): string {
	if (token.startsWith('"') || Number.isSafeInteger(Number(token))) return token;
	return `"${token}"`;
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

/** Where one item of a JSON array lies in the text: [start, end) character offsets. */
export interface ItemSpan {
	start: number;
	end: number;
}

export interface ArrayItems {
	/** The items of the array at the path, in order. */
	items: ItemSpan[];
	/** The deepest nesting of the whole text (see MAX_JSON_DEPTH). */
	depth: number;
}

const COMMA = 0x2c;

/**
 * The spans of the items of the array found at `path` (object keys from the root, e.g. ["entry"] or
 * ["data", "leads"]), in one linear pass that builds no values: a big delivery is split at its lead
 * boundaries without parsing it. Undefined when the array is not there exactly once or the brackets
 * do not match; the text is not validated (JSON.parse does that). Keys are compared raw (unescaped).
 * Only the containers on the path keep state (their last key); deeper ones are a depth count.
 */
export function findArrayItems(text: string, path: readonly string[]): ArrayItems | undefined {
	/** Per open container up to the path's length: the object's last key, or null for an array. */
	const keys: (string | null)[] = [];
	let expectKey = false;
	let depth = 0;
	let maxDepth = 0;
	const target = path.length + 1;
	let found = 0;
	let inTarget = false;
	let lastEnd = 0;
	let itemStart = -1;
	const items: ItemSpan[] = [];
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code <= 0x20) continue;
		if (inTarget && depth === target && itemStart < 0 && code !== CLOSE_BRACKET && code !== COMMA) {
			itemStart = i;
		}
		if (code === QUOTE) {
			const close = closingQuote(text, i);
			if (close < 0) return undefined;
			if (expectKey && depth <= path.length) keys[depth - 1] = text.slice(i + 1, close);
			expectKey = false;
			i = close;
		} else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
			const isArray = code === OPEN_BRACKET;
			if (isArray && depth === path.length && onPath(keys, path)) {
				found++;
				inTarget = true;
			}
			depth++;
			if (depth <= path.length) keys[depth - 1] = isArray ? null : "";
			maxDepth = Math.max(maxDepth, depth);
			expectKey = !isArray;
		} else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
			if (inTarget && depth === target) {
				if (itemStart >= 0) items.push({ start: itemStart, end: lastEnd });
				itemStart = -1;
				inTarget = false;
			}
			if (depth === 0) return undefined;
			depth--;
			expectKey = false;
		} else if (code === COMMA) {
			if (inTarget && depth === target && itemStart >= 0) {
				items.push({ start: itemStart, end: lastEnd });
				itemStart = -1;
			}
			// After a comma inside an object comes a key; only the path's objects need to know.
			expectKey = depth >= 1 && depth <= path.length && keys[depth - 1] !== null;
		}
		lastEnd = i + 1;
	}
	if (depth > 0 || found !== 1) return undefined;
	return { items, depth: maxDepth };
}

/** The index of the quote closing the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
	let at = text.indexOf('"', open + 1);
	while (at >= 0) {
		let backslashes = 0;
		while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
		if (backslashes % 2 === 0) return at;
		at = text.indexOf('"', at + 1);
	}
	return -1;
}

/** True when the open containers are the objects whose current keys spell `path`, from the root. */
function onPath(keys: (string | null)[], path: readonly string[]): boolean {
	return path.every((key, i) => keys[i] === key);
}
