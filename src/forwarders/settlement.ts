// Pure: what a send's result does to each claimed forward — succeeded, duplicate, failed, retry at
// a backoff time, dead once the schedule is spent, or waiting for an admin — with its attempt and log.
import { FORWARD_SCHEDULE, nextAttempt } from "../backoff";
import type { ClaimedForward, ForwardSettlement } from "../storage/forwards";
import { destinationLabel } from "./destination";
import type { RecordResult, SendResult } from "./forwarder";

export interface SettleContext {
	now: Date;
	trigger: "cron" | "wait_until" | "queue";
	random?: () => number;
}

/** Follows the destination's name: "Salesforce needs re-authorisation". */
const PROBLEM_TEXT = {
	needs_reauth: "needs re-authorisation",
	api_disabled: "API disabled for the org",
	switched_off: "destination switched off",
	misconfigured: "destination settings refused",
} as const;

export function settle(
	claimed: ClaimedForward[],
	result: SendResult,
	context: SettleContext,
): ForwardSettlement[] {
	return claimed.map((forward, i): ForwardSettlement => {
		const base = {
			forwardId: forward.id,
			clientId: forward.clientId,
			companyId: forward.companyId,
		};
		const attempt = {
			httpStatus: result.httpStatus,
			durationMs: result.durationMs,
			trigger: context.trigger,
		};
		if (result.kind === "connection") {
			const problem = `${destinationLabel(forward.destination)} ${PROBLEM_TEXT[result.problem]}`;
			return {
				...base,
				status: forward.attempts === 0 ? "pending" : "retry",
				attempts: forward.attempts,
				nextAttemptAt: null,
				lastErrorCode: result.code,
				lastError: `${problem} (${result.code}); waiting`,
				remoteId: null,
				attempt: { ...attempt, outcome: "waiting", errorCode: result.code },
				log: {
					status: "failure",
					message: `forward ${forward.id} waiting: ${problem} (${result.code})`,
				},
			};
		}
		const record: RecordResult =
			result.kind === "all"
				? result.result
				: (result.results[i] ?? { kind: "transient", code: "MISSING_RESULT" });
		const settled = settleRecord(forward, record, context);
		return {
			...base,
			...settled,
			attempt: { ...attempt, outcome: settled.status, errorCode: settled.lastErrorCode },
		};
	});
}

type RecordSettlement = Omit<
	ForwardSettlement,
	"forwardId" | "clientId" | "companyId" | "attempt" | "status"
> & { status: "succeeded" | "duplicate" | "failed" | "retry" | "dead" };

function settleRecord(
	forward: ClaimedForward,
	record: RecordResult,
	context: SettleContext,
): RecordSettlement {
	const attempts = forward.attempts + 1;
	const id = forward.id;
	switch (record.kind) {
		case "sent":
			return {
				status: "succeeded",
				attempts,
				nextAttemptAt: null,
				lastErrorCode: null,
				lastError: null,
				remoteId: record.remoteId,
				log: { status: "success", message: `forward ${id} sent (attempt ${attempts})` },
			};
		case "duplicate":
			return {
				status: "duplicate",
				attempts,
				nextAttemptAt: null,
				lastErrorCode: record.code,
				lastError: `duplicate of ${record.matchedId ?? "an existing record"}`,
				remoteId: record.matchedId,
				log: {
					status: "duplicate",
					message: `forward ${id} duplicate of ${record.matchedId ?? "an existing record"}`,
				},
			};
		case "permanent":
			return {
				status: "failed",
				attempts,
				nextAttemptAt: null,
				lastErrorCode: record.code,
				lastError: record.detail,
				remoteId: null,
				log: { status: "failure", message: `forward ${id} failed: ${record.detail}` },
			};
		case "transient": {
			const next = nextAttempt(FORWARD_SCHEDULE, attempts, context.now, {
				retryAfterSeconds: record.retryAfterSeconds,
				minDelaySeconds: record.minDelaySeconds,
				random: context.random,
			});
			const common = {
				attempts,
				lastErrorCode: record.code,
				lastError: record.code,
				remoteId: null,
			};
			return next.retry
				? {
						...common,
						status: "retry",
						nextAttemptAt: next.at.toISOString(),
						log: {
							status: "failure",
							message: `forward ${id} ${record.code}; retry at ${next.at.toISOString()}`,
						},
					}
				: {
						...common,
						status: "dead",
						nextAttemptAt: null,
						log: {
							status: "failure",
							message: `forward ${id} dead after ${attempts} attempts (${record.code})`,
						},
					};
		}
	}
}
