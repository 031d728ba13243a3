// Who takes a lead its rep did not answer (SLA) or gave back ("Not mine"). The one place that
// decides: everything else calls chooseReassignee. For now the company's next active rep in id
// order after the current one; the distribution rules engine (issue 21) takes over this body.
import type { Db } from "../storage/db";
import { nextActiveRep } from "../storage/lead-sla";

export function chooseReassignee(
	db: Db,
	input: { clientId: number; exclude: number[]; now: Date },
): Promise<number | null> {
	return nextActiveRep(db, input.clientId, input.exclude);
}
