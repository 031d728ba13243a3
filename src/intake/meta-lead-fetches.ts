// Graph reads of recorded Meta leads: run in waitUntil right after the webhook answer, and from the
// cron (src/jobs/meta-lead-fetches.ts) for anything due (Graph down, rate limited, timed out) on
// GRAPH_FETCH_SCHEDULE. A lead read becomes a client through the same ingest path as TikTok leads; a
// rejected token is a permanent, recoverable failure (setting a new token re-queues it).
import { GRAPH_FETCH_SCHEDULE, LONG_BACKOFF_SECONDS, nextAttempt } from "../backoff";
import type { Config } from "../config";
import { fetchLead } from "../enrichers/meta-graph";
import { forwardingPolicy, forwardNewClients } from "../forwarders/deliver";
import type { ForwardsQueue } from "../forwarders/forward-queue";
import type { ProviderProfile } from "../leads/lead";
import { accountRoutingRules, ROUTING_KEY_LABELS } from "../leads/routing";
import type { Logger } from "../log";
import { sendNotificationsOf } from "../notifiers/deliver";
import { leadFromGraph } from "../providers/meta-leadgen";
import type { Db } from "../storage/db";
import { rememberLeads } from "../storage/dedupe";
import {
	type ClaimedFetch,
	claimLeadFetches,
	META_DEFAULT_ACCOUNT_NAME,
	META_LEAD_ACTION,
	META_PROVIDER,
	markFetchFailed,
	markFetchSucceeded,
	scheduleFetchRetry,
} from "../storage/meta-lead-fetches";
import type { FailureCause } from "../storage/schema";
import { ingestLeads } from "./ingest";
import { resolvePageTokens } from "./page-tokens";

/** How a Graph-read lead is ingested and logged; backfill stores its reads the same way. */
export const META_LEAD_PROFILE: ProviderProfile = {
	provider: META_PROVIDER,
	source: "meta",
	action: META_LEAD_ACTION,
	accountName: META_DEFAULT_ACCOUNT_NAME,
};

/** A claim outlives any one read (10 s timeout); after it, a crashed read is due again. */
const LEASE_SECONDS = 120;
/** Reads per claim; the cron claims a few of them per tick (src/jobs/meta-lead-fetches.ts). */
export const LEAD_FETCH_BATCH_SIZE = 25;

export interface LeadFetchDeps {
	db: Db;
	kv: KVNamespace;
	config: Config;
	fetch: typeof fetch;
	log: Logger;
	queue?: ForwardsQueue;
}

/** Claims due reads (the given ids, or the oldest due) and runs them; returns how many were claimed. */
export async function runLeadFetches(
	deps: LeadFetchDeps,
	now: Date,
	options: { ids?: number[] } = {},
): Promise<number> {
	const leaseUntil = new Date(now.getTime() + LEASE_SECONDS * 1000);
	const claimed = await claimLeadFetches(deps.db, {
		now,
		leaseUntil,
		ids: options.ids,
		limit: LEAD_FETCH_BATCH_SIZE,
	});
	if (claimed.length === 0) return 0;
	const tokens = await resolveTokens(deps, claimed);
	for (const fetch of claimed) await readLead(deps, now, fetch, tokens.get(fetch.id));
	return claimed.length;
}

async function resolveTokens(
	deps: LeadFetchDeps,
	claimed: ClaimedFetch[],
): Promise<Map<number, string | undefined>> {
	const tokens = await resolvePageTokens(
		deps,
		claimed.map((f) => ({ pageId: f.pageId, accountId: f.integrationAccountId })),
	);
	return new Map(claimed.map((f, i) => [f.id, tokens[i]]));
}

async function readLead(
	deps: LeadFetchDeps,
	now: Date,
	fetch: ClaimedFetch,
	token: string | undefined,
): Promise<void> {
	const log = deps.log.with({
		provider: META_PROVIDER,
		action: META_LEAD_ACTION,
		leadId: fetch.leadgenId,
		companyId: fetch.companyId,
	});
	if (token === undefined) {
		const error = `${ROUTING_KEY_LABELS.meta} ${fetch.pageId} has no access token: install the Business Extension for it, or set the Page's token on its integration account`;
		await fail(deps, fetch, { status: "failed", error, cause: "no_token" }, now);
		log.error("lead not read", { outcome: "failure", reason: error });
		return;
	}
	const graph = { fetch: deps.fetch, graphVersion: deps.config.meta.graphVersion, now };
	const result = await fetchLead(graph, fetch.leadgenId, token);
	if (result.kind === "retry") {
		const next = nextAttempt(GRAPH_FETCH_SCHEDULE, fetch.attempts, now, {
			retryAfterSeconds: result.retryAfterSeconds,
			minDelaySeconds: result.rateLimited ? LONG_BACKOFF_SECONDS : undefined,
		});
		if (next.retry) {
			await scheduleFetchRetry(deps.db, fetch.id, next.at, result.reason, now);
			log.warn("lead read will be retried", { outcome: "retry", reason: result.reason });
		} else {
			const error = `gave up after ${fetch.attempts} attempts: ${result.reason}`;
			await fail(deps, fetch, { status: "dead", error, cause: "lead_read_failed" }, now);
			log.error("lead not read", { outcome: "failure", reason: error });
		}
		return;
	}
	if (result.kind === "permanent") {
		await fail(
			deps,
			fetch,
			{ status: "failed", error: result.reason, cause: "lead_read_failed" },
			now,
		);
		log.error("lead not read", { outcome: "failure", reason: result.reason });
		return;
	}
	const notice = {
		leadgenId: fetch.leadgenId,
		pageId: fetch.pageId,
		formId: fetch.formId ?? undefined,
	};
	const draft = leadFromGraph(notice, result.value, () => fetch.payload);
	if ("reason" in draft) {
		await fail(deps, fetch, { status: "failed", error: draft.reason, cause: "unparseable" }, now);
		log.error("lead not read", { outcome: "failure", reason: draft.reason });
		return;
	}
	await storeClient(deps, now, fetch, draft, log);
}

/** The read lead becomes a client exactly as a TikTok lead does (dedupe, phones, round robin, logs). */
async function storeClient(
	deps: LeadFetchDeps,
	now: Date,
	fetch: ClaimedFetch,
	draft: Parameters<typeof ingestLeads>[2]["leads"][number],
	log: Logger,
): Promise<void> {
	const ingestDeps = { db: deps.db, kv: deps.kv, forwarding: forwardingPolicy(deps.config) };
	const result = await ingestLeads(ingestDeps, META_LEAD_PROFILE, {
		receiptId: crypto.randomUUID(),
		leads: [draft],
		rejects: [],
		rules: accountRoutingRules(fetch.companyId ?? undefined, ROUTING_KEY_LABELS.meta),
	});
	const [outcome] = result.outcomes;
	if (outcome?.outcome === "failure") {
		// ingest has logged the failure with the payload; the read is not retried on its own.
		await markFetchFailed(deps.db, fetch, {
			status: "failed",
			error: outcome.reason,
			cause: "other",
			receiptId: null,
			now,
		});
		log.error("lead not stored", { outcome: "failure", reason: outcome.reason });
		return;
	}
	const clientId = outcome?.outcome === "created" ? outcome.clientId : null;
	await markFetchSucceeded(deps.db, fetch.id, clientId, now);
	await rememberLeads(deps.kv, result.remember).catch(() => undefined);
	log.info("lead", {
		...outcome,
		outcome: outcome?.outcome ?? "duplicate",
		clientId: clientId ?? undefined,
	});
	// Same as a TikTok lead: its rep is told and its Salesforce forward goes out now (both rows
	// were written in the ingest batch; the cron sends them otherwise).
	const { db, config, fetch: call } = deps;
	await sendNotificationsOf(
		{ db, config, fetch: call, log },
		{ clientIds: result.created.map((c) => c.clientId) },
	).catch((error: unknown) =>
		log.warn("notifications not sent; the cron retries", { error: String(error) }),
	);
	const forwarded = result.created.filter((c) => c.forwarded).map((c) => c.clientId);
	await forwardNewClients(deps, forwarded);
}

function fail(
	deps: LeadFetchDeps,
	fetch: ClaimedFetch,
	failed: { status: "failed" | "dead"; error: string; cause: FailureCause },
	now: Date,
) {
	// The reason names the Page to fix; the read's last_error keeps Graph's words (the overview reads it).
	const message = failed.error.startsWith(ROUTING_KEY_LABELS.meta)
		? failed.error
		: `${ROUTING_KEY_LABELS.meta} ${fetch.pageId}: lead ${fetch.leadgenId} could not be read: ${failed.error}`;
	return markFetchFailed(deps.db, fetch, {
		...failed,
		message,
		receiptId: crypto.randomUUID(),
		now,
	});
}
