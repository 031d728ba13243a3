// Meta Lead Ads (providers.md §3): the `leadgen` change carries ids only; the lead's answers come
// from a Graph read of the leadgen id. Both halves are parsed here into a LeadDraft. Pure.
import { extractContact } from "../leads/fields";
import { attributionFrom, type LeadAnswer, type LeadDraft } from "../leads/lead";
import { idString, isJsonObject, type JsonObject, type JsonValue } from "./json";

/** What the webhook says about a new lead: enough to route it and to fetch it from Graph. */
export interface LeadgenNotice {
	leadgenId: string;
	/** The routing key: value.page_id, falling back to entry.id. */
	pageId: string;
	formId: string | undefined;
}

/** Ids are strings in current deliveries and JSON numbers in older ones (providers.md §3): both work. */
export function parseLeadgenChange(
	value: JsonObject,
	entry: JsonObject,
): LeadgenNotice | { reason: string } {
	const leadgenId = idString(value.leadgen_id);
	if (leadgenId === undefined) return { reason: "leadgen change has no leadgen_id" };
	const pageId = idString(value.page_id) ?? idString(entry.id);
	if (pageId === undefined) return { reason: "leadgen change has no page_id" };
	return { leadgenId, pageId, formId: idString(value.form_id) };
}

/** The fields asked of Graph for each lead. */
export const GRAPH_LEAD_FIELDS =
	"id,created_time,field_data,form_id,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,is_organic,platform";

/** Graph's names for a lead's campaign, ad set and ad (the lead read has no form name). */
const ATTRIBUTION_FIELDS = {
	form_name: "form_name",
	campaign_id: "campaign_id",
	campaign_name: "campaign_name",
	ad_set_id: "adset_id",
	ad_set_name: "adset_name",
	ad_id: "ad_id",
	ad_name: "ad_name",
};

/**
 * The lead of a Graph `GET /{leadgen_id}` answer: `field_data: [{ name, values[] }]`, every value of
 * a multi-select answer kept. The Graph answer has no page id: routing stays the webhook's.
 */
export function leadFromGraph(
	notice: LeadgenNotice,
	body: JsonValue,
	payload: () => string,
): LeadDraft | { reason: string } {
	if (!isJsonObject(body)) return { reason: "Graph lead is not a JSON object" };
	if (!Array.isArray(body.field_data)) return { reason: "Graph lead has no field_data" };
	const answers = body.field_data.flatMap(answerOf);
	return {
		externalId: notice.leadgenId,
		routingKey: notice.pageId,
		formId: idString(body.form_id) ?? notice.formId,
		answers,
		attribution: attributionFrom((key) => idString(body[key]), ATTRIBUTION_FIELDS),
		payload,
		...extractContact(answers),
	};
}

function answerOf(item: JsonValue): LeadAnswer[] {
	if (!isJsonObject(item) || typeof item.name !== "string") return [];
	const raw = Array.isArray(item.values) ? item.values : [item.values ?? null];
	const values = raw.flatMap((v) => (v === null || typeof v === "object" ? [] : [String(v)]));
	return [{ name: item.name, values }];
}
