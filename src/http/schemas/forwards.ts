// The forwards list's query (GET /api/admin/forwards), its storage filter and the retry-all body,
// shared with the console's forwards page.
import { z } from "zod";
import { FORWARD_STATUSES, type ForwardFilter } from "../../storage/forward-queries";
import { pageQueryShape } from "../pagination";
import { bodyIdSchema, idSchema } from "../validate";

export const forwardListQuery = z.object({
	company_id: idSchema.optional(),
	status: z.enum(FORWARD_STATUSES).optional(),
	...pageQueryShape,
});

/** GET /forwards' query as the storage filter (the console's forwards page filters the same way). */
export function forwardFilter(query: z.output<typeof forwardListQuery>): ForwardFilter {
	return { companyId: query.company_id, status: query.status };
}

export const retryAllBody = z.strictObject({ company_id: bodyIdSchema });
