// Forwards through Cloudflare Queues (binding FORWARDS): a message only says "look at these clients'
// forwards now"; the forwards table stays the truth, so a redelivered (or safety-net) message whose
// forwards are settled does nothing. Without the binding, forwards go out from waitUntil and the cron.
import { z } from "zod";
import type { ForwardState } from "../storage/forwards";

/** One message = one company's sObject Collections call at most (200 records). */
export const CLIENTS_PER_MESSAGE = 200;
/** Queues takes at most 100 messages per sendBatch call. */
const MESSAGES_PER_SEND = 100;
/** Queues caps message.retry's delay at 12 h; a later forward is looked at again then. */
const MAX_DELAY_SECONDS = 43_200;

export const forwardMessage = z.object({ clientIds: z.array(z.number().int().positive()).min(1) });
export type ForwardMessage = z.infer<typeof forwardMessage>;
export type ForwardsQueue = Queue<ForwardMessage>;

/** The FORWARDS producer when wrangler.toml binds it (Env only has it while it is configured). */
export function forwardsQueue(env: Env): ForwardsQueue | undefined {
	return (env as { FORWARDS?: ForwardsQueue }).FORWARDS;
}

/**
 * Messages of ≤ 200 clients, in sendBatch calls of ≤ 100 messages, delivered after `delaySeconds`
 * (a safety net behind a send made at once). Throws when Queues refuses.
 */
export async function enqueueForwards(
	queue: ForwardsQueue,
	clientIds: number[],
	delaySeconds = 0,
): Promise<void> {
	const messages: MessageSendRequest<ForwardMessage>[] = [];
	for (let i = 0; i < clientIds.length; i += CLIENTS_PER_MESSAGE) {
		const body = { clientIds: clientIds.slice(i, i + CLIENTS_PER_MESSAGE) };
		messages.push(delaySeconds > 0 ? { body, delaySeconds } : { body });
	}
	for (let i = 0; i < messages.length; i += MESSAGES_PER_SEND) {
		await queue.sendBatch(messages.slice(i, i + MESSAGES_PER_SEND));
	}
}

export type MessageVerdict = { ack: true } | { ack: false; delaySeconds: number };

/**
 * Pure, after the consumer's send: a message is done once none of its forwards waits for a future
 * time. A retry waits for its next attempt, a live claim (another sender, or this consumer's crashed
 * run) for its lease. Settled forwards need nothing more; forwards still due after the send could not
 * be sent now (their connection waits for an admin, or ENCRYPTION_KEY is missing) and are left to the
 * cron, which sweeps them once the connection is ready — retrying those here would only spin.
 */
export function messageVerdict(states: ForwardState[], now: Date): MessageVerdict {
	const waits = states.flatMap((state) => {
		const at =
			state.status === "sending"
				? state.leaseUntil
				: state.status === "pending" || state.status === "retry"
					? state.nextAttemptAt
					: null;
		const wait = at ? Date.parse(at) - now.getTime() : 0;
		return wait > 0 ? [wait] : [];
	});
	if (waits.length === 0) return { ack: true };
	const seconds = Math.ceil(Math.min(...waits) / 1000);
	return { ack: false, delaySeconds: Math.min(seconds, MAX_DELAY_SECONDS) };
}
