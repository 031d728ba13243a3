// Sends claimed Salesforce forwards and settles them: the cron drains each ready connection in
// batches of ≤ 200 (at most MAX_CALLS_PER_RUN calls), and a webhook's waitUntil sends the clients it
// just created. Both claim first, so the two never send one forward at the same time.
import type { Config } from "../config";
import type { Logger } from "../log";
import { type SecretBox, secretBox } from "../security/secret-box";
import { createDb, type Db } from "../storage/db";
import {
	type Claim,
	type ClaimedForward,
	claimClientForwards,
	claimDueForwards,
	FORWARD_LOG_ACTION,
	type ForwardingPolicy,
	loadForwardClients,
	releaseForwards,
	settleForwards,
} from "../storage/forwards";
import {
	type ConnectionRow,
	listReadyConnections,
	recordApiUsage,
	setConnectionState,
	storeRefreshToken,
} from "../storage/salesforce-connections";
import {
	connectionForCompany,
	type OpenConnection,
	openConnection,
	syncDefaultConnection,
} from "./connection";
import type { ApiUsage, Fetch, Forwarder, SendResult } from "./forwarder";
import { salesforceForwarder } from "./salesforce";
import { externalIdValue, mapClient } from "./salesforce-mapping";
import { type SettleContext, settle } from "./settlement";

/** 5 × 200 = 1000 forwards per connection per cron run, within the org's API budget. */
export const MAX_CALLS_PER_RUN = 5;
/** Past this share of the org's rolling 24 h API allowance, one call per run (Sforce-Limit-Info). */
export const SLOW_DOWN_USAGE = 0.9;
/** Longer than a send can take (three calls of ≤ 20 s); a crashed sender's claim ends after it. */
export const LEASE_SECONDS = 300;
const MAX_LINES = 100;

export interface DeliverDeps {
	db: Db;
	kv: KVNamespace;
	config: Config;
	fetch: Fetch;
	log: Logger;
	random?: () => number;
}

/** The cron job's work: every ready connection, up to MAX_CALLS_PER_RUN batches each. */
export async function deliverDueForwards(deps: DeliverDeps, now: Date): Promise<void> {
	const box = openBox(deps);
	if (!box) return;
	await syncDefaultConnection(deps.db, deps.config);
	for (const row of await listReadyConnections(deps.db)) {
		try {
			await drainConnection(deps, box, row, now);
		} catch (error) {
			deps.log.error("salesforce connection run failed", {
				reason: `connection ${row.id}`,
				error: String(error),
			});
		}
	}
}

async function drainConnection(deps: DeliverDeps, box: SecretBox, row: ConnectionRow, now: Date) {
	const open = await openConnection(row, deps.config, box);
	if (!open) {
		deps.log.warn("salesforce connection incomplete", { reason: `connection ${row.id}` });
		return;
	}
	const forwarder = forwarderFor(deps, box, open);
	const budget = nearLimit(row.apiUsed, row.apiMax) ? 1 : MAX_CALLS_PER_RUN;
	for (let calls = 0; calls < budget; calls++) {
		const claim = newClaim(now);
		const claimed = await claimDueForwards(deps.db, row, claim, forwarder.maxBatch);
		if (claimed.length === 0) return;
		const result = await sendClaimed(deps, open, forwarder, claimed, claim, "cron");
		// A whole-call failure (org down, limit, admin needed) would fail the next batch the same way.
		if (result.kind !== "results" || nearLimit(result.usage?.used, result.usage?.max)) return;
	}
}

/** The waitUntil send after a webhook created clients: their forwards, per company connection. */
export async function deliverNewClients(deps: DeliverDeps, clientIds: number[]): Promise<void> {
	if (clientIds.length === 0) return;
	const box = openBox(deps);
	if (!box) return;
	const claim = newClaim(new Date());
	const claimed = await claimClientForwards(deps.db, clientIds, claim);
	const byCompany = Map.groupBy(claimed, (forward) => forward.companyId ?? 0);
	const waiting: ClaimedForward[] = [];
	for (const [companyId, forwards] of byCompany) {
		const row = await connectionForCompany(deps.db, deps.config, companyId);
		const open = row?.state === "ok" ? await openConnection(row, deps.config, box) : undefined;
		if (!open) {
			waiting.push(...forwards);
			continue;
		}
		const forwarder = forwarderFor(deps, box, open);
		for (let i = 0; i < forwards.length; i += forwarder.maxBatch) {
			await sendClaimed(
				deps,
				open,
				forwarder,
				forwards.slice(i, i + forwarder.maxBatch),
				claim,
				"wait_until",
			);
		}
	}
	// Left for the cron: their connection waits for an admin or cannot be opened.
	if (waiting.length > 0) await releaseForwards(deps.db, claim.token);
}

function openBox(deps: DeliverDeps): SecretBox | undefined {
	try {
		return secretBox(deps.config.encryptionKey);
	} catch (error) {
		deps.log.error("salesforce forwarding needs ENCRYPTION_KEY", { error: String(error) });
		return undefined;
	}
}

function newClaim(now: Date): Claim {
	return { token: crypto.randomUUID(), now, leaseSeconds: LEASE_SECONDS };
}

function nearLimit(used: number | null | undefined, max: number | null | undefined): boolean {
	return (
		typeof used === "number" && typeof max === "number" && max > 0 && used / max >= SLOW_DOWN_USAGE
	);
}

function forwarderFor(deps: DeliverDeps, box: SecretBox, open: OpenConnection): Forwarder {
	const connectionId = open.row.id;
	return salesforceForwarder(
		{
			fetch: deps.fetch,
			kv: deps.kv,
			box,
			onRotatedRefreshToken: async (token) => {
				await storeRefreshToken(deps.db, connectionId, await box.seal(token));
				deps.log.info("salesforce refresh token rotated", {
					action: FORWARD_LOG_ACTION,
					reason: `connection ${connectionId}`,
				});
			},
		},
		open.credentials,
		open.target,
	);
}

/** Maps, sends and settles one batch of claimed forwards; returns the send's result. */
async function sendClaimed(
	deps: DeliverDeps,
	open: OpenConnection,
	forwarder: Forwarder,
	claimed: ClaimedForward[],
	claim: Claim,
	trigger: SettleContext["trigger"],
): Promise<SendResult> {
	const clients = new Map(
		(
			await loadForwardClients(
				deps.db,
				claimed.map((f) => f.id),
			)
		).map((c) => [c.forwardId, c]),
	);
	const sendable = claimed.filter((forward) => clients.has(forward.id));
	const records = sendable.map((forward) => {
		const client = clients.get(forward.id);
		if (!client) throw new Error("unreachable: filtered above");
		const fields = mapClient(
			{ ...client, answers: parseAnswers(client.answers) },
			open.target.targetObject,
			open.mapping,
		);
		const ext = open.target.externalIdField;
		return {
			forwardId: forward.id,
			fields: ext ? { ...fields, [ext]: externalIdValue(client.clientId) } : fields,
		};
	});
	const result = await forwarder.send(records);
	// Backoff counts from the claim's time (the cron's scheduled time), so a run's retries line up.
	const now = claim.now;
	const settlements = settle(sendable, result, { now, trigger, random: deps.random });
	await settleForwards(deps.db, claim.token, settlements, now);
	await afterSend(deps, open.row, result);
	logSettlements(deps.log, settlements, result, open.row.id);
	return result;
}

async function afterSend(deps: DeliverDeps, row: ConnectionRow, result: SendResult) {
	if (result.usage) await recordUsage(deps, row, result.usage);
	if (result.kind === "connection") {
		await setConnectionState(deps.db, row.id, result.problem, result.code);
		const message =
			result.problem === "needs_reauth"
				? "Salesforce needs re-authorisation: save the connection with a new refresh token"
				: "Salesforce API is disabled for the org: an admin must enable it, then save the connection";
		deps.log.error(message, {
			action: FORWARD_LOG_ACTION,
			outcome: result.problem,
			reason: result.code,
			companyId: row.companyId ?? undefined,
		});
	}
}

async function recordUsage(deps: DeliverDeps, row: ConnectionRow, usage: ApiUsage) {
	await recordApiUsage(deps.db, row.id, usage.used, usage.max);
	row.apiUsed = usage.used;
	row.apiMax = usage.max;
}

function logSettlements(
	log: Logger,
	settlements: ReturnType<typeof settle>,
	result: SendResult,
	connectionId: number,
) {
	const line = log.with({ action: FORWARD_LOG_ACTION, provider: "salesforce" });
	for (const s of settlements.slice(0, MAX_LINES)) {
		const fields = {
			outcome: s.status,
			forwardId: s.forwardId,
			clientId: s.clientId,
			companyId: s.companyId ?? undefined,
			reason: s.lastErrorCode ?? undefined,
		};
		if (s.log.status === "failure") line.warn("salesforce_forward", fields);
		else line.info("salesforce_forward", fields);
	}
	line.info("salesforce batch", {
		outcome: result.kind,
		received: settlements.length,
		status: result.httpStatus ?? undefined,
		durationMs: result.durationMs,
		reason: `connection ${connectionId}`,
	});
}

function parseAnswers(text: string | null): { name: string; values: string[] }[] {
	if (!text) return [];
	try {
		const parsed: unknown = JSON.parse(text);
		return Array.isArray(parsed)
			? parsed.filter(
					(a): a is { name: string; values: string[] } =>
						typeof a === "object" &&
						a !== null &&
						typeof a.name === "string" &&
						Array.isArray(a.values),
				)
			: [];
	} catch {
		return [];
	}
}

/** Deliver deps from the Worker's bindings; fetch goes through globalThis at call time. */
export function deliverDeps(env: Env, config: Config, log: Logger): DeliverDeps {
	return {
		db: createDb(env.DB),
		kv: env.DEDUPE,
		config,
		fetch: (input, init) => fetch(input, init),
		log,
	};
}

/** Whose new clients a receipt forwards: see storage/forwards.ts. */
export function forwardingPolicy(config: Config): ForwardingPolicy {
	return { defaultConnection: config.salesforce.defaultConnection !== undefined };
}

/**
 * After a webhook's answer: send the forwards of the clients it created (the cron retries whatever
 * this does not settle). Never throws: a failure here only delays the lead until the next cron run.
 */
export function forwardInBackground(
	ctx: { waitUntil(promise: Promise<unknown>): void },
	deps: DeliverDeps,
	clientIds: number[],
): void {
	if (clientIds.length === 0) return;
	ctx.waitUntil(
		deliverNewClients(deps, clientIds).catch((error: unknown) =>
			deps.log.error("salesforce send failed; the cron retries", {
				action: FORWARD_LOG_ACTION,
				error: String(error),
			}),
		),
	);
}
