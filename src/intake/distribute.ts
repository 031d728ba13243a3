// Lead distribution at ingest: decides the rep of every new client of an auto-assigning company with
// leads/distribution.ts on the company's state (kept per isolate, else read), and writes the receipt
// with the decisions guarded by that state's version; when another writer moved it first, re-reads and
// decides again (storage/distribution.ts says why a version guard). Also the reassignment seam.
import { type Decision, decideLead, decideLeads, type LeadFacts } from "../leads/distribution";
import { phoneCountries } from "../leads/phone";
import { zonedTime } from "../leads/zoned-time";
import type { Db } from "../storage/db";
import {
	type AssignedLead,
	cachedDistribution,
	forgetDistribution,
	keep,
	loadDistribution,
} from "../storage/distribution";
import type { DistributionState } from "../storage/distribution-state";
import { loadRoutedClient, writeReassignment } from "../storage/reassignment";
import {
	type ClientGroup,
	type ClientRow,
	DistributionChangedError,
	type Receipt,
	type ReceiptResult,
	writeReceipt,
} from "../storage/receipts";

/** When a new lead's first-contact task is due: leads go cold within the hour. */
export const FOLLOW_UP_MINUTES = 60;
export const FIRST_CONTACT = "First contact";

/**
 * How often a receipt is decided again when other writers keep moving the state. Each lost race means
 * another writer committed, so 20 concurrent deliveries need at most 20; past this the delivery is a
 * 503 and the provider retries it.
 */
const MAX_ATTEMPTS = 32;

/** The default follow-up of a receipt's new clients: "First contact", due within the hour. */
export function firstContact(now: Date) {
	return {
		dueAt: new Date(now.getTime() + FOLLOW_UP_MINUTES * 60_000).toISOString(),
		note: FIRST_CONTACT,
	};
}

/**
 * Writes the receipt (storage/receipts.ts) with each auto-assigned client's rep decided now, and each
 * assigned client's follow-up task. Throws as writeReceipt does (RoutingChangedError included).
 */
export function writeDistributed(db: Db, receipt: Receipt, now: Date): Promise<ReceiptResult> {
	const companyIds = receipt.groups
		.filter((group) => group.autoAssign && group.clients.some((client) => !client.isTest))
		.map((group) => group.companyId);
	if (companyIds.length === 0) return writeReceipt(db, receipt);
	return inTurn(db, companyIds, () => writeDecided(db, receipt, now));
}

/**
 * Deliveries of one company in this isolate take turns deciding and writing: each then decides on
 * the state the one before it committed (kept in memory, no read) and its guard holds. Without this,
 * concurrent deliveries in one isolate (the common case under load) would all decide on the same
 * snapshot, all but one batch would abort, and each retry would cost a read and another batch.
 * Isolates still race each other; the version guard settles those.
 */
const turns = new WeakMap<D1Database, Map<number, Promise<void>>>();

async function inTurn<T>(db: Db, companyIds: number[], work: () => Promise<T>): Promise<T> {
	let waiting = turns.get(db.d1);
	if (!waiting) {
		waiting = new Map();
		turns.set(db.d1, waiting);
	}
	const ids = [...new Set(companyIds)];
	const before = ids.map((id) => waiting.get(id));
	let release = () => {};
	const mine = new Promise<void>((resolve) => {
		release = resolve;
	});
	for (const id of ids) waiting.set(id, mine);
	try {
		await Promise.all(before);
		return await work();
	} finally {
		release();
		for (const id of ids) if (waiting.get(id) === mine) waiting.delete(id);
	}
}

async function writeDecided(db: Db, receipt: Receipt, now: Date): Promise<ReceiptResult> {
	for (let attempt = 1; ; attempt++) {
		const decided = await decideReceipt(db, receipt, now, attempt > 1);
		try {
			const result = await writeReceipt(db, decided.receipt);
			settleSnapshots(db, decided, result);
			return result;
		} catch (error) {
			for (const state of decided.after) forgetDistribution(db, state.companyId);
			if (!(error instanceof DistributionChangedError) || attempt >= MAX_ATTEMPTS) throw error;
			// Spread the re-reads of writers that lost the same race.
			await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
		}
	}
}

interface DecidedReceipt {
	receipt: Receipt;
	/** The state each company will be in once the batch commits with every decided lead created. */
	after: DistributionState[];
	/** How many leads were assigned, to tell whether all of them were created. */
	assignedCount: number;
}

/**
 * The isolate keeps the state its batch left behind (version + 1), so its next delivery needs no read;
 * unless D1 found some lead already stored (it assigned nobody): then the counts differ, read again.
 */
function settleSnapshots(db: Db, decided: DecidedReceipt, result: ReceiptResult): void {
	const created = result.created.filter((client) => client.assignedEmployeeId !== null).length;
	for (const state of decided.after) {
		if (created === decided.assignedCount) keep(db, state);
		else forgetDistribution(db, state.companyId);
	}
}

async function decideReceipt(
	db: Db,
	receipt: Receipt,
	now: Date,
	fresh: boolean,
): Promise<DecidedReceipt> {
	const companyIds = [
		...new Set(
			receipt.groups
				.filter((group) => group.autoAssign && group.clients.some((client) => !client.isTest))
				.map((group) => group.companyId),
		),
	];
	const states = await Promise.all(
		companyIds.map(
			async (id) =>
				(fresh ? undefined : cachedDistribution(db, id)) ?? loadDistribution(db, id, now),
		),
	);
	let groups = receipt.groups;
	const distribution: NonNullable<Receipt["distribution"]> = [];
	const after: DistributionState[] = [];
	let assignedCount = 0;
	for (const state of states) {
		if (!state) continue;
		const decided = decideCompany(state, groups, receipt.provider, now);
		groups = decided.groups;
		assignedCount += decided.leads.length;
		distribution.push({
			write: { companyId: state.companyId, version: state.version },
			leads: decided.leads,
		});
		after.push({ ...decided.after, version: state.version + 1 });
	}
	return {
		receipt: { ...receipt, groups, distribution, followUp: receipt.followUp ?? firstContact(now) },
		after,
		assignedCount,
	};
}

/** The company's real leads decided in delivery order; the groups returned carry each rep. */
function decideCompany(
	state: DistributionState,
	groups: ClientGroup[],
	provider: string,
	now: Date,
): { groups: ClientGroup[]; leads: AssignedLead[]; after: DistributionState } {
	const mine = (group: ClientGroup) => group.companyId === state.companyId && group.autoAssign;
	const facts = groups
		.filter(mine)
		.flatMap((group) =>
			group.clients
				.filter((client) => !client.isTest)
				.map((client) =>
					leadFacts(provider, "id" in group.account ? group.account.id : null, client),
				),
		);
	const { decisions, after } = decideLeads(state, facts, now);
	const queue = [...decisions];
	const leads: AssignedLead[] = [];
	const decidedGroups = groups.map((group) => {
		if (!mine(group)) return group;
		return {
			...group,
			clients: group.clients.map((client) => {
				if (client.isTest) return client;
				const decision = queue.shift();
				if (!decision) return client;
				if (decision.repId !== null) {
					leads.push(assignedLead(state, client.externalId, decision, now));
				}
				return { ...client, repId: decision.repId, unassignedReason: decision.unassignedReason };
			}),
		};
	});
	return { groups: decidedGroups, leads, after };
}

/** What the rules see of a lead about to be stored, or stored. */
function leadFacts(
	provider: string,
	integrationAccountId: number | null,
	client: Pick<ClientRow, "formId" | "attribution" | "phones" | "answers">,
): LeadFacts {
	return {
		provider,
		integrationAccountId,
		formId: client.formId,
		attribution: client.attribution ?? null,
		phoneCountries: phoneCountries(client.phones),
		answers: client.answers,
	};
}

function assignedLead(
	state: DistributionState,
	externalId: string,
	decision: Decision,
	now: Date,
): AssignedLead {
	const rep = state.reps.find((r) => r.id === decision.repId);
	return {
		externalId,
		ruleId: decision.ruleId,
		nextTurn: decision.nextTurn,
		day: zonedTime(now, rep?.timeZone ?? state.timeZone).day,
	};
}

/** What reassigning a stored client came to. */
export interface Reassigned {
	repId: number | null;
	/** The decision (rule, reasons), or why there was none ("no such client", "already reassigned"). */
	decision: Decision | null;
}

/**
 * Gives a stored client to the next eligible rep by the company's rules at `now`, passing over the reps
 * in `exclude` (those who already had it), and moves its open follow-up to that rep. It counts like an
 * assignment (caps, daily counts, the rule's turn). Idempotent: when the client's rep is already one
 * not in `exclude`, an earlier call reassigned it, and that rep is returned without writing anything.
 * Null when nobody is eligible (the client is then left as it was).
 */
export async function reassignClient(
	db: Db,
	request: { clientId: number; exclude: number[]; now: Date },
): Promise<Reassigned> {
	const { clientId, exclude, now } = request;
	for (let attempt = 1; ; attempt++) {
		const client = await loadRoutedClient(db, clientId);
		if (!client || client.isTest) return { repId: null, decision: null };
		if (client.assignedEmployeeId !== null && !exclude.includes(client.assignedEmployeeId)) {
			return { repId: client.assignedEmployeeId, decision: null };
		}
		const state = await loadDistribution(db, client.companyId, now);
		if (!state) return { repId: null, decision: null };
		const excluded: DistributionState = {
			...state,
			reps: state.reps.map((rep) =>
				exclude.includes(rep.id) ? { ...rep, awayUntil: null, isActive: false } : rep,
			),
		};
		const facts = leadFacts(client.provider ?? "", client.accountId, client);
		const decision = withExcludedReasons(decideLead(excluded, facts, now), exclude);
		if (decision.repId === null) return { repId: null, decision };
		try {
			await writeReassignment(db, {
				clientId,
				from: client.assignedEmployeeId,
				version: state.version,
				companyId: state.companyId,
				lead: assignedLead(state, client.externalId, decision, now),
				repId: decision.repId,
				dueAt: firstContact(now).dueAt,
			});
			forgetDistribution(db, state.companyId);
			return { repId: decision.repId, decision };
		} catch (error) {
			if (!(error instanceof DistributionChangedError) || attempt >= MAX_ATTEMPTS) throw error;
		}
	}
}

/** Excluded reps were passed over because they already had the lead, whatever else is true of them. */
function withExcludedReasons(decision: Decision, exclude: number[]): Decision {
	return {
		...decision,
		skipped: decision.skipped.map((skip) =>
			exclude.includes(skip.repId) ? { ...skip, reason: "already had this lead" } : skip,
		),
	};
}

/**
 * The notifications room's seam ("Not mine", SLA escalation), same signature as its placeholder: the
 * rep the stored client now has after reassignClient (which writes the assignment, its follow-up and
 * counts, once), or null when nobody eligible is left.
 */
export async function chooseReassignee(
	db: Db,
	request: { clientId: number; exclude: number[]; now: Date },
): Promise<number | null> {
	return (await reassignClient(db, request)).repId;
}
