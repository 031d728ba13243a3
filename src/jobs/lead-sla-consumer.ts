// Queue consumer of LEAD_SLA: runs the SLA and reminder check of each message's lead (a delayed
// message may come early, late or twice: lead_sla decides), sends what the check wrote, then sends
// each message back with the delay to its lead's next due time, or acks it when none is left.
import { runLeadSlaOf } from "../intake/lead-sla";
import { type NotifyDeps, sendNotificationsOf } from "../notifiers/deliver";
import { nextCheckDelay, slaMessage } from "../notifiers/sla-queue";
import { leadsOf } from "../storage/lead-sla";

export async function consumeLeadSla(batch: MessageBatch<unknown>, deps: NotifyDeps) {
	const valid: { message: Message<unknown>; clientId: number }[] = [];
	for (const message of batch.messages) {
		const parsed = slaMessage.safeParse(message.body);
		if (parsed.success) valid.push({ message, clientId: parsed.data.clientId });
		else {
			deps.log.error("lead sla message malformed; dropped");
			message.ack();
		}
	}
	if (valid.length === 0) return;
	const now = new Date();
	const clientIds = [...new Set(valid.map((v) => v.clientId))];
	const touched = await runLeadSlaOf(deps, clientIds, now);
	await sendNotificationsOf(deps, { clientIds: touched });
	const leads = new Map((await leadsOf(deps.db, clientIds)).map((lead) => [lead.clientId, lead]));
	for (const { message, clientId } of valid) {
		const lead = leads.get(clientId);
		const delaySeconds = lead ? nextCheckDelay(lead, new Date()) : undefined;
		if (delaySeconds === undefined) message.ack();
		else message.retry({ delaySeconds: Math.max(delaySeconds, 1) });
	}
}
