// Meta backfill: read again the leads a Page's forms received in a window (GET /{page-id}/leadgen_forms,
// then GET /{form-id}/leads filtered on time_created, cursor paging) and feed them to the same ingest
// pipeline as the webhook, so leads already stored are duplicates and a rerun changes nothing.
// Graph rate limits (codes 4, 17, 32, 613, 80005) are waited out with an injectable sleep.
import { formLeads, type GraphPage, type GraphResult, leadgenForms } from "../enrichers/meta-graph";
import { forwardingPolicy, forwardNewClients } from "../forwarders/deliver";
import { ingestLeads } from "../intake/ingest";
import { META_LEAD_PROFILE } from "../intake/meta-lead-fetches";
import { resolvePageTokens } from "../intake/page-tokens";
import type { LeadDraft, LeadReject } from "../leads/lead";
import { accountRoutingRules, ROUTING_KEY_LABELS } from "../leads/routing";
import { idString, isJsonObject, type JsonValue } from "../providers/json";
import { leadFromGraph } from "../providers/meta-leadgen";
import type { BackfillCounts } from "../storage/backfill";
import { rememberLeads } from "../storage/dedupe";
import type { IntegrationAccount } from "../storage/integration-accounts";
import { META_PROVIDER } from "../storage/meta-lead-fetches";
import type { BackfillDeps } from "./deps";
import { NO_PAGE_ID, noPageToken } from "./readiness";

/** Waits for one Graph call before the run gives up (and says so in its row). */
export const MAX_RATE_LIMIT_WAITS = 5;
/** A rate-limit answer without Retry-After or usage header waits this long. */
const DEFAULT_WAIT_SECONDS = 60;
/** Longest single wait: past it the run stops and can be started again later. */
const MAX_WAIT_SECONDS = 15 * 60;
/** A transient Graph error (5xx, timeout) is retried this many times per call. */
const TRANSIENT_RETRIES = 2;

/** The run cannot go on (no token, a permanent Graph error, rate limited for too long). */
export class BackfillStopped extends Error {
	constructor(readonly reason: string) {
		super(reason);
		this.name = "BackfillStopped";
	}
}

/** Reads the window's leads of every form of the account's Page into ingest, counting into `counts`. */
export async function backfillMetaPage(
	deps: BackfillDeps,
	account: IntegrationAccount,
	window: { since: Date; until: Date },
	counts: BackfillCounts,
): Promise<void> {
	const pageId = account.externalId;
	if (pageId === null) throw new BackfillStopped(NO_PAGE_ID);
	const [token] = await resolvePageTokens(deps, [{ pageId, accountId: account.id }]);
	if (token === undefined) {
		throw new BackfillStopped(noPageToken(pageId));
	}
	const graph = { fetch: deps.fetch, graphVersion: deps.config.meta.graphVersion, now: new Date() };
	const formIds: string[] = [];
	for await (const page of pages(deps, (after) => leadgenForms(graph, pageId, token, after))) {
		for (const form of page) {
			const formId = isJsonObject(form) ? idString(form.id) : undefined;
			if (formId !== undefined) formIds.push(formId);
		}
	}
	for (const formId of formIds) {
		for await (const leads of pages(deps, (after) =>
			formLeads(graph, formId, window, token, after),
		)) {
			await ingestPage(deps, account, pageId, formId, leads, counts);
		}
	}
}

/** Every page of a Graph edge, waiting out rate limits; stops the run on a permanent error. */
async function* pages(
	deps: BackfillDeps,
	read: (after: string | undefined) => Promise<GraphResult<GraphPage>>,
): AsyncGenerator<JsonValue[]> {
	let after: string | undefined;
	do {
		const page = await withWaits(deps, () => read(after));
		yield page.data;
		after = page.after;
	} while (after !== undefined);
}

async function withWaits(
	deps: BackfillDeps,
	call: () => Promise<GraphResult<GraphPage>>,
): Promise<GraphPage> {
	let waits = 0;
	let transient = 0;
	for (;;) {
		const result = await call();
		if (result.kind === "ok") return result.value;
		if (result.kind === "permanent") throw new BackfillStopped(result.reason);
		if (result.rateLimited) {
			const seconds = result.retryAfterSeconds ?? DEFAULT_WAIT_SECONDS;
			if (waits >= MAX_RATE_LIMIT_WAITS || seconds > MAX_WAIT_SECONDS) {
				throw new BackfillStopped(`${result.reason}; run the backfill again later`);
			}
			waits += 1;
			deps.log.warn("backfill waits for Graph's rate limit", {
				provider: META_PROVIDER,
				action: "backfill",
				outcome: "retry",
				reason: `${seconds} s`,
			});
			await deps.sleep(seconds * 1000);
			continue;
		}
		if (transient >= TRANSIENT_RETRIES) throw new BackfillStopped(result.reason);
		transient += 1;
		await deps.sleep(Math.min(result.retryAfterSeconds ?? 2, 30) * 1000);
	}
}

/** One page of leads through ingest, exactly as Graph reads after a webhook are stored. */
async function ingestPage(
	deps: BackfillDeps,
	account: IntegrationAccount,
	pageId: string,
	formId: string,
	leads: JsonValue[],
	counts: BackfillCounts,
): Promise<void> {
	if (leads.length === 0) return;
	const drafts: LeadDraft[] = [];
	const rejects: LeadReject[] = [];
	for (const lead of leads) {
		const leadgenId = isJsonObject(lead) ? idString(lead.id) : undefined;
		const payload = () => changePayload(pageId, formId, leadgenId, lead);
		if (leadgenId === undefined) {
			rejects.push({ reason: "Graph lead has no id", payload: payload() });
			continue;
		}
		const draft = leadFromGraph({ leadgenId, pageId, formId }, lead, payload);
		if ("reason" in draft) rejects.push({ reason: draft.reason, payload: payload() });
		else drafts.push(draft);
	}
	counts.found += leads.length;
	const result = await ingestLeads(
		{ db: deps.db, kv: deps.kv, forwarding: forwardingPolicy(deps.config) },
		META_LEAD_PROFILE,
		{
			receiptId: crypto.randomUUID(),
			leads: drafts,
			rejects,
			rules: accountRoutingRules(account.companyId, ROUTING_KEY_LABELS.meta),
		},
	);
	for (const outcome of result.outcomes) {
		if (outcome.outcome === "created") counts.created += 1;
		else if (outcome.outcome === "duplicate") counts.duplicates += 1;
		else counts.failures += 1;
	}
	await rememberLeads(deps.kv, result.remember).catch(() => undefined);
	const forwarded = result.created.filter((c) => c.forwarded).map((c) => c.clientId);
	// Like a webhook's new clients: through the FORWARDS queue when bound, else sent now.
	await forwardNewClients(deps, forwarded);
}

/**
 * What a failure log keeps for replay: the webhook change this lead would have come in (ids only),
 * so POST /api/admin/logs/:id/replay reads it from Graph like any other.
 */
function changePayload(
	pageId: string,
	formId: string,
	leadgenId: string | undefined,
	lead: JsonValue,
): string {
	const created =
		isJsonObject(lead) && typeof lead.created_time === "string" ? lead.created_time : null;
	const createdTime = created ? Math.floor(Date.parse(created) / 1000) : undefined;
	return JSON.stringify({
		object: "page",
		entry: [
			{
				id: pageId,
				time: createdTime,
				changes: [
					{
						field: "leadgen",
						value: {
							leadgen_id: leadgenId,
							page_id: pageId,
							form_id: formId,
							created_time: createdTime,
						},
					},
				],
			},
		],
	});
}
