// Every KV key Leadwire writes, with its value and lifetime. KV is only a fast path; D1 is the truth.
//
// | key                                         | value       | TTL     | written                      |
// |---------------------------------------------|-------------|---------|------------------------------|
// | dedupe:v1:<provider>:<account id>:<lead id> | client id   | 8 days  | after the client row commits |
//
// 8 days outlasts every provider's retry window (WhatsApp: 7 days, providers.md §0.8).

/** Dedupe keys live longer than any provider retries a delivery. */
export const DEDUPE_TTL_SECONDS = 8 * 24 * 60 * 60;

/**
 * Deliveries with more leads than this skip the KV fast path (the D1 unique index still dedupes):
 * a Worker invocation may make at most 1000 KV operations, and big batches are first deliveries anyway.
 */
export const KV_FAST_PATH_MAX_LEADS = 50;

export function dedupeKey(provider: string, accountId: number, externalId: string): string {
	return `dedupe:v1:${provider}:${accountId}:${externalId}`;
}
