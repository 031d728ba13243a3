// Bad deliveries: forged signatures get 401 and store nothing; bad bodies get 200 and a failure log
// that keeps the payload for replay (TikTok must not disable the webhook); oversize gets 413.
import { describe, it } from "vitest";
import { signHmacSha256Hex } from "../../src/security/hmac";
import {
	count,
	logRows,
	rejectionCount,
	rejectionSamples,
	seedCompany,
} from "../support/factories";
import { fetchWithEnv, postTikTok, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

async function lastLog() {
	return (await logRows()).at(-1);
}

describe("TikTok signature", () => {
	const body = tiktokWebhook([{ leadId: "7563218845012673542" }]);

	const forged: [string, () => Promise<string | null>][] = [
		["missing", async () => null],
		["signed with another secret", () => signHmacSha256Hex("not-the-app-secret", body)],
		["not hex", async () => "sha256=zz"],
		["with Meta's sha256= prefix", async () => `sha256=${await signHmacSha256Hex("x", body)}`],
		["for another body", () => signHmacSha256Hex("fixture-tiktok-app-secret-not-real", `${body} `)],
	];
	for (const [name, signature] of forged) {
		it(`rejects a signature ${name} with 401, no client, and counts it (no log row of its own)`, async ({
			expect,
		}) => {
			const companyId = await seedCompany();
			const before = await count("clients");
			const sent = await signature();
			const reason = sent === null ? "missing signature" : "invalid signature";
			const counted = await rejectionCount("tiktok", reason);

			const response = await postTikTok(body, {
				query: `?company_id=${companyId}`,
				signature: sent,
			});

			expect(response.status).toBe(401);
			expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
			expect(await count("clients")).toBe(before);
			expect(await rejectionCount("tiktok", reason)).toBe(counted + 1);
			expect((await rejectionSamples("tiktok", reason)).at(-1)).toMatchObject({
				status: "failure",
				action: "tiktok_lead_received",
				payload: null,
			});
		});
	}

	it("accepts the escaped-unicode form TikTok's docs describe for non-ASCII bodies", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const leadId = newLeadId();
		const raw = tiktokWebhook([{ leadId, name: "Zoë Ağaoğlu" }]);
		const escaped = raw.replace(
			/[\u0080-\uffff]/g,
			(ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
		);

		const response = await postTikTok(raw, {
			query: `?company_id=${companyId}`,
			signature: await signHmacSha256Hex("fixture-tiktok-app-secret-not-real", escaped),
		});

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ created: 1 });
	});

	it("accepts unsigned deliveries when no app secret is configured", async ({ expect }) => {
		const companyId = await seedCompany();
		const init = await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }]), { signature: null });

		const response = await fetchWithEnv(
			{ TIKTOK_APP_SECRET: "" },
			`${TIKTOK_PATH}?company_id=${companyId}`,
			init,
		);

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ created: 1 });
	});
});

describe("TikTok bodies that are not leads", () => {
	const junk: [string, string, Record<string, string>?][] = [
		["malformed JSON", '{"object":1,"entry":[{"id":'],
		["an empty body", ""],
		["a JSON array", '[{"id":"7563218845012673542"}]'],
		["a JSON string", '"lead"'],
		["deeply nested junk", `${"[".repeat(50_000)}${"]".repeat(50_000)}`],
		[
			"a form-encoded body",
			"name=Maya&phone=%2B971501234567",
			{ "Content-Type": "application/x-www-form-urlencoded" },
		],
		["entries that are not objects", '{"object":1,"entry":[42]}'],
		["a lead without an id", '{"object":1,"entry":[{"advertiser_id":"1","changes":[]}]}'],
		["a TikTok API error", '{"code":40100,"message":"rate limited","data":{}}'],
	];
	for (const [name, body, headers] of junk) {
		it(`answers ${name} with 200 and a failure log keeping the payload`, async ({ expect }) => {
			const companyId = await seedCompany();
			const before = await count("clients");

			const response = await postTikTok(body, { query: `?company_id=${companyId}`, headers });

			expect(response.status).toBe(200);
			expect(await count("clients")).toBe(before);
			const log = await lastLog();
			expect(log).toMatchObject({ status: "failure", action: "tiktok_lead_received" });
			expect(log?.message).toMatch(/could not parse payload|lead has no id|entry is not an object/);
			expect(log?.payload).not.toBeNull();
			if (body.length < 10_000 && body !== "") expect(log?.payload).toContain(body.slice(0, 10));
		});
	}

	it("acknowledges a subscription event that is not a lead and logs it as ignored", async ({
		expect,
	}) => {
		const response = await postTikTok('{"object":8,"entry":[{"id":1}]}');

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ outcome: "ignored" });
		expect(await lastLog()).toMatchObject({ status: "ignored", message: "object 8 is not a lead" });
	});

	it("answers 413 to a body over MAX_BODY_BYTES and logs the refusal without the body", async ({
		expect,
	}) => {
		const before = await count("clients");
		const body = tiktokWebhook([
			{ leadId: newLeadId(), extra: [{ field: "note", value: "x".repeat(2000) }] },
		]);

		const response = await fetchWithEnv(
			{ MAX_BODY_BYTES: "1000" },
			TIKTOK_PATH,
			await tiktokInit(body),
		);

		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({ error: { code: "payload_too_large" } });
		expect(await count("clients")).toBe(before);
		expect(await lastLog()).toMatchObject({
			status: "failure",
			message: "payload larger than 1000 bytes",
			payload: null,
		});
	});
});

describe("TikTok path", () => {
	it("takes the URL with and without the trailing slash", async ({ expect }) => {
		const companyId = await seedCompany();
		const bare = TIKTOK_PATH.replace(/\/$/, "");
		const init = await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }]));

		const response = await fetchWithEnv({}, `${bare}?company_id=${companyId}`, init);

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ created: 1 });
	});
});
