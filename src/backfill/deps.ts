// Backfill's needs: the health deps plus a sleep, injectable so tests wait out rate limits instantly.
import type { HealthDeps } from "../health/deps";

export interface BackfillDeps extends HealthDeps {
	sleep: (ms: number) => Promise<void>;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
