// Company-id URL signatures: hex HMAC-SHA256 of the decimal id, refused for another id, key or form.
import { describe, it } from "vitest";
import { signHmacSha256Hex } from "../../src/security/hmac";
import { signCompanyId, verifyCompanyIdSignature } from "../../src/security/url-signature";

const KEY = "url-signing-key";

describe("company id signatures", () => {
	it("is the hex HMAC-SHA256 of the decimal id and verifies", async ({ expect }) => {
		const sig = await signCompanyId(KEY, 42);
		expect(sig).toBe(await signHmacSha256Hex(KEY, "42"));
		expect(sig).toMatch(/^[0-9a-f]{64}$/);
		expect(await verifyCompanyIdSignature(KEY, "42", sig)).toBe(true);
		expect(await verifyCompanyIdSignature(KEY, "42", sig.toUpperCase())).toBe(true);
	});

	it("refuses another id, another key, another spelling of the id, and junk", async ({
		expect,
	}) => {
		const sig = await signCompanyId(KEY, 42);
		expect(await verifyCompanyIdSignature(KEY, "43", sig)).toBe(false);
		expect(await verifyCompanyIdSignature(KEY, "042", sig)).toBe(false);
		expect(await verifyCompanyIdSignature("other-key", "42", sig)).toBe(false);
		expect(await verifyCompanyIdSignature(KEY, "42", undefined)).toBe(false);
		expect(await verifyCompanyIdSignature(KEY, "42", "")).toBe(false);
		expect(await verifyCompanyIdSignature(KEY, "42", sig.slice(0, 63))).toBe(false);
	});
});
