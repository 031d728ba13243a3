// Sample TikTok Subscription-API lead webhooks for the bench, shaped like
// test/fixtures/tiktok/subscription_webhook_single.json: ids are bare 19-digit JSON numbers and each
// body is signed with X-Open-Signature = hex HMAC-SHA256(secret, body). Invented data only.
import { createHmac } from "node:crypto";

export const BENCH_SECRET = "leadwire-bench-secret";
export const WEBHOOK_PATH = "/api/integrations/webhooks/tiktok-leadgen/";

const FIRST_LEAD_ID = 7_563_000_000_000_000_000n;
let leadCount = 0n;

/** A lead id never handed out before in this process (19 digits, above 2^53). */
export function nextLeadId() {
	leadCount += 1n;
	return String(FIRST_LEAD_ID + leadCount);
}

function entryJson(leadId) {
	return (
		`{"id":${leadId},"lead_source":"INSTANT_FORM","page_id":7541102938475610231,` +
		`"page_name":"Bench Form","advertiser_id":7398120456712340987,"advertiser_name":"Bench Co",` +
		`"campaign_id":1842093710293847,"adgroup_id":1842093710355512,"ad_id":1842093710411876,` +
		`"create_time":1793000000,"changes":[{"field":"name","value":"Bench Lead"},` +
		`{"field":"phone_number","value":"+971501234567"},` +
		`{"field":"email","value":"bench.lead@example.com"},` +
		`{"field":"What treatment are you interested in?","value":"Teeth whitening"}]}`
	);
}

/** One webhook delivery holding the given leads, as the exact text that gets signed and sent. */
export function webhookBody(leadIds) {
	return `{"object":1,"entry":[${leadIds.map(entryJson).join(",")}],"time":1793000004}`;
}

export function sign(body) {
	return createHmac("sha256", BENCH_SECRET).update(body).digest("hex");
}

/** Headers of a signed JSON delivery (Content-Length set, as a real client sends it). */
export function webhookHeaders(body) {
	return {
		"Content-Type": "application/json",
		"Content-Length": String(Buffer.byteLength(body)),
		"X-Open-Signature": sign(body),
	};
}
