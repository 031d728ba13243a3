// Encrypts OAuth secrets and access tokens before they are stored in D1 (AES-256-GCM, WebCrypto).
// The key is the ENCRYPTION_KEY secret: 32 random bytes, base64 (`openssl rand -base64 32`).
// Sealed values look like `v1.<iv base64>.<ciphertext base64>`, so a key rotation can add `v2`.

const VERSION = "v1";
const IV_BYTES = 12;

/** Thrown when ENCRYPTION_KEY is missing or malformed, or a sealed value does not open with it. */
export class SecretBoxError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "SecretBoxError";
	}
}

export interface SecretBox {
	seal(plaintext: string): Promise<string>;
	open(sealed: string): Promise<string>;
}

const keys = new Map<string, Promise<CryptoKey>>();

/** A box over the base64 ENCRYPTION_KEY; the CryptoKey is imported once per isolate. */
export function secretBox(encryptionKey: string | undefined): SecretBox {
	if (!encryptionKey) throw new SecretBoxError("ENCRYPTION_KEY is not set");
	let key = keys.get(encryptionKey);
	if (!key) {
		key = importKey(encryptionKey);
		keys.set(encryptionKey, key);
	}
	const ready = key;
	return {
		async seal(plaintext) {
			const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
			const data = new TextEncoder().encode(plaintext);
			const cipher = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await ready, data);
			return `${VERSION}.${toBase64(iv)}.${toBase64(new Uint8Array(cipher))}`;
		},
		async open(sealed) {
			const [version, iv, cipher] = sealed.split(".");
			if (version !== VERSION || !iv || !cipher) throw new SecretBoxError("not a sealed value");
			try {
				const plain = await crypto.subtle.decrypt(
					{ name: "AES-GCM", iv: fromBase64(iv) },
					await ready,
					fromBase64(cipher),
				);
				return new TextDecoder().decode(plain);
			} catch {
				throw new SecretBoxError("sealed value does not open with ENCRYPTION_KEY");
			}
		},
	};
}

/** True when the value is a usable ENCRYPTION_KEY (32 bytes of base64); config validates with it. */
export function isEncryptionKey(value: string): boolean {
	try {
		return fromBase64(value).byteLength === 32;
	} catch {
		return false;
	}
}

async function importKey(encryptionKey: string): Promise<CryptoKey> {
	if (!isEncryptionKey(encryptionKey)) {
		throw new SecretBoxError("ENCRYPTION_KEY must be 32 bytes, base64-encoded");
	}
	return crypto.subtle.importKey("raw", fromBase64(encryptionKey), "AES-GCM", false, [
		"encrypt",
		"decrypt",
	]);
}

function toBase64(bytes: Uint8Array): string {
	let binary = "";
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}
