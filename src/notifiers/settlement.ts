// Pure: what one send's outcome does to its notification — succeeded, failed for good, retried at
// the next NOTIFICATION_SCHEDULE step (a Retry-After within bounds wins), or dead once it is spent.
import { NOTIFICATION_SCHEDULE, nextAttempt } from "../backoff";
import type { ClaimedNotification, NotificationSettlement } from "../storage/notifications";
import type { SendOutcome } from "./notifier";

export function settleNotification(
	claimed: ClaimedNotification,
	outcome: SendOutcome,
	now: Date,
	random?: () => number,
): NotificationSettlement {
	const attempts = claimed.attempts + 1;
	const base = { id: claimed.id, attempts };
	if (outcome.kind === "sent") {
		return { ...base, status: "succeeded", nextAttemptAt: null, lastErrorCode: null };
	}
	if (outcome.kind === "permanent") {
		return { ...base, status: "failed", nextAttemptAt: null, lastErrorCode: outcome.code };
	}
	const next = nextAttempt(NOTIFICATION_SCHEDULE, attempts, now, {
		retryAfterSeconds: outcome.retryAfterSeconds,
		random,
	});
	return next.retry
		? {
				...base,
				status: "retry",
				nextAttemptAt: next.at.toISOString(),
				lastErrorCode: outcome.code,
			}
		: { ...base, status: "dead", nextAttemptAt: null, lastErrorCode: outcome.code };
}
