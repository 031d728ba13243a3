// The HubSpot destination: contacts created or updated through the CRM v3 objects API in batches of
// at most 100, an optional deal per new contact, the owner found by the rep's email.
//
// Never a second contact (issue 23, item 6), per path:
// - A lead with an email (or every lead, when `unique_id_property` names a unique contact property) is
//   sent with POST /crm/v3/objects/contacts/batch/upsert, idProperty=email (or that property, valued
//   leadwire-<clientId>). HubSpot matches on the unique value, so a redelivered lead, or one sent
//   again after a crash between HubSpot's answer and the relay's settle, updates the same contact.
// - A lead with only a phone: phone is not unique in HubSpot, so it is searched first
//   (POST /crm/v3/objects/contacts/search, phone IN [...]) and updated when found, created when not.
//   HubSpot's search index lags writes by seconds, so a resend within that window could create a
//   second contact; the relay's first retry waits longer, and `unique_id_property` closes the gap.
// - A deal is created only with a contact HubSpot reports as new ("new": true), so a resend does not
//   add a second one; with `deal.id_property` (a unique deal property) deals are upserted instead.
// - A 409 CONFLICT ("Contact already exists. Existing ID: N") is the contact already there: a
//   duplicate with N as the matched id.
// A batch HubSpot refuses as a whole (400, 409) is sent again in halves, so the record at fault fails
// alone and the others go through; 401/403 stop the destination (credential), 429 and 5xx retry all.
import { z } from "zod";
import type {
	DestinationCheck,
	DestinationKind,
	DestinationRecord,
	OpenDestination,
} from "./destination";
import { fieldMappingSchema, requiredSecret } from "./destination-schemas";
import type { RecordResult, SendResult } from "./forwarder";
import { type HubSpotAnswer, type HubSpotApi, hubspotApi } from "./hubspot-api";
import {
	classifyHubSpot,
	connectionFailure,
	type HubSpotConnectionFailure,
	isAccountWide,
} from "./hubspot-errors";
import { contactProperties, dealProperties } from "./hubspot-mapping";
import { isObject } from "./salesforce-errors";
import { externalIdValue } from "./salesforce-mapping";

/** HubSpot's batch endpoints take at most 100 inputs (and search's IN filter 100 values). */
export const HUBSPOT_BATCH_MAX = 100;

/** HubSpot's default association type for deal → contact (HUBSPOT_DEFINED). */
const DEAL_TO_CONTACT = 3;

const propertyName = z.string().regex(/^[a-z][a-z0-9_]*$/, {
	error: "must be a HubSpot property's internal name (a-z, 0-9, _)",
});

const hubspotSettings = z.strictObject({
	/** HubSpot contact property → lead field (see salesforce-mapping LEAD_FIELDS), null to leave out. */
	field_mapping: fieldMappingSchema(
		/^[a-z][a-z0-9_]*$/,
		"must be a HubSpot property's internal name (a-z, 0-9, _)",
	).default({}),
	/** A unique contact property (created by the admin) to upsert every lead by, as leadwire-<id>. */
	unique_id_property: propertyName.nullable().default(null),
	/** Set hubspot_owner_id from the rep's email (needs the crm.objects.owners.read scope). */
	assign_owner: z.boolean().default(true),
	deal: z
		.strictObject({
			pipeline: z.string().trim().min(1),
			stage: z.string().trim().min(1),
			/** A unique deal property to upsert deals by (leadwire-<clientId>); null creates with new contacts. */
			id_property: propertyName.nullable().default(null),
		})
		.nullable()
		.default(null),
});

const hubspotSecrets = z.strictObject({
	/** The private app's access token (pat-<region>-<uuid>). */
	access_token: requiredSecret("the private app's access token is required"),
});

export type HubSpotSettings = z.infer<typeof hubspotSettings>;
export type HubSpotSecrets = z.infer<typeof hubspotSecrets>;

export const hubspotDestination: DestinationKind<HubSpotSettings, HubSpotSecrets> = {
	kind: "hubspot",
	settings: hubspotSettings,
	secrets: hubspotSecrets,
	open(settings, secrets, deps): OpenDestination {
		return {
			maxBatch: HUBSPOT_BATCH_MAX,
			send: (records) =>
				sendLeads(hubspotApi(deps, secrets.access_token), settings, records, deps.now),
			check: () => checkHubSpot(hubspotApi(deps, secrets.access_token)),
		};
	},
};

/** What became of one batch input. */
type Outcome =
	| { kind: "saved"; id: string; created: boolean }
	| { kind: "failed"; result: RecordResult };

/** A whole-call failure that stops the send: the credential, or the account (limits, outage). */
type Stop = HubSpotConnectionFailure | { kind: "all"; result: RecordResult };

/** A call's failure: a Stop, or a refusal of the batch itself (400, 409) that halving can narrow. */
type CallFailure = Stop | { kind: "batch"; result: RecordResult };

interface BatchItem {
	/** objectWriteTraceId: how HubSpot's results are matched back to inputs. */
	key: string;
	input: Record<string, unknown>;
}

type BatchCall = (items: BatchItem[]) => Promise<Map<string, Outcome> | CallFailure>;

class StopSend {
	constructor(readonly stop: Stop) {}
}

async function sendLeads(
	api: HubSpotApi,
	settings: HubSpotSettings,
	records: DestinationRecord[],
	now: () => Date,
): Promise<SendResult> {
	try {
		const owners = settings.assign_owner ? await ownerIds(api, records, now) : new Map();
		const outcomes = await sendContacts(api, settings, records, owners, now);
		if (settings.deal) await sendDeals(api, settings.deal, records, outcomes, owners, now);
		const results = records.map((r): RecordResult => toResult(outcomes.get(r.forwardId)));
		return { kind: "results", results, ...facts(api) };
	} catch (error) {
		if (!(error instanceof StopSend)) throw error;
		const { stop } = error;
		return stop.kind === "connection"
			? { kind: "connection", problem: stop.problem, code: stop.code, ...facts(api) }
			: { kind: "all", result: stop.result, ...facts(api) };
	}
}

function facts(api: HubSpotApi) {
	const { httpStatus, durationMs, usage } = api.tally;
	return { httpStatus, durationMs, ...(usage ? { usage } : {}) };
}

function toResult(outcome: Outcome | undefined): RecordResult {
	if (!outcome) return { kind: "transient", code: "MISSING_RESULT" };
	return outcome.kind === "saved" ? { kind: "sent", remoteId: outcome.id } : outcome.result;
}

/** How a lead is found again: its value of the unique property (email or unique_id_property), or its phone. */
type Identity = { by: "unique"; value: string } | { by: "phone"; phone: string } | { by: "none" };

function identify(record: DestinationRecord, settings: HubSpotSettings): Identity {
	const { lead } = record;
	if (settings.unique_id_property) return { by: "unique", value: externalIdValue(lead.clientId) };
	if (lead.email) return { by: "unique", value: lead.email.trim().toLowerCase() };
	if (lead.phone) return { by: "phone", phone: lead.phone };
	return { by: "none" };
}

/** Every record's contact, by forward id. */
async function sendContacts(
	api: HubSpotApi,
	settings: HubSpotSettings,
	records: DestinationRecord[],
	owners: Map<string, string>,
	now: () => Date,
): Promise<Map<number, Outcome>> {
	const outcomes = new Map<number, Outcome>();
	// One input per unique value (HubSpot refuses a batch naming a contact twice): the first record
	// with it is sent, the others with the same value share its outcome.
	const upserts = new Map<string, { record: DestinationRecord; same: DestinationRecord[] }>();
	const byPhone: DestinationRecord[] = [];
	const idProperty = settings.unique_id_property ?? "email";
	for (const record of records) {
		const identity = identify(record, settings);
		if (identity.by === "unique") {
			const group = upserts.get(identity.value);
			if (group) group.same.push(record);
			else upserts.set(identity.value, { record, same: [] });
		} else if (identity.by === "phone") byPhone.push(record);
		else outcomes.set(record.forwardId, noIdentity());
	}
	const properties = (r: DestinationRecord) =>
		contactProperties(r.lead, settings.field_mapping, ownerOf(owners, r));
	if (upserts.size > 0) {
		const items = [...upserts].map(([value, { record }]) => ({
			key: value,
			input: {
				idProperty,
				id: value,
				objectWriteTraceId: value,
				properties: { ...properties(record), [idProperty]: value },
			},
		}));
		const saved = await inHalves(items, upsertCall(api, "contacts", idProperty, now));
		for (const [value, { record, same }] of upserts)
			for (const r of [record, ...same]) setOutcome(outcomes, r, saved.get(value));
	}
	if (byPhone.length > 0) await sendByPhone(api, byPhone, properties, outcomes, now);
	return outcomes;
}

function setOutcome(outcomes: Map<number, Outcome>, record: DestinationRecord, outcome?: Outcome) {
	outcomes.set(
		record.forwardId,
		outcome ?? { kind: "failed", result: { kind: "transient", code: "MISSING_RESULT" } },
	);
}

function noIdentity(): Outcome {
	return {
		kind: "failed",
		result: {
			kind: "permanent",
			code: "NO_EMAIL_OR_PHONE",
			detail:
				"the lead has neither an email nor a phone to find its contact by (set unique_id_property)",
		},
	};
}

/** Phone-only leads: search by phone, update the contacts found, create the rest. */
async function sendByPhone(
	api: HubSpotApi,
	records: DestinationRecord[],
	properties: (r: DestinationRecord) => Record<string, string>,
	outcomes: Map<number, Outcome>,
	now: () => Date,
): Promise<void> {
	const found = await searchByPhone(
		api,
		records.map((r) => r.lead.phone ?? ""),
		now,
	);
	const updates: BatchItem[] = [];
	const creates: BatchItem[] = [];
	for (const record of records) {
		const key = String(record.forwardId);
		const contactId = found.get(record.lead.phone ?? "");
		const input = { properties: properties(record), objectWriteTraceId: key };
		if (contactId) updates.push({ key, input: { ...input, id: contactId } });
		else creates.push({ key, input });
	}
	const saved = new Map<string, Outcome>();
	if (updates.length > 0)
		mergeInto(saved, await inHalves(updates, writeCall(api, "contacts", "update", now)));
	if (creates.length > 0)
		mergeInto(saved, await inHalves(creates, writeCall(api, "contacts", "create", now)));
	for (const record of records) setOutcome(outcomes, record, saved.get(String(record.forwardId)));
}

function mergeInto(into: Map<string, Outcome>, from: Map<string, Outcome>) {
	for (const [key, value] of from) into.set(key, value);
}

/** phone → contact id of the contacts HubSpot finds (one search call, IN takes 100 values). */
async function searchByPhone(
	api: HubSpotApi,
	phones: string[],
	now: () => Date,
): Promise<Map<string, string>> {
	const answer = await api.call("POST", "/crm/v3/objects/contacts/search", {
		filterGroups: [
			{ filters: [{ propertyName: "phone", operator: "IN", values: [...new Set(phones)] }] },
		],
		properties: ["phone"],
		limit: HUBSPOT_BATCH_MAX,
	});
	const ok = okOrFailure(answer, now);
	if (ok.kind !== "ok")
		throw new StopSend(ok.kind === "batch" ? { kind: "all", result: ok.result } : ok);
	const found = new Map<string, string>();
	for (const item of listOf(ok.body, "results")) {
		const phone = isObject(item.properties) ? item.properties.phone : undefined;
		if (typeof phone === "string" && typeof item.id === "string" && !found.has(phone))
			found.set(phone, item.id);
	}
	return found;
}

/** Deals for the contacts just saved: created with new contacts, or upserted by deal.id_property. */
async function sendDeals(
	api: HubSpotApi,
	deal: NonNullable<HubSpotSettings["deal"]>,
	records: DestinationRecord[],
	outcomes: Map<number, Outcome>,
	owners: Map<string, string>,
	now: () => Date,
): Promise<void> {
	const items: BatchItem[] = [];
	for (const record of records) {
		const outcome = outcomes.get(record.forwardId);
		if (outcome?.kind !== "saved" || (!deal.id_property && !outcome.created)) continue;
		const key = externalIdValue(record.lead.clientId);
		const associations = [
			{
				to: { id: outcome.id },
				types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: DEAL_TO_CONTACT }],
			},
		];
		const properties = dealProperties(record.lead, deal, ownerOf(owners, record));
		items.push({
			key,
			input: deal.id_property
				? {
						idProperty: deal.id_property,
						id: key,
						objectWriteTraceId: key,
						properties: { ...properties, [deal.id_property]: key },
						associations,
					}
				: { objectWriteTraceId: key, properties, associations },
		});
	}
	if (items.length === 0) return;
	const call = deal.id_property
		? upsertCall(api, "deals", deal.id_property, now)
		: writeCall(api, "deals", "create", now);
	const saved = await inHalves(items, call);
	for (const record of records) {
		const failed = saved.get(externalIdValue(record.lead.clientId));
		// The contact is saved; a deal that failed makes the record retry (the upsert finds the contact).
		if (failed?.kind === "failed") outcomes.set(record.forwardId, failed);
	}
}

/** Sends the items; a batch refused as a whole is sent again in halves until the culprit is alone. */
async function inHalves(items: BatchItem[], call: BatchCall): Promise<Map<string, Outcome>> {
	const answer = await call(items);
	if (answer instanceof Map) return answer;
	if (answer.kind !== "batch") throw new StopSend(answer);
	const { result } = answer;
	const [only] = items;
	if (items.length === 1 && only) return new Map([[only.key, { kind: "failed", result }]]);
	const middle = Math.ceil(items.length / 2);
	const first = await inHalves(items.slice(0, middle), call);
	const second = await inHalves(items.slice(middle), call);
	return new Map([...first, ...second]);
}

function upsertCall(
	api: HubSpotApi,
	object: "contacts" | "deals",
	idProperty: string,
	now: () => Date,
): BatchCall {
	return async (items) => {
		const answer = await api.call("POST", `/crm/v3/objects/${object}/batch/upsert`, {
			inputs: items.map((i) => i.input),
		});
		return readBatch(answer, items, now, {
			// Matched by the unique value when HubSpot leaves objectWriteTraceId out of a result.
			fallbackKey: (result) => {
				const value = isObject(result.properties) ? result.properties[idProperty] : undefined;
				return typeof value === "string" ? value.toLowerCase() : undefined;
			},
			// Only HubSpot's own "new": true makes a record new (a deal is created with it).
			created: (result) => result.new === true,
		});
	};
}

function writeCall(
	api: HubSpotApi,
	object: "contacts" | "deals",
	verb: "create" | "update",
	now: () => Date,
): BatchCall {
	return async (items) => {
		const answer = await api.call("POST", `/crm/v3/objects/${object}/batch/${verb}`, {
			inputs: items.map((i) => i.input),
		});
		return readBatch(answer, items, now, { created: () => verb === "create" });
	};
}

/** The batch answer's results (and a 207's errors) by input key, or the call's failure. */
function readBatch(
	answer: HubSpotAnswer,
	items: BatchItem[],
	now: () => Date,
	read: {
		fallbackKey?: (result: Record<string, unknown>) => string | undefined;
		created: (result: Record<string, unknown>) => boolean;
	},
): Map<string, Outcome> | CallFailure {
	const ok = okOrFailure(answer, now);
	if (ok.kind !== "ok") return ok;
	const outcomes = new Map<string, Outcome>();
	const keys = new Set(items.map((i) => i.key));
	for (const result of listOf(ok.body, "results")) {
		const key = stringOf(result.objectWriteTraceId) ?? read.fallbackKey?.(result);
		if (!key || !keys.has(key) || typeof result.id !== "string") continue;
		outcomes.set(key, { kind: "saved", id: result.id, created: read.created(result) });
	}
	// 207 Multi-Status: errors[] name their inputs in context (ids or objectWriteTraceId lists).
	for (const error of listOf(ok.body, "errors")) {
		const result = classifyHubSpot(
			{
				httpStatus: 400,
				category: stringOf(error.category) ?? "VALIDATION_ERROR",
				message: stringOf(error.message) ?? "",
			},
			ok.headers,
			now(),
		);
		for (const key of errorKeys(error))
			if (keys.has(key)) outcomes.set(key, { kind: "failed", result });
	}
	return outcomes;
}

function errorKeys(error: Record<string, unknown>): string[] {
	const context = isObject(error.context) ? error.context : {};
	return [context.ids, context.objectWriteTraceId, context.objectWriteTraceIds]
		.flatMap((list) => (Array.isArray(list) ? list : []))
		.filter((key): key is string => typeof key === "string")
		.map((key) => key.toLowerCase());
}

/** A success, or the failure classified: connection, account-wide (all), or the batch's own. */
function okOrFailure(
	answer: HubSpotAnswer,
	now: () => Date,
): { kind: "ok"; body: unknown; headers: Headers } | CallFailure {
	if (answer.ok) return { kind: "ok", body: answer.body, headers: answer.headers };
	if ("network" in answer)
		return { kind: "all", result: { kind: "transient", code: answer.network } };
	const connection = connectionFailure(answer.error);
	if (connection) return connection;
	const result = classifyHubSpot(answer.error, answer.headers, now());
	return isAccountWide(answer.error) ? { kind: "all", result } : { kind: "batch", result };
}

function listOf(body: unknown, key: "results" | "errors"): Record<string, unknown>[] {
	const list = isObject(body) ? body[key] : undefined;
	return Array.isArray(list) ? list.filter(isObject) : [];
}

function stringOf(value: unknown): string | undefined {
	return typeof value === "string" ? value : undefined;
}

function ownerOf(owners: Map<string, string>, record: DestinationRecord): string | undefined {
	const email = record.lead.repEmail?.trim().toLowerCase();
	return email ? owners.get(email) : undefined;
}

/**
 * rep email → HubSpot owner id, one GET /crm/v3/owners?email= per distinct rep in the send (the
 * cache lives as long as the send). A rep with no HubSpot user leaves the contact unowned; only a
 * refused credential stops the send.
 */
async function ownerIds(
	api: HubSpotApi,
	records: DestinationRecord[],
	now: () => Date,
): Promise<Map<string, string>> {
	const owners = new Map<string, string>();
	const emails = new Set(
		records.map((r) => r.lead.repEmail?.trim().toLowerCase()).filter((e): e is string => !!e),
	);
	for (const email of emails) {
		const answer = await api.call(
			"GET",
			`/crm/v3/owners?email=${encodeURIComponent(email)}&limit=1&archived=false`,
		);
		const ok = okOrFailure(answer, now);
		if (ok.kind === "connection" || ok.kind === "all") throw new StopSend(ok);
		if (ok.kind !== "ok") continue;
		const id = stringOf(listOf(ok.body, "results")[0]?.id);
		if (id) owners.set(email, id);
	}
	return owners;
}

/** One cheap read (a contact page of one): the token works, HubSpot answers, the limits left. */
async function checkHubSpot(api: HubSpotApi): Promise<DestinationCheck> {
	const answer = await api.call("GET", "/crm/v3/objects/contacts?limit=1&archived=false");
	if (!answer.ok && "network" in answer)
		return { ok: false, code: answer.network, detail: "HubSpot did not answer" };
	if (!answer.ok) {
		const { error } = answer;
		const detail =
			error.httpStatus === 401
				? "HubSpot refused the access token (revoked, rotated or mistyped)"
				: error.httpStatus === 403
					? "the private app lacks a scope (crm.objects.contacts.read/write)"
					: `HubSpot answered ${error.httpStatus}`;
		return { ok: false, code: connectionFailure(error)?.code ?? error.category, detail };
	}
	const left = rateLimitLeft(answer.headers);
	const detail =
		left === undefined ? "token valid, HubSpot reachable" : `token valid, ${left} calls left today`;
	return { ok: true, detail, ...(left === undefined ? {} : { rateLimitLeft: left }) };
}

/** The daily allowance left (private apps), else the current 10-second window's. */
function rateLimitLeft(headers: Headers): number | undefined {
	const value =
		headers.get("X-HubSpot-RateLimit-Daily-Remaining") ??
		headers.get("X-HubSpot-RateLimit-Remaining");
	const left = Number(value);
	return value !== null && Number.isFinite(left) ? left : undefined;
}
