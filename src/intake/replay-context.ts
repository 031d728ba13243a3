// What a replay runs with and answers: shared by replay.ts (the registry of replayers) and each
// provider's replayer (meta-replay.ts), so neither imports the other back.
import type { Config } from "../config";
import type { Db } from "../storage/db";
import type { LogDetail } from "../storage/log-queries";

export type ReplayOutcome = "created" | "updated" | "duplicate" | "failure" | "ignored";

export interface ReplayResult {
	outcome: ReplayOutcome;
	/** Ids and counts only (no payload content): shown to the operator and kept on the log. */
	message: string;
}

export interface ReplayContext {
	db: Db;
	kv: KVNamespace;
	config: Config;
	env: Env;
	/** The replay's own receipt id: the logs it writes carry it as request_id. */
	receiptId: string;
	now: Date;
}

/** Re-runs one stored payload; `log` is the failed receipt (payload not null). */
export type Replayer = (
	ctx: ReplayContext,
	log: LogDetail & { payload: string },
) => Promise<ReplayResult>;
