// Per-company webhook URLs that cannot be forged: `sig` = hex HMAC-SHA256(WEBHOOK_SIGNING_KEY, the
// decimal company id), checked with WebCrypto's constant-time verify (hmac.ts).
import { signHmacSha256Hex, verifyHmacSha256Hex } from "./hmac";

const encoder = new TextEncoder();

/** The `sig` to put next to `company_id=<companyId>` in a webhook URL. */
export function signCompanyId(key: string, companyId: number): Promise<string> {
	return signHmacSha256Hex(key, String(companyId));
}

/** True when `sig` signs `companyId` exactly as it appears in the URL (so "007" ≠ "7"). */
export function verifyCompanyIdSignature(
	key: string,
	companyId: string,
	sig: string | undefined,
): Promise<boolean> {
	return verifyHmacSha256Hex(key, encoder.encode(companyId), sig);
}
