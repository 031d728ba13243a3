// One outbound call with a deadline: a Response, or the network failure named as an error code.

/** fetch as enrichers and forwarders receive it, so tests can inject a fake. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export type CallOutcome =
	| { ok: true; response: Response; durationMs: number }
	| { ok: false; code: "TIMEOUT" | "NETWORK_ERROR"; durationMs: number };

/** Salesforce answers in well under this; a hung call must not hold the claim's lease. */
const CALL_TIMEOUT_MS = 20_000;

export async function timedCall(
	fetch: Fetch,
	url: string,
	init: RequestInit,
	timeoutMs = CALL_TIMEOUT_MS,
): Promise<CallOutcome> {
	const started = Date.now();
	try {
		const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
		return { ok: true, response, durationMs: Date.now() - started };
	} catch (error) {
		const code =
			error instanceof DOMException && error.name === "TimeoutError" ? "TIMEOUT" : "NETWORK_ERROR";
		return { ok: false, code, durationMs: Date.now() - started };
	}
}
