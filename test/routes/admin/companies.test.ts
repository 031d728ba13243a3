// /api/admin/companies through the Worker: CRUD round trips checked against D1 rows, and 400/404s.
import { describe, it } from "vitest";
import {
	call,
	type ErrorEnvelope,
	issuePaths,
	type ListBody,
	rawAdmin,
} from "../../support/admin-api";
import { rowById, seedCompany } from "../../support/factories";
import { TEST_ADMIN_TOKEN } from "../../support/secrets";

interface CompanyJson {
	id: number;
	name: string;
	auto_assign: boolean;
	default_country: string | null;
	created_at: string;
}

interface CompanyRow {
	name: string;
	auto_assign: number;
	default_country: string | null;
}

describe("admin companies", () => {
	it("creates a company (201), upper-casing the country, and stores it in D1", async ({
		expect,
	}) => {
		const { status, body } = await call<CompanyJson>("/companies", {
			method: "POST",
			body: { name: "Gulf Clinics", auto_assign: true, default_country: "ae" },
		});
		expect(status).toBe(201);
		expect(body).toMatchObject({ name: "Gulf Clinics", auto_assign: true, default_country: "AE" });
		expect(body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
		expect(await rowById<CompanyRow>("companies", body.id)).toMatchObject({
			name: "Gulf Clinics",
			auto_assign: 1,
			default_country: "AE",
		});
	});

	it("defaults auto_assign to false and default_country to null", async ({ expect }) => {
		const { status, body } = await call<CompanyJson>("/companies/", {
			method: "POST",
			body: { name: "Plain Co" },
		});
		expect(status).toBe(201);
		expect(body).toMatchObject({ auto_assign: false, default_country: null });
	});

	it("reads one company and lists it", async ({ expect }) => {
		const id = await seedCompany({ name: "Listed Co", defaultCountry: "GB" });
		const one = await call<CompanyJson>(`/companies/${id}`);
		expect(one.status).toBe(200);
		expect(one.body).toMatchObject({ id, name: "Listed Co", default_country: "GB" });

		const list = await call<ListBody<CompanyJson>>("/companies");
		expect(list.status).toBe(200);
		expect(list.body.data.find((company) => company.id === id)).toEqual(one.body);
	});

	it("updates only the fields sent", async ({ expect }) => {
		const id = await seedCompany({ name: "Before", autoAssign: true, defaultCountry: "AE" });
		const { status, body } = await call<CompanyJson>(`/companies/${id}`, {
			method: "PATCH",
			body: { default_country: null, name: "After" },
		});
		expect(status).toBe(200);
		expect(body).toMatchObject({ id, name: "After", auto_assign: true, default_country: null });
		expect(await rowById<CompanyRow>("companies", id)).toMatchObject({
			name: "After",
			auto_assign: 1,
			default_country: null,
		});
	});

	it("rejects invalid fields with 400 and the zod issues", async ({ expect }) => {
		const cases: [unknown, string][] = [
			[{ name: "X", default_country: "XYZ" }, "default_country"],
			[{ name: "X", default_country: "ZZ" }, "default_country"],
			[{ name: "X", auto_assign: "yes" }, "auto_assign"],
			[{ name: "" }, "name"],
			[{}, "name"],
			[{ name: "X", autoAssign: true }, ""],
		];
		for (const [input, path] of cases) {
			const { status, body } = await call<ErrorEnvelope>("/companies", {
				method: "POST",
				body: input,
			});
			expect(status, JSON.stringify(input)).toBe(400);
			expect(body.error.code).toBe("bad_request");
			expect(issuePaths(body), JSON.stringify(input)).toContain(path);
		}
	});

	it("rejects an empty or invalid PATCH without touching the row", async ({ expect }) => {
		const id = await seedCompany({ name: "Untouched", defaultCountry: "AE" });
		for (const input of [{}, { default_country: "XYZ" }, { auto_assign: "yes" }]) {
			const { status, body } = await call<ErrorEnvelope>(`/companies/${id}`, {
				method: "PATCH",
				body: input,
			});
			expect(status, JSON.stringify(input)).toBe(400);
			expect(body.error.issues?.length).toBeGreaterThan(0);
		}
		expect(await rowById<CompanyRow>("companies", id)).toMatchObject({
			name: "Untouched",
			default_country: "AE",
		});
	});

	it("answers 400 to a malformed JSON body", async ({ expect }) => {
		const response = await rawAdmin("/companies", {
			method: "POST",
			headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "Content-Type": "application/json" },
			body: '{"name": "Broken',
		});
		expect(response.status).toBe(400);
		expect((await response.json<ErrorEnvelope>()).error.code).toBe("bad_request");
	});

	it("answers 400 to a body sent without a JSON Content-Type", async ({ expect }) => {
		const response = await rawAdmin("/companies", {
			method: "POST",
			headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "Content-Type": "text/plain" },
			body: JSON.stringify({ name: "Text Co" }),
		});
		expect(response.status).toBe(400);
		expect((await response.json<ErrorEnvelope>()).error.message).toBe(
			"send a JSON body with Content-Type: application/json",
		);
	});

	it("answers 404 to an unknown id and 400 to a non-numeric one", async ({ expect }) => {
		const missing = await call<ErrorEnvelope>("/companies/999999");
		expect(missing.status).toBe(404);
		expect(missing.body.error).toMatchObject({
			code: "not_found",
			message: "company 999999 not found",
		});
		const patch = await call<ErrorEnvelope>("/companies/999999", {
			method: "PATCH",
			body: { name: "Ghost" },
		});
		expect(patch.status).toBe(404);
		const bad = await call<ErrorEnvelope>("/companies/abc");
		expect(bad.status).toBe(400);
		expect(issuePaths(bad.body)).toContain("id");
	});
});
