// One-click action links in notifications ("Contacted", "Not mine"): the token is base64url JSON
// of what the link does and until when, then `.` and its hex HMAC-SHA256 under a key derived from
// ENCRYPTION_KEY (so no new secret to manage), checked with WebCrypto's constant-time verify.
import { signHmacSha256Hex, verifyHmacSha256Hex } from "./hmac";

const KEY_LABEL = "leadwire action links v1";
const encoder = new TextEncoder();

export const LINK_ACTIONS = ["contacted", "not_mine"] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

export interface ActionLink {
	action: LinkAction;
	clientId: number;
	/** The rep the link was sent to. */
	employeeId: number;
	/** The lead's assignment round when sent: a link of an earlier round no longer applies. */
	round: number;
	/** Epoch seconds after which the link is refused. */
	expiresAt: number;
}

export type LinkCheck =
	| { ok: true; link: ActionLink; nonce: string }
	| { ok: false; reason: "invalid" | "expired" };

/** The link key: HMAC(ENCRYPTION_KEY, label), so rotating ENCRYPTION_KEY voids every link. */
export function actionLinkKey(encryptionKey: string): Promise<string> {
	return signHmacSha256Hex(encryptionKey, KEY_LABEL);
}

/**
 * A link's nonce: the same for one action, lead and round on every channel of a rep, so whichever
 * copy is used first uses them all.
 */
export function linkNonce(link: ActionLink): string {
	return `${link.action}:${link.clientId}:${link.round}`;
}

export async function signActionLink(key: string, link: ActionLink): Promise<string> {
	const payload = toBase64Url(
		JSON.stringify([link.action, link.clientId, link.employeeId, link.round, link.expiresAt]),
	);
	return `${payload}.${await signHmacSha256Hex(key, payload)}`;
}

export async function verifyActionLink(key: string, token: string, now: Date): Promise<LinkCheck> {
	const [payload, signature, extra] = token.split(".");
	if (!payload || !signature || extra !== undefined) return { ok: false, reason: "invalid" };
	if (!(await verifyHmacSha256Hex(key, encoder.encode(payload), signature))) {
		return { ok: false, reason: "invalid" };
	}
	const link = parsePayload(payload);
	if (!link) return { ok: false, reason: "invalid" };
	if (link.expiresAt * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
	return { ok: true, link, nonce: linkNonce(link) };
}

function parsePayload(payload: string): ActionLink | undefined {
	try {
		const value: unknown = JSON.parse(fromBase64Url(payload));
		if (!Array.isArray(value) || value.length !== 5) return undefined;
		const [action, clientId, employeeId, round, expiresAt] = value;
		const integers = [clientId, employeeId, round, expiresAt].every(Number.isSafeInteger);
		if (!LINK_ACTIONS.includes(action) || !integers) return undefined;
		return { action, clientId, employeeId, round, expiresAt };
	} catch {
		return undefined;
	}
}

function toBase64Url(text: string): string {
	return btoa(String.fromCharCode(...encoder.encode(text)))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
	const base64 = text.replaceAll("-", "+").replaceAll("_", "/");
	const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
	return new TextDecoder().decode(bytes);
}
