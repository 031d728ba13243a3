// Every KV key Leadwire writes, with its value and lifetime. KV is only a fast path; D1 is the truth.
//
// | key                            | value                             | TTL    | written                                  |
// |--------------------------------|-----------------------------------|--------|------------------------------------------|
// | dedupe:v1:<provider>:<lead id> | "<integration account id>"        | 8 days | when D1 finds a redelivered lead's client |
// | sf-session:v1:<connection id>  | sealed {accessToken, instanceUrl} | 1 hour | after a Salesforce token grant           |
//
// Keyed by lead id alone so the lookup needs no routing; the account in the value keeps dedupe per
// integration account. 8 days outlasts every provider's retry window (WhatsApp: 7 days,
// providers.md §0.8). A dedupe key is written on a lead's first redelivery, not when its client is
// created: most leads never come back, a KV write costs ten reads (and the free plan allows 1,000 a
// day), and a provider that redelivers once tends to keep retrying, which the key then absorbs.

/** Dedupe keys live longer than any provider retries a delivery. */
export const DEDUPE_TTL_SECONDS = 8 * 24 * 60 * 60;

/**
 * Deliveries with more leads than this skip the KV fast path (the D1 unique index still dedupes):
 * a Worker invocation may make at most 1000 KV operations, and big batches are first deliveries anyway.
 */
export const KV_FAST_PATH_MAX_LEADS = 50;

export function dedupeKey(provider: string, externalId: string): string {
	return `dedupe:v1:${provider}:${externalId}`;
}

export function dedupeValue(accountId: number): string {
	return String(accountId);
}

/**
 * The integration account a dedupe value names, or undefined for a value we did not write. Keys
 * written by earlier versions hold "<account id>:<client id>"; they are read the same way until they expire.
 */
export function accountOfDedupeValue(value: string): number | undefined {
	const match = /^(\d+)(?::\d+)?$/.exec(value);
	return match ? Number(match[1]) : undefined;
}

/**
 * Salesforce access tokens carry no expiry (providers.md §6.1); an hour stays under the default
 * session timeout (2 h), and a 401 INVALID_SESSION_ID drops the key earlier.
 */
export const SESSION_TTL_SECONDS = 60 * 60;

export function sessionKey(connectionId: number): string {
	return `sf-session:v1:${connectionId}`;
}
