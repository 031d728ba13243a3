// Meta app callback adapter (providers.md §2): the GET handshake, X-Hub-Signature-256 over the raw
// bytes, and the `object` × entry[] × changes[] envelope, dispatched to the Lead Ads, Business
// Extension and WhatsApp parsers. Pure: no I/O, no company, no storage.

import { verifyHmacSha256Hex } from "../security/hmac";
import { isJsonObject, type JsonObject, type JsonValue, parseJsonLossless } from "./json";
import { type FbeInstallEvent, parseFbeInstall, redactTokens } from "./meta-fbe";
import { type LeadgenNotice, parseLeadgenChange } from "./meta-leadgen";
import { parseWhatsAppChange, type WhatsAppChange } from "./whatsapp";

export const META_SIGNATURE_HEADER = "X-Hub-Signature-256";

/** One change of a delivery, classified; `payload` is a one-change envelope to keep for replay. */
export type MetaChange = (
	| { kind: "leadgen"; notice: LeadgenNotice }
	| { kind: "whatsapp"; change: WhatsAppChange }
	| { kind: "fbe_install"; event: FbeInstallEvent }
	| { kind: "ignored"; reason: string }
	| { kind: "reject"; reason: string }
) & { object: string; field: string; payload: () => string };

export type MetaDelivery =
	| { kind: "changes"; changes: MetaChange[] }
	| { kind: "invalid"; reason: string };

/**
 * True when the header is `sha256=<hex HMAC-SHA256(app secret, body)>`. Meta sends the escaped-unicode
 * serialisation it signed, so the bytes as received are what is hashed (providers.md §2).
 */
export async function verifyMetaSignature(
	appSecret: string,
	body: Uint8Array,
	header: string | undefined,
): Promise<boolean> {
	const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header?.trim() ?? "");
	return match ? verifyHmacSha256Hex(appSecret, body, match[1]) : false;
}

export interface HandshakeQuery {
	mode: string | undefined;
	verifyToken: string | undefined;
	challenge: string | undefined;
}

/** The challenge to echo when Meta's GET handshake names our verify token; undefined → 403. */
export async function handshakeChallenge(
	query: HandshakeQuery,
	configuredToken: string | undefined,
): Promise<string | undefined> {
	if (!configuredToken || query.mode !== "subscribe" || query.challenge === undefined) {
		return undefined;
	}
	return (await sameText(query.verifyToken ?? "", configuredToken)) ? query.challenge : undefined;
}

/** Constant-time text comparison (by SHA-256 digests, so lengths do not leak either). */
async function sameText(given: string, expected: string): Promise<boolean> {
	const digest = (text: string) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
	const [a, b] = await Promise.all([digest(given), digest(expected)]);
	return crypto.subtle.timingSafeEqual(a, b);
}

/** Parses a delivery body into its changes. Never throws: bad input is `invalid` with a reason. */
export function parseMetaDelivery(text: string): MetaDelivery {
	if (text.trim() === "") return { kind: "invalid", reason: "empty body" };
	const parsed = parseJsonLossless(text);
	if (!parsed.ok) return { kind: "invalid", reason: parsed.reason };
	const body = parsed.value;
	if (!isJsonObject(body)) return { kind: "invalid", reason: "payload is not a JSON object" };
	if (typeof body.object !== "string") return { kind: "invalid", reason: "object is missing" };
	if (!Array.isArray(body.entry)) return { kind: "invalid", reason: "entry is not a list" };
	const object = body.object;
	const changes: MetaChange[] = [];
	for (const entry of body.entry) {
		if (!isJsonObject(entry) || !Array.isArray(entry.changes)) {
			changes.push({
				kind: "reject",
				reason: "entry has no changes list",
				object,
				field: "",
				payload: () => JSON.stringify(redactTokens({ object, entry: [entry] })),
			});
			continue;
		}
		for (const change of entry.changes) changes.push(classify(object, entry, change));
	}
	return { kind: "changes", changes };
}

/** Routes one change to its parser by object and field; anything else is acknowledged as ignored. */
function classify(object: string, entry: JsonObject, change: JsonValue): MetaChange {
	const field = isJsonObject(change) && typeof change.field === "string" ? change.field : "";
	const { changes: _all, ...entryFields } = entry;
	// Tokens are redacted: an fbe_install payload kept on a failure must not hold its access token.
	const payload = () =>
		JSON.stringify(redactTokens({ object, entry: [{ ...entryFields, changes: [change] }] }));
	const base = { object, field, payload };
	const value = isJsonObject(change) ? change.value : undefined;
	if (!isJsonObject(value)) {
		return { ...base, kind: "ignored", reason: `${object}/${field || "?"} change has no value` };
	}
	if (object === "page" && field === "leadgen") {
		const notice = parseLeadgenChange(value, entry);
		return "reason" in notice
			? { ...base, kind: "reject", reason: notice.reason }
			: { ...base, kind: "leadgen", notice };
	}
	if (object === "whatsapp_business_account" && field === "messages") {
		const parsed = parseWhatsAppChange(value);
		return "reason" in parsed
			? { ...base, kind: "reject", reason: parsed.reason }
			: { ...base, kind: "whatsapp", change: parsed };
	}
	if (object === "user" && field === "fbe_install") {
		const event = parseFbeInstall(value);
		return "reason" in event
			? { ...base, kind: "reject", reason: event.reason }
			: { ...base, kind: "fbe_install", event };
	}
	return { ...base, kind: "ignored", reason: `${object}/${field || "?"} is not handled` };
}
