// The ingest pipeline shared by every provider: route each lead to a company, drop duplicates
// (KV fast path, D1 unique index as the truth), normalise phones, and hand storage one receipt
// to write atomically. Answers nothing over HTTP; routes decide the status code.

import type { Db } from "../storage/db";
import { findKnownLeads, type LeadKey } from "../storage/dedupe";
import { dedupeKey } from "../storage/kv-keys";
import {
	type ClientGroup,
	type CreatedClient,
	type LogRow,
	type Receipt,
	writeReceipt,
} from "../storage/receipts";
import { loadRoutingFacts } from "../storage/routing";
import type { LeadDraft, LeadReject } from "./lead";
import { normalisePhones } from "./phone";
import { candidateCompanyIds, type RoutingRules, routeLead } from "./routing";

/** What a provider's leads are called and filed as. */
export interface ProviderProfile {
	provider: string;
	source: string;
	action: string;
	/** Name of the company's default integration account, created on first use. */
	accountName: string;
}

export interface IngestInput {
	receiptId: string;
	leads: LeadDraft[];
	rejects: LeadReject[];
	rules: RoutingRules;
}

export type LeadOutcome =
	| { leadId: string; outcome: "created"; companyId: number; clientId: number }
	| { leadId: string; outcome: "duplicate"; companyId?: number }
	| { leadId?: string; outcome: "failure"; reason: string };

export interface IngestResult {
	created: CreatedClient[];
	/** One per lead or rejected entry, for the tail log (ids only). */
	outcomes: LeadOutcome[];
	/** Leads to remember in KV once the answer is sent. */
	remember: (LeadKey & { clientId: number })[];
}

export interface IngestDeps {
	db: Db;
	kv: KVNamespace;
}

interface RoutedLead {
	lead: LeadDraft;
	group: ClientGroup;
	/** Set when the lead's account exists already, so KV may know the lead. */
	key: LeadKey | undefined;
}

/** Routes, dedupes and durably records a delivery's leads; throws StorageUnavailableError if D1 fails. */
export async function ingestLeads(
	deps: IngestDeps,
	profile: ProviderProfile,
	input: IngestInput,
): Promise<IngestResult> {
	const outcomes: LeadOutcome[] = [];
	const logs: LogRow[] = [];
	for (const reject of input.rejects) {
		outcomes.push({ outcome: "failure", reason: reject.reason });
		logs.push(failureLog(null, null, reject.reason, reject.payload));
	}
	const { unique, repeats } = splitRepeats(input.leads);
	for (const lead of repeats) {
		outcomes.push({ leadId: lead.externalId, outcome: "duplicate" });
		logs.push(duplicateLog(null, lead.externalId, "repeated within the delivery"));
	}

	const routingKeys = [...new Set(unique.flatMap((l) => (l.routingKey ? [l.routingKey] : [])))];
	const facts = await loadRoutingFacts(
		deps.db,
		profile.provider,
		routingKeys,
		candidateCompanyIds(input.rules),
	);
	const groups = new Map<string, ClientGroup>();
	const routed: RoutedLead[] = [];
	for (const lead of unique) {
		const route = routeLead(lead.routingKey, input.rules, facts);
		if (!route.ok) {
			outcomes.push({ leadId: lead.externalId, outcome: "failure", reason: route.reason });
			logs.push(failureLog(route.companyId, lead.externalId, route.reason, lead.payload));
			continue;
		}
		const { company, accountId } = route;
		const group = groupFor(groups, company.id, accountId, profile);
		group.clients.push({
			externalId: lead.externalId,
			fullName: lead.fullName,
			email: lead.email,
			formId: lead.formId ?? null,
			phones: normalisePhones(lead.phones, company.defaultCountry),
			answers: lead.answers,
		});
		const key =
			accountId === undefined
				? undefined
				: { provider: profile.provider, accountId, externalId: lead.externalId };
		routed.push({ lead, group, key });
	}

	const fresh = await dropKnownLeads(deps.kv, routed);
	for (const { lead, group } of routed.filter((r) => !fresh.includes(r))) {
		outcomes.push({ leadId: lead.externalId, outcome: "duplicate", companyId: group.companyId });
		logs.push(duplicateLog(group.companyId, lead.externalId, "duplicate lead"));
	}

	const receipt: Receipt = {
		receiptId: input.receiptId,
		provider: profile.provider,
		source: profile.source,
		action: profile.action,
		groups: [...groups.values()].filter((group) => group.clients.length > 0),
		logs,
	};
	const created = await writeReceipt(deps.db, receipt);
	const createdById = new Map(created.map((client) => [client.externalId, client]));
	for (const { lead, group } of fresh) {
		const client = createdById.get(lead.externalId);
		outcomes.push(
			client
				? {
						leadId: lead.externalId,
						outcome: "created",
						companyId: client.companyId,
						clientId: client.clientId,
					}
				: { leadId: lead.externalId, outcome: "duplicate", companyId: group.companyId },
		);
	}
	const remember = created.map((c) => ({
		provider: profile.provider,
		accountId: c.accountId,
		externalId: c.externalId,
		clientId: c.clientId,
	}));
	return { created, outcomes, remember };
}

/** Counts of a result's outcomes, for the HTTP answer and the summary log line. */
export function summarise(result: IngestResult) {
	const counts = { received: result.outcomes.length, created: 0, duplicates: 0, failed: 0 };
	for (const { outcome } of result.outcomes) {
		if (outcome === "created") counts.created++;
		else if (outcome === "duplicate") counts.duplicates++;
		else counts.failed++;
	}
	return counts;
}

/** Records an outcome that concerns the whole delivery (bad signature, unparseable body, ignored object). */
export async function recordDeliveryLog(
	deps: IngestDeps,
	profile: ProviderProfile,
	receiptId: string,
	log: LogRow,
): Promise<void> {
	await writeReceipt(deps.db, {
		receiptId,
		provider: profile.provider,
		source: profile.source,
		action: profile.action,
		groups: [],
		logs: [log],
	});
}

function groupFor(
	groups: Map<string, ClientGroup>,
	companyId: number,
	accountId: number | undefined,
	profile: ProviderProfile,
): ClientGroup {
	const groupKey = `${companyId}:${accountId ?? "default"}`;
	let group = groups.get(groupKey);
	if (!group) {
		const account =
			accountId === undefined ? { defaultName: profile.accountName } : { id: accountId };
		group = { companyId, account, clients: [] };
		groups.set(groupKey, group);
	}
	return group;
}

/** Removes the leads KV already knows from their groups; returns the ones left to write. */
async function dropKnownLeads(kv: KVNamespace, routed: RoutedLead[]): Promise<RoutedLead[]> {
	const known = await findKnownLeads(
		kv,
		routed.flatMap((r) => (r.key ? [r.key] : [])),
	);
	if (known.size === 0) return routed;
	const isKnown = ({ key }: RoutedLead) =>
		key !== undefined && known.has(dedupeKey(key.provider, key.accountId, key.externalId));
	for (const r of routed.filter(isKnown)) {
		r.group.clients = r.group.clients.filter((client) => client.externalId !== r.lead.externalId);
	}
	return routed.filter((r) => !isKnown(r));
}

/** Leads after the first with the same id in one delivery are repeats, logged as duplicates. */
function splitRepeats(leads: LeadDraft[]): { unique: LeadDraft[]; repeats: LeadDraft[] } {
	const seen = new Set<string>();
	const unique: LeadDraft[] = [];
	const repeats: LeadDraft[] = [];
	for (const lead of leads) {
		if (seen.has(lead.externalId)) repeats.push(lead);
		else {
			seen.add(lead.externalId);
			unique.push(lead);
		}
	}
	return { unique, repeats };
}

function failureLog(
	companyId: number | null,
	externalId: string | null,
	message: string,
	payload: string,
): LogRow {
	return { companyId, status: "failure", message, externalId, payload };
}

function duplicateLog(companyId: number | null, externalId: string, message: string): LogRow {
	return { companyId, status: "duplicate", message, externalId, payload: null };
}
