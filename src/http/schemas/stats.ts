// The speed-to-lead figures' query (GET /api/admin/stats), shared with the console's overview.
import { z } from "zod";
import { STATS_WINDOWS } from "../../storage/speed-stats";
import { idSchema } from "../validate";

export const statsQuery = z.object({
	company_id: idSchema.optional(),
	/** The window: the last 7 or 30 UTC days, today included. */
	days: z.coerce.number().pipe(z.literal(STATS_WINDOWS)).default(7),
});
