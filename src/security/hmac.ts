// HMAC-SHA256 signatures over the exact bytes received, checked with WebCrypto's constant-time verify.

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
	let key = keys.get(secret);
	if (!key) {
		key = crypto.subtle.importKey(
			"raw",
			encoder.encode(secret),
			{ name: "HMAC", hash: "SHA-256" },
			false,
			["sign", "verify"],
		);
		keys.set(secret, key);
	}
	return key;
}

function hexToBytes(hex: string): Uint8Array | undefined {
	if (!/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
	const bytes = new Uint8Array(32);
	for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
	return bytes;
}

/** True when `signatureHex` is the hex HMAC-SHA256 of `body` under `secret`. */
export async function verifyHmacSha256Hex(
	secret: string,
	body: Uint8Array,
	signatureHex: string | undefined,
): Promise<boolean> {
	const signature = signatureHex ? hexToBytes(signatureHex.trim()) : undefined;
	if (!signature) return false;
	return crypto.subtle.verify("HMAC", await hmacKey(secret), signature, body);
}

/** Lowercase hex HMAC-SHA256, for senders (test-lead script, tests). */
export async function signHmacSha256Hex(
	secret: string,
	body: Uint8Array | string,
): Promise<string> {
	const bytes = typeof body === "string" ? encoder.encode(body) : body;
	const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), bytes));
	return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}
