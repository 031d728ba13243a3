// Queue consumer of the FORWARDS queue: sends the due forwards (every destination) its messages name, then acks or retries
// each message from the forwards' state (src/forwarders/forward-queue.ts). The cron still sweeps.
import { deliverNewClients } from "../forwarders/deliver";
import { forwardMessage, messageVerdict } from "../forwarders/forward-queue";
import type { DeliverDeps } from "../forwarders/send-batch";
import { FORWARD_LOG_ACTION, forwardStates } from "../storage/forwards";

/**
 * The consumer: sends the batch's due forwards (per company connection, ≤ 200 a call), then acks each
 * message whose forwards are settled and retries the others when their next attempt is due.
 */
export async function consumeForwards(
	batch: MessageBatch<unknown>,
	deps: DeliverDeps,
): Promise<void> {
	const valid: { message: Message<unknown>; clientIds: number[] }[] = [];
	for (const message of batch.messages) {
		const parsed = forwardMessage.safeParse(message.body);
		if (parsed.success) valid.push({ message, clientIds: parsed.data.clientIds });
		else {
			deps.log.error("forward message malformed; dropped", { action: FORWARD_LOG_ACTION });
			message.ack();
		}
	}
	if (valid.length === 0) return;
	const clientIds = [...new Set(valid.flatMap((v) => v.clientIds))];
	await deliverNewClients(deps, clientIds, "queue");
	// A client has one forward per destination: the message waits for the latest-due of them.
	const states = Map.groupBy(await forwardStates(deps.db, clientIds), (s) => s.clientId);
	const now = new Date();
	for (const { message, clientIds: ids } of valid) {
		const verdict = messageVerdict(
			ids.flatMap((id) => states.get(id) ?? []),
			now,
		);
		if (verdict.ack) message.ack();
		else message.retry({ delaySeconds: verdict.delaySeconds });
	}
	deps.log.info("forward messages consumed", {
		action: FORWARD_LOG_ACTION,
		received: batch.messages.length,
	});
}
