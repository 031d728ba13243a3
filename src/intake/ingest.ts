// The ingest pipeline shared by every provider: route each lead to a company, drop duplicates
// (KV fast path, D1 unique index as the truth), normalise phones, and hand storage one receipt
// to write atomically. Answers nothing over HTTP; routes decide the status code.

import type { DeliveryKind, LeadDraft, LeadReject, ProviderProfile } from "../leads/lead";
import { normalisePhones } from "../leads/phone";
import { candidateCompanyIds, type RoutingRules, routeLead } from "../leads/routing";
import type { BatchQuery, Db } from "../storage/db";
import { findStoredLeads, type StoredLead } from "../storage/dedupe";
import type { ForwardingPolicy } from "../storage/forwards";
import {
	type ClientGroup,
	type CreatedClient,
	type LogRow,
	RoutingChangedError,
	writeReceipt,
} from "../storage/receipts";
import {
	type CompanyFacts,
	cachedRoutingFacts,
	loadRoutingFacts,
	type RoutingFacts,
	type RoutingQuery,
} from "../storage/routing";
import { writeDistributed } from "./distribute";

export interface IngestInput {
	receiptId: string;
	leads: LeadDraft[];
	rejects: LeadReject[];
	rules: RoutingRules;
	/**
	 * False for a chunk of a big delivery: like the whole delivery would (over the KV cap, kv-keys.ts),
	 * it dedupes by D1's index alone and reads no KV key.
	 */
	kvFastPath?: boolean;
	/** Statements the receipt's batch runs last (see Receipt.last). */
	last?: BatchQuery[];
	/** The clock lead distribution decides at (working hours, time windows, caps); now by default. */
	now?: Date;
}

export type LeadOutcome =
	| { leadId: string; outcome: "created"; companyId: number; clientId: number }
	| { leadId: string; outcome: "duplicate"; companyId?: number }
	| { leadId?: string; outcome: "failure"; reason: string };

export interface IngestResult {
	created: CreatedClient[];
	/** One per lead or rejected entry, for the tail log (ids only). */
	outcomes: LeadOutcome[];
	/** Redeliveries D1 caught (KV did not know them yet): remember them in KV after the answer. */
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
	const settled: Settled = { outcomes: [], logs: [] };
	for (const reject of input.rejects) {
		settled.outcomes.push({ outcome: "failure", reason: reject.reason });
		settled.logs.push({
			...failureLog(null, null, reject.reason, reject.payload),
			cause: "unparseable",
		});
	}
	const { unique, repeats } = splitRepeats(input.leads);
	for (const lead of repeats) {
		settled.outcomes.push({ leadId: lead.externalId, outcome: "duplicate" });
		settled.logs.push(duplicateLog(null, lead.externalId, "repeated within the delivery"));
	}

	const query: RoutingQuery = {
		provider: profile.provider,
		routingKeys: [...new Set(unique.flatMap((l) => (l.routingKey ? [l.routingKey] : [])))],
		companyIds: candidateCompanyIds(input.rules),
	};
	const cached = usableCachedFacts(deps.db, query, unique, input.rules);
	// The KV lookup needs no routing, so it overlaps the D1 read (when there is one).
	const [facts, stored] = await Promise.all([
		cached ?? loadRoutingFacts(deps.db, query),
		input.kvFastPath === false
			? new Map<string, number>()
			: findStoredLeads(
					deps.kv,
					profile.provider,
					unique.map((lead) => lead.externalId),
				),
	]);
	const record = (routing: RoutingFacts) =>
		recordLeads(deps, profile, input, { unique, stored, settled, facts: routing });
	try {
		return await record(facts);
	} catch (error) {
		if (!(error instanceof RoutingChangedError)) throw error;
		// The facts no longer hold (kept ones, or changed since the read): read them again, retry once.
		// Any other failure stays a 503: a batch that committed before its answer was lost must not
		// be written twice under the same receipt.
		return record(await loadRoutingFacts(deps.db, query));
	}
}

/** Outcomes and logs decided before routing (rejected entries, repeats within the delivery). */
interface Settled {
	outcomes: LeadOutcome[];
	logs: LogRow[];
}

/**
 * The facts this isolate kept for the query, when they route every lead to an existing account. Only
 * a written client checks the facts (routingCheck), so a lead they cannot route is routed on a fresh
 * read; so is a lead bound for a default account not created yet (writing it changes the facts).
 */
function usableCachedFacts(
	db: Db,
	query: RoutingQuery,
	leads: LeadDraft[],
	rules: RoutingRules,
): RoutingFacts | undefined {
	const facts = cachedRoutingFacts(db, query);
	if (!facts) return undefined;
	const routesAll = leads.every((lead) => {
		const route = routeLead(lead.routingKey, rules, facts);
		return route.ok && route.accountId !== undefined;
	});
	return routesAll ? facts : undefined;
}

/** Routes the leads with `facts`, drops those KV knows, and writes the receipt checked against the facts. */
async function recordLeads(
	deps: IngestDeps,
	profile: ProviderProfile,
	input: IngestInput,
	state: {
		unique: LeadDraft[];
		stored: Map<string, number>;
		settled: Settled;
		facts: RoutingFacts;
	},
): Promise<IngestResult> {
	const outcomes = [...state.settled.outcomes];
	const logs = [...state.settled.logs];
	const { groups, routed } = routeAll(
		state.unique,
		input.rules,
		state.facts,
		profile,
		deps.forwarding,
		{
			outcomes,
			logs,
		},
	);
	const { fresh, known } = splitStoredLeads(routed, state.stored);
	for (const { lead, group } of known) {
		outcomes.push({ leadId: lead.externalId, outcome: "duplicate", companyId: group.companyId });
		logs.push(duplicateLog(group.companyId, lead.externalId, "duplicate lead"));
	}

	const written = await writeDistributed(
		deps.db,
		{
			receiptId: input.receiptId,
			provider: profile.provider,
			source: profile.source,
			action: profile.action,
			groups: groups.filter((group) => group.clients.length > 0),
			logs,
			forwarding: deps.forwarding,
			routingCheck: state.facts.routingCheck,
			urlCompanyId: input.rules.queryCompanyId,
			last: input.last,
		},
		input.now ?? new Date(),
	);
	outcomes.push(...writtenOutcomes(fresh, written.created));
	// KV learns a lead once it comes back: most leads never do, and every KV write is billed.
	const remember = written.known.map((lead) => ({ provider: profile.provider, ...lead }));
	return { created: written.created, outcomes, remember };
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
	forwarding: ForwardingPolicy | undefined,
	{ outcomes, logs }: Settled,
): { groups: ClientGroup[]; routed: RoutedLead[] } {
	const groups = new Map<string, ClientGroup>();
	const routed: RoutedLead[] = [];
	for (const lead of leads) {
		const route = routeLead(lead.routingKey, rules, facts);
		if (!route.ok) {
			outcomes.push({ leadId: lead.externalId, outcome: "failure", reason: route.reason });
			logs.push({
				...failureLog(route.companyId, lead.externalId, route.reason, lead.payload()),
				cause: route.cause,
				routingKey: route.routingKey,
			});
			continue;
		}
		const { company, accountId } = route;
		const group = groupFor(groups, company, accountId, profile.accountName, forwarding);
		group.clients.push({
			externalId: lead.externalId,
			fullName: lead.fullName,
			email: lead.email,
			formId: lead.formId ?? null,
			phones: normalisePhones(lead.phones, company.defaultCountry),
			answers: lead.answers,
			attribution: lead.attribution ?? null,
			isTest: lead.isTest === true,
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
export function recordDeliveryLog(
	deps: Pick<IngestDeps, "db">,
	profile: DeliveryKind,
	receiptId: string,
	log: LogRow,
	/** The delivery URL's trusted `?company_id` (see Receipt.urlCompanyId). */
	urlCompanyId?: number,
): Promise<void> {
	return recordDeliveryLogs(deps, profile, receiptId, [log], { urlCompanyId });
}

/** The same for any number of logs, with statements to run last in their batch (Receipt.last). */
export async function recordDeliveryLogs(
	deps: Pick<IngestDeps, "db">,
	profile: DeliveryKind,
	receiptId: string,
	logs: LogRow[],
	{ urlCompanyId, last }: { urlCompanyId?: number; last?: BatchQuery[] } = {},
): Promise<void> {
	await writeReceipt(deps.db, {
		receiptId,
		provider: profile.provider,
		source: profile.source,
		action: profile.action,
		groups: [],
		logs,
		urlCompanyId,
		last,
	});
}

/**
 * The delivery's group for a company and account, created on first use. Write the groups with the
 * facts' routingCheck: `isDefault` and `mayForward` are what those facts said.
 */
export function groupFor(
	groups: Map<string, ClientGroup>,
	company: CompanyFacts,
	accountId: number | undefined,
	accountName: string,
	forwarding: ForwardingPolicy | undefined,
): ClientGroup {
	const groupKey = `${company.id}:${accountId ?? "default"}`;
	let group = groups.get(groupKey);
	if (!group) {
		const account =
			accountId === undefined
				? { defaultName: accountName }
				: { id: accountId, isDefault: accountId === company.defaultAccountId };
		group = {
			companyId: company.id,
			autoAssign: company.autoAssign,
			account,
			clients: [],
			mayForward: Boolean(forwarding?.defaultConnection) || company.hasDestination,
		};
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
