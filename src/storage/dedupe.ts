// KV dedupe fast path: remembers redelivered leads so their further redeliveries skip the write
// (when keys are written: kv-keys.ts). Best effort both ways: a KV failure only means D1's unique
// index does the deduping.
import {
	accountOfDedupeValue,
	DEDUPE_TTL_SECONDS,
	dedupeKey,
	dedupeValue,
	KV_FAST_PATH_MAX_LEADS,
} from "./kv-keys";

export interface StoredLead {
	provider: string;
	externalId: string;
	accountId: number;
}

/** Lead id → the integration account KV says it was stored under; empty over the cap or on KV errors. */
export async function findStoredLeads(
	kv: KVNamespace,
	provider: string,
	externalIds: string[],
): Promise<Map<string, number>> {
	const stored = new Map<string, number>();
	if (externalIds.length === 0 || externalIds.length > KV_FAST_PATH_MAX_LEADS) return stored;
	const values = await Promise.all(externalIds.map((id) => kv.get(dedupeKey(provider, id)))).catch(
		() => [],
	);
	externalIds.forEach((id, i) => {
		const accountId = accountOfDedupeValue(values[i] ?? "");
		if (accountId !== undefined) stored.set(id, accountId);
	});
	return stored;
}

/** Records redelivered leads (called in waitUntil, after the answer). */
export async function rememberLeads(kv: KVNamespace, leads: StoredLead[]): Promise<void> {
	if (leads.length > KV_FAST_PATH_MAX_LEADS) return;
	await Promise.all(
		leads.map((lead) =>
			kv.put(dedupeKey(lead.provider, lead.externalId), dedupeValue(lead.accountId), {
				expirationTtl: DEDUPE_TTL_SECONDS,
			}),
		),
	);
}
