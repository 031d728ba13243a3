// Speed to lead: leads whose follow-up task is still open when their SLA falls due go to the next
// rep (both told; the manager channels once escalate_after reassignments are reached, or when no
// rep is left), and leads with no first response when their reminder falls due remind their rep.
// Run by the cron (every due lead) and by the queue (one lead, delivered with delaySeconds).
import type { Logger } from "../log";
import type { Db } from "../storage/db";
import {
	clearSla,
	type DueLead,
	dueLeads,
	escalateUnassignable,
	leadsOf,
	reassignLead,
	settleReminder,
} from "../storage/lead-sla";
import { chooseReassignee } from "./distribute";

/** Leads the cron looks at per run. */
const LEADS_PER_RUN = 100;

export interface SlaDeps {
	db: Db;
	log: Logger;
}

/** Every lead whose SLA or reminder is due (the cron); answers the clients it changed. */
export async function runLeadSla(deps: SlaDeps, now: Date): Promise<number[]> {
	return handleLeads(deps, await dueLeads(deps.db, now, LEADS_PER_RUN), now);
}

/** These leads, if due (the queue's delayed message, which may come early or twice). */
export async function runLeadSlaOf(deps: SlaDeps, clientIds: number[], now: Date) {
	return handleLeads(deps, await leadsOf(deps.db, clientIds), now);
}

async function handleLeads(deps: SlaDeps, leads: DueLead[], now: Date): Promise<number[]> {
	const touched: number[] = [];
	for (const lead of leads) {
		if (isDue(lead.slaDueAt, now) && (await handleSla(deps, lead, now)))
			touched.push(lead.clientId);
		if (isDue(lead.reminderDueAt, now) && lead.reminderDueAt !== null) {
			await settleReminder(
				deps.db,
				{ ...lead, round: lead.reassignments, reminderDueAt: lead.reminderDueAt },
				lead.firstResponseAt === null,
			);
			touched.push(lead.clientId);
		}
	}
	return [...new Set(touched)];
}

function isDue(at: string | null, now: Date): boolean {
	return at !== null && Date.parse(at) <= now.getTime();
}

/** True when the lead was moved or escalated (its notifications are then due). */
async function handleSla(deps: SlaDeps, lead: DueLead, now: Date): Promise<boolean> {
	if (lead.openTask === 0 || lead.firstResponseAt !== null) {
		await clearSla(deps.db, lead);
		return false;
	}
	const exclude = lead.employeeId === null ? [] : [lead.employeeId];
	const to = await chooseReassignee(deps.db, { clientId: lead.clientId, exclude, now });
	if (to === null) {
		await escalateUnassignable(deps.db, { ...lead, round: lead.reassignments }, now);
		deps.log.info("lead sla: no rep left; escalated", { clientId: lead.clientId });
		return true;
	}
	const outcome = await reassignLead(deps.db, {
		clientId: lead.clientId,
		from: lead.employeeId,
		round: lead.reassignments,
		to,
		now,
	});
	deps.log.info("lead sla: reassigned", { clientId: lead.clientId, outcome });
	return outcome === "changed";
}
