// Signs outgoing webhooks per the Standard Webhooks specification (standardwebhooks.com): the
// `webhook-id`, `webhook-timestamp` and `webhook-signature` headers, v1 = HMAC-SHA256 in base64.

const encoder = new TextEncoder();
const SECRET_PREFIX = "whsec_";

/** A new signing secret in the spec's form: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(): string {
	return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(24)));
}

/** True when `secret` is `whsec_` followed by base64 of at least 24 bytes (the spec's minimum). */
export function isWebhookSecret(secret: string): boolean {
	const key = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : undefined;
	if (!key || !/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return false;
	return fromBase64(key).length >= 24;
}

/**
 * The three headers for one message. The signed content is `${id}.${timestamp}.${body}`, the key is
 * the base64-decoded part of the secret after `whsec_`, and the signature is `v1,` + base64 HMAC.
 */
export async function standardWebhookHeaders(
	secret: string,
	message: { id: string; timestampSeconds: number; body: string },
): Promise<Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string>> {
	const timestamp = String(Math.floor(message.timestampSeconds));
	const key = await crypto.subtle.importKey(
		"raw",
		fromBase64(secret.slice(SECRET_PREFIX.length)),
		{ name: "HMAC", hash: "SHA-256" },
		false,
		["sign"],
	);
	const signed = encoder.encode(`${message.id}.${timestamp}.${message.body}`);
	const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, signed));
	return {
		"webhook-id": message.id,
		"webhook-timestamp": timestamp,
		"webhook-signature": `v1,${toBase64(mac)}`,
	};
}

function toBase64(bytes: Uint8Array): string {
	return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text: string): Uint8Array {
	return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}
