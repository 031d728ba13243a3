// The one-click actions of a notification's signed links: "Contacted" closes the lead's follow-up
// task (its first response is recorded by the trigger of migration 0018) and "Not mine" gives the
// lead to the next rep (chooseReassignee). Each link works once: its use is recorded in the batch.
import type { ActionLink } from "../security/action-links";
import type { Db } from "../storage/db";
import {
	currentAssignment,
	linkWasUsedBefore,
	markContacted,
	reassignLead,
} from "../storage/lead-sla";
import { chooseReassignee } from "./distribute";

export type ActionResult =
	| { outcome: "done"; action: ActionLink["action"] }
	| { outcome: "already_used" }
	| { outcome: "not_yours" }
	| { outcome: "nobody_else" }
	| { outcome: "unknown_lead" };

/** True when the link was used already (its GET then says so instead of asking). */
export function wasLinkUsed(db: Db, nonce: string): Promise<boolean> {
	return linkWasUsedBefore(db, nonce);
}

export async function runLinkAction(
	db: Db,
	link: ActionLink,
	nonce: string,
	now: Date,
): Promise<ActionResult> {
	const current = await currentAssignment(db, link.clientId);
	if (!current) return { outcome: "unknown_lead" };
	if (await linkWasUsedBefore(db, nonce)) return { outcome: "already_used" };
	const use = { nonce, action: link.action };
	if (link.action === "contacted") {
		const outcome = await markContacted(db, {
			clientId: link.clientId,
			employeeId: link.employeeId,
			link: use,
			now,
		});
		return outcome === "already_used" ? { outcome } : { outcome: "done", action: link.action };
	}
	if (current.employeeId !== link.employeeId || current.reassignments !== link.round) {
		return { outcome: "not_yours" };
	}
	const to = await chooseReassignee(db, {
		clientId: link.clientId,
		exclude: [link.employeeId],
		now,
	});
	if (to === null) return { outcome: "nobody_else" };
	const outcome = await reassignLead(db, {
		clientId: link.clientId,
		from: link.employeeId,
		round: link.round,
		to,
		now,
		link: use,
	});
	if (outcome === "already_used") return { outcome };
	return outcome === "changed"
		? { outcome: "done", action: link.action }
		: { outcome: "not_yours" };
}
