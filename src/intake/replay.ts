// Replay: re-runs a failed receipt's stored payload through today's configuration (mappings,
// parsers, companies). One replayer per log action; dedupe in each pipeline makes replay safe to
// repeat. Every replay is recorded as its own log_replays row; the original keeps its first outcome.
import { forwardingPolicy } from "../forwarders/deliver";
import { readCompanyId } from "../leads/company-id";
import { tiktokRoutingRules } from "../leads/routing";
import { parseTikTokDelivery, TIKTOK_PROFILE } from "../providers/tiktok";
import { parseFormFields, parseFormPayload } from "../providers/webform";
import { rememberLeads } from "../storage/dedupe";
import type { LogDetail } from "../storage/log-queries";
import { META_LEAD_ACTION } from "../storage/meta-lead-fetches";
import { REPLAY_RECEIPT_PREFIX, recordReplay } from "../storage/unresolved";
import { FORMS_PROFILE, ingestFormSubmission } from "./forms";
import { ingestLeads, summarise } from "./ingest";
import { replayMetaLead, replayWhatsApp } from "./meta-replay";
import type { ReplayContext, Replayer, ReplayOutcome, ReplayResult } from "./replay-context";
import { WHATSAPP_ACTION } from "./whatsapp-messages";

const replayers = new Map<string, Replayer>();

/**
 * Makes logs with `action` replayable. The registrations live at the end of this file (TikTok,
 * forms, Meta) so they run whenever the admin API loads replay.
 */
function registerReplayer(action: string, replayer: Replayer): void {
	replayers.set(action, replayer);
}

/** A failed log that kept its payload, with the replayer for its action. */
export interface Replayable {
	log: LogDetail & { payload: string };
	replayer: Replayer;
}

/** The log ready to replay, or why it cannot be. */
export function checkReplayable(log: LogDetail): Replayable | { reason: string } {
	if (log.status !== "failure") return { reason: `log ${log.id} is not a failure (${log.status})` };
	const { payload } = log;
	if (payload === null) return { reason: `log ${log.id} kept no payload` };
	const replayer = replayers.get(log.action);
	if (!replayer) return { reason: `no replay for action ${log.action}` };
	return { log: { ...log, payload }, replayer };
}

/**
 * Replays a log and records the attempt (append-only; a replay that did not fail resolves the lead the
 * log opened); throws StorageUnavailableError if D1 fails.
 */
export async function replayLog(
	ctx: Omit<ReplayContext, "receiptId">,
	{ log, replayer }: Replayable,
	requestId: string,
): Promise<ReplayResult> {
	const receiptId = `${REPLAY_RECEIPT_PREFIX}${log.id}:${requestId}`;
	const result = await replayer({ ...ctx, receiptId }, log);
	await recordReplay(ctx.db, log.id, { requestId: receiptId, ...result });
	return result;
}

registerReplayer(TIKTOK_PROFILE.action, async (ctx, log) => {
	const delivery = parseTikTokDelivery(log.payload);
	if (delivery.kind === "ignored") return { outcome: "ignored", message: delivery.reason };
	if (delivery.kind === "invalid") {
		return { outcome: "failure", message: `could not parse payload: ${delivery.reason}` };
	}
	// New clients get their Salesforce forward row like any lead; the cron sends it.
	const deps = { db: ctx.db, kv: ctx.kv, forwarding: forwardingPolicy(ctx.config) };
	const result = await ingestLeads(deps, TIKTOK_PROFILE, {
		receiptId: ctx.receiptId,
		leads: delivery.leads,
		rejects: delivery.rejects,
		// The company the original URL named (kept on the log once trusted), then today's mappings.
		rules: tiktokRoutingRules(ctx.config, log.urlCompanyId ?? undefined),
	});
	await rememberLeads(ctx.kv, result.remember).catch(() => undefined);
	const counts = summarise(result);
	const outcome: ReplayOutcome =
		counts.created > 0 ? "created" : counts.failed > 0 ? "failure" : "duplicate";
	const reasons = result.outcomes.flatMap((o) => (o.outcome === "failure" ? [o.reason] : []));
	const message = `${counts.created} created, ${counts.duplicates} duplicates, ${counts.failed} failed${
		reasons.length > 0 ? ` (${[...new Set(reasons)].join("; ")})` : ""
	}`;
	return { outcome, message };
});

registerReplayer(FORMS_PROFILE.action, async (ctx, log) => {
	const stored = parseFormPayload(log.payload);
	if (!stored) return { outcome: "failure", message: "could not parse payload: not a stored form" };
	const parsed = parseFormFields(stored.fields, ctx.config.forms.honeypotField);
	if (parsed.kind !== "lead") {
		return { outcome: parsed.kind === "ignored" ? "ignored" : "failure", message: parsed.reason };
	}
	// The log's trusted URL company; logs written before it was kept have only the payload's copy
	// (taken from the same URL, after the signed-URL guard).
	const company =
		log.urlCompanyId === null
			? readCompanyId(stored.company_id ?? undefined)
			: { ok: true as const, value: log.urlCompanyId };
	if (!company.ok) return { outcome: "failure", message: company.reason };
	const result = await ingestFormSubmission(ctx.db, {
		receiptId: ctx.receiptId,
		companyId: company.value,
		// Without the form's own key, the log's id keeps a second replay from adding a second task.
		idempotencyKey: stored.idempotency_key ?? `replay-of-log-${log.id}`,
		lead: parsed.lead,
		now: ctx.now,
		payload: log.payload,
		forwarding: forwardingPolicy(ctx.config),
	});
	if (result.outcome === "failure") return { outcome: "failure", message: result.reason };
	const client = result.clientId === null ? "" : `client ${result.clientId} `;
	return { outcome: result.outcome, message: `${client}${result.outcome}` };
});

// Meta Lead Ads: unknown or uninstalled Pages, missing or revoked tokens, reads Graph gave up on.
registerReplayer(META_LEAD_ACTION, (ctx, log) => replayMetaLead(ctx, log));
// WhatsApp: messages from a phone number id no company was mapped to (or a company that was gone).
registerReplayer(WHATSAPP_ACTION, (ctx, log) => replayWhatsApp(ctx, log));
