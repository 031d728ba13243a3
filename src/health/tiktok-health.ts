// TikTok checks: for each TikTok advertiser account with an access token set by the operator, ask the
// Subscription API (`GET /open_api/v1.3/subscription/get/`, header Access-Token, providers.md §1.1)
// whether its LEAD subscription still exists. Needs TIKTOK_APP_ID and TIKTOK_APP_SECRET.

import { openToken } from "../intake/page-tokens";
import { parseJsonLossless } from "../providers/json";
import { listTokenAccounts } from "../storage/health";
import { timedCall } from "../timed-call";
import { type CheckOutcome, failing, warning } from "./check";
import type { HealthDeps } from "./deps";
import { links } from "./links";
import { checkTikTokSubscription } from "./tiktok-check";

export const TIKTOK_SUBSCRIPTION_URL =
	"https://business-api.tiktok.com/open_api/v1.3/subscription/get/";
const TIKTOK_PROVIDER = "tiktok";

export async function tiktokChecks(deps: HealthDeps): Promise<CheckOutcome[]> {
	const appId = deps.config.health.tiktokAppId;
	const secret = deps.config.tiktok.appSecret;
	if (!appId || !secret) return [];
	const accounts = await listTokenAccounts(deps.db, TIKTOK_PROVIDER);
	const outcomes: CheckOutcome[] = [];
	for (const account of accounts) {
		const about = {
			key: `tiktok_subscription:${account.externalId}`,
			kind: "tiktok_subscription",
			companyId: account.companyId,
			subject: `TikTok advertiser ${account.externalId} LEAD subscription (company ${account.companyId})`,
			link: links.account(account.accountId),
		};
		const token = await openToken(deps, account.sealed);
		if (!token) {
			outcomes.push({ ...about, ...failing("the stored access token cannot be opened") });
			continue;
		}
		const url = new URL(TIKTOK_SUBSCRIPTION_URL);
		url.searchParams.set("app_id", appId);
		url.searchParams.set("secret", secret);
		url.searchParams.set("subscribe_entity", "LEAD");
		const call = await timedCall(deps.fetch, url.href, {
			method: "GET",
			headers: { "Access-Token": token, Accept: "application/json" },
		});
		if (!call.ok) {
			outcomes.push({ ...about, ...warning(`could not reach TikTok (${call.code})`) });
			continue;
		}
		const parsed = parseJsonLossless(await call.response.text().catch(() => ""));
		const body = parsed.ok ? parsed.value : undefined;
		outcomes.push({
			...about,
			...checkTikTokSubscription({ status: call.response.status, body }, account.externalId),
		});
	}
	return outcomes;
}
