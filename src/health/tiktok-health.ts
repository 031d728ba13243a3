// TikTok checks: for each TikTok advertiser account with an access token set by the operator, ask the
// Subscription API (`GET /open_api/v1.3/subscription/get/`, header Access-Token, providers.md §1.1)
// whether its LEAD subscription still exists, reading the list page by page (TikTok's default page
// holds 10) until it is found or the list ends. Needs TIKTOK_APP_ID and TIKTOK_APP_SECRET.

import { openToken } from "../intake/page-tokens";
import { parseJsonLossless } from "../providers/json";
import { listTokenAccounts } from "../storage/health";
import { timedCall } from "../timed-call";
import { type CheckOutcome, type CheckResult, failing, warning } from "./check";
import type { HealthDeps } from "./deps";
import { links } from "./links";
import {
	readSubscriptionPage,
	subscribesAccount,
	subscriptionFound,
	subscriptionListTooLong,
	subscriptionMissing,
} from "./tiktok-check";

export const TIKTOK_SUBSCRIPTION_URL =
	"https://business-api.tiktok.com/open_api/v1.3/subscription/get/";
const TIKTOK_PROVIDER = "tiktok";
/** TikTok's largest page (its default is 10). */
export const SUBSCRIPTION_PAGE_SIZE = 1000;
/** Pages read per account before the check gives up with a warning: 20,000 subscriptions. */
const MAX_SUBSCRIPTION_PAGES = 20;

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
		outcomes.push({
			...about,
			...(await findSubscription(deps, { appId, secret, token }, account.externalId)),
		});
	}
	return outcomes;
}

/** Reads the app's LEAD subscriptions page by page until one is the account's or the list ends. */
async function findSubscription(
	deps: HealthDeps,
	app: { appId: string; secret: string; token: string },
	externalId: string,
): Promise<CheckResult> {
	for (let page = 1; page <= MAX_SUBSCRIPTION_PAGES; page++) {
		const url = new URL(TIKTOK_SUBSCRIPTION_URL);
		url.searchParams.set("app_id", app.appId);
		url.searchParams.set("secret", app.secret);
		url.searchParams.set("subscribe_entity", "LEAD");
		url.searchParams.set("page", String(page));
		url.searchParams.set("page_size", String(SUBSCRIPTION_PAGE_SIZE));
		const call = await timedCall(deps.fetch, url.href, {
			method: "GET",
			headers: { "Access-Token": app.token, Accept: "application/json" },
		});
		if (!call.ok) return warning(`could not reach TikTok (${call.code})`);
		const parsed = parseJsonLossless(await call.response.text().catch(() => ""));
		const read = readSubscriptionPage({
			status: call.response.status,
			body: parsed.ok ? parsed.value : undefined,
		});
		if (read.kind === "stop") return read.result;
		if (read.subscriptions.some((subscription) => subscribesAccount(subscription, externalId))) {
			return subscriptionFound(externalId);
		}
		// An empty page ends the list too, whatever page_info says.
		if (page >= read.totalPages || read.subscriptions.length === 0) {
			return subscriptionMissing(externalId, page);
		}
	}
	return subscriptionListTooLong(externalId, MAX_SUBSCRIPTION_PAGES);
}
