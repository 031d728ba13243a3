// The speed-to-lead watch through Cloudflare Queues (binding LEAD_SLA, when wrangler.toml binds it):
// after a lead is told to its rep, one message per lead is sent with delaySeconds until its SLA or
// reminder is due; the consumer runs that lead's check and sends the message back (retry with the
// next delay) while a due time remains. lead_sla stays the truth: an early, late or repeated message
// changes nothing the compare-and-set does not allow, and the cron sweeps whatever the queue missed.
import { z } from "zod";
import type { Db } from "../storage/db";
import { type DueLead, leadsOf } from "../storage/lead-sla";

/** The queue's name in wrangler.toml: the Worker tells its queues apart by it. */
export const LEAD_SLA_QUEUE = "leadwire-lead-sla";
/** Queues delays a message or its retry by at most 12 h; a later due time is looked at again then. */
const MAX_DELAY_SECONDS = 43_200;

export const slaMessage = z.object({ clientId: z.number().int().positive() });
export type SlaMessage = z.infer<typeof slaMessage>;
export type SlaQueue = Queue<SlaMessage>;

export function slaQueue(env: Env): SlaQueue | undefined {
	return (env as { LEAD_SLA?: SlaQueue }).LEAD_SLA;
}

/** Seconds until the lead's next SLA or reminder time, or undefined when none is left. */
export function nextCheckDelay(lead: DueLead, now: Date): number | undefined {
	const times = [lead.slaDueAt, lead.reminderDueAt].flatMap((at) => (at ? [Date.parse(at)] : []));
	if (times.length === 0) return undefined;
	const seconds = Math.ceil((Math.min(...times) - now.getTime()) / 1000);
	return Math.min(Math.max(seconds, 0), MAX_DELAY_SECONDS);
}

/** One delayed message per watched lead of these clients. Throws when Queues refuses. */
export async function watchLeads(queue: SlaQueue, db: Db, clientIds: number[], now: Date) {
	const messages = (await leadsOf(db, clientIds)).flatMap((lead) => {
		const delaySeconds = nextCheckDelay(lead, now);
		return delaySeconds === undefined ? [] : [{ body: { clientId: lead.clientId }, delaySeconds }];
	});
	for (let i = 0; i < messages.length; i += 100) await queue.sendBatch(messages.slice(i, i + 100));
}
