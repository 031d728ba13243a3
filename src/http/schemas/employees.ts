// The sales-rep body schemas shared by the operator API (routes/admin/employees.ts) and the console's
// rep forms.
import { z } from "zod";
import { bodyIdSchema, patchSchema } from "../validate";

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
