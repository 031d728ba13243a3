// The Unresolved list's actions, shared by the operator API and the console: dismiss a lead with a
// reason, and "route and replay": map a routing key to a company (an integration account) and
// replay every open lead that key could not route, through the same replay as the receipts page.
import { conflict, notFound, orNotFound, unknownCompany } from "../errors";
import { routingKeyLabel } from "../http/schemas/unresolved";
import { checkReplayable, replayLog } from "../intake/replay";
import { companyExists } from "../storage/companies";
import {
	createAccount,
	getAccount,
	type IntegrationAccount,
} from "../storage/integration-accounts";
import { getLog } from "../storage/log-queries";
import {
	countOpenWithKey,
	dismissUnresolved,
	getUnresolved,
	openLeadsWithKey,
	resolvedClients,
	type UnresolvedLead,
} from "../storage/unresolved";
import { replayContext } from "./actions";
import type { OperatorContext } from "./context";

/** Leads one "route and replay" replays; more stay on the list for the next click. */
export const MAX_ROUTE_REPLAYS = 50;

/** Dismisses an open lead; 404 unknown, 409 already resolved or dismissed. */
export async function dismissLead(
	ctx: OperatorContext,
	id: number,
	reason: string,
): Promise<UnresolvedLead> {
	const dismissed = await dismissUnresolved(ctx.db, id, reason);
	if (dismissed) return dismissed;
	const lead = orNotFound(await getUnresolved(ctx.db, id), "unresolved lead", id);
	throw conflict(
		`unresolved lead ${lead.id} is already ${lead.resolvedAt ? "resolved" : "dismissed"}`,
	);
}

export interface RouteResult {
	account: IntegrationAccount;
	/** Whether this call created the mapping (false: it existed for the same company). */
	mapped: boolean;
	replayed: number;
	clientsCreated: number;
	/**
	 * Open leads with the key after the replays, whatever their cause now (past MAX_ROUTE_REPLAYS,
	 * or failing for another reason, e.g. a Meta Page without a token).
	 */
	stillUnresolved: number;
}

/**
 * Maps `routingKey` of `provider` to the company and replays the open leads it could not route.
 * 404 unknown company; 409 when the key is already mapped to another company.
 */
export async function routeAndReplay(
	ctx: OperatorContext,
	input: { provider: string; routingKey: string; companyId: number },
): Promise<RouteResult> {
	if (!(await companyExists(ctx.db, input.companyId))) throw unknownCompany(input.companyId);
	const { account, mapped } = await mapRoutingKey(ctx, input);
	const key = { provider: input.provider, routingKey: input.routingKey };
	const leads = await openLeadsWithKey(ctx.db, key, MAX_ROUTE_REPLAYS);
	let replayed = 0;
	for (const lead of leads) {
		if (await replayLead(ctx, lead)) replayed++;
	}
	const resolved = await resolvedClients(
		ctx.db,
		leads.map((lead) => lead.id),
	);
	return {
		account,
		mapped,
		replayed,
		clientsCreated: new Set(resolved.map((row) => row.clientId)).size,
		stillUnresolved: await countOpenWithKey(ctx.db, key),
	};
}

async function mapRoutingKey(
	ctx: OperatorContext,
	input: { provider: string; routingKey: string; companyId: number },
): Promise<{ account: IntegrationAccount; mapped: boolean }> {
	const label = routingKeyLabel(input.provider) ?? input.provider;
	const write = await createAccount(ctx.db, {
		companyId: input.companyId,
		provider: input.provider,
		name: `${label} ${input.routingKey}`,
		externalId: input.routingKey,
	});
	if (write.outcome === "saved") return { account: write.account, mapped: true };
	const existing =
		write.outcome === "duplicate" && write.existingId !== null
			? await getAccount(ctx.db, write.existingId)
			: undefined;
	if (!existing) throw notFound("integration account", 0);
	if (existing.companyId !== input.companyId) {
		throw conflict(
			`${label} ${input.routingKey} is already mapped to company ${existing.companyId} (integration account ${existing.id})`,
		);
	}
	return { account: existing, mapped: false };
}

/** Replays the lead's first failed receipt (its last, when retention cleared the first's payload). */
async function replayLead(ctx: OperatorContext, lead: UnresolvedLead): Promise<boolean> {
	for (const logId of new Set([lead.firstLogId, lead.lastLogId])) {
		const log = await getLog(ctx.db, logId);
		if (!log) continue;
		const replayable = checkReplayable(log);
		if ("reason" in replayable) continue;
		await replayLog(replayContext(ctx), replayable, ctx.requestId);
		return true;
	}
	return false;
}
