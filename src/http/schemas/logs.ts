// The receipts list's query (GET /api/admin/logs) and its storage filter, shared with the console's
// receipts page.
import { z } from "zod";
import { LOG_STATUSES, type LogFilter } from "../../storage/log-queries";
import { pageQueryShape } from "../pagination";
import { idSchema } from "../validate";

export const logListQuery = z.object({
	company_id: idSchema.optional(),
	status: z.enum(LOG_STATUSES).optional(),
	provider: z.string().min(1).max(32).optional(),
	action: z.string().min(1).max(64).optional(),
	/** true: only failures a replay can still take (payload kept, not replayed, not a replay's own). */
	replayable: z.stringbool().optional(),
	...pageQueryShape,
});

/** GET /logs' query as the storage filter (the console's receipts page filters the same way). */
export function logFilter(query: z.output<typeof logListQuery>): LogFilter {
	return {
		companyId: query.company_id,
		status: query.status,
		provider: query.provider,
		action: query.action,
		replayable: query.replayable,
	};
}
