// TikTok Lead Generation adapter: verifies X-Open-Signature and parses every lead shape we know of
// into LeadDrafts (providers.md §1, fixtures/tiktok). Pure: no I/O, no company, no storage.

import { extractContact } from "../leads/fields";
import {
	type Attribution,
	attributionFrom,
	type LeadAnswer,
	type LeadDraft,
	type LeadReject,
	type ProviderProfile,
} from "../leads/lead";
import { verifyHmacSha256Hex } from "../security/hmac";
import {
	findArrayItems,
	type ItemSpan,
	idString,
	isJsonObject,
	type JsonObject,
	type JsonValue,
	MAX_JSON_DEPTH,
	parseJsonLossless,
} from "./json";

export const TIKTOK_SIGNATURE_HEADER = "X-Open-Signature";

export const TIKTOK_PROFILE: ProviderProfile = {
	provider: "tiktok",
	source: "tiktok",
	action: "tiktok_lead_received",
	accountName: "TikTok Lead Gen",
};

export type TikTokDelivery =
	| { kind: "leads"; leads: LeadDraft[]; rejects: LeadReject[] }
	| { kind: "ignored"; reason: string }
	| { kind: "invalid"; reason: string };

/**
 * Verifies hex HMAC-SHA256(app secret, raw body). TikTok's docs say it signs the "escaped unicode"
 * form (copied from Meta's wording, providers.md §1.2), so a body with non-ASCII characters is also
 * tried with them escaped as lowercase \uXXXX.
 */
export async function verifyTikTokSignature(
	secret: string,
	body: Uint8Array,
	signature: string | undefined,
): Promise<boolean> {
	if (await verifyHmacSha256Hex(secret, body, signature)) return true;
	if (!body.some((byte) => byte >= 0x80)) return false;
	const escaped = new TextDecoder()
		.decode(body)
		.replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
	return verifyHmacSha256Hex(secret, new TextEncoder().encode(escaped), signature);
}

/**
 * Set to `true` on an entry by the console's "Send a test lead" (src/operator/test-lead.ts): inside
 * the signed body, so only a holder of the app secret can mark a lead as a test.
 */
export const TEST_LEAD_KEY = "leadwire_test_lead";

/** TikTok's names for a lead's form, campaign, ad group and ad (providers.md §1.3). */
const ATTRIBUTION_FIELDS = {
	form_name: "page_name",
	campaign_id: "campaign_id",
	campaign_name: "campaign_name",
	ad_set_id: "adgroup_id",
	ad_set_name: "adgroup_name",
	ad_id: "ad_id",
	ad_name: "ad_name",
};

function attributionOf(record: JsonObject): Attribution | undefined {
	return attributionFrom((key) => idString(record[key]), ATTRIBUTION_FIELDS);
}

/** Subscription webhook `object` value for leads; other values are review, fatigue, status events. */
const LEAD_OBJECT = "1";

/** Parses a delivery body. Never throws: bad input comes back as `invalid` with a reason. */
export function parseTikTokDelivery(text: string): TikTokDelivery {
	if (text.trim() === "") return { kind: "invalid", reason: "empty body" };
	const parsed = parseJsonLossless(text);
	if (!parsed.ok) return { kind: "invalid", reason: parsed.reason };
	const body = parsed.value;
	if (!isJsonObject(body)) return { kind: "invalid", reason: "payload is not a JSON object" };

	if ("entry" in body) return parseSubscriptionWebhook(body);
	if (isJsonObject(body.data)) return parseApiResponse(body, body.data, text);
	if ("lead_data" in body) return collect([leadFromLeadGet(body, () => text)]);
	return collect([leadFromRecord(body, () => text)]);
}

/** An entry the webhook marks as another kind of event (review, fatigue...) is not a lead. */
function isLeadEntry(entry: JsonValue): boolean {
	return (
		!isJsonObject(entry) || entry.object === undefined || idString(entry.object) === LEAD_OBJECT
	);
}

/** `{ object: 1, entry: [{ id, advertiser_id, page_id, changes: [{ field, value }] }] }` */
function parseSubscriptionWebhook(body: JsonObject): TikTokDelivery {
	if (body.object !== undefined && idString(body.object) !== LEAD_OBJECT) {
		return { kind: "ignored", reason: `object ${String(body.object)} is not a lead` };
	}
	if (!Array.isArray(body.entry)) return { kind: "invalid", reason: "entry is not a list" };
	const entries = body.entry.filter(isLeadEntry);
	if (entries.length === 0 && body.entry.length > 0) {
		return { kind: "ignored", reason: "no entry is a lead" };
	}
	return collect(
		entries.map((entry) =>
			isJsonObject(entry)
				? leadFromRecord(entry, () => JSON.stringify({ object: 1, entry: [entry] }))
				: {
						reason: "entry is not an object",
						payload: JSON.stringify({ object: 1, entry: [entry] }),
					},
		),
	);
}

/** `{ code, message, data: { lead_data, meta_data } }` from /lead/get/, or `data.leads[]`. */
function parseApiResponse(body: JsonObject, data: JsonObject, text: string): TikTokDelivery {
	const code = body.code;
	if (code !== undefined && code !== 0 && code !== "0") {
		return { kind: "invalid", reason: `TikTok API error code ${String(code)}` };
	}
	if (Array.isArray(data.leads)) {
		return collect(
			data.leads.map((lead) =>
				isJsonObject(lead)
					? leadFromAnyShape(lead, () => JSON.stringify(lead))
					: { reason: "lead is not an object", payload: JSON.stringify(lead) },
			),
		);
	}
	return collect([leadFromLeadGet(data, () => text)]);
}

function leadFromAnyShape(record: JsonObject, payload: () => string): LeadDraft | LeadReject {
	return "lead_data" in record ? leadFromLeadGet(record, payload) : leadFromRecord(record, payload);
}

/** `lead_data` keyed by question label (or holding a field list), ids in `meta_data`. */
function leadFromLeadGet(data: JsonObject, payload: () => string): LeadDraft | LeadReject {
	const meta = isJsonObject(data.meta_data) ? data.meta_data : {};
	const leadData = data.lead_data;
	const answers =
		isJsonObject(leadData) && "field_list" in leadData ? leadData.field_list : leadData;
	return draft({
		externalId: idString(meta.lead_id ?? data.lead_id),
		routingKey: idString(meta.advertiser_id ?? data.advertiser_id),
		formId: idString(meta.page_id ?? meta.form_id),
		answers: answersFrom(answers),
		attribution: attributionOf(meta),
		payload,
	});
}

/** Keys that describe the lead rather than answer the form; never treated as answers. */
const LEAD_METADATA_KEYS = new Set([
	"id",
	"lead_id",
	"object",
	"request_id",
	"time",
	"lead_source",
	"source",
	"advertiser_id",
	"advertiser_name",
	"library_id",
	"page_id",
	"page_name",
	"form_id",
	"form_name",
	"campaign_id",
	"campaign_name",
	"adgroup_id",
	"adgroup_name",
	"ad_id",
	"ad_name",
	"create_time",
	"created_at",
	"created_time",
	TEST_LEAD_KEY,
]);

/** Where a lead record may keep its answers, most TikTok-native first. */
const ANSWER_LIST_KEYS = ["changes", "answers", "field_data", "field_list", "user_info", "fields"];

/** A webhook entry, a relay's flat record, or a record with an answer list or `answers` object. */
function leadFromRecord(record: JsonObject, payload: () => string): LeadDraft | LeadReject {
	const listKey = ANSWER_LIST_KEYS.find((key) => key in record);
	const answers =
		listKey !== undefined
			? answersFrom(record[listKey])
			: answersFrom(
					Object.fromEntries(
						Object.entries(record).filter(([key]) => !LEAD_METADATA_KEYS.has(key)),
					),
				);
	return draft({
		externalId: idString(record.id ?? record.lead_id),
		routingKey: idString(record.advertiser_id),
		formId: idString(record.page_id ?? record.form_id),
		answers,
		attribution: attributionOf(record),
		isTest: record[TEST_LEAD_KEY] === true,
		payload,
	});
}

function draft(fields: {
	externalId: string | undefined;
	routingKey: string | undefined;
	formId: string | undefined;
	answers: LeadAnswer[];
	attribution: Attribution | undefined;
	isTest?: boolean;
	payload: () => string;
}): LeadDraft | LeadReject {
	const { externalId, ...rest } = fields;
	if (externalId === undefined) return { reason: "lead has no id", payload: fields.payload() };
	return { externalId, ...rest, ...extractContact(fields.answers) };
}

/**
 * Answers from a `{field|name|field_name|key|label: value|values|field_value}` list or a
 * label-keyed object. Repeated names merge so every value of a multi-value answer is kept.
 */
function answersFrom(value: JsonValue | undefined): LeadAnswer[] {
	const pairs: [string, JsonValue | undefined][] = [];
	if (Array.isArray(value)) {
		for (const item of value) {
			if (!isJsonObject(item)) continue;
			const name =
				item.field ?? item.name ?? item.field_name ?? item.key ?? item.label ?? item.question;
			if (typeof name !== "string") continue;
			pairs.push([name, item.value ?? item.values ?? item.field_value ?? item.answer]);
		}
	} else if (isJsonObject(value)) {
		pairs.push(...Object.entries(value));
	}
	const merged = new Map<string, string[]>();
	for (const [name, raw] of pairs) {
		const values = merged.get(name) ?? [];
		values.push(...valuesOf(raw));
		merged.set(name, values);
	}
	return [...merged].map(([name, values]) => ({ name, values }));
}

function valuesOf(value: JsonValue | undefined): string[] {
	if (value === undefined || value === null) return [];
	if (Array.isArray(value)) return value.flatMap(valuesOf);
	if (typeof value === "object") return [JSON.stringify(value)];
	return [String(value)];
}

function collect(results: (LeadDraft | LeadReject)[]): TikTokDelivery {
	const leads: LeadDraft[] = [];
	const rejects: LeadReject[] = [];
	for (const result of results) {
		if ("externalId" in result) leads.push(result);
		else rejects.push(result);
	}
	return { kind: "leads", leads, rejects };
}

/** Where a big delivery keeps its leads: the webhook's `entry` list, or an API export's `data.leads`. */
export type TikTokLeadList = "entry" | "data.leads";

/** Each list's path, and the envelope that makes a run of its items a delivery of their own. */
const LEAD_LISTS: Record<TikTokLeadList, { path: string[]; head: string; tail: string }> = {
	entry: { path: ["entry"], head: '{"object":1,"entry":[', tail: "]}" },
	"data.leads": { path: ["data", "leads"], head: '{"data":{"leads":[', tail: "]}}" },
};

/** A chunk of a big delivery: its exact slice of the body, its leads at [itemsFrom, itemsTo) of it. */
export interface DeliveryChunk {
	body: string;
	itemsFrom: number;
	itemsTo: number;
	leads: number;
}

export interface ChunkedDelivery {
	kind: "chunked";
	list: TikTokLeadList;
	leads: number;
	/** In order; their bodies joined are the delivery's body, byte for byte. */
	chunks: DeliveryChunk[];
}

export interface ChunkLimits {
	/** Leads per chunk; a delivery with no more than this many is not split. */
	maxLeads: number;
	/** Characters of leads per chunk (a chunk closes before a lead would pass it). */
	maxChars: number;
	/** The longest slice a chunk may store; past it (one huge lead) the delivery is not split. */
	maxSliceChars: number;
}

/**
 * Splits a delivery holding more than `maxLeads` leads into chunks at its lead boundaries. What is
 * checked before the answer is what decides the delivery as a whole: its brackets and strings are
 * balanced and nested no deeper than the parser reads (one scan, no values built), and the envelope
 * around the lead list is valid JSON saying the list holds leads (a lead webhook object, an API answer
 * without an error code). The leads themselves are parsed by their chunk, later, exactly as
 * parseTikTokDelivery parses them in the whole body; a chunk that does not parse is logged as a
 * failure holding its payload. Undefined for anything else: the delivery is parsed whole, as before.
 */
export function splitTikTokDelivery(
	text: string,
	limits: ChunkLimits,
): ChunkedDelivery | undefined {
	if (limits.maxLeads <= 0) return undefined;
	const list: TikTokLeadList = text.includes('"entry"') ? "entry" : "data.leads";
	const found = findArrayItems(text, LEAD_LISTS[list].path);
	if (!found || found.items.length <= limits.maxLeads || found.depth > MAX_JSON_DEPTH) {
		return undefined;
	}
	const first = found.items[0];
	const last = found.items[found.items.length - 1];
	if (!first || !last) return undefined;
	const envelope = text.slice(0, first.start) + text.slice(last.end);
	if (!envelopeOfLeads(envelope, list)) return undefined;
	const chunks = chunkItems(text, found.items, limits);
	return chunks && { kind: "chunked", list, leads: found.items.length, chunks };
}

/** The delivery with its lead list emptied parses, and says the list is one of leads. */
function envelopeOfLeads(envelope: string, list: TikTokLeadList): boolean {
	let body: JsonValue;
	try {
		body = JSON.parse(envelope) as JsonValue;
	} catch {
		return false;
	}
	if (!isJsonObject(body)) return false;
	if (list === "entry") {
		return (
			(body.object === undefined || idString(body.object) === LEAD_OBJECT) &&
			Array.isArray(body.entry)
		);
	}
	const code = body.code;
	return (
		isJsonObject(body.data) &&
		Array.isArray(body.data.leads) &&
		(code === undefined || code === 0 || code === "0")
	);
}

/** Groups the items into chunks and cuts the text into one slice per chunk (the first holds the head). */
function chunkItems(
	text: string,
	items: ItemSpan[],
	limits: ChunkLimits,
): DeliveryChunk[] | undefined {
	const groups: ItemSpan[][] = [];
	let group: ItemSpan[] = [];
	for (const item of items) {
		const first = group[0];
		if (first && (group.length >= limits.maxLeads || item.end - first.start > limits.maxChars)) {
			groups.push(group);
			group = [];
		}
		group.push(item);
	}
	groups.push(group);
	const chunks: DeliveryChunk[] = [];
	for (const [i, members] of groups.entries()) {
		const first = members[0];
		const last = members[members.length - 1];
		if (!first || !last) return undefined;
		const start = i === 0 ? 0 : first.start;
		const end = groups[i + 1]?.[0]?.start ?? text.length;
		if (end - start > limits.maxSliceChars) return undefined;
		chunks.push({
			body: text.slice(start, end),
			itemsFrom: first.start - start,
			itemsTo: last.end - start,
			leads: members.length,
		});
	}
	return chunks;
}

/** A chunk's leads, parsed as parseTikTokDelivery parses them in the whole delivery. */
export function parseTikTokChunk(
	list: TikTokLeadList,
	chunk: Pick<DeliveryChunk, "body" | "itemsFrom" | "itemsTo">,
): { text: string; delivery: TikTokDelivery } {
	const { head, tail } = LEAD_LISTS[list];
	const text = `${head}${chunk.body.slice(chunk.itemsFrom, chunk.itemsTo)}${tail}`;
	return { text, delivery: parseTikTokDelivery(text) };
}

export function isTikTokLeadList(value: string): value is TikTokLeadList {
	return value in LEAD_LISTS;
}
