// Deliveries D1 or the parser cannot take as they are still leave a row: a value nested 100,000 deep
// is a logged parse failure holding its payload (never a 500), and a 2.9 MB value under the body
// limit is stored cut, with the cut stated on the row (never a 503). Issue 24, parts 3.
import { describe, type ExpectStatic, it } from "vitest";
import { tooBigD1 } from "../support/d1-wrappers";
import { clientRows, logRows, seedAccount, seedCompany } from "../support/factories";
import { FORMS_PATH } from "../support/forms";
import { fetchWithEnv, postMeta, postTikTok, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";
import { PHONE_NUMBER_ID, whatsappMessage } from "../support/whatsapp";

const DEPTH = 100_000;
const DEEP = `${"[".repeat(DEPTH)}1${"]".repeat(DEPTH)}`;
/** 2.9 MB: under MAX_BODY_BYTES (3,000,000 in the tests), over D1's 2,000,000-byte value limit. */
const HUGE = "x".repeat(2_900_000);

async function failureOf(expect: ExpectStatic, requestId: unknown) {
	const rows = await logRows({ requestId: String(requestId) });
	expect(rows).toHaveLength(1);
	return rows[0];
}

describe("a value nested 100,000 deep", () => {
	it("TikTok: 200 and a failure row holding the payload", async ({ expect }) => {
		const companyId = await seedCompany();
		const body = `{"object":1,"entry":[{"id":${newLeadId()},"changes":[{"field":"name","value":${DEEP}}]}]}`;

		const response = await postTikTok(body, { query: `?company_id=${companyId}` });

		expect(response.status).toBe(200);
		const answer = await response.json<{ requestId: string; outcome: string }>();
		expect(answer.outcome).toBe("failure");
		const row = await failureOf(expect, answer.requestId);
		expect(row).toMatchObject({ status: "failure", payload: body });
		expect(row?.message).toMatch(/^could not parse payload: .*nested deeper than/);
	});

	for (const [name, field, object] of [
		["Meta leadgen", "leadgen", "page"],
		["WhatsApp", "messages", "whatsapp_business_account"],
	] as const) {
		it(`${name}: 200 and a failure row holding the payload`, async ({ expect }) => {
			const body = `{"object":"${object}","entry":[{"id":"102345678901234","changes":[{"field":"${field}","value":{"deep":${DEEP}}}]}]}`;

			const response = await postMeta(body);

			expect(response.status).toBe(200);
			const answer = await response.json<{ requestId: string; outcome: string }>();
			expect(answer.outcome).toBe("failure");
			const row = await failureOf(expect, answer.requestId);
			expect(row).toMatchObject({ status: "failure", payload: body });
			expect(row?.message).toMatch(/^could not parse payload: .*nested deeper than/);
		});
	}

	it("forms (JSON): 400 and a failure row holding the payload", async ({ expect }) => {
		const companyId = await seedCompany();
		const body = `{"name":"Maya Thompson","phone":"+971501234567","extra":${DEEP}}`;

		const response = await fetchWithEnv(
			{ FORMS_MAX_BODY_BYTES: "300000" },
			`${FORMS_PATH}?company_id=${companyId}`,
			{ method: "POST", headers: { "Content-Type": "application/json" }, body },
		);

		expect(response.status).toBe(400);
		const rows = (await logRows()).filter((row) => row.payload === body);
		expect(rows).toHaveLength(1);
		expect(rows[0]?.message).toMatch(/^could not parse payload: .*nested deeper than/);
	});
});

describe("a 2.9 MB value under the body limit", () => {
	it("TikTok: the lead is stored with the value cut, and the cut is on its log row", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const leadId = newLeadId();
		const body = tiktokWebhook([{ leadId, extra: [{ field: "notes", value: HUGE }] }]);
		expect(body.length).toBeLessThan(3_000_000);

		const response = await postTikTok(body, { query: `?company_id=${companyId}` });

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ created: 1 });
		const [client] = await clientRows({ externalId: leadId });
		const answers = JSON.parse(client?.answers ?? "[]") as { name: string; values: string[] }[];
		const notes = answers.find((answer) => answer.name === "notes")?.values[0] ?? "";
		expect(notes.length).toBeLessThan(HUGE.length);
		expect(HUGE.startsWith(notes)).toBe(true);
		const [log] = (await logRows()).filter((row) => row.external_id === leadId);
		expect(log?.status).toBe("success");
		expect(log?.message).toMatch(/answer "notes" cut from 2900000 to \d+ characters/);
	});

	it("TikTok: an unroutable lead's failure row keeps its payload cut, with the cut stated", async ({
		expect,
	}) => {
		const leadId = newLeadId();
		const body = tiktokWebhook([
			{ leadId, advertiserId: "1", extra: [{ field: "notes", value: HUGE }] },
		]);

		const response = await postTikTok(body);

		expect(response.status).toBe(200);
		const [log] = (await logRows()).filter((row) => row.external_id === leadId);
		expect(log?.status).toBe("failure");
		expect(log?.message).toMatch(/payload cut from \d+ to \d+ characters/);
		expect(log?.payload?.length).toBeLessThanOrEqual(1_500_000);
		expect(log?.payload).toContain(leadId);
	});

	it("WhatsApp: a 2.9 MB profile name is stored cut, never a 503", async ({ expect }) => {
		const companyId = await seedCompany({ defaultCountry: "AE" });
		await seedAccount(companyId, PHONE_NUMBER_ID, "whatsapp");
		const { body, wamid } = whatsappMessage({ name: HUGE, waId: "971501234567" });

		const response = await postMeta(body);

		expect(response.status).toBe(200);
		const [client] = await clientRows({ externalId: wamid });
		expect(client?.full_name?.length).toBeLessThan(HUGE.length);
		expect(HUGE.startsWith(client?.full_name ?? "-")).toBe(true);
		const [log] = (await logRows()).filter((row) => row.external_id === wamid);
		expect(log?.message).toMatch(/cut from 2900000 to \d+ characters/);
	});
});

describe("a write D1 refuses for good (SQLITE_TOOBIG)", () => {
	it("TikTok: 200 and a failure row without the payload, never a 503", async ({ expect }) => {
		const companyId = await seedCompany();
		const leadId = newLeadId();

		const response = await fetchWithEnv(
			{ DB: tooBigD1() },
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(tiktokWebhook([{ leadId }])),
		);

		expect(response.status).toBe(200);
		const answer = await response.json<{ requestId: string; outcome: string }>();
		expect(answer.outcome).toBe("failure");
		const row = await failureOf(expect, answer.requestId);
		expect(row).toMatchObject({ status: "failure", payload: null });
		expect(row?.message).toMatch(/^storage refused the delivery \(.*SQLITE_TOOBIG\)/);
		expect(await clientRows({ externalId: leadId })).toEqual([]);
	});

	it("WhatsApp: 200 and a failure row without the payload, never a 503", async ({ expect }) => {
		const companyId = await seedCompany({ defaultCountry: "AE" });
		await seedAccount(companyId, "112233445566779", "whatsapp");
		const { body } = whatsappMessage({ name: "Maya", waId: "971501234568" }, "112233445566779");

		const response = await postMeta(body, { env: { DB: tooBigD1() } });

		expect(response.status).toBe(200);
		const answer = await response.json<{ requestId: string; outcome: string }>();
		const row = await failureOf(expect, answer.requestId);
		expect(row?.message).toMatch(/^storage refused the delivery/);
	});
});
