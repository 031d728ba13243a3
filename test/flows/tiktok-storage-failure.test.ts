// When D1 cannot be written the delivery is answered 503 (TikTok retries) and nothing is half-stored.
import { describe, it } from "vitest";
import { answerLostD1, failingLastStatementD1, unavailableD1 } from "../support/d1-wrappers";
import { count, logRows, seedCompany } from "../support/factories";
import { fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { newLeadId, tiktokBatch, tiktokWebhook } from "../support/tiktok-bodies";

async function tableCounts() {
	return {
		clients: await count("clients"),
		phones: await count("client_phone_numbers"),
		logs: await count("integration_logs"),
		accounts: await count("integration_accounts"),
	};
}

describe("storage failure", () => {
	it("answers 503 with Retry-After when D1 is unavailable", async ({ expect }) => {
		const companyId = await seedCompany();
		const before = await tableCounts();

		const response = await fetchWithEnv(
			{ DB: unavailableD1() },
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(tiktokBatch(3)),
		);

		expect(response.status).toBe(503);
		expect(response.headers.get("Retry-After")).toBe("30");
		expect(await response.json()).toMatchObject({ error: { code: "unavailable" } });
		expect(await tableCounts()).toEqual(before);
	});

	it("rolls back the whole delivery when a statement of its batch fails", async ({ expect }) => {
		const companyId = await seedCompany({ autoAssign: true });
		const before = await tableCounts();

		const response = await fetchWithEnv(
			{ DB: failingLastStatementD1() },
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(tiktokBatch(5)),
		);

		expect(response.status).toBe(503);
		// Clients, phones, logs and the default account were all in the failed batch: none remain.
		expect(await tableCounts()).toEqual(before);
	});

	it("answers 503 when even the failure log of a bad body cannot be written", async ({
		expect,
	}) => {
		const response = await fetchWithEnv(
			{ DB: unavailableD1() },
			TIKTOK_PATH,
			await tiktokInit("not json"),
		);

		expect(response.status).toBe(503);
	});

	it("does not write a batch twice when its answer was lost after it committed", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const leadId = newLeadId();
		const body = tiktokWebhook([{ leadId }]);
		const path = `${TIKTOK_PATH}?company_id=${companyId}`;

		// Batch 1 reads the routing facts, batch 2 writes the lead and its answer is lost.
		const lost = await fetchWithEnv({ DB: answerLostD1(2) }, path, await tiktokInit(body));
		const redelivered = await fetchWithEnv({}, path, await tiktokInit(body));

		expect(lost.status).toBe(503);
		expect(await redelivered.json()).toMatchObject({ created: 0, duplicates: 1 });
		const logs = (await logRows()).filter((log) => log.external_id === leadId);
		expect(logs.map((log) => log.status)).toEqual(["success", "duplicate"]);
	});
});
