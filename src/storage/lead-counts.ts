// The hourly lead-count rollup (lead_counts, kept by triggers on clients; migration 0017): the hour
// buckets a time window covers, so a window is whole hours from the rollup plus its partial edge
// hours counted from clients through clients_created_idx (bounded by one hour's leads each).
const HOUR_MS = 3_600_000;

/** The rollup's bucket of an instant: 'YYYY-MM-DDTHH', as the triggers' substr(created_at, 1, 13). */
export function hourOf(at: Date): string {
	return at.toISOString().slice(0, 13);
}

/** The start of the hour that holds `at` and the start of the next, as created_at compares them. */
export function hourRange(at: Date): { start: string; end: string } {
	const start = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
	return { start: new Date(start).toISOString(), end: new Date(start + HOUR_MS).toISOString() };
}
