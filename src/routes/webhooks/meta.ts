// GET|POST /api/integrations/webhooks/meta/ — the Meta app callback (Lead Ads, Business Extension,
// WhatsApp). Thin: handshake; verify → parse (adapter) → record → 200 once recorded (503 if D1 fails),
// then Graph reads and token exchanges in waitUntil.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { forwardsQueue } from "../../forwarders/forward-queue";
import type { AppEnv } from "../../http/app-env";
import { handleFbeInstall } from "../../intake/fbe-installs";
import {
	META_WEBHOOK_ACTION,
	type MetaHandlers,
	type MetaOutcome,
	recordMetaDelivery,
} from "../../intake/meta-delivery";
import { handleLeadgen } from "../../intake/meta-leads";
import { handleWhatsApp } from "../../intake/whatsapp-messages";
import type { ProviderProfile } from "../../leads/lead";
import {
	handshakeChallenge,
	META_SIGNATURE_HEADER,
	parseMetaDelivery,
	verifyMetaSignature,
} from "../../providers/meta";
import { writeReceipt } from "../../storage/receipts";
import { refuseUntrusted } from "./refusal";
import { limitBody, readJsonWebhook, recordOrRefused } from "./request-guards";
import { requireSignedCompanyUrl } from "./signed-url-guard";

const META_PROFILE: ProviderProfile = {
	provider: "meta",
	source: "meta",
	action: META_WEBHOOK_ACTION,
	accountName: "Meta Lead Ads",
};

const MAX_CHANGE_LOG_LINES = 100;

/** Handlers per change kind; kinds without one are acknowledged and logged `ignored`. */
const HANDLERS: MetaHandlers = {
	leadgen: handleLeadgen,
	whatsapp: handleWhatsApp,
	fbe_install: handleFbeInstall,
};

export const metaRoutes = new Hono<AppEnv>()
	.get("/", requireSignedCompanyUrl(META_PROFILE), async (c) => {
		const log = c.get("log").with({ provider: "meta", action: "meta_handshake" });
		const challenge = await handshakeChallenge(
			{
				mode: c.req.query("hub.mode"),
				verifyToken: c.req.query("hub.verify_token"),
				challenge: c.req.query("hub.challenge"),
			},
			c.get("config").meta.verifyToken,
		);
		if (challenge === undefined) {
			const reason = c.get("config").meta.verifyToken
				? "verify token mismatch"
				: "META_VERIFY_TOKEN is not set";
			log.warn("handshake refused", { outcome: "failure", reason });
			throw new HTTPException(403, { message: "verification failed" });
		}
		log.info("handshake accepted", { outcome: "success" });
		// The challenge is caller-chosen text echoed back: nosniff keeps a browser from reading it as HTML.
		return c.text(challenge, 200, {
			"Content-Type": "text/plain",
			"X-Content-Type-Options": "nosniff",
		});
	})
	.post("/", requireSignedCompanyUrl(META_PROFILE), limitBody(META_PROFILE), async (c) => {
		const config = c.get("config");
		const db = c.get("db");
		const requestId = c.get("requestId");
		const log = c.get("log").with({ provider: "meta", action: META_WEBHOOK_ACTION });
		const body = new Uint8Array(await c.req.arrayBuffer());
		const header = c.req.header(META_SIGNATURE_HEADER);
		const secret = config.meta.appSecret;
		if (!secret || !(await verifyMetaSignature(secret, body, header))) {
			const reason = !secret
				? "META_APP_SECRET is not set"
				: header
					? "invalid signature"
					: "missing signature";
			return refuseUntrusted(c, META_PROFILE, reason);
		}

		const { text, queryCompanyId, delivery } = readJsonWebhook(c, body, parseMetaDelivery);
		return recordOrRefused(c, META_PROFILE, queryCompanyId, async () => {
			if (delivery.kind === "invalid") {
				const reason = `could not parse payload: ${delivery.reason}`;
				await writeReceipt(db, {
					receiptId: requestId,
					provider: "meta",
					source: "meta",
					action: META_WEBHOOK_ACTION,
					groups: [],
					logs: [
						{
							companyId: null,
							status: "failure",
							message: reason,
							externalId: null,
							payload: text,
							cause: "unparseable",
						},
					],
					urlCompanyId: queryCompanyId,
				});
				log.info("delivery recorded", { outcome: "failure", reason });
				return c.json({ ok: true, requestId, outcome: "failure", reason });
			}

			const deps = {
				db,
				kv: c.env.DEDUPE,
				config,
				fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
				log: c.get("log"),
				queue: forwardsQueue(c.env),
			};
			const context = {
				receiptId: requestId,
				queryCompanyId,
			};
			const result = await recordMetaDelivery(deps, context, delivery.changes, HANDLERS);
			for (const work of result.afterAnswer) {
				c.executionCtx.waitUntil(
					work().catch((error: unknown) =>
						log.error("background work failed", { outcome: "error", error: String(error) }),
					),
				);
			}
			for (const outcome of result.outcomes.slice(0, MAX_CHANGE_LOG_LINES)) {
				log.info("change", outcome);
			}
			const summary = summarise(result.outcomes);
			log.info("delivery recorded", { outcome: "recorded", ...summary });
			return c.json({ ok: true, requestId, ...summary });
		});
	});

function summarise(outcomes: MetaOutcome[]) {
	const counts = {
		received: outcomes.length,
		created: 0,
		recorded: 0,
		duplicates: 0,
		failed: 0,
		ignored: 0,
	};
	for (const { outcome } of outcomes) {
		if (outcome === "created") counts.created++;
		else if (outcome === "recorded") counts.recorded++;
		else if (outcome === "duplicate") counts.duplicates++;
		else if (outcome === "failure") counts.failed++;
		else counts.ignored++;
	}
	return counts;
}
