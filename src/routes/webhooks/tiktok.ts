// POST /api/integrations/webhooks/tiktok-leadgen/ — TikTok Lead Gen deliveries.
// Thin: verify → parse (adapter) → ingest → answer 200 once recorded (503 if D1 fails). A delivery of
// more than BIG_DELIVERY_LEADS leads is answered once its body is stored, and ingested in chunks later.
import { Hono } from "hono";
import { deliverDeps, dispatchForwards, forwardingPolicy } from "../../forwarders/deliver";
import type { AppEnv } from "../../http/app-env";
import { ingestLeads, type LeadOutcome, recordDeliveryLog, summarise } from "../../intake/ingest";
import { acceptLeadBatch, chunkLimits, leadChunksQueue } from "../../intake/lead-batches";
import { tiktokRoutingRules } from "../../leads/routing";
import type { Logger } from "../../log";
import { notifyDeps, notifyInBackground } from "../../notifiers/deliver";
import {
	parseTikTokDelivery,
	splitTikTokDelivery,
	TIKTOK_PROFILE,
	TIKTOK_SIGNATURE_HEADER,
	verifyTikTokSignature,
} from "../../providers/tiktok";
import { rememberLeads } from "../../storage/dedupe";
import { refuseUntrusted } from "./refusal";
import { limitBody, readJsonWebhook, recordOrRefused } from "./request-guards";
import { requireSignedCompanyUrl } from "./signed-url-guard";

const MAX_LEAD_LOG_LINES = 100;

export const tiktokRoutes = new Hono<AppEnv>().post(
	"/",
	requireSignedCompanyUrl(TIKTOK_PROFILE),
	limitBody(TIKTOK_PROFILE),
	async (c) => {
		const config = c.get("config");
		const db = c.get("db");
		const requestId = c.get("requestId");
		const deps = { db, kv: c.env.DEDUPE, forwarding: forwardingPolicy(config) };
		const log = c.get("log").with({
			provider: TIKTOK_PROFILE.provider,
			action: TIKTOK_PROFILE.action,
		});
		const body = new Uint8Array(await c.req.arrayBuffer());

		const secret = config.tiktok.appSecret;
		if (
			secret &&
			!(await verifyTikTokSignature(secret, body, c.req.header(TIKTOK_SIGNATURE_HEADER)))
		) {
			const header = c.req.header(TIKTOK_SIGNATURE_HEADER);
			return refuseUntrusted(c, TIKTOK_PROFILE, header ? "invalid signature" : "missing signature");
		}

		const { text, queryCompanyId, delivery } = readJsonWebhook(
			c,
			body,
			(json) => splitTikTokDelivery(json, chunkLimits(config)) ?? parseTikTokDelivery(json),
		);

		return recordOrRefused(c, TIKTOK_PROFILE, queryCompanyId, async () => {
			if (delivery.kind === "chunked") {
				const accepted = await acceptLeadBatch(
					{ db, queue: leadChunksQueue(c.env), log },
					TIKTOK_PROFILE,
					{ requestId, urlCompanyId: queryCompanyId, split: delivery },
				);
				log.info("delivery stored for chunked ingest", { outcome: "accepted", ...accepted });
				const { batchId, leads, chunks } = accepted;
				return c.json({ ok: true, requestId, outcome: "accepted", batchId, leads, chunks });
			}
			if (delivery.kind !== "leads") {
				const status = delivery.kind === "ignored" ? "ignored" : "failure";
				const reason =
					delivery.kind === "ignored"
						? delivery.reason
						: `could not parse payload: ${delivery.reason}`;
				await recordDeliveryLog(
					deps,
					TIKTOK_PROFILE,
					requestId,
					{ ...failure(reason, delivery.kind === "invalid" ? text : null), status },
					queryCompanyId,
				);
				log.info("delivery recorded", { outcome: status, reason });
				return c.json({ ok: true, requestId, outcome: status, reason });
			}

			const result = await ingestLeads(deps, TIKTOK_PROFILE, {
				receiptId: requestId,
				leads: delivery.leads,
				rejects: delivery.rejects,
				rules: tiktokRoutingRules(config, queryCompanyId),
			});
			if (result.remember.length > 0) {
				c.executionCtx.waitUntil(
					rememberLeads(c.env.DEDUPE, result.remember).catch((error: unknown) =>
						log.warn("dedupe keys not written", { error: String(error) }),
					),
				);
			}
			notifyInBackground(
				c.executionCtx,
				notifyDeps(c.env, config, log),
				result.created
					.filter((client) => client.assignedEmployeeId !== null)
					.map((client) => client.clientId),
			);
			const forwarded = result.created.filter((client) => client.forwarded);
			if (forwarded.length > 0) {
				await dispatchForwards(
					c.executionCtx,
					deliverDeps(c.env, config, log),
					forwarded.map((client) => client.clientId),
				);
			}
			const summary = summarise(result);
			logOutcomes(log, result.outcomes, summary);
			return c.json({ ok: true, requestId, ...summary });
		});
	},
);

/**
 * Tail lines, ids and outcomes only: a single-lead delivery is one line; a batch gets a line per lead
 * (the first MAX_LEAD_LOG_LINES) and a closing summary.
 */
function logOutcomes(log: Logger, outcomes: LeadOutcome[], summary: ReturnType<typeof summarise>) {
	const [only] = outcomes;
	if (outcomes.length === 1 && only) {
		log.info("delivery recorded", { ...summary, ...only });
		return;
	}
	for (const outcome of outcomes.slice(0, MAX_LEAD_LOG_LINES)) log.info("lead", outcome);
	log.info("delivery recorded", { outcome: "recorded", ...summary });
}

function failure(message: string, payload: string | null = null) {
	return {
		companyId: null,
		status: "failure" as const,
		message,
		externalId: null,
		payload,
		cause: "unparseable" as const,
	};
}
