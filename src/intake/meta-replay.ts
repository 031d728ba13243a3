// Replay of a failed meta_lead_received receipt (unknown Page, no token, revoked token, Graph gave
// up, uninstalled Page): the kept one-change payload goes through today's routing again, failed
// reads are re-queued, and the Graph read runs now instead of on the next cron tick. A failed
// whatsapp_message_received receipt goes through the WhatsApp handler the same way.
// Both route to the company the original URL named, when it was kept on the log.

import { createLogger } from "../log";
import { type MetaChange, parseMetaDelivery } from "../providers/meta";
import { fetchStatuses, requeueLeads } from "../storage/meta-lead-fetches";
import { runLeadFetches } from "./meta-lead-fetches";
import { handleLeadgen } from "./meta-leads";
import type { ReplayContext, ReplayResult } from "./replay-context";
import { handleWhatsApp } from "./whatsapp-messages";

/** What a Meta replay reads of the failed log. */
interface MetaLog {
	payload: string;
	companyId: number | null;
	urlCompanyId: number | null;
}

/** The callback URL's trusted company, else the company a read job had routed the lead to. */
function replayCompanyId(log: MetaLog): number | undefined {
	return log.urlCompanyId ?? log.companyId ?? undefined;
}

function replayDeps(ctx: ReplayContext, provider: string) {
	return {
		db: ctx.db,
		kv: ctx.kv,
		config: ctx.config,
		fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
		log: createLogger({ requestId: ctx.receiptId, provider, action: "replay" }),
	};
}

/** The kept payload's changes of one kind, or the failure a replay answers when there are none. */
function changesOf<K extends MetaChange["kind"]>(
	payload: string,
	kind: K,
): Extract<MetaChange, { kind: K }>[] | ReplayResult {
	const delivery = parseMetaDelivery(payload);
	if (delivery.kind === "invalid") {
		return { outcome: "failure", message: `could not parse payload: ${delivery.reason}` };
	}
	const changes = delivery.changes.filter(
		(c): c is Extract<MetaChange, { kind: K }> => c.kind === kind,
	);
	return changes.length > 0
		? changes
		: { outcome: "failure", message: `no ${kind} change in the payload` };
}

export async function replayMetaLead(ctx: ReplayContext, log: MetaLog): Promise<ReplayResult> {
	const changes = changesOf(log.payload, "leadgen");
	if (!Array.isArray(changes)) return changes;
	const deps = replayDeps(ctx, "meta");
	const leadgenIds = changes.map((c) => c.notice.leadgenId);
	const requeued = await requeueLeads(ctx.db, leadgenIds, ctx.now);
	const recorded = await handleLeadgen(
		deps,
		{ receiptId: ctx.receiptId, queryCompanyId: replayCompanyId(log) },
		changes,
	);
	for (const work of recorded.afterAnswer) await work();
	if (requeued.length > 0) await runLeadFetches(deps, ctx.now, { ids: requeued });
	const failures = recorded.outcomes.flatMap((o) =>
		o.outcome === "failure" ? [o.reason ?? "failure"] : [],
	);
	const rows = await fetchStatuses(ctx.db, leadgenIds);
	const stored = rows.filter((r) => r.status === "succeeded");
	const waiting = rows.filter((r) => r.status !== "succeeded");
	const message = [
		...stored.map((r) => `lead ${r.leadgenId}: client ${r.clientId ?? "(duplicate)"}`),
		...waiting.map(
			(r) => `lead ${r.leadgenId}: ${r.status}${r.lastError ? ` (${r.lastError})` : ""}`,
		),
		...failures,
	].join("; ");
	return {
		outcome:
			stored.length > 0 && waiting.length === 0 && failures.length === 0 ? "created" : "failure",
		message,
	};
}

export async function replayWhatsApp(ctx: ReplayContext, log: MetaLog): Promise<ReplayResult> {
	const changes = changesOf(log.payload, "whatsapp");
	if (!Array.isArray(changes)) return changes;
	const recorded = await handleWhatsApp(
		replayDeps(ctx, "whatsapp"),
		{ receiptId: ctx.receiptId, queryCompanyId: replayCompanyId(log) },
		changes,
	);
	for (const work of recorded.afterAnswer) await work();
	const tally = (outcome: string) => recorded.outcomes.filter((o) => o.outcome === outcome);
	const created = tally("created");
	const failed = tally("failure");
	const seen = [...tally("recorded"), ...tally("duplicate")];
	const reasons = [...new Set(failed.map((o) => o.reason ?? "failure"))];
	const message = `${created.length} created, ${seen.length} recorded or duplicate, ${failed.length} failed${
		reasons.length > 0 ? ` (${reasons.join("; ")})` : ""
	}`;
	const outcome =
		failed.length > 0
			? "failure"
			: created.length > 0
				? "created"
				: seen.length > 0
					? "duplicate"
					: "ignored";
	return { outcome, message };
}
