// The health checks list's query (GET /api/admin/health), shared with the console's health page.
import { z } from "zod";
import { HEALTH_STATUSES } from "../../storage/schema";
import { idSchema } from "../validate";

export const healthListQuery = z.object({
	status: z.enum(HEALTH_STATUSES).optional(),
	kind: z
		.string()
		.regex(/^[a-z_]{1,40}$/)
		.optional(),
	company_id: idSchema.optional(),
});
