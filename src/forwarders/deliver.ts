// Sends claimed Salesforce forwards and settles them: the cron drains each ready connection in
// batches of ≤ 200 (at most MAX_CALLS_PER_RUN calls), and a webhook's waitUntil sends the clients it
// just created. Both claim first, so the two never send one forward at the same time.
import type { Config } from "../config";
import type { Logger } from "../log";
import { type SecretBox, secretBox } from "../security/secret-box";
import { createDb } from "../storage/db";
import { getDestination, listSendingDestinations } from "../storage/destinations";
import {
	type Claim,
	type ClaimedForward,
	claimClientForwards,
	claimDueForwards,
	FORWARD_LOG_ACTION,
	type ForwardingPolicy,
	releaseForwards,
	SALESFORCE_DESTINATION,
} from "../storage/forwards";
import { type ConnectionRow, listReadyConnections } from "../storage/salesforce-connections";
import { connectionForCompany, openConnection, syncDefaultConnection } from "./connection";
import { drainDestination, openForSending, sendDestinationBatch } from "./destination-send";
import { CLIENTS_PER_MESSAGE, enqueueForwards, forwardsQueue } from "./forward-queue";
import { type DeliverDeps, forwarderFor, sendClaimed } from "./send-batch";
import type { SettleContext } from "./settlement";

/** 5 × 200 = 1000 forwards per connection per cron run, within the org's API budget. */
const MAX_CALLS_PER_RUN = 5;
/** Past this share of the org's rolling 24 h API allowance, one call per run (Sforce-Limit-Info). */
const SLOW_DOWN_USAGE = 0.9;
/** Longer than a send can take (three calls of ≤ 20 s); a crashed sender's claim ends after it. */
export const LEASE_SECONDS = 300;
/**
 * The safety-net message of a send made at once arrives after the send's lease has ended: by then
 * the forward is settled (the message does nothing) or its sender died (the message sends it).
 */
export const SAFETY_NET_DELAY_SECONDS = LEASE_SECONDS + 60;

/**
 * The cron job's work: every ready Salesforce connection and every destination that is on, up to
 * MAX_CALLS_PER_RUN batches each.
 */
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
	for (const row of await listSendingDestinations(deps.db)) {
		try {
			await drainDestination(deps, box, row, () => newClaim(now), MAX_CALLS_PER_RUN);
		} catch (error) {
			deps.log.error("destination run failed", {
				reason: `destination ${row.id}`,
				error: String(error),
			});
		}
	}
}

/**
 * The cron's own send for one company, run now (an operator's "retry all"): its connection, drained
 * like a cron run, but claiming only the company's forwards (a default connection serves others too).
 */
export async function deliverCompanyForwards(
	deps: DeliverDeps,
	companyId: number,
	now: Date,
): Promise<void> {
	const box = openBox(deps);
	if (!box) return;
	const row = await connectionForCompany(deps.db, deps.config, companyId);
	if (row?.state !== "ok") return;
	await drainConnection(deps, box, row, now, { scope: { companyId }, trigger: "wait_until" });
}

interface Drain {
	/** Whose due forwards to claim: the connection's own scope unless narrowed to one company. */
	scope: { companyId: number | null };
	trigger: "cron" | "wait_until";
}

async function drainConnection(
	deps: DeliverDeps,
	box: SecretBox,
	row: ConnectionRow,
	now: Date,
	{ scope, trigger }: Drain = { scope: row, trigger: "cron" },
) {
	const open = await openConnection(row, deps.config, box);
	if (!open) {
		deps.log.warn("salesforce connection incomplete", { reason: `connection ${row.id}` });
		return;
	}
	const forwarder = forwarderFor(deps, box, open);
	const budget = nearLimit(row.apiUsed, row.apiMax) ? 1 : MAX_CALLS_PER_RUN;
	for (let calls = 0; calls < budget; calls++) {
		const claim = newClaim(now);
		const claimed = await claimDueForwards(deps.db, scope, claim, forwarder.maxBatch);
		if (claimed.length === 0) return;
		const result = await sendClaimed(deps, open, forwarder, claimed, claim, trigger);
		// A whole-call failure (org down, limit, admin needed) would fail the next batch the same way.
		if (result.kind !== "results" || nearLimit(result.usage?.used, result.usage?.max)) return;
	}
}

/**
 * Sends the due forwards of these clients, per company and destination (the waitUntil send after a
 * webhook created them, or the FORWARDS queue consumer). Each destination's forwards go on their own:
 * one that fails or waits leaves the others' results standing.
 */
export async function deliverNewClients(
	deps: DeliverDeps,
	clientIds: number[],
	trigger: SettleContext["trigger"] = "wait_until",
): Promise<void> {
	if (clientIds.length === 0) return;
	const box = openBox(deps);
	if (!box) return;
	const claim = newClaim(new Date());
	const claimed = await claimClientForwards(deps.db, clientIds, claim);
	const byDestination = Map.groupBy(claimed, (f) => `${f.companyId}:${f.destination}`);
	let leftForCron = false;
	for (const forwards of byDestination.values()) {
		const [first] = forwards;
		if (!first) continue;
		const sent =
			first.destination === SALESFORCE_DESTINATION
				? await sendToConnection(deps, box, first.companyId, forwards, claim, trigger)
				: await sendToDestination(deps, box, first, forwards, claim, trigger);
		if (!sent) leftForCron = true;
	}
	// Left for the cron: their destination waits for an admin, cannot be opened, or just failed whole.
	if (leftForCron) await releaseForwards(deps.db, claim.token);
}

/** A company's Salesforce forwards through its connection; false when some were not sent. */
async function sendToConnection(
	deps: DeliverDeps,
	box: SecretBox,
	companyId: number,
	forwards: ClaimedForward[],
	claim: Claim,
	trigger: SettleContext["trigger"],
): Promise<boolean> {
	const row = await connectionForCompany(deps.db, deps.config, companyId);
	const open = row?.state === "ok" ? await openConnection(row, deps.config, box) : undefined;
	if (!open) return false;
	const forwarder = forwarderFor(deps, box, open);
	for (let i = 0; i < forwards.length; i += forwarder.maxBatch) {
		const batch = forwards.slice(i, i + forwarder.maxBatch);
		const result = await sendClaimed(deps, open, forwarder, batch, claim, trigger);
		// As in drainConnection: a whole-call failure would fail the company's next batch the same way.
		if (result.kind !== "results") return false;
	}
	return true;
}

/** A company's forwards to one other destination; false when some were not sent. */
async function sendToDestination(
	deps: DeliverDeps,
	box: SecretBox,
	first: ClaimedForward,
	forwards: ClaimedForward[],
	claim: Claim,
	trigger: SettleContext["trigger"],
): Promise<boolean> {
	const row = await getDestination(deps.db, first.companyId, first.destination);
	const destination = row ? await openForSending(deps, box, row) : undefined;
	if (!row || !destination) return false;
	for (let i = 0; i < forwards.length; i += destination.maxBatch) {
		const batch = forwards.slice(i, i + destination.maxBatch);
		const result = await sendDestinationBatch(deps, row, destination, batch, claim, trigger);
		if (result.kind !== "results") return false;
	}
	return true;
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

/** Deliver deps from the Worker's bindings; fetch goes through globalThis at call time. */
export function deliverDeps(env: Env, config: Config, log: Logger): DeliverDeps {
	return {
		db: createDb(env.DB),
		kv: env.DEDUPE,
		config,
		fetch: (input, init) => fetch(input, init),
		log,
		queue: forwardsQueue(env),
	};
}

/** Whose new clients a receipt forwards: see storage/forwards.ts. */
export function forwardingPolicy(config: Config): ForwardingPolicy {
	return { defaultConnection: config.salesforce.defaultConnection !== undefined };
}

/**
 * A receipt's new forwards, handed on before the answer. A few (≤ one queue message) are sent at
 * once from waitUntil, so the queue never adds its batch timeout to a lead's way to the CRM; with
 * the FORWARDS queue bound, a message delayed past the send's lease is their safety net (it finds
 * them settled and does nothing, unless the send died). More go through the queue straight away,
 * whose consumer batches them. Never throws: whatever this misses, the cron sweeps from the table.
 */
export async function dispatchForwards(
	ctx: { waitUntil(promise: Promise<unknown>): void },
	deps: DeliverDeps,
	clientIds: number[],
): Promise<void> {
	if (clientIds.length === 0) return;
	if (clientIds.length > CLIENTS_PER_MESSAGE) {
		if (await enqueued(deps, clientIds, 0)) return;
	} else await enqueued(deps, clientIds, SAFETY_NET_DELAY_SECONDS);
	ctx.waitUntil(sendInBackground(deps, clientIds));
}

/**
 * New forwards from work that already runs after the answer (Meta lead reads, WhatsApp, big
 * deliveries' chunks): enqueued with the FORWARDS queue bound (its consumer batches them), else sent.
 */
export async function forwardNewClients(deps: DeliverDeps, clientIds: number[]): Promise<void> {
	if (clientIds.length === 0) return;
	if (await enqueued(deps, clientIds, 0)) return;
	await sendInBackground(deps, clientIds);
}

/** False when there is no queue, or Queues refused (the caller sends from waitUntil then). */
async function enqueued(
	deps: DeliverDeps,
	clientIds: number[],
	delaySeconds: number,
): Promise<boolean> {
	if (!deps.queue) return false;
	try {
		await enqueueForwards(deps.queue, clientIds, delaySeconds);
		return true;
	} catch (error) {
		deps.log.warn("forwards not enqueued; sending from waitUntil", {
			action: FORWARD_LOG_ACTION,
			error: String(error),
		});
		return false;
	}
}

function sendInBackground(deps: DeliverDeps, clientIds: number[]): Promise<void> {
	return deliverNewClients(deps, clientIds).catch((error: unknown) =>
		deps.log.error("salesforce send failed; the cron retries", {
			action: FORWARD_LOG_ACTION,
			error: String(error),
		}),
	);
}
