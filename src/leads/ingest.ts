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

export interface IngestResult {
	created: CreatedClient[];
	duplicates: number;
	failed: number;
	/** Leads to remember in KV once the answer is sent. */
	remember: (LeadKey & { clientId: number })[];
	/** Per-lead outcomes for the tail log (ids only). */
	outcomes: {
		leadId: string;
		outcome: "created" | "duplicate" | "failure";
		companyId?: number;
		reason?: string;
	}[];
}

export interface IngestDeps {
	db: Db;
	kv: KVNamespace;
}

/** Routes, dedupes and durably records a delivery's leads; throws StorageUnavailableError if D1 fails. */
export async function ingestLeads(
	deps: IngestDeps,
	profile: ProviderProfile,
	input: IngestInput,
): Promise<IngestResult> {
	const { unique, repeats } = splitRepeats(input.leads);
	const routingKeys = [...new Set(unique.map((l) => l.routingKey).filter((k) => k !== undefined))];
	const facts = await loadRoutingFacts(
		deps.db,
		profile.provider,
		routingKeys,
		candidateCompanyIds(input.rules),
	);

	const logs: LogRow[] = input.rejects.map((reject) =>
		failureLog(null, null, reject.reason, reject.payload),
	);
	const outcomes: IngestResult["outcomes"] = [];
	const groups = new Map<string, ClientGroup>();
	const routed: { lead: LeadDraft; group: ClientGroup; key: LeadKey | undefined }[] = [];

	for (const lead of unique) {
		const route = routeLead(lead.routingKey, input.rules, facts);
		if (!route.ok) {
			logs.push(failureLog(route.companyId, lead.externalId, route.reason, lead.payload));
			outcomes.push({ leadId: lead.externalId, outcome: "failure", reason: route.reason });
			continue;
		}
		const { company, accountId } = route;
		const groupKey = `${company.id}:${accountId ?? "default"}`;
		let group = groups.get(groupKey);
		if (!group) {
			const account =
				accountId === undefined ? { defaultName: profile.accountName } : { id: accountId };
			group = { companyId: company.id, account, clients: [] };
			groups.set(groupKey, group);
		}
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

	const known = await findKnownLeads(
		deps.kv,
		routed.flatMap((r) => (r.key ? [r.key] : [])),
	);
	for (const { lead, group, key } of routed) {
		if (!key || !known.has(dedupeKey(key.provider, key.accountId, key.externalId))) continue;
		group.clients = group.clients.filter((client) => client.externalId !== lead.externalId);
		logs.push({
			companyId: group.companyId,
			status: "duplicate",
			message: "duplicate lead",
			externalId: lead.externalId,
			payload: null,
		});
	}
	for (const lead of repeats) {
		logs.push({
			companyId: null,
			status: "duplicate",
			message: "repeated within the delivery",
			externalId: lead.externalId,
			payload: null,
		});
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
	const createdIds = new Set(created.map((c) => c.externalId));
	for (const { lead } of routed) {
		if (!createdIds.has(lead.externalId))
			outcomes.push({ leadId: lead.externalId, outcome: "duplicate" });
	}
	for (const client of created) {
		outcomes.push({ leadId: client.externalId, outcome: "created", companyId: client.companyId });
	}
	return {
		created,
		duplicates:
			unique.length -
			created.length -
			outcomes.filter((o) => o.outcome === "failure").length +
			repeats.length,
		failed: outcomes.filter((o) => o.outcome === "failure").length + input.rejects.length,
		remember: created.map((c) => ({
			provider: profile.provider,
			accountId: c.accountId,
			externalId: c.externalId,
			clientId: c.clientId,
		})),
		outcomes,
	};
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
