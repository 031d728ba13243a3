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
import { idString, isJsonObject, type JsonObject, type JsonValue, parseJsonLossless } from "./json";

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

/** `{ object: 1, entry: [{ id, advertiser_id, page_id, changes: [{ field, value }] }] }` */
function parseSubscriptionWebhook(body: JsonObject): TikTokDelivery {
	if (body.object !== undefined && idString(body.object) !== LEAD_OBJECT) {
		return { kind: "ignored", reason: `object ${String(body.object)} is not a lead` };
	}
	if (!Array.isArray(body.entry)) return { kind: "invalid", reason: "entry is not a list" };
	const entries = body.entry.filter(
		(entry) =>
			!isJsonObject(entry) || entry.object === undefined || idString(entry.object) === LEAD_OBJECT,
	);
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
