// /api/admin/integration-accounts through the Worker: mappings stored exactly (19-digit ids stay
// strings), one account per (provider, external_id) with 409 on a second, filters and 400/404s.
import { describe, it } from "vitest";
import { call, type ErrorEnvelope, issuePaths, type ListBody } from "../../support/admin-api";
import { count, rowById, seedAccount, seedCompany } from "../../support/factories";

interface AccountJson {
	id: number;
	company_id: number;
	provider: string;
	name: string;
	external_id: string | null;
	is_active: boolean;
	created_at: string;
}

interface AccountRow {
	company_id: number;
	provider: string;
	name: string;
	external_id: string;
	is_active: number;
}

/** A 19-digit TikTok advertiser id: above 2^53, so a JSON number would round it. */
const ADVERTISER_ID = "7234567890123456789";

describe("admin integration accounts", () => {
	it("creates a mapping (201) keeping a 19-digit external_id exact in D1", async ({ expect }) => {
		const companyId = await seedCompany();
		const { status, body } = await call<AccountJson>("/integration-accounts", {
			method: "POST",
			body: {
				company_id: companyId,
				provider: "tiktok",
				name: "TikTok Lead Gen",
				external_id: ADVERTISER_ID,
			},
		});
		expect(status).toBe(201);
		expect(body).toMatchObject({
			company_id: companyId,
			provider: "tiktok",
			external_id: ADVERTISER_ID,
			is_active: true,
		});
		expect(await rowById<AccountRow>("integration_accounts", body.id)).toMatchObject({
			company_id: companyId,
			provider: "tiktok",
			name: "TikTok Lead Gen",
			external_id: ADVERTISER_ID,
			is_active: 1,
		});
	});

	it("rejects an external_id sent as a JSON number", async ({ expect }) => {
		const companyId = await seedCompany();
		const before = await count("integration_accounts");
		const { status, body } = await call<ErrorEnvelope>("/integration-accounts", {
			method: "POST",
			body: { company_id: companyId, provider: "tiktok", name: "Numeric", external_id: 7234567 },
		});
		expect(status).toBe(400);
		expect(issuePaths(body)).toEqual(["external_id"]);
		expect(body.error.issues?.[0]?.message).toContain("must be a string");
		expect(await count("integration_accounts")).toBe(before);
	});

	it("answers 409 to a second account with the same provider and external_id", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const otherId = await seedCompany({ name: "Competitor" });
		const existing = await seedAccount(companyId, "adv-duplicate");
		const before = await count("integration_accounts");

		const { status, body } = await call<ErrorEnvelope>("/integration-accounts", {
			method: "POST",
			body: {
				company_id: otherId,
				provider: "tiktok",
				name: "Again",
				external_id: "adv-duplicate",
			},
		});
		expect(status).toBe(409);
		expect(body.error).toEqual({
			code: "conflict",
			message: `tiktok external_id adv-duplicate is already mapped by integration account ${existing}`,
		});
		expect(await count("integration_accounts")).toBe(before);

		const otherProvider = await call<AccountJson>("/integration-accounts", {
			method: "POST",
			body: { company_id: otherId, provider: "meta", name: "Page", external_id: "adv-duplicate" },
		});
		expect(otherProvider.status).toBe(201);
	});

	it("updates a mapping, and answers 409 when the new external_id is taken", async ({ expect }) => {
		const companyId = await seedCompany();
		const movedTo = await seedCompany({ name: "New owner" });
		const id = await seedAccount(companyId, "adv-before");
		await seedAccount(companyId, "adv-taken");

		const { status, body } = await call<AccountJson>(`/integration-accounts/${id}`, {
			method: "PATCH",
			body: { company_id: movedTo, external_id: "adv-after", is_active: false, name: "Renamed" },
		});
		expect(status).toBe(200);
		expect(body).toMatchObject({
			id,
			company_id: movedTo,
			external_id: "adv-after",
			is_active: false,
			name: "Renamed",
		});
		expect(await rowById<AccountRow>("integration_accounts", id)).toMatchObject({
			company_id: movedTo,
			external_id: "adv-after",
			is_active: 0,
		});

		const clash = await call<ErrorEnvelope>(`/integration-accounts/${id}`, {
			method: "PATCH",
			body: { external_id: "adv-taken" },
		});
		expect(clash.status).toBe(409);
		expect(await rowById<AccountRow>("integration_accounts", id)).toMatchObject({
			external_id: "adv-after",
		});
	});

	it("lists accounts filtered by company and provider", async ({ expect }) => {
		const companyId = await seedCompany({ name: "Filter Co" });
		const otherId = await seedCompany({ name: "Filter Other" });
		const tiktok = await seedAccount(companyId, "flt-1");
		const meta = await seedAccount(companyId, "flt-2", "meta");
		await seedAccount(otherId, "flt-3");

		const all = await call<ListBody<AccountJson>>(`/integration-accounts?company_id=${companyId}`);
		expect(all.body.data.map((a) => a.id)).toEqual([tiktok, meta]);
		const onlyMeta = await call<ListBody<AccountJson>>(
			`/integration-accounts?company_id=${companyId}&provider=meta`,
		);
		expect(onlyMeta.body.data.map((a) => [a.id, a.provider, a.external_id])).toEqual([
			[meta, "meta", "flt-2"],
		]);
	});

	it("answers 400 for an unknown company and 404 for an unknown account", async ({ expect }) => {
		const companyId = await seedCompany();
		const create = await call<ErrorEnvelope>("/integration-accounts", {
			method: "POST",
			body: { company_id: 555555, provider: "tiktok", name: "Lost", external_id: "adv-lost" },
		});
		expect(create.status).toBe(400);
		expect(create.body.error.message).toBe("company_id 555555: no such company");

		const id = await seedAccount(companyId, "adv-stays");
		const move = await call<ErrorEnvelope>(`/integration-accounts/${id}`, {
			method: "PATCH",
			body: { company_id: 555555 },
		});
		expect(move.status).toBe(400);
		expect(await rowById<AccountRow>("integration_accounts", id)).toMatchObject({
			company_id: companyId,
		});

		const missing = await call<ErrorEnvelope>("/integration-accounts/777777", {
			method: "PATCH",
			body: { name: "Ghost" },
		});
		expect(missing.status).toBe(404);
		expect(missing.body.error.message).toBe("integration account 777777 not found");
		expect((await call<ErrorEnvelope>("/integration-accounts/777777")).status).toBe(404);
	});

	it("rejects a provider that is not a lowercase key and unknown fields", async ({ expect }) => {
		const companyId = await seedCompany();
		for (const [input, path] of [
			[{ company_id: companyId, provider: "TikTok!", name: "N", external_id: "x1" }, "provider"],
			[{ company_id: companyId, provider: "tiktok", name: "N", external_id: "" }, "external_id"],
			[{ company_id: companyId, provider: "tiktok", name: "N", externalId: "x1" }, "external_id"],
		] as const) {
			const { status, body } = await call<ErrorEnvelope>("/integration-accounts", {
				method: "POST",
				body: input,
			});
			expect(status, JSON.stringify(input)).toBe(400);
			expect(issuePaths(body), JSON.stringify(input)).toContain(path);
		}
	});
});
