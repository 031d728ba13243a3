// One batch of claimed Salesforce forwards: map the clients, send, settle (forward, attempt, client id,
// integration log in one D1 batch), update the connection (usage, state) and write the tail lines.
import type { Config } from "../config";
import type { Logger } from "../log";
import type { SecretBox } from "../security/secret-box";
import type { Db } from "../storage/db";
import {
	type Claim,
	type ClaimedForward,
	FORWARD_LOG_ACTION,
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
import { type OpenConnection, openConnection } from "./connection";
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

/** Maps, sends and settles one batch of claimed forwards; returns the send's result. */
export async function sendClaimed(
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
			companyId: s.companyId,
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
