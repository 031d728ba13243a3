// The lead list's query (GET /api/admin/clients), shared with the console's leads page.
import { z } from "zod";
import { pageQueryShape } from "../pagination";
import { idSchema } from "../validate";

const isoTime = z.iso.datetime({ offset: true }).transform((time) => new Date(time).toISOString());

export const clientListQuery = z.object({
	company_id: idSchema.optional(),
	source: z.string().min(1).max(64).optional(),
	q: z.string().trim().min(2).max(100).optional(),
	external_id: z.string().trim().min(1).max(128).optional(),
	employee_id: idSchema.optional(),
	since: isoTime.optional(),
	until: isoTime.optional(),
	...pageQueryShape,
});
