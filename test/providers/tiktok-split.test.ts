// Splitting a big TikTok delivery at its lead boundaries: the scan finds each item of the lead list
// exactly (strings holding brackets, commas and quotes included), the chunks' slices are the body
// byte for byte, each chunk reads as the same leads in the whole body, and anything else is not split.
import { describe, it } from "vitest";
import type { LeadDraft } from "../../src/leads/lead";
import { findArrayItems } from "../../src/providers/json";
import {
	type ChunkLimits,
	parseTikTokChunk,
	parseTikTokDelivery,
	splitTikTokDelivery,
} from "../../src/providers/tiktok";
import { newLeadId, tiktokEntries, tiktokEntry, tiktokWebhook } from "../support/tiktok-bodies";

const LIMITS: ChunkLimits = { maxLeads: 3, maxChars: 100_000, maxSliceChars: 500_000 };

function leadsOf(delivery: ReturnType<typeof parseTikTokDelivery>): LeadDraft[] {
	if (delivery.kind !== "leads") throw new Error(`expected leads, got ${delivery.kind}`);
	return delivery.leads;
}

/** What a lead means to ingest: everything but the payload closure, plus the payload it yields. */
const meaning = (lead: LeadDraft) => ({ ...lead, payload: lead.payload() });

describe("findArrayItems", () => {
	it("finds each item of the array at the path, whatever its strings hold", ({ expect }) => {
		const items = ['{"a":"],[{\\"}"}', '"x,]"', "[1, [2]]", "null", '{"entry":[9]}'];
		const text = ` {"entry" : [ ${items.join(" ,\n ")} ] , "time": 1}`;

		const found = findArrayItems(text, ["entry"]);

		expect(found?.items.map(({ start, end }) => text.slice(start, end))).toEqual(items);
		expect(found?.depth).toBe(4);
	});

	it("follows a path of keys and skips arrays elsewhere", ({ expect }) => {
		const text = '{"leads":[0],"data":{"x":[1],"leads":[{"id":1},{"id":2}]}}';

		const found = findArrayItems(text, ["data", "leads"]);

		expect(found?.items.map(({ start, end }) => text.slice(start, end))).toEqual([
			'{"id":1}',
			'{"id":2}',
		]);
	});

	it("answers nothing for a missing, repeated or unclosed list", ({ expect }) => {
		expect(findArrayItems('{"entries":[1]}', ["entry"])).toBeUndefined();
		expect(findArrayItems('{"entry":[1],"entry":[2]}', ["entry"])).toBeUndefined();
		expect(findArrayItems('{"entry":[1,2', ["entry"])).toBeUndefined();
		expect(findArrayItems('{"entry":"[1,2]"}', ["entry"])).toBeUndefined();
	});

	it("finds no items in an empty list", ({ expect }) => {
		expect(findArrayItems('{"entry":[ ]}', ["entry"])?.items).toEqual([]);
	});
});

describe("splitTikTokDelivery", () => {
	it("cuts the body into chunks whose leads read as in the whole delivery", ({ expect }) => {
		const specs = Array.from({ length: 7 }, (_, i) => ({
			leadId: newLeadId(),
			name: i === 4 ? 'Zoë "ZZ" [Ng], jr.' : `Lead ${i}`,
		}));
		const body = tiktokWebhook(specs);

		const split = splitTikTokDelivery(body, LIMITS);

		expect(split?.leads).toBe(7);
		expect(split?.chunks.map((chunk) => chunk.leads)).toEqual([3, 3, 1]);
		expect(split?.chunks.map((chunk) => chunk.body).join("")).toBe(body);
		const chunked = (split?.chunks ?? []).flatMap((chunk) =>
			leadsOf(parseTikTokChunk("entry", chunk).delivery).map(meaning),
		);
		expect(chunked).toEqual(leadsOf(parseTikTokDelivery(body)).map(meaning));
	});

	it("splits an API answer's data.leads list too", ({ expect }) => {
		const leads = Array.from(
			{ length: 4 },
			() => `{"lead_id":"${newLeadId()}","lead_data":{"name":"Ana","email":"ana@example.com"}}`,
		);
		const body = `{"code":0,"message":"OK","data":{"leads":[${leads.join(",")}]}}`;

		const split = splitTikTokDelivery(body, LIMITS);

		expect(split?.list).toBe("data.leads");
		const chunked = (split?.chunks ?? []).flatMap((chunk) =>
			leadsOf(parseTikTokChunk("data.leads", chunk).delivery).map(meaning),
		);
		expect(chunked).toEqual(leadsOf(parseTikTokDelivery(body)).map(meaning));
	});

	it("closes a chunk before its leads pass maxChars", ({ expect }) => {
		const body = tiktokWebhook(Array.from({ length: 6 }, () => ({ leadId: newLeadId() })));
		const entryChars = tiktokEntry({ leadId: newLeadId() }).length;

		const split = splitTikTokDelivery(body, { ...LIMITS, maxChars: entryChars * 2 + 1 });

		expect(split?.chunks.map((chunk) => chunk.leads)).toEqual([2, 2, 2]);
	});

	it("leaves to the whole-delivery path what it must decide as a whole", ({ expect }) => {
		const four = () => Array.from({ length: 4 }, () => tiktokEntry({ leadId: newLeadId() }));
		const cases = {
			"no more leads than maxLeads": tiktokWebhook([{ leadId: newLeadId() }]),
			"malformed JSON": tiktokEntries(four()).slice(0, -2),
			"another kind of event": tiktokEntries(four()).replace('"object":1', '"object":3'),
			"an envelope that is not JSON": tiktokEntries(four()).replace('"time":', '"time"'),
			"an API error code": `{"code":40001,"data":{"leads":[${four().join(",")}]}}`,
			"nested too deep": tiktokEntries([...four(), `${"[".repeat(70)}${"]".repeat(70)}`]),
			"a lead over maxSliceChars": tiktokEntries([
				...four(),
				tiktokEntry({ leadId: newLeadId(), name: "x".repeat(600_000) }),
			]),
		};
		for (const [label, body] of Object.entries(cases)) {
			expect(splitTikTokDelivery(body, LIMITS), label).toBeUndefined();
		}
		expect(splitTikTokDelivery(tiktokEntries(four()), { ...LIMITS, maxLeads: 0 })).toBeUndefined();
	});

	it("leaves each lead's own JSON to its chunk, which reads a broken one as invalid", ({
		expect,
	}) => {
		const entries = Array.from({ length: 4 }, () => tiktokEntry({ leadId: newLeadId() }));
		entries[3] = `{"id":${newLeadId()},"changes":[1,]}`;

		const split = splitTikTokDelivery(tiktokEntries(entries), LIMITS);

		expect(split?.chunks.map((chunk) => chunk.leads)).toEqual([3, 1]);
		const [whole, broken] = (split?.chunks ?? []).map((c) => parseTikTokChunk("entry", c));
		expect(whole?.delivery.kind).toBe("leads");
		expect(broken?.delivery).toEqual({ kind: "invalid", reason: "malformed JSON" });
		expect(broken?.text).toBe(`{"object":1,"entry":[${entries[3]}]}`);
	});
});
