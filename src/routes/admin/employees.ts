// /api/admin/employees — create, list (per company), read and update sales reps.
import { Hono } from "hono";
import { z } from "zod";
import { orNotFound } from "../../errors";
import type { AppEnv } from "../../http/app-env";
import { employeeCreateBody, employeePatch, employeePatchBody } from "../../http/schemas/employees";
import { idParam, idSchema, validate } from "../../http/validate";
import { addEmployee } from "../../operator/actions";
import { operatorContext } from "../../operator/context";
import { type Employee, getEmployee, listEmployees, updateEmployee } from "../../storage/employees";

const listQuery = z.object({ company_id: idSchema.optional() });

export function employeeJson(employee: Employee) {
	return {
		id: employee.id,
		company_id: employee.companyId,
		name: employee.name,
		email: employee.email,
		is_active: employee.isActive,
		weight: employee.weight,
		daily_cap: employee.dailyCap,
		weekly_cap: employee.weeklyCap,
		time_zone: employee.timeZone,
		working_hours: employee.workingHours,
		away_until: employee.awayUntil,
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
		const employee = await updateEmployee(c.var.db, id, employeePatch(body));
		return c.json(employeeJson(orNotFound(employee, "employee", id)));
	});
