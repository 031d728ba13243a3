// /api/admin/employees through the Worker: create, list per company, update, and the 400/404s.
import { describe, it } from "vitest";
import { call, type ErrorEnvelope, issuePaths, type ListBody } from "../../support/admin-api";
import { count, rowById, seedCompany, seedEmployee } from "../../support/factories";

interface EmployeeJson {
	id: number;
	company_id: number;
	name: string;
	email: string | null;
	is_active: boolean;
	created_at: string;
}

interface EmployeeRow {
	company_id: number;
	name: string;
	email: string | null;
	is_active: number;
}

describe("admin employees", () => {
	it("creates an employee (201), active by default, and stores it in D1", async ({ expect }) => {
		const companyId = await seedCompany();
		const { status, body } = await call<EmployeeJson>("/employees", {
			method: "POST",
			body: { company_id: companyId, name: "Amal Haddad", email: "amal@example.com" },
		});
		expect(status).toBe(201);
		expect(body).toMatchObject({
			company_id: companyId,
			name: "Amal Haddad",
			email: "amal@example.com",
			is_active: true,
		});
		expect(await rowById<EmployeeRow>("employees", body.id)).toMatchObject({
			company_id: companyId,
			name: "Amal Haddad",
			email: "amal@example.com",
			is_active: 1,
		});
	});

	it("lists one company's employees only, oldest first", async ({ expect }) => {
		const companyId = await seedCompany({ name: "Listing Co" });
		const otherId = await seedCompany({ name: "Other Co" });
		const first = await seedEmployee(companyId, "Basma");
		await seedEmployee(otherId, "Omar");
		const second = await seedEmployee(companyId, "Chadi", false);

		const { status, body } = await call<ListBody<EmployeeJson>>(
			`/employees?company_id=${companyId}`,
		);
		expect(status).toBe(200);
		expect(body.data.map((e) => [e.id, e.name, e.is_active])).toEqual([
			[first, "Basma", true],
			[second, "Chadi", false],
		]);
	});

	it("deactivates an employee and clears the email", async ({ expect }) => {
		const companyId = await seedCompany();
		const id = await seedEmployee(companyId, "Dalia");
		const { status, body } = await call<EmployeeJson>(`/employees/${id}`, {
			method: "PATCH",
			body: { is_active: false, email: null },
		});
		expect(status).toBe(200);
		expect(body).toMatchObject({ id, name: "Dalia", is_active: false, email: null });
		expect(await rowById<EmployeeRow>("employees", id)).toMatchObject({
			is_active: 0,
			email: null,
		});

		const read = await call<EmployeeJson>(`/employees/${id}`);
		expect(read.body).toEqual(body);
	});

	it("answers 400 and creates nothing when company_id does not exist", async ({ expect }) => {
		const before = await count("employees");
		const { status, body } = await call<ErrorEnvelope>("/employees", {
			method: "POST",
			body: { company_id: 987654, name: "Nobody" },
		});
		expect(status).toBe(400);
		expect(body.error.message).toBe("company_id 987654: no such company");
		expect(await count("employees")).toBe(before);
	});

	it("rejects invalid input with 400 and the zod issues", async ({ expect }) => {
		const companyId = await seedCompany();
		const cases: [unknown, string][] = [
			[{ company_id: companyId, name: "E", email: "not-an-email" }, "email"],
			[{ company_id: String(companyId), name: "E" }, "company_id"],
			[{ company_id: companyId, name: "E", is_active: "yes" }, "is_active"],
			[{ company_id: companyId }, "name"],
		];
		for (const [input, path] of cases) {
			const { status, body } = await call<ErrorEnvelope>("/employees", {
				method: "POST",
				body: input,
			});
			expect(status, JSON.stringify(input)).toBe(400);
			expect(issuePaths(body), JSON.stringify(input)).toContain(path);
		}
		const query = await call<ErrorEnvelope>("/employees?company_id=abc");
		expect(query.status).toBe(400);
		expect(issuePaths(query.body)).toContain("company_id");
	});

	it("answers 404 to unknown employee ids", async ({ expect }) => {
		expect((await call<ErrorEnvelope>("/employees/424242")).status).toBe(404);
		const patch = await call<ErrorEnvelope>("/employees/424242", {
			method: "PATCH",
			body: { name: "Ghost" },
		});
		expect(patch.status).toBe(404);
		expect(patch.body.error.message).toBe("employee 424242 not found");
	});
});
