// The Meta adapter on raw fixture bytes: signature, handshake, and every change classified by object
// and field (Lead Ads ids, Business Extension installs, WhatsApp messages and statuses, the rest ignored).
import { describe, it } from "vitest";
import {
	handshakeChallenge,
	type MetaChange,
	parseMetaDelivery,
	verifyMetaSignature,
} from "../../src/providers/meta";
import { manifest, metaFixture, metaManifest } from "../support/fixtures";
import { TEST_META_APP_SECRET } from "../support/secrets";

const bytes = (text: string) => new TextEncoder().encode(text);

function changesOf(text: string): MetaChange[] {
	const delivery = parseMetaDelivery(text);
	if (delivery.kind !== "changes") throw new Error(`invalid: ${delivery.reason}`);
	return delivery.changes;
}

describe("verifyMetaSignature", () => {
	const signed = metaManifest.filter((f) => f.http?.headers?.["X-Hub-Signature-256"]);

	it("accepts every manifest signature over the fixture's exact bytes", async ({ expect }) => {
		expect(signed.length).toBe(5);
		for (const fixture of signed) {
			const header = fixture.http?.headers?.["X-Hub-Signature-256"];
			const ok = await verifyMetaSignature(
				manifest.conventions.signatures.meta.app_secret,
				bytes(metaFixture(fixture.file)),
				header,
			);
			expect(ok, fixture.file).toBe(true);
		}
	});

	it("rejects a re-serialised body, a bare hex, a wrong secret and a missing header", async ({
		expect,
	}) => {
		const raw = metaFixture("meta/leadgen_webhook_two_changes.json");
		const header = metaManifest[0]?.http?.headers?.["X-Hub-Signature-256"];
		const reserialised = bytes(JSON.stringify(JSON.parse(raw)));
		expect(await verifyMetaSignature(TEST_META_APP_SECRET, reserialised, header)).toBe(false);
		expect(await verifyMetaSignature(TEST_META_APP_SECRET, bytes(raw), header?.slice(7))).toBe(
			false,
		);
		expect(await verifyMetaSignature("another-secret", bytes(raw), header)).toBe(false);
		expect(await verifyMetaSignature(TEST_META_APP_SECRET, bytes(raw), undefined)).toBe(false);
	});
});

describe("handshakeChallenge", () => {
	it("passes the manifest's vectors", async ({ expect }) => {
		for (const vector of manifest.verification_vectors.filter((v) => v.provider === "meta")) {
			const challenge = await handshakeChallenge(
				{
					mode: vector.request.query["hub.mode"],
					verifyToken: vector.request.query["hub.verify_token"],
					challenge: vector.request.query["hub.challenge"],
				},
				vector.configured_verify_token,
			);
			if (vector.expected.status === 200) expect(challenge).toBe(vector.expected.body);
			else expect(challenge, vector.description).toBeUndefined();
		}
	});

	it("refuses when no verify token is configured or the mode is not subscribe", async ({
		expect,
	}) => {
		const query = { mode: "subscribe", verifyToken: "", challenge: "1" };
		expect(await handshakeChallenge(query, undefined)).toBeUndefined();
		expect(
			await handshakeChallenge({ ...query, mode: "unsubscribe", verifyToken: "t" }, "t"),
		).toBeUndefined();
	});
});

describe("parseMetaDelivery", () => {
	it("yields both leadgen changes of one entry with their page and form ids", ({ expect }) => {
		const changes = changesOf(metaFixture("meta/leadgen_webhook_two_changes.json"));
		expect(changes.map((c) => (c.kind === "leadgen" ? c.notice : c.kind))).toEqual([
			{ leadgenId: "1023456789012345", pageId: "109876543210987", formId: "987654321098765" },
			{ leadgenId: "1023456789019876", pageId: "109876543210987", formId: "987654321098799" },
		]);
	});

	it("accepts numeric ids and falls back to entry.id for the page", ({ expect }) => {
		const body = `{"object":"page","entry":[{"id":109876543210987,"changes":[{"field":"leadgen","value":{"leadgen_id":444444444,"form_id":987654321098765}}]}]}`;
		const [change] = changesOf(body);
		expect(change?.kind === "leadgen" && change.notice).toEqual({
			leadgenId: "444444444",
			pageId: "109876543210987",
			formId: "987654321098765",
		});
	});

	it("reads the WhatsApp sender with phone and BSUID, and statuses as statuses", ({ expect }) => {
		const [message] = changesOf(metaFixture("whatsapp/text_message.json"));
		const [status] = changesOf(metaFixture("whatsapp/status_update.json"));
		expect(message?.kind === "whatsapp" && message.change).toEqual({
			phoneNumberId: "112233445566778",
			statuses: 0,
			messages: [
				{
					wamid: "wamid.HBgMMjAxMDAxMjM0NTY3FQIAEhgUM0VCMDRBN0M5RjE2QjI4RDhGNTUA",
					waId: "201001234567",
					userId: "EG.1503627384950617",
					profileName: "Youssef Karim",
					type: "text",
				},
			],
		});
		expect(status?.kind === "whatsapp" && status.change).toEqual({
			phoneNumberId: "112233445566778",
			statuses: 1,
			messages: [],
		});
	});

	it("tells an FBE install from an uninstall, and keeps no token in the payload", ({ expect }) => {
		const [install] = changesOf(metaFixture("fbe/fbe_install.json"));
		const [uninstall] = changesOf(metaFixture("fbe/fbe_uninstall.json"));
		if (install?.kind !== "fbe_install" || uninstall?.kind !== "fbe_install") {
			throw new Error("not fbe_install changes");
		}
		expect(install.event).toMatchObject({
			type: "install",
			businessId: "northwind-dental-7f3a",
			businessManagerId: "2123456789012345",
			pageIds: ["109876543210987"],
			tokenType: "System User",
			accessToken: "EAAFixtureSystemUserTokenNotReal0000000000000000000000",
		});
		expect(install.payload()).not.toContain("EAAFixture");
		expect(uninstall.event).toMatchObject({
			type: "uninstall",
			businessId: "northwind-dental-7f3a",
			pageIds: [],
			accessToken: undefined,
		});
	});

	it("treats fbe_event UNINSTALL as an uninstall even with a token", ({ expect }) => {
		const body = `{"object":"user","entry":[{"id":"1","changes":[{"field":"fbe_install","value":{"business_id":"b1","access_token":"EAAx","fbe_event":"UNINSTALL"}}]}]}`;
		const [change] = changesOf(body);
		expect(change?.kind === "fbe_install" && change.event.type).toBe("uninstall");
		expect(change?.kind === "fbe_install" && change.event.accessToken).toBeUndefined();
	});

	it("ignores unknown objects and fields, and rejects a leadgen change without an id", ({
		expect,
	}) => {
		const body = `{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"item":"post"}},{"field":"leadgen","value":{"page_id":"1"}}]},{"id":"2","changes":[]}]}`;
		const changes = changesOf(body);
		expect(changes.map((c) => [c.kind, c.field])).toEqual([
			["ignored", "feed"],
			["reject", "leadgen"],
		]);
		expect(
			changesOf(`{"object":"instagram","entry":[{"changes":[{"field":"comments","value":{}}]}]}`)[0]
				?.kind,
		).toBe("ignored");
	});

	it("calls malformed envelopes invalid", ({ expect }) => {
		expect(parseMetaDelivery("")).toEqual({ kind: "invalid", reason: "empty body" });
		expect(parseMetaDelivery("{")).toEqual({ kind: "invalid", reason: "malformed JSON" });
		expect(parseMetaDelivery(`{"entry":[]}`)).toEqual({
			kind: "invalid",
			reason: "object is missing",
		});
		expect(parseMetaDelivery(`{"object":"page"}`)).toEqual({
			kind: "invalid",
			reason: "entry is not a list",
		});
	});
});
