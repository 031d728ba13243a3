// KV dedupe fast path: remembers which leads already became clients so redeliveries skip the write.
import { DEDUPE_TTL_SECONDS, dedupeKey, KV_FAST_PATH_MAX_LEADS } from "./kv-keys";

export interface LeadKey {
	provider: string;
	accountId: number;
	externalId: string;
}

/** The leads KV already knows (each mapped to its client id); empty for deliveries over the cap. */
export async function findKnownLeads(kv: KVNamespace, leads: LeadKey[]): Promise<Set<string>> {
	if (leads.length === 0 || leads.length > KV_FAST_PATH_MAX_LEADS) return new Set();
	const keys = leads.map((lead) => dedupeKey(lead.provider, lead.accountId, lead.externalId));
	const values = await Promise.all(keys.map((key) => kv.get(key)));
	return new Set(keys.filter((_, i) => values[i] !== null));
}

/** Records freshly stored leads; best effort (D1's unique index is the truth). */
export async function rememberLeads(
	kv: KVNamespace,
	leads: (LeadKey & { clientId: number })[],
): Promise<void> {
	if (leads.length > KV_FAST_PATH_MAX_LEADS) return;
	await Promise.all(
		leads.map((lead) =>
			kv.put(dedupeKey(lead.provider, lead.accountId, lead.externalId), String(lead.clientId), {
				expirationTtl: DEDUPE_TTL_SECONDS,
			}),
		),
	);
}
