// TikTok LEAD subscription health from `GET /open_api/v1.3/subscription/get/` (providers.md, "Answers
// the health checks and backfill read"): a revoked advertiser token silently kills the subscription.
// Every answer is HTTP 200 with `{ code, message, data }`; code != 0 is an error and wins over the HTTP
// status. The list is paged (`page_info.total_page`), so one page is judged at a time.
import { idString, isJsonObject, type JsonValue } from "../providers/json";
import { type CheckResult, failing, ok, warning } from "./check";

/** Throttle codes (providers.md §1.1): try again later. */
const THROTTLE_CODES = new Set([40016, 40100, 40132, 40133]);

export interface TikTokAnswer {
	status: number;
	/** Parsed losslessly: `advertiser_id` is a JSON number above 2^53 (providers.md §0.2). */
	body: JsonValue | undefined;
}

/** One page of the app's subscriptions, or the check's result when TikTok did not answer with one. */
export type SubscriptionPage =
	| { kind: "page"; subscriptions: JsonValue[]; totalPages: number }
	| { kind: "stop"; result: CheckResult };

export function readSubscriptionPage(answer: TikTokAnswer): SubscriptionPage {
	const body = isJsonObject(answer.body) ? answer.body : undefined;
	const code = typeof body?.code === "number" ? body.code : undefined;
	if (code === undefined) {
		return stop(
			warning(`could not check the subscription: HTTP ${answer.status} without a TikTok code`),
		);
	}
	if (THROTTLE_CODES.has(code)) {
		return stop(warning(`could not check the subscription: throttled (${code})`));
	}
	if (code !== 0) {
		return stop(
			failing(`TikTok refused the subscription check (code ${code}): check the app and token`),
		);
	}
	const data = isJsonObject(body?.data) ? body.data : {};
	const pageInfo = isJsonObject(data.page_info) ? data.page_info : {};
	return {
		kind: "page",
		subscriptions: Array.isArray(data.subscriptions) ? data.subscriptions : [],
		totalPages: typeof pageInfo.total_page === "number" ? pageInfo.total_page : 1,
	};
}

const stop = (result: CheckResult): SubscriptionPage => ({ kind: "stop", result });

/**
 * A LEAD subscription for the account: its id is the subscription's advertiser, or its form library
 * (subscriptions made through a Business Center carry `library_id` instead of `advertiser_id`).
 */
export function subscribesAccount(subscription: JsonValue, externalId: string): boolean {
	if (!isJsonObject(subscription)) return false;
	if (subscription.subscribe_entity !== undefined && subscription.subscribe_entity !== "LEAD") {
		return false;
	}
	const detail = isJsonObject(subscription.subscription_detail)
		? subscription.subscription_detail
		: {};
	return (
		idString(detail.advertiser_id) === externalId || idString(detail.library_id) === externalId
	);
}

export function subscriptionFound(externalId: string): CheckResult {
	return ok(`a LEAD subscription exists for advertiser ${externalId}`);
}

export function subscriptionMissing(externalId: string, pagesRead: number): CheckResult {
	const read = pagesRead === 1 ? "" : ` (${pagesRead} pages of subscriptions read)`;
	return failing(
		`no LEAD subscription for advertiser ${externalId}${read}: leads will not arrive (was the advertiser's token revoked?)`,
	);
}

/** More pages than the check reads (each holds up to 1000 subscriptions): it cannot say. */
export function subscriptionListTooLong(externalId: string, pagesRead: number): CheckResult {
	return warning(
		`could not find advertiser ${externalId} in the first ${pagesRead} pages of the app's subscriptions`,
	);
}
