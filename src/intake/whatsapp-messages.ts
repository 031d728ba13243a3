// WhatsApp `messages` changes (providers.md §5): an inbound message from a contact the company does
// not know yet creates a client (source whatsapp, profile name, phone from wa_id); later messages
// from that contact (matched on wa_id or BSUID) are only recorded. Dedupe on the wamid; status-only
// changes create nothing. Clients go through the shared receipt batch (forwards, round robin, logs).
import { forwardingPolicy, forwardNewClients } from "../forwarders/deliver";
import { normalisePhones } from "../leads/phone";
import {
	accountRoutingRules,
	candidateCompanyIds,
	ROUTING_KEY_LABELS,
	routeLead,
} from "../leads/routing";
import type { InboundMessage } from "../providers/whatsapp";
import type { ClientGroup, LogRow } from "../storage/receipts";
import { loadRoutingFacts } from "../storage/routing";
import {
	loadKnownWhatsApp,
	type MessageRow,
	type NewContact,
	whatsAppStatements,
} from "../storage/whatsapp";
import { writeDistributed } from "./distribute";
import { groupFor } from "./ingest";
import type { ChangeHandler, HandlerResult, MetaOutcome } from "./meta-delivery";

const PROVIDER = "whatsapp";
export const WHATSAPP_ACTION = "whatsapp_message_received";

interface Routed {
	message: InboundMessage;
	companyId: number;
	group: ClientGroup;
	keys: string[];
}

/** "wa:<digits>" and "bsuid:<id>": a contact is the same person when any key matches. */
function contactKeys(message: InboundMessage): string[] {
	return [
		...(message.waId ? [`wa:${message.waId}`] : []),
		...(message.userId ? [`bsuid:${message.userId}`] : []),
	];
}

export const handleWhatsApp: ChangeHandler<"whatsapp"> = async (deps, context, changes) => {
	const outcomes: MetaOutcome[] = [];
	const logs: LogRow[] = [];
	const rules = accountRoutingRules(context.queryCompanyId, ROUTING_KEY_LABELS.whatsapp);
	const keys = [...new Set(changes.map((c) => c.change.phoneNumberId))];
	const facts = await loadRoutingFacts(deps.db, {
		provider: PROVIDER,
		routingKeys: keys,
		companyIds: candidateCompanyIds(rules),
	});
	const groups = new Map<string, ClientGroup>();
	const forwarding = forwardingPolicy(deps.config);
	const routed: Routed[] = [];
	for (const { change, payload } of changes) {
		if (change.messages.length === 0) {
			outcomes.push({
				provider: PROVIDER,
				action: WHATSAPP_ACTION,
				outcome: "ignored",
				reason: `${change.statuses} status update(s)`,
			});
			continue;
		}
		const route = routeLead(change.phoneNumberId, rules, facts);
		if (!route.ok) {
			const { reason } = route;
			for (const message of change.messages) {
				outcomes.push({
					provider: PROVIDER,
					action: WHATSAPP_ACTION,
					outcome: "failure",
					leadId: message.wamid,
					reason,
				});
			}
			logs.push({
				companyId: route.companyId,
				status: "failure",
				message: reason,
				externalId: change.messages[0]?.wamid ?? null,
				payload: payload(),
				cause: route.cause,
				routingKey: route.routingKey,
			});
			continue;
		}
		const group = groupFor(groups, route.company, route.accountId, "WhatsApp", forwarding);
		for (const message of change.messages) {
			routed.push({ message, companyId: route.company.id, group, keys: contactKeys(message) });
		}
	}
	if (routed.length === 0 && logs.length === 0) return { outcomes, afterAnswer: [] };
	const known = await loadKnownWhatsApp(
		deps.db,
		[...new Set(routed.map((r) => r.companyId))],
		routed.map((r) => r.message.wamid),
		[...new Set(routed.flatMap((r) => r.keys))],
	);
	const after = planMessages(context.receiptId, routed, known, outcomes, logs);
	const { created } = await writeDistributed(
		deps.db,
		{
			receiptId: context.receiptId,
			provider: PROVIDER,
			source: PROVIDER,
			action: WHATSAPP_ACTION,
			groups: [...groups.values()].filter((g) => g.clients.length > 0),
			logs,
			forwarding,
			routingCheck: facts.routingCheck,
			after,
			urlCompanyId: context.queryCompanyId,
		},
		new Date(),
	);
	for (const client of created) {
		outcomes.push({
			provider: PROVIDER,
			action: WHATSAPP_ACTION,
			outcome: "created",
			leadId: client.externalId,
			companyId: client.companyId,
			clientId: client.clientId,
		});
	}
	const forwarded = created.filter((c) => c.forwarded).map((c) => c.clientId);
	const result: HandlerResult = { outcomes, afterAnswer: [] };
	if (forwarded.length > 0) result.afterAnswer.push(() => forwardNewClients(deps, forwarded));
	return result;
};

/**
 * Decides per message: duplicate (wamid known), from a known contact (recorded, keys completed), or
 * the first from a new contact (a client in its group). Returns the contact/message statements.
 */
function planMessages(
	receiptId: string,
	routed: Routed[],
	known: { wamids: Set<string>; contacts: Map<string, number> },
	outcomes: MetaOutcome[],
	logs: LogRow[],
) {
	const byCompany = new Map<
		number,
		{
			newContacts: NewContact[];
			extraKeys: { key: string; clientId: number }[];
			messages: MessageRow[];
		}
	>();
	const fresh = new Map<string, string>(); // "<company>:<key>" → wamid of the new contact's first message
	const seen = new Set<string>();
	for (const { message, companyId, group, keys } of routed) {
		const rows = byCompany.get(companyId) ?? { newContacts: [], extraKeys: [], messages: [] };
		byCompany.set(companyId, rows);
		const id = `${companyId}:${message.wamid}`;
		const outcome = (kind: "duplicate" | "recorded", clientId?: number) =>
			outcomes.push({
				provider: PROVIDER,
				action: WHATSAPP_ACTION,
				outcome: kind,
				leadId: message.wamid,
				companyId,
				...(clientId === undefined ? {} : { clientId }),
			});
		if (known.wamids.has(id) || seen.has(id)) {
			outcome("duplicate");
			logs.push({
				companyId,
				status: "duplicate",
				message: "message already received",
				externalId: message.wamid,
				payload: null,
			});
			continue;
		}
		seen.add(id);
		const contactKey = keys[0] ?? "";
		rows.messages.push({ wamid: message.wamid, contactKey, type: message.type });
		const clientId = keys
			.map((k) => known.contacts.get(`${companyId}:${k}`))
			.find((c) => c !== undefined);
		if (clientId !== undefined) {
			for (const key of keys) {
				if (!known.contacts.has(`${companyId}:${key}`)) rows.extraKeys.push({ key, clientId });
			}
			outcome("recorded", clientId);
			logs.push({
				companyId,
				status: "success",
				message: `message from client ${clientId}`,
				externalId: message.wamid,
				payload: null,
			});
			continue;
		}
		if (keys.some((k) => fresh.has(`${companyId}:${k}`))) {
			outcome("recorded");
			continue;
		}
		for (const key of keys) fresh.set(`${companyId}:${key}`, message.wamid);
		rows.newContacts.push({ wamid: message.wamid, keys });
		group.clients.push({
			externalId: message.wamid,
			fullName: message.profileName,
			email: null,
			formId: null,
			// wa_id is always international without "+" (providers.md §5).
			phones: message.waId ? normalisePhones([`+${message.waId}`]) : [],
			answers: message.userId ? [{ name: "whatsapp_user_id", values: [message.userId] }] : [],
		});
	}
	return [...byCompany].flatMap(([companyId, rows]) =>
		whatsAppStatements(receiptId, companyId, rows),
	);
}
