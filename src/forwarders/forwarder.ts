// The one interface every outbound destination implements: send a batch of mapped records, answer
// what happened to each. Forwarders do HTTP only; claiming, retries and storage live in deliver.ts.

/** One record to create at the destination, in the order results come back. */
export interface OutboundRecord {
	forwardId: number;
	fields: Record<string, string>;
}

/** What happened to one record. Codes are the destination's (e.g. REQUIRED_FIELD_MISSING). */
export type RecordResult =
	| { kind: "sent"; remoteId: string | null }
	| { kind: "duplicate"; code: string; matchedId: string | null }
	| { kind: "permanent"; code: string; detail: string }
	| { kind: "transient"; code: string; retryAfterSeconds?: number; minDelaySeconds?: number };

/** The org's rolling API usage, when the destination reports it (Sforce-Limit-Info). */
export interface ApiUsage {
	used: number;
	max: number;
}

/**
 * Connection-level states that only an admin can end; forwards wait meanwhile. `switched_off`: the
 * destination asked to stop (a webhook's 410 Gone), so it is switched off until an operator saves it;
 * `misconfigured`: its settings cannot be used as they are (a URL the guard refuses).
 */
export type ConnectionProblem = "needs_reauth" | "api_disabled" | "switched_off" | "misconfigured";

interface CallFacts {
	/** HTTP status of the last call; null for network errors and timeouts. */
	httpStatus: number | null;
	durationMs: number;
	usage?: ApiUsage;
}

export type SendResult =
	| ({ kind: "results"; results: RecordResult[] } & CallFacts)
	/** The whole call failed in a way that applies to every record. */
	| ({ kind: "all"; result: RecordResult } & CallFacts)
	| ({ kind: "connection"; problem: ConnectionProblem; code: string } & CallFacts);

export interface Forwarder {
	/** Most records one send accepts. */
	readonly maxBatch: number;
	send(records: OutboundRecord[]): Promise<SendResult>;
}
