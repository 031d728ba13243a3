// How a channel's HTTP answer becomes a send outcome, shared by the three channels: 2xx sent,
// 408/409/429 and 5xx retried (Retry-After honoured), network failures retried, the rest permanent.
import { parseRetryAfter } from "../backoff";
import type { CallOutcome } from "../timed-call";
import type { SendOutcome } from "./notifier";

export function outcomeOf(call: CallOutcome, code: (status: number) => string): SendOutcome {
	if (!call.ok) {
		return { kind: "transient", code: call.code, httpStatus: null, durationMs: call.durationMs };
	}
	const { status, headers } = call.response;
	const durationMs = call.durationMs;
	if (status >= 200 && status < 300) return { kind: "sent", httpStatus: status, durationMs };
	if (status === 408 || status === 409 || status === 429 || status >= 500) {
		const retryAfterSeconds = parseRetryAfter(headers.get("Retry-After"), new Date());
		return {
			kind: "transient",
			code: code(status),
			httpStatus: status,
			durationMs,
			retryAfterSeconds,
		};
	}
	return { kind: "permanent", code: code(status), httpStatus: status, durationMs };
}

/** A channel that cannot be used as stored (no API key, a URL the guard refuses...). */
export function unusable(code: string): SendOutcome {
	return { kind: "permanent", code, httpStatus: null, durationMs: 0 };
}
