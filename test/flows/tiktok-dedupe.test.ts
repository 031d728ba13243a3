// Redeliveries and concurrent duplicates collapse to one client: KV fast path (learnt from the first
// redelivery), D1 unique index as truth.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { clientRows, logRows, seedAccount, seedCompany } from "../support/factories";
import { fetchWithEnv, postTikTok, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

/** A company and one fresh lead; `deliver` posts that lead's signed webhook (again) to its URL. */
async function oneLead() {
	const companyId = await seedCompany();
	const leadId = newLeadId();
	const body = tiktokWebhook([{ leadId }]);
	const path = `${TIKTOK_PATH}?company_id=${companyId}`;
	const deliver = async (vars: Partial<Env> = {}) =>
		fetchWithEnv(vars, path, await tiktokInit(body));
	return { companyId, leadId, deliver };
}

describe("TikTok duplicates", () => {
	it("answers a redelivery 200, keeps one client and logs it as duplicate", async ({ expect }) => {
		const { leadId, deliver } = await oneLead();

		const first = await deliver();
		const second = await deliver();

		expect(first.status).toBe(200);
		expect(await first.json()).toMatchObject({ created: 1, duplicates: 0 });
		expect(second.status).toBe(200);
		expect(await second.json()).toMatchObject({ created: 0, duplicates: 1 });
		expect(await clientRows({ externalId: leadId })).toHaveLength(1);
		const logs = (await logRows()).filter((log) => log.external_id === leadId);
		expect(logs.map((log) => log.status)).toEqual(["success", "duplicate"]);
	});

	it("writes no KV key for a first delivery, remembers a redelivered lead for 8 days, then skips its write", async ({
		expect,
	}) => {
		const { leadId, deliver } = await oneLead();
		const key = `dedupe:v1:tiktok:${leadId}`;

		await deliver();
		expect((await env.DEDUPE.list({ prefix: key })).keys).toEqual([]);

		await deliver();
		const [client] = await clientRows({ externalId: leadId });
		const listed = await env.DEDUPE.list({ prefix: key });
		expect(listed.keys).toHaveLength(1);
		const expiresInSeconds = (listed.keys[0]?.expiration ?? 0) - Date.now() / 1000;
		expect(expiresInSeconds).toBeGreaterThan(7 * 24 * 3600);
		expect(await env.DEDUPE.get(key)).toBe(String(client?.integration_account_id));

		await deliver();
		const logs = (await logRows()).filter((log) => log.external_id === leadId);
		expect(logs.map((log) => [log.status, log.message])).toEqual([
			["success", `client ${client?.id} created`],
			["duplicate", `duplicate of client ${client?.id}`],
			["duplicate", "duplicate lead"],
		]);
		expect(await clientRows({ externalId: leadId })).toHaveLength(1);
	});

	it("still reads dedupe keys in the earlier '<account>:<client>' form", async ({ expect }) => {
		const { leadId, deliver } = await oneLead();
		await deliver();
		const [client] = await clientRows({ externalId: leadId });
		await env.DEDUPE.put(
			`dedupe:v1:tiktok:${leadId}`,
			`${client?.integration_account_id}:${client?.id}`,
		);

		await deliver();

		const duplicate = (await logRows()).filter((log) => log.external_id === leadId).at(-1);
		expect(duplicate).toMatchObject({ status: "duplicate", message: "duplicate lead" });
	});

	it("learns in KV only the redelivered leads of a mixed delivery, each under its own account", async ({
		expect,
	}) => {
		const first = await seedCompany({ name: "First advertiser's" });
		const second = await seedCompany({ name: "Second advertiser's" });
		const [advertiserA, advertiserB] = [newLeadId(), newLeadId()];
		const accountA = await seedAccount(first, advertiserA);
		const accountB = await seedAccount(second, advertiserB);
		const [seen, fresh] = [newLeadId(), newLeadId()];
		await fetchWithEnv(
			{},
			TIKTOK_PATH,
			await tiktokInit(tiktokWebhook([{ leadId: seen, advertiserId: advertiserB }])),
		);

		const mixed = await fetchWithEnv(
			{},
			TIKTOK_PATH,
			await tiktokInit(
				tiktokWebhook([
					{ leadId: fresh, advertiserId: advertiserA },
					{ leadId: seen, advertiserId: advertiserB },
				]),
			),
		);

		expect(await mixed.json()).toMatchObject({ created: 1, duplicates: 1 });
		expect(await env.DEDUPE.get(`dedupe:v1:tiktok:${seen}`)).toBe(String(accountB));
		expect(await env.DEDUPE.get(`dedupe:v1:tiktok:${fresh}`)).toBeNull();
		expect((await clientRows({ externalId: fresh }))[0]?.integration_account_id).toBe(accountA);
	});

	it("falls back to the D1 unique index when KV has no key", async ({ expect }) => {
		const { leadId, deliver } = await oneLead();
		await deliver();
		await deliver();
		const [client] = await clientRows({ externalId: leadId });
		await env.DEDUPE.delete(`dedupe:v1:tiktok:${leadId}`);

		const again = await deliver();

		expect(await again.json()).toMatchObject({ created: 0, duplicates: 1 });
		expect(await clientRows({ externalId: leadId })).toHaveLength(1);
		const duplicate = (await logRows()).filter((log) => log.external_id === leadId).at(-1);
		expect(duplicate).toMatchObject({
			status: "duplicate",
			message: `duplicate of client ${client?.id}`,
		});
	});

	it("dedupes per integration account: a KV entry for another account does not drop the lead", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const leadId = newLeadId();
		await env.DEDUPE.put(`dedupe:v1:tiktok:${leadId}`, "999999", { expirationTtl: 3600 });

		const response = await postTikTok(tiktokWebhook([{ leadId }]), {
			query: `?company_id=${companyId}`,
		});

		expect(await response.json()).toMatchObject({ created: 1 });
		expect(await clientRows({ externalId: leadId })).toHaveLength(1);
	});

	it("still stores and dedupes when KV is down", async ({ expect }) => {
		const { leadId, deliver } = await oneLead();
		const brokenKv = new Proxy(env.DEDUPE, {
			get: () => () => Promise.reject(new Error("KV unavailable")),
		});

		const first = await deliver({ DEDUPE: brokenKv });
		const second = await deliver({ DEDUPE: brokenKv });

		expect(await first.json()).toMatchObject({ created: 1 });
		expect(await second.json()).toMatchObject({ created: 0, duplicates: 1 });
		expect(await clientRows({ externalId: leadId })).toHaveLength(1);
	});

	it("collapses 20 concurrent identical deliveries into one client", async ({ expect }) => {
		const companyId = await seedCompany();
		const leadId = newLeadId();
		const body = tiktokWebhook([{ leadId }]);

		const responses = await Promise.all(
			Array.from({ length: 20 }, () => postTikTok(body, { query: `?company_id=${companyId}` })),
		);

		expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
		expect(await clientRows({ externalId: leadId })).toHaveLength(1);
		const statuses = (await logRows())
			.filter((log) => log.external_id === leadId)
			.map((l) => l.status);
		expect(statuses.filter((s) => s === "success")).toHaveLength(1);
		expect(statuses.filter((s) => s === "duplicate")).toHaveLength(19);
	});

	it("keeps two leads whose 19-digit ids differ only in the last digit", async ({ expect }) => {
		const companyId = await seedCompany();
		// Both round to the same double (7563218845012673536): a float parser would merge them.
		const body = tiktokWebhook([
			{ leadId: "7563218845012673542" },
			{ leadId: "7563218845012673543" },
		]);

		const response = await postTikTok(body, { query: `?company_id=${companyId}` });

		expect(await response.json()).toMatchObject({ created: 2 });
		const ids = (await clientRows({ companyId })).map((c) => c.external_id);
		expect(ids).toEqual(["7563218845012673542", "7563218845012673543"]);
	});

	it("stores a lead repeated within one delivery once", async ({ expect }) => {
		const companyId = await seedCompany();
		const leadId = newLeadId();

		const response = await postTikTok(tiktokWebhook([{ leadId }, { leadId }]), {
			query: `?company_id=${companyId}`,
		});

		expect(await response.json()).toMatchObject({ created: 1, duplicates: 1 });
		expect(await clientRows({ externalId: leadId })).toHaveLength(1);
		const logs = (await logRows()).filter((log) => log.external_id === leadId);
		expect(logs.map((l) => [l.status, l.message])).toContainEqual([
			"duplicate",
			"repeated within the delivery",
		]);
	});
});
