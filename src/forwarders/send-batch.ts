// One batch of claimed forwards: load the leads, send them to their destination, settle (forward,
// attempt, client id, integration log in one D1 batch); for Salesforce also update the connection
// (usage, state). Writes the tail lines.
import type { Config } from "../config";
import type { Logger } from "../log";
import type { SecretBox } from "../security/secret-box";
import type { Db } from "../storage/db";
import {
	type Claim,
	type ClaimedForward,
	FORWARD_LOG_ACTION,
	type ForwardClient,
	type ForwardSettlement,
	forwardLogAction,
	loadForwardClients,
	settleForwards,
} from "../storage/forwards";
import {
	type ConnectionRow,
	getConnectionById,
	recordApiUsage,
	setConnectionState,
	storeRefreshToken,
} from "../storage/salesforce-connections";
import type { Fetch } from "../timed-call";
import { connectionStateFor, type OpenConnection, openConnection } from "./connection";
import type { DestinationLead, OpenDestination } from "./destination";
import type { ForwardsQueue } from "./forward-queue";
import type { ApiUsage, Forwarder, SendResult } from "./forwarder";
import { salesforceForwarder } from "./salesforce";
import type { AuthDeps } from "./salesforce-auth";
import { externalIdValue, mapClient } from "./salesforce-mapping";
import { type SettleContext, settle } from "./settlement";

/** Tail lines per batch; the batch summary line counts the rest. */
const MAX_LINES = 100;

export interface DeliverDeps {
	db: Db;
	kv: KVNamespace;
	config: Config;
	fetch: Fetch;
	log: Logger;
	random?: () => number;
	/** The FORWARDS queue when bound: new forwards are enqueued instead of sent in waitUntil. */
	queue?: ForwardsQueue;
}

export function forwarderFor(deps: DeliverDeps, box: SecretBox, open: OpenConnection): Forwarder {
	return salesforceForwarder(connectionAuth(deps, box, open.row.id), open.credentials, open.target);
}

/** How a connection authenticates: its cached session, its stored (maybe rotated) refresh token. */
export function connectionAuth(deps: DeliverDeps, box: SecretBox, connectionId: number): AuthDeps {
	return {
		fetch: deps.fetch,
		kv: deps.kv,
		box,
		storedRefreshToken: async () => {
			const row = await getConnectionById(deps.db, connectionId);
			return row
				? (await openConnection(row, deps.config, box))?.credentials.refreshToken
				: undefined;
		},
		onRotatedRefreshToken: async (token) => {
			await storeRefreshToken(deps.db, connectionId, await box.seal(token));
			deps.log.info("salesforce refresh token rotated", {
				action: FORWARD_LOG_ACTION,
				reason: `connection ${connectionId}`,
			});
		},
	};
}

/** Sends and settles one batch of claimed Salesforce forwards; returns the send's result. */
export async function sendClaimed(
	deps: DeliverDeps,
	open: OpenConnection,
	forwarder: Forwarder,
	claimed: ClaimedForward[],
	claim: Claim,
	trigger: SettleContext["trigger"],
): Promise<SendResult> {
	const { result, settlements } = await sendAndSettle(
		deps,
		salesforceDestination(forwarder, open),
		claimed,
		claim,
		trigger,
	);
	await afterSend(deps, open.row, result);
	logSettlements(deps.log, settlements, result, `connection ${open.row.id}`);
	return result;
}

/**
 * A Salesforce connection as a destination: each lead mapped to the connection's object (its
 * custom mapping on top) with the external-id value when it upserts, sent through the forwarder.
 * Opened from its connection row, not a DestinationKind: its session cache, rotated refresh token
 * and the default connection live in salesforce_connections and KV.
 */
export function salesforceDestination(
	forwarder: Forwarder,
	open: OpenConnection,
): Omit<OpenDestination, "check"> {
	return {
		maxBatch: forwarder.maxBatch,
		send: (records) =>
			forwarder.send(
				records.map(({ forwardId, lead }) => {
					const fields = mapClient(lead, open.target.targetObject, open.mapping);
					const ext = open.target.externalIdField;
					return {
						forwardId,
						fields: ext ? { ...fields, [ext]: externalIdValue(lead.clientId) } : fields,
					};
				}),
			),
	};
}

/**
 * Loads the leads behind claimed forwards, sends them to the destination and settles every forward
 * (attempt, state, integration log) in one D1 batch. Forwards whose client is gone are left to
 * their lease.
 */
export async function sendAndSettle(
	deps: DeliverDeps,
	destination: Pick<OpenDestination, "send">,
	claimed: ClaimedForward[],
	claim: Claim,
	trigger: SettleContext["trigger"],
): Promise<{ result: SendResult; settlements: ForwardSettlement[] }> {
	const leads = new Map(
		(
			await loadForwardClients(
				deps.db,
				claimed.map((f) => f.id),
			)
		).map((c) => [c.forwardId, destinationLead(c)]),
	);
	const sendable = claimed.filter((forward) => leads.has(forward.id));
	const records = sendable.flatMap((forward) => {
		const lead = leads.get(forward.id);
		return lead ? [{ forwardId: forward.id, lead }] : [];
	});
	const result = await destination.send(records);
	// Backoff counts from the claim's time (the cron's scheduled time), so a run's retries line up.
	const now = claim.now;
	const settlements = settle(sendable, result, { now, trigger, random: deps.random });
	await settleForwards(deps.db, claim.token, settlements, now);
	return { result, settlements };
}

/** A stored client as every destination sees it. */
function destinationLead(client: ForwardClient): DestinationLead {
	return {
		...client,
		answers: parseAnswers(client.answers),
		attribution: parseAttribution(client.attribution),
		isTest: client.isTest === 1,
	};
}

async function afterSend(deps: DeliverDeps, row: ConnectionRow, result: SendResult) {
	if (result.usage) await recordUsage(deps, row, result.usage);
	if (result.kind === "connection") {
		await setConnectionState(deps.db, row.id, connectionStateFor(result.problem), result.code);
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

/** One tail line per settled forward (up to MAX_LINES) and a batch line; `about` names the sender. */
export function logSettlements(
	log: Logger,
	settlements: ForwardSettlement[],
	result: SendResult,
	about: string,
	kind = "salesforce",
) {
	const action = forwardLogAction(kind);
	const line = log.with({ action, provider: kind });
	for (const s of settlements.slice(0, MAX_LINES)) {
		const fields = {
			outcome: s.status,
			forwardId: s.forwardId,
			clientId: s.clientId,
			companyId: s.companyId,
			reason: s.lastErrorCode ?? undefined,
		};
		if (s.log.status === "failure") line.warn(action, fields);
		else line.info(action, fields);
	}
	line.info(`${kind} batch`, {
		outcome: result.kind,
		received: settlements.length,
		status: result.httpStatus ?? undefined,
		durationMs: result.durationMs,
		reason: about,
	});
}

function parseAttribution(text: string | null): Record<string, string> {
	if (!text) return {};
	try {
		const parsed: unknown = JSON.parse(text);
		if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
		return Object.fromEntries(
			Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"),
		);
	} catch {
		return {};
	}
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
