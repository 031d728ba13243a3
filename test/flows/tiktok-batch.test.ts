// A 1000-lead delivery ingested at once (BIG_DELIVERY_LEADS 0, as on the Paid plan) becomes 1000
// clients in one D1 batch whose size does not grow with the leads.
import { describe, it } from "vitest";
import { countingD1 } from "../support/d1-wrappers";
import { count, seedCompany } from "../support/factories";
import { fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { tiktokBatch } from "../support/tiktok-bodies";

describe("TikTok batches", () => {
	it("stores a 1000-lead batch as 1000 clients in a constant number of D1 statements", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ autoAssign: true });
		const path = `${TIKTOK_PATH}?company_id=${companyId}`;

		const small = countingD1();
		const two = await fetchWithEnv({ DB: small.db }, path, await tiktokInit(tiktokBatch(2)));
		const large = countingD1();
		const thousand = await fetchWithEnv(
			{ DB: large.db, BIG_DELIVERY_LEADS: "0" },
			path,
			await tiktokInit(tiktokBatch(1000)),
		);

		expect(two.status).toBe(200);
		expect(thousand.status).toBe(200);
		expect(await thousand.json()).toMatchObject({ received: 1000, created: 1000, duplicates: 0 });
		expect(await count("clients")).toBe(1002);
		expect(await count("client_phone_numbers")).toBe(1002);
		expect(await count("integration_logs")).toBe(1002);
		// Whatever the size: a fresh isolate reads the routing facts and the company's distribution
		// state (one batch each, kept afterwards), then writes one batch (the first delivery also
		// creates the company's default account, hence one more statement there).
		expect(large.batches).toHaveLength(3);
		const statements = (batches: number[]) => batches.reduce((a, b) => a + b, 0);
		expect(statements(large.batches)).toBeLessThanOrEqual(statements(small.batches));
		expect(statements(large.batches)).toBeLessThan(20);
	});
});
