// Replay of a failed meta_lead_received receipt (unknown Page, no token, revoked token, Graph gave
// up, uninstalled Page): the kept one-change payload goes through today's routing again, failed
// reads are re-queued, and the Graph read runs now instead of on the next cron tick.
import { runLeadFetches } from "../jobs/meta-lead-fetches";
import { createLogger } from "../log";
import { type MetaChange, parseMetaDelivery } from "../providers/meta";
import { fetchStatuses, requeueLeads } from "../storage/meta-lead-fetches";
import { handleLeadgen } from "./meta-leads";
import type { ReplayContext, ReplayResult } from "./replay";

export async function replayMetaLead(
	ctx: ReplayContext,
	log: { payload: string; companyId: number | null },
): Promise<ReplayResult> {
	const delivery = parseMetaDelivery(log.payload);
	if (delivery.kind === "invalid") {
		return { outcome: "failure", message: `could not parse payload: ${delivery.reason}` };
	}
	const changes = delivery.changes.filter(
		(c): c is Extract<MetaChange, { kind: "leadgen" }> => c.kind === "leadgen",
	);
	if (changes.length === 0)
		return { outcome: "failure", message: "no leadgen change in the payload" };
	const deps = {
		db: ctx.db,
		kv: ctx.kv,
		config: ctx.config,
		fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
		log: createLogger({ requestId: ctx.receiptId, provider: "meta", action: "replay" }),
	};
	const leadgenIds = changes.map((c) => c.notice.leadgenId);
	const requeued = await requeueLeads(ctx.db, leadgenIds, ctx.now);
	const recorded = await handleLeadgen(
		deps,
		{ receiptId: ctx.receiptId, queryCompanyId: log.companyId ?? undefined },
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
