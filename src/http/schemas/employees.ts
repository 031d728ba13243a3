// The sales-rep body schemas shared by the operator API (routes/admin/employees.ts) and the console's
// rep forms.
import { z } from "zod";
import { bodyIdSchema, patchSchema } from "../validate";
import { repRoutingFields } from "./routing";

const fields = {
	name: z.string().trim().min(1).max(200),
	email: z.email().max(320).nullable(),
	is_active: z.boolean(),
	...repRoutingFields,
};

export const employeeCreateBody = z.strictObject({
	company_id: bodyIdSchema,
	name: fields.name,
	email: fields.email.optional(),
	is_active: fields.is_active.optional(),
});

export const employeePatchBody = patchSchema(fields);

/** A checked PATCH body in storage's words (storage/employees.ts EmployeePatch). */
export function employeePatch(body: z.output<typeof employeePatchBody>) {
	return {
		name: body.name,
		email: body.email,
		isActive: body.is_active,
		weight: body.weight,
		dailyCap: body.daily_cap,
		weeklyCap: body.weekly_cap,
		timeZone: body.time_zone,
		workingHours: body.working_hours,
		awayUntil: body.away_until,
	};
}
