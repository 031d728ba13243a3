// AES-GCM sealing of stored secrets: round trip, no plaintext in the sealed form, wrong key refused.
import { describe, it } from "vitest";
import { isEncryptionKey, SecretBoxError, secretBox } from "../../src/security/secret-box";
import { TEST_ENCRYPTION_KEY } from "../support/secrets";

const OTHER_KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));

describe("secretBox", () => {
	it("seals to a versioned value without the plaintext and opens it again", async ({ expect }) => {
		const box = secretBox(TEST_ENCRYPTION_KEY);
		const sealed = await box.seal("EAAGm0PX4ZCpsBAKZD-token");
		expect(sealed).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
		expect(sealed).not.toContain("EAAGm0PX4ZCpsBAKZD");
		expect(await box.open(sealed)).toBe("EAAGm0PX4ZCpsBAKZD-token");
	});

	it("uses a fresh IV per seal", async ({ expect }) => {
		const box = secretBox(TEST_ENCRYPTION_KEY);
		expect(await box.seal("same")).not.toBe(await box.seal("same"));
	});

	it("refuses to open with another key or a tampered value", async ({ expect }) => {
		const sealed = await secretBox(TEST_ENCRYPTION_KEY).seal("refresh-token");
		await expect(secretBox(OTHER_KEY).open(sealed)).rejects.toThrow(SecretBoxError);
		const tampered = `${sealed.slice(0, -4)}AAA=`;
		await expect(secretBox(TEST_ENCRYPTION_KEY).open(tampered)).rejects.toThrow(SecretBoxError);
		await expect(secretBox(TEST_ENCRYPTION_KEY).open("plain")).rejects.toThrow(
			"not a sealed value",
		);
	});

	it("needs a 32-byte base64 key", async ({ expect }) => {
		expect(() => secretBox(undefined)).toThrow("ENCRYPTION_KEY is not set");
		expect(isEncryptionKey(TEST_ENCRYPTION_KEY)).toBe(true);
		expect(isEncryptionKey("short")).toBe(false);
		await expect(secretBox(btoa("sixteen-bytes-ok")).seal("x")).rejects.toThrow("32 bytes");
	});
});
