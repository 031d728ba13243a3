// /api/admin/employees — create, list (per company), read and update sales reps.
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../app-env";
import { addEmployee } from "../../operator/actions";
import { operatorContext } from "../../operator/context";
import { type Employee, getEmployee, listEmployees, updateEmployee } from "../../storage/employees";
import { orNotFound } from "./http-errors";
import { bodyIdSchema, idParam, idSchema, patchSchema, validate } from "./validate";

const fields = {
	name: z.string().trim().min(1).max(200),
	email: z.email().max(320).nullable(),
	is_active: z.boolean(),
};

export const employeeCreateBody = z.strictObject({
	company_id: bodyIdSchema,
	name: fields.name,
	email: fields.email.optional(),
	is_active: fields.is_active.optional(),
});

export const employeePatchBody = patchSchema(fields);

const listQuery = z.object({ company_id: idSchema.optional() });

export function employeeJson(employee: Employee) {
	return {
		id: employee.id,
		company_id: employee.companyId,
		name: employee.name,
		email: employee.email,
		is_active: employee.isActive,
		created_at: employee.createdAt,
	};
}

export const employeeRoutes = new Hono<AppEnv>()
	.post("/", validate("json", employeeCreateBody), async (c) => {
		const body = c.req.valid("json");
		const employee = await addEmployee(operatorContext(c), {
			companyId: body.company_id,
			name: body.name,
			email: body.email,
			isActive: body.is_active,
		});
		return c.json(employeeJson(employee), 201);
	})
	.get("/", validate("query", listQuery), async (c) => {
		const { company_id } = c.req.valid("query");
		const employees = await listEmployees(c.var.db, { companyId: company_id });
		return c.json({ data: employees.map(employeeJson) });
	})
	.get("/:id", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		return c.json(employeeJson(orNotFound(await getEmployee(c.var.db, id), "employee", id)));
	})
	.patch("/:id", validate("param", idParam), validate("json", employeePatchBody), async (c) => {
		const { id } = c.req.valid("param");
		const body = c.req.valid("json");
		const employee = await updateEmployee(c.var.db, id, {
			name: body.name,
			email: body.email,
			isActive: body.is_active,
		});
		return c.json(employeeJson(orNotFound(employee, "employee", id)));
	});
