// A generic JSON webhook signed per Standard Webhooks (security/standard-webhooks.ts): the event is
// POSTed with webhook-id (the notification id, stable across retries so receivers can dedupe),
// webhook-timestamp and webhook-signature. Any 2xx is delivered; 410 Gone is permanent (the
// receiver asks to stop); other failures are retried as Svix does.
import { checkOutboundUrl } from "../security/outbound-url";
import { standardWebhookHeaders } from "../security/standard-webhooks";
import { type Fetch, timedCall } from "../timed-call";
import { webhookEvent } from "./message";
import type { Notice, Notifier } from "./notifier";
import { outcomeOf, unusable } from "./outcomes";

const TIMEOUT_MS = 10_000;

export function signedWebhookNotifier(
	target: { url: string; secret: string },
	options: { allowLoopbackHttp: boolean },
	fetch: Fetch,
): Notifier {
	return {
		async send(notice: Notice) {
			const url = checkOutboundUrl(target.url, options);
			if (!url.ok) return unusable("url_refused");
			const now = new Date();
			const body = JSON.stringify(webhookEvent(notice, now));
			const headers = await standardWebhookHeaders(target.secret, {
				id: `msg_leadwire_${notice.id}`,
				timestampSeconds: now.getTime() / 1000,
				body,
			});
			const call = await timedCall(
				fetch,
				url.url.href,
				{ method: "POST", headers: { "Content-Type": "application/json", ...headers }, body },
				TIMEOUT_MS,
			);
			const outcome = outcomeOf(call, (status) => `HTTP ${status}`);
			// Svix retries every other failure; a 4xx is often a receiver's passing fault.
			if (outcome.kind === "permanent" && outcome.httpStatus !== 410) {
				return { ...outcome, kind: "transient" };
			}
			return outcome;
		},
	};
}
