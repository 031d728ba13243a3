// Backfill's needs: the delivery deps (storage, config, an injectable fetch, the tail logger; the same
// ones the health job uses) plus a sleep, injectable so tests wait out rate limits instantly.
import type { DeliverDeps } from "../forwarders/send-batch";

export interface BackfillDeps extends DeliverDeps {
	sleep: (ms: number) => Promise<void>;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
