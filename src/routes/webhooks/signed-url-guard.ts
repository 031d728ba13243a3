// Guards a webhook URL that names a company: with WEBHOOK_SIGNING_KEY set, `company_id` must come
// with `sig` = HMAC of it, else 401 and a failure log (no payload). Without the key, nothing changes.
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../../app-env";
import { type DeliveryKind, recordDeliveryLog } from "../../leads/ingest";
import { verifyCompanyIdSignature } from "../../security/url-signature";

/** Mounted on each webhook route; a refused request is filed under that route's `kind`. */
export function requireSignedCompanyUrl(kind: DeliveryKind) {
	return createMiddleware<AppEnv>(async (c, next) => {
		const key = c.var.config.webhooks.signingKey;
		const companyId = c.req.query("company_id");
		if (key === undefined || companyId === undefined || companyId === "") return next();
		const sig = c.req.query("sig");
		if (await verifyCompanyIdSignature(key, companyId, sig)) return next();

		const reason = sig ? "invalid url signature" : "missing url signature";
		c.var.log.warn("delivery rejected", {
			provider: kind.provider,
			action: kind.action,
			outcome: "failure",
			reason,
		});
		const log = { companyId: null, status: "failure" as const, message: reason, externalId: null };
		// Best effort, like a bad provider signature: a forged URL must not become a 503 retry loop.
		await recordDeliveryLog({ db: c.var.db }, kind, c.var.requestId, {
			...log,
			payload: null,
		}).catch(() => undefined);
		throw new HTTPException(401, { message: reason });
	});
}
