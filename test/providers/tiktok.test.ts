// The TikTok adapter alone: every known shape in, LeadDrafts out; signatures over exact bytes.
import { describe, it } from "vitest";
import type { LeadDraft } from "../../src/leads/lead";
import {
	parseTikTokDelivery,
	TEST_LEAD_KEY,
	verifyTikTokSignature,
} from "../../src/providers/tiktok";
import {
	manifest,
	SINGLE_WEBHOOK_ATTRIBUTION,
	tiktokFixtures,
	tiktokManifest,
} from "../support/fixtures";

function leadsOf(text: string): LeadDraft[] {
	const delivery = parseTikTokDelivery(text);
	if (delivery.kind !== "leads") throw new Error(`expected leads, got ${delivery.kind}`);
	return delivery.leads;
}

const encode = (text: string) => new TextEncoder().encode(text);

describe("parseTikTokDelivery", () => {
	for (const fixture of tiktokManifest) {
		it(`reads ${fixture.file} as its manifest says`, ({ expect }) => {
			const leads = leadsOf(tiktokFixtures[fixture.file] ?? "");
			expect(
				leads.map((lead) => ({
					external_lead_id: lead.externalId,
					form_id: lead.formId,
					full_name: lead.fullName,
					email: lead.email,
					routing: lead.routingKey,
				})),
			).toEqual(
				fixture.expected_leads.map((lead) => ({
					external_lead_id: lead.external_lead_id,
					form_id: lead.form_id,
					full_name: lead.full_name,
					email: lead.email,
					// lead/get has no advertiser id: its routing key is the page id, which we keep as formId.
					routing: lead.routing_key?.type === "advertiser_id" ? lead.routing_key.value : undefined,
				})),
			);
		});
	}

	it("reads the form, campaign, ad group and ad names and ids the entry carries", ({ expect }) => {
		const [lead] = leadsOf(tiktokFixtures["tiktok/subscription_webhook_single.json"] ?? "");
		expect(lead?.attribution).toEqual(SINGLE_WEBHOOK_ATTRIBUTION);
		const [flat] = leadsOf(tiktokFixtures["tiktok/relay_flat_fields.json"] ?? "");
		expect(flat?.attribution).toEqual({ ad_id: "1842093710411876" });
	});

	it("marks a lead as a test only for the console's own mark, true inside the body", ({
		expect,
	}) => {
		const entry = (mark: string) =>
			`{"object":1,"entry":[{"id":7563218845012673542,"advertiser_id":1,${mark}"changes":[]}]}`;
		expect(leadsOf(entry(`"${TEST_LEAD_KEY}":true,`))[0]?.isTest).toBe(true);
		expect(leadsOf(entry(`"${TEST_LEAD_KEY}":"true",`))[0]?.isTest).toBe(false);
		expect(leadsOf(entry(""))[0]?.isTest).toBe(false);
		expect(leadsOf(entry(`"${TEST_LEAD_KEY}":true,`))[0]?.answers).toEqual([]);
	});

	it("keeps custom questions under their label", ({ expect }) => {
		const [lead] = leadsOf(tiktokFixtures["tiktok/subscription_webhook_single.json"] ?? "");
		expect(lead?.answers).toContainEqual({
			name: "What treatment are you interested in?",
			values: ["Teeth whitening"],
		});
	});

	it("reads {name,value} and {field_name,field_value} lists and merges multi-value answers", ({
		expect,
	}) => {
		const [a] = leadsOf(
			'{"lead_id":"1","answers":[{"name":"Full Name","value":"Ana Ruiz"},{"name":"Services","value":"A"},{"name":"Services","value":"B"}]}',
		);
		const [b] = leadsOf(
			'{"lead_id":"2","field_data":[{"field_name":"E-mail Address:","field_value":" ANA@Example.COM "},{"field_name":"mobile","field_value":["+971501234567","+971509999999"]}]}',
		);
		expect(a).toMatchObject({
			fullName: "Ana Ruiz",
			answers: expect.arrayContaining([{ name: "Services", values: ["A", "B"] }]),
		});
		expect(b).toMatchObject({
			email: "ana@example.com",
			phones: ["+971501234567", "+971509999999"],
		});
	});

	it("reads an answers object keyed by label", ({ expect }) => {
		const [lead] = leadsOf(
			'{"lead_id":"3","advertiser_id":"9","answers":{"First Name":"Ana","Last Name":"Ruiz","Phone":"050 123 4567"}}',
		);
		expect(lead).toMatchObject({
			externalId: "3",
			routingKey: "9",
			fullName: "Ana Ruiz",
			phones: ["050 123 4567"],
		});
	});

	it("prefers a full name over first and last, and collapses whitespace", ({ expect }) => {
		const [lead] = leadsOf(
			'{"lead_id":"4","full_name":"  Ana   María Ruiz ","first_name":"X","last_name":"Y"}',
		);
		expect(lead?.fullName).toBe("Ana María Ruiz");
	});

	it("uses the work email and phone only when the personal ones are absent", ({ expect }) => {
		const [work] = leadsOf(
			'{"lead_id":"5","work_email":"a@corp.test","work_phone_number":"+12025550143"}',
		);
		const [both] = leadsOf('{"lead_id":"6","work_email":"a@corp.test","email":"a@home.test"}');
		expect(work).toMatchObject({ email: "a@corp.test", phones: ["+12025550143"] });
		expect(both?.email).toBe("a@home.test");
	});

	it("keeps ids beyond 2^53 exact whether sent as numbers or strings", ({ expect }) => {
		const [asNumber] = leadsOf(
			'{"object":1,"entry":[{"id":7563218845012673543,"advertiser_id":7398120456712340987}]}',
		);
		const [asString] = leadsOf('{"object":"1","entry":[{"id":"7563218845012673543"}]}');
		expect(asNumber).toMatchObject({
			externalId: "7563218845012673543",
			routingKey: "7398120456712340987",
		});
		expect(asString?.externalId).toBe("7563218845012673543");
	});

	it("ignores subscription objects that are not leads, and entries marked so", ({ expect }) => {
		expect(parseTikTokDelivery('{"object":2,"entry":[]}')).toEqual({
			kind: "ignored",
			reason: "object 2 is not a lead",
		});
		expect(parseTikTokDelivery('{"object":1,"entry":[{"object":8,"id":1}]}')).toEqual({
			kind: "ignored",
			reason: "no entry is a lead",
		});
	});

	it("rejects one bad entry without losing the good ones", ({ expect }) => {
		const delivery = parseTikTokDelivery(
			'{"object":1,"entry":[{"id":"1","changes":[]},{"changes":[]}]}',
		);
		expect(delivery).toMatchObject({
			kind: "leads",
			leads: [{ externalId: "1" }],
			rejects: [{ reason: "lead has no id", payload: '{"object":1,"entry":[{"changes":[]}]}' }],
		});
	});

	it("gives each webhook entry a replayable payload of its own", ({ expect }) => {
		const [lead] = leadsOf('{"object":1,"entry":[{"id":7563218845012673542,"changes":[]}]}');
		const payload = lead?.payload() ?? "";
		expect(payload).toBe('{"object":1,"entry":[{"id":"7563218845012673542","changes":[]}]}');
		expect(leadsOf(payload)[0]?.externalId).toBe("7563218845012673542");
	});

	it("reads data.leads[] defensively", ({ expect }) => {
		const leads = leadsOf(
			'{"code":0,"data":{"leads":[{"lead_id":"7","email":"a@b.test"},{"lead_id":"8"}]}}',
		);
		expect(leads.map((lead) => lead.externalId)).toEqual(["7", "8"]);
	});

	it("names what is wrong with input it cannot read", ({ expect }) => {
		expect(parseTikTokDelivery("")).toEqual({ kind: "invalid", reason: "empty body" });
		expect(parseTikTokDelivery("{")).toEqual({ kind: "invalid", reason: "malformed JSON" });
		expect(parseTikTokDelivery("[1]")).toEqual({
			kind: "invalid",
			reason: "payload is not a JSON object",
		});
		expect(parseTikTokDelivery('{"entry":{}}')).toEqual({
			kind: "invalid",
			reason: "entry is not a list",
		});
		expect(parseTikTokDelivery(`${"[".repeat(100_000)}`)).toMatchObject({ kind: "invalid" });
	});
});

describe("verifyTikTokSignature", () => {
	const secret = manifest.conventions.signatures.tiktok.app_secret;

	for (const fixture of tiktokManifest.filter((f) => f.http?.headers?.["X-Open-Signature"])) {
		it(`accepts the manifest signature of ${fixture.file} over its exact bytes`, async ({
			expect,
		}) => {
			const body = encode(tiktokFixtures[fixture.file] ?? "");
			const signature = fixture.http?.headers?.["X-Open-Signature"];
			expect(await verifyTikTokSignature(secret, body, signature)).toBe(true);
			expect(await verifyTikTokSignature(`${secret}x`, body, signature)).toBe(false);
			// Re-serialising (here: minifying) changes the bytes and must fail.
			const reserialised = encode(JSON.stringify(JSON.parse(tiktokFixtures[fixture.file] ?? "")));
			expect(await verifyTikTokSignature(secret, reserialised, signature)).toBe(false);
		});
	}

	it("rejects missing, short and non-hex signatures", async ({ expect }) => {
		const body = encode("{}");
		for (const signature of [undefined, "", "abc", "z".repeat(64)]) {
			expect(await verifyTikTokSignature(secret, body, signature)).toBe(false);
		}
	});
});
