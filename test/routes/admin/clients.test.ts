// /api/admin/clients through the Worker: each client with phones, assigned rep and parsed answers;
// newest-first cursor pages with no gaps or repeats; company and source filters.
import { describe, it } from "vitest";
import {
	allPages,
	call,
	type ErrorEnvelope,
	issuePaths,
	type ListBody,
} from "../../support/admin-api";
import { seedAccount, seedClient, seedCompany, seedEmployee } from "../../support/factories";

interface ClientJson {
	id: number;
	company_id: number;
	integration_account_id: number | null;
	source: string;
	external_id: string | null;
	full_name: string | null;
	email: string | null;
	form_id: string | null;
	phones: string[];
	assigned_employee: { id: number; name: string } | null;
	answers: { name: string; values: string[] }[];
	created_at: string;
}

const ANSWERS = [
	{ name: "full_name", values: ["Layla Nasser"] },
	{ name: "which_service?", values: ["Implants", "Whitening"] },
];

async function seedClients(companyId: number, n: number, source = "tiktok"): Promise<number[]> {
	const ids: number[] = [];
	for (let i = 0; i < n; i++) ids.push(await seedClient(companyId, { source }));
	return ids;
}

describe("admin clients", () => {
	it("lists a client with its phones, assigned employee and answers", async ({ expect }) => {
		const companyId = await seedCompany({ name: "Smile Dental" });
		const repId = await seedEmployee(companyId, "Rania");
		const accountId = await seedAccount(companyId, "adv-clients");
		const id = await seedClient(companyId, {
			accountId,
			externalId: "7300000000000000001",
			fullName: "Layla Nasser",
			email: "layla@example.com",
			assignedEmployeeId: repId,
			answers: JSON.stringify(ANSWERS),
			phones: ["+971501234567", "+971551112233"],
		});

		const { status, body } = await call<ListBody<ClientJson>>(`/clients?company_id=${companyId}`);
		expect(status).toBe(200);
		expect(body.next_cursor).toBeNull();
		expect(body.data).toHaveLength(1);
		expect(body.data[0]).toMatchObject({
			id,
			company_id: companyId,
			integration_account_id: accountId,
			source: "tiktok",
			external_id: "7300000000000000001",
			full_name: "Layla Nasser",
			email: "layla@example.com",
			phones: ["+971501234567", "+971551112233"],
			assigned_employee: { id: repId, name: "Rania" },
			answers: ANSWERS,
		});

		const one = await call<ClientJson>(`/clients/${id}`);
		expect(one.status).toBe(200);
		// The single client adds its related rows (test/routes/admin/client-detail.test.ts).
		expect(one.body).toEqual({
			...body.data[0],
			received_at: body.data[0]?.created_at,
			tasks: [],
			logs: [],
			forwards: [],
			notifications: [],
		});
	});

	it("shows an unassigned client without phones or answers as null and empty arrays", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const bare = await seedClient(companyId);
		const broken = await seedClient(companyId, { answers: "not json" });
		for (const id of [bare, broken]) {
			const { body } = await call<ClientJson>(`/clients/${id}`);
			expect(body).toMatchObject({ id, phones: [], assigned_employee: null, answers: [] });
		}
	});

	it("pages newest first through next_cursor without gaps or repeats", async ({ expect }) => {
		const companyId = await seedCompany({ name: "Busy Co" });
		const otherId = await seedCompany({ name: "Noise Co" });
		const ids: number[] = [];
		for (let i = 0; i < 7; i++) {
			ids.push(await seedClient(companyId));
			await seedClient(otherId); // interleaved rows the filter must skip
		}

		const pages = await allPages(`/clients?company_id=${companyId}`, 3);
		expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
		expect(pages.flat()).toEqual([...ids].reverse());
	});

	it("ends with next_cursor null when the last page is exactly full", async ({ expect }) => {
		const companyId = await seedCompany();
		const ids = await seedClients(companyId, 4);
		const pages = await allPages(`/clients?company_id=${companyId}`, 2);
		expect(pages).toEqual([
			[ids[3], ids[2]],
			[ids[1], ids[0]],
		]);
	});

	it("filters by source", async ({ expect }) => {
		const companyId = await seedCompany();
		const tiktok = await seedClients(companyId, 2, "tiktok");
		const forms = await seedClients(companyId, 2, "forms");
		const { body } = await call<ListBody<ClientJson>>(
			`/clients?company_id=${companyId}&source=forms`,
		);
		expect(body.data.map((c) => c.id)).toEqual([...forms].reverse());
		expect(body.data.every((c) => c.source === "forms")).toBe(true);
		expect(tiktok).toHaveLength(2);
	});

	it("rejects a bad cursor or limit with 400 and answers 404 to an unknown id", async ({
		expect,
	}) => {
		for (const [query, path] of [
			["cursor=garbage", "cursor"],
			["limit=0", "limit"],
			["limit=201", "limit"],
			["limit=ten", "limit"],
			["company_id=-1", "company_id"],
		]) {
			const { status, body } = await call<ErrorEnvelope>(`/clients?${query}`);
			expect(status, query).toBe(400);
			expect(issuePaths(body), query).toContain(path);
		}
		const missing = await call<ErrorEnvelope>("/clients/31337");
		expect(missing.status).toBe(404);
		expect(missing.body.error.message).toBe("client 31337 not found");
	});

	it("defaults to 50 a page and accepts up to 200", async ({ expect }) => {
		const companyId = await seedCompany();
		await seedClients(companyId, 51);
		const first = await call<ListBody<ClientJson>>(`/clients?company_id=${companyId}`);
		expect(first.body.data).toHaveLength(50);
		expect(first.body.next_cursor).toEqual(expect.any(String));
		const big = await call<ListBody<ClientJson>>(`/clients?company_id=${companyId}&limit=200`);
		expect(big.body.data).toHaveLength(51);
		expect(big.body.next_cursor).toBeNull();
	});
});
