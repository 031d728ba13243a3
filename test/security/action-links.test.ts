// One-click link tokens: signed with a key derived from ENCRYPTION_KEY, refused when changed, signed
// with another key, expired, or not of this shape.
import { describe, it } from "vitest";
import {
	type ActionLink,
	actionLinkKey,
	signActionLink,
	verifyActionLink,
} from "../../src/security/action-links";
import { TEST_ENCRYPTION_KEY } from "../support/secrets";

const now = new Date("2026-12-07T08:00:00Z");
const link: ActionLink = {
	action: "contacted",
	clientId: 42,
	employeeId: 7,
	round: 1,
	expiresAt: now.getTime() / 1000 + 3600,
};

describe("action links", () => {
	it("verify as signed, with the nonce shared by every copy of one action and round", async ({
		expect,
	}) => {
		const key = await actionLinkKey(TEST_ENCRYPTION_KEY);
		const token = await signActionLink(key, link);
		expect(token).toMatch(/^[A-Za-z0-9_-]+\.[0-9a-f]{64}$/);
		expect(await verifyActionLink(key, token, now)).toEqual({
			ok: true,
			link,
			nonce: "contacted:42:1",
		});
	});

	it("refuse a changed payload, another key, an expired link and junk", async ({ expect }) => {
		const key = await actionLinkKey(TEST_ENCRYPTION_KEY);
		const token = await signActionLink(key, link);
		const [, signature] = token.split(".");
		const other = await signActionLink(key, { ...link, clientId: 43 });
		const [otherPayload] = other.split(".");
		expect(await verifyActionLink(key, `${otherPayload}.${signature}`, now)).toEqual({
			ok: false,
			reason: "invalid",
		});
		const otherKey = await actionLinkKey("another-key");
		expect((await verifyActionLink(otherKey, token, now)).ok).toBe(false);
		expect(await verifyActionLink(key, token, new Date(link.expiresAt * 1000))).toEqual({
			ok: false,
			reason: "expired",
		});
		for (const junk of ["", "abc", `${token}.x`, "e30.00"]) {
			expect((await verifyActionLink(key, junk, now)).ok).toBe(false);
		}
	});
});
