// Guards a webhook URL that names a company: with WEBHOOK_SIGNING_KEY set, `company_id` must come
// with `sig` = HMAC of it, else 401, counted as a refusal (refusal.ts). Without the key, nothing changes.
// Whatever passes is trusted: the routes keep it as the delivery's URL company (replay routes to it).
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../http/app-env";
import type { DeliveryKind } from "../../leads/lead";
import { verifyCompanyIdSignature } from "../../security/url-signature";
import { refuseUntrusted } from "./refusal";

/** Mounted on each webhook route; a refused request is counted under that route's `kind`. */
export function requireSignedCompanyUrl(kind: DeliveryKind) {
	return createMiddleware<AppEnv>(async (c, next) => {
		const key = c.get("config").webhooks.signingKey;
		const companyId = c.req.query("company_id");
		if (key === undefined || companyId === undefined || companyId === "") return next();
		const sig = c.req.query("sig");
		if (await verifyCompanyIdSignature(key, companyId, sig)) return next();
		return refuseUntrusted(c, kind, sig ? "invalid url signature" : "missing url signature");
	});
}
