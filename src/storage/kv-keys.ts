// Every KV key Leadwire writes, with its value and lifetime. KV is only a fast path; D1 is the truth.
//
// | key                                | value                             | TTL    | written                      |
// |------------------------------------|-----------------------------------|--------|------------------------------|
// | dedupe:v1:<provider>:<lead id>     | "<integration account id>:<client id>" | 8 days | after the client row commits |
// | sf-session:v1:<connection id>      | sealed {accessToken, instanceUrl} | 1 hour | after a Salesforce token grant |
//
// Keyed by lead id alone so the lookup can run while routing is still being read from D1; the
// account in the value keeps dedupe per integration account. 8 days outlasts every provider's
// retry window (WhatsApp: 7 days, providers.md §0.8).

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

export function dedupeValue(accountId: number, clientId: number): string {
	return `${accountId}:${clientId}`;
}

/** The integration account a dedupe value names, or undefined for a value we did not write. */
export function accountOfDedupeValue(value: string): number | undefined {
	const match = /^(\d+):\d+$/.exec(value);
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
