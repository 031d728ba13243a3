// Salesforce access tokens cached in KV, sealed (key scheme in kv-keys.ts). Sealing and opening is
// the caller's (forwarders/salesforce-auth.ts); this file only moves the sealed text.
import { SESSION_TTL_SECONDS, sessionKey } from "./kv-keys";

export function readSealedSession(kv: KVNamespace, connectionId: number): Promise<string | null> {
	return kv.get(sessionKey(connectionId));
}

export function writeSealedSession(
	kv: KVNamespace,
	connectionId: number,
	sealed: string,
): Promise<void> {
	return kv.put(sessionKey(connectionId), sealed, { expirationTtl: SESSION_TTL_SECONDS });
}

/** Forgets a session: Salesforce refused it, or the connection's secrets changed. */
export function forgetSession(kv: KVNamespace, connectionId: number): Promise<void> {
	return kv.delete(sessionKey(connectionId));
}
