// "Send a test lead": a signed sample TikTok lead pushed through the Worker's own webhook route (the
// company's ready-to-paste URL), so the operator sees the whole path work — verify, route, store,
// forward — and gets the resulting lead. It is marked as a test inside the signed body: stored with
// no rep and no turn of the round robin, and left out of every lead count.
import type { ExecutionContext } from "hono";
import { TEST_LEAD_KEY } from "../providers/tiktok";
import { signHmacSha256Hex } from "../security/hmac";
import { listClients } from "../storage/client-queries";
import { companyWebhookUrls } from "./actions";
import type { OperatorContext } from "./context";

export type Dispatch = (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response>;

/** A sample advertiser id: the URL's company_id routes the lead whatever it is. */
const SAMPLE_ADVERTISER_ID = "7000000000000000001";

export interface TestLeadResult {
	/** The webhook's HTTP status and its JSON answer's outcome counts. */
	status: number;
	created: number;
	duplicates: number;
	failed: number;
	leadId: string;
	/** The stored client, when the lead was created. */
	clientId: number | null;
}

/** A random 19-digit id starting with 7, like TikTok's lead ids (above 2^53). */
function randomLeadId(): string {
	const digits = crypto.getRandomValues(new Uint8Array(18));
	return `7${[...digits].map((d) => String(d % 10)).join("")}`;
}

/**
 * The Subscription-API webhook body as TikTok sends it (19-digit ids as bare JSON numbers), with
 * the test mark and sample form, campaign, ad group and ad names.
 */
export function sampleTikTokWebhook(leadId: string, now: Date): string {
	const seconds = Math.floor(now.getTime() / 1000);
	const changes = JSON.stringify([
		{ field: "name", value: "Test Lead" },
		{ field: "phone_number", value: "+971501234567" },
		{ field: "email", value: "test.lead@example.com" },
	]);
	return (
		`{"object":1,"entry":[{"id":${leadId},"lead_source":"INSTANT_FORM",` +
		`"advertiser_id":${SAMPLE_ADVERTISER_ID},"page_name":"Leadwire test form",` +
		`"campaign_name":"Leadwire test campaign","adgroup_name":"Leadwire test ad group",` +
		`"ad_name":"Leadwire test ad","${TEST_LEAD_KEY}":true,` +
		`"create_time":${seconds},"changes":${changes}}],"time":${seconds}}`
	);
}

export async function sendTestLead(
	ctx: OperatorContext,
	dispatch: Dispatch,
	executionCtx: ExecutionContext,
	companyId: number,
): Promise<TestLeadResult> {
	const { urls } = await companyWebhookUrls(ctx, companyId);
	const leadId = randomLeadId();
	const body = sampleTikTokWebhook(leadId, new Date());
	const headers: Record<string, string> = { "Content-Type": "application/json" };
	const secret = ctx.config.tiktok.appSecret;
	if (secret) headers["X-Open-Signature"] = await signHmacSha256Hex(secret, body);
	const response = await dispatch(
		new Request(urls.tiktok, { method: "POST", headers, body }),
		ctx.env,
		executionCtx,
	);
	const answer: { created?: number; duplicates?: number; failed?: number } = await response
		.json<{ created?: number; duplicates?: number; failed?: number }>()
		.catch(() => ({}));
	const page = await listClients(
		ctx.db,
		{ companyId, externalId: leadId },
		{ beforeId: undefined, limit: 1 },
	);
	return {
		status: response.status,
		created: answer.created ?? 0,
		duplicates: answer.duplicates ?? 0,
		failed: answer.failed ?? 0,
		leadId,
		clientId: page.items[0]?.id ?? null,
	};
}
