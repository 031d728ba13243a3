// Guards every webhook URL that names a company: with WEBHOOK_SIGNING_KEY set, `company_id` must come
// with `sig` = HMAC of it, else 401 and a failure log (no payload). Without the key, nothing changes.
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../../app-env";
import { type DeliveryKind, recordDeliveryLog } from "../../leads/ingest";
import { verifyCompanyIdSignature } from "../../security/url-signature";

/** What a refused request is filed as, by the path segment after /webhooks/. */
const RECEIVERS: Record<string, DeliveryKind> = {
	"tiktok-leadgen": { provider: "tiktok", source: "tiktok", action: "tiktok_lead_received" },
	forms: { provider: "webform", source: "webform", action: "form_submission_received" },
	meta: { provider: "meta", source: "meta", action: "meta_webhook" },
};
const OTHER: DeliveryKind = { provider: "webhook", source: "webhook", action: "webhook_received" };

export function receiverOf(path: string): DeliveryKind {
	const segment = path.split("/webhooks/")[1]?.split("/")[0] ?? "";
	return RECEIVERS[segment] ?? OTHER;
}

export function requireSignedCompanyUrl() {
	return createMiddleware<AppEnv>(async (c, next) => {
		const key = c.var.config.webhooks.signingKey;
		const companyId = c.req.query("company_id");
		if (key === undefined || companyId === undefined || companyId === "") return next();
		const sig = c.req.query("sig");
		if (await verifyCompanyIdSignature(key, companyId, sig)) return next();

		const reason = sig ? "invalid url signature" : "missing url signature";
		const kind = receiverOf(c.req.path);
		c.var.log.warn("delivery rejected", {
			provider: kind.provider,
			action: kind.action,
			outcome: "failure",
			reason,
		});
		const log = { companyId: null, status: "failure" as const, message: reason, externalId: null };
		// Best effort, like a bad provider signature: a forged URL must not become a 503 retry loop.
		await recordDeliveryLog({ db: c.var.db, kv: c.env.DEDUPE }, kind, c.var.requestId, {
			...log,
			payload: null,
		}).catch(() => undefined);
		throw new HTTPException(401, { message: reason });
	});
}
