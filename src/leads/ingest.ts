// The ingest pipeline shared by every provider: route each lead to a company, drop duplicates
// (KV fast path, D1 unique index as the truth), normalise phones, and hand storage one receipt
// to write atomically. Answers nothing over HTTP; routes decide the status code.
import type { Db } from "../storage/db";
import { findStoredLeads, type StoredLead } from "../storage/dedupe";
import type { ForwardingPolicy } from "../storage/forwards";
import {
	type ClientGroup,
	type CreatedClient,
	type LogRow,
	writeReceipt,
} from "../storage/receipts";
import { type CompanyFacts, loadRoutingFacts, type RoutingFacts } from "../storage/routing";
import type { LeadDraft, LeadReject } from "./lead";
import { normalisePhones } from "./phone";
import { candidateCompanyIds, type RoutingRules, routeLead } from "./routing";

/** What a delivery is filed as in integration_logs (and its clients' source). */
export interface DeliveryKind {
	provider: string;
	source: string;
	action: string;
}

/** What a provider's leads are called and filed as. */
export interface ProviderProfile extends DeliveryKind {
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
	remember: StoredLead[];
}

export interface IngestDeps {
	db: Db;
	kv: KVNamespace;
	/** Salesforce forwards for the new clients (see storage/forwards.ts); per-company connections need none. */
	forwarding?: ForwardingPolicy;
}

interface RoutedLead {
	lead: LeadDraft;
	group: ClientGroup;
	/** The lead's integration account when it exists already (else KV cannot know the lead). */
	accountId: number | undefined;
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
	// The KV lookup needs no routing, so it overlaps the D1 read.
	const [facts, stored] = await Promise.all([
		loadRoutingFacts(deps.db, profile.provider, routingKeys, candidateCompanyIds(input.rules)),
		findStoredLeads(
			deps.kv,
			profile.provider,
			unique.map((lead) => lead.externalId),
		),
	]);
	const { groups, routed } = routeAll(unique, input.rules, facts, profile, outcomes, logs);
	const { fresh, known } = splitStoredLeads(routed, stored);
	for (const { lead, group } of known) {
		outcomes.push({ leadId: lead.externalId, outcome: "duplicate", companyId: group.companyId });
		logs.push(duplicateLog(group.companyId, lead.externalId, "duplicate lead"));
	}

	const created = await writeReceipt(deps.db, {
		receiptId: input.receiptId,
		provider: profile.provider,
		source: profile.source,
		action: profile.action,
		groups: groups.filter((group) => group.clients.length > 0),
		logs,
		forwarding: deps.forwarding,
	});
	outcomes.push(...writtenOutcomes(fresh, created));
	const remember = created.map((c) => ({
		provider: profile.provider,
		accountId: c.accountId,
		externalId: c.externalId,
		clientId: c.clientId,
	}));
	return { created, outcomes, remember };
}

/**
 * Routes each lead into a group per company and account, with phones in E.164 for the company's
 * country; unroutable leads become failure outcomes and logs that keep the lead's payload.
 */
function routeAll(
	leads: LeadDraft[],
	rules: RoutingRules,
	facts: RoutingFacts,
	profile: ProviderProfile,
	outcomes: LeadOutcome[],
	logs: LogRow[],
): { groups: ClientGroup[]; routed: RoutedLead[] } {
	const groups = new Map<string, ClientGroup>();
	const routed: RoutedLead[] = [];
	for (const lead of leads) {
		const route = routeLead(lead.routingKey, rules, facts);
		if (!route.ok) {
			outcomes.push({ leadId: lead.externalId, outcome: "failure", reason: route.reason });
			logs.push(failureLog(route.companyId, lead.externalId, route.reason, lead.payload()));
			continue;
		}
		const { company, accountId } = route;
		const group = groupFor(groups, company, accountId, profile);
		group.clients.push({
			externalId: lead.externalId,
			fullName: lead.fullName,
			email: lead.email,
			formId: lead.formId ?? null,
			phones: normalisePhones(lead.phones, company.defaultCountry),
			answers: lead.answers,
		});
		routed.push({ lead, group, accountId });
	}
	return { groups: [...groups.values()], routed };
}

/** Created when storage returned the lead's new client; otherwise D1's unique index found it. */
function writtenOutcomes(fresh: RoutedLead[], created: CreatedClient[]): LeadOutcome[] {
	const createdById = new Map(created.map((client) => [client.externalId, client]));
	return fresh.map(({ lead, group }): LeadOutcome => {
		const client = createdById.get(lead.externalId);
		return client
			? {
					leadId: lead.externalId,
					outcome: "created",
					companyId: client.companyId,
					clientId: client.clientId,
				}
			: { leadId: lead.externalId, outcome: "duplicate", companyId: group.companyId };
	});
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
	deps: Pick<IngestDeps, "db">,
	profile: DeliveryKind,
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
	company: CompanyFacts,
	accountId: number | undefined,
	profile: ProviderProfile,
): ClientGroup {
	const groupKey = `${company.id}:${accountId ?? "default"}`;
	let group = groups.get(groupKey);
	if (!group) {
		const account =
			accountId === undefined ? { defaultName: profile.accountName } : { id: accountId };
		group = { companyId: company.id, autoAssign: company.autoAssign, account, clients: [] };
		groups.set(groupKey, group);
	}
	return group;
}

/** Splits off the leads KV says are stored under the same account, removing them from their groups. */
function splitStoredLeads(
	routed: RoutedLead[],
	stored: Map<string, number>,
): { fresh: RoutedLead[]; known: RoutedLead[] } {
	const fresh: RoutedLead[] = [];
	const known: RoutedLead[] = [];
	for (const r of routed) {
		const isStored = r.accountId !== undefined && stored.get(r.lead.externalId) === r.accountId;
		(isStored ? known : fresh).push(r);
	}
	for (const { lead, group } of known) {
		group.clients = group.clients.filter((client) => client.externalId !== lead.externalId);
	}
	return { fresh, known };
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
