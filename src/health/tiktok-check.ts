// TikTok LEAD subscription health from `GET /open_api/v1.3/subscription/get/` (providers.md §1.1):
// a revoked advertiser token silently kills the subscription. Every answer is HTTP 200 with
// `{ code, message, data }`; code != 0 is an error and wins over the HTTP status.
import { idString, isJsonObject, type JsonValue } from "../providers/json";
import { type CheckResult, failing, ok, warning } from "./check";

/** Throttle codes (providers.md §1.1): try again later. */
const THROTTLE_CODES = new Set([40016, 40100, 40132, 40133]);

export interface TikTokAnswer {
	status: number;
	/** Parsed losslessly: `advertiser_id` is a JSON number above 2^53 (providers.md §0.2). */
	body: JsonValue | undefined;
}

export function checkTikTokSubscription(answer: TikTokAnswer, advertiserId: string): CheckResult {
	const body = isJsonObject(answer.body) ? answer.body : undefined;
	const code = typeof body?.code === "number" ? body.code : undefined;
	if (code === undefined) {
		return warning(`could not check the subscription: HTTP ${answer.status} without a TikTok code`);
	}
	if (THROTTLE_CODES.has(code))
		return warning(`could not check the subscription: throttled (${code})`);
	if (code !== 0) {
		return failing(`TikTok refused the subscription check (code ${code}): check the app and token`);
	}
	const data = isJsonObject(body?.data) ? body.data : {};
	const subscriptions = Array.isArray(data.subscriptions) ? data.subscriptions : [];
	const found = subscriptions.some((subscription) => {
		if (!isJsonObject(subscription)) return false;
		const detail = isJsonObject(subscription.subscription_detail)
			? subscription.subscription_detail
			: {};
		return (
			(subscription.subscribe_entity === undefined || subscription.subscribe_entity === "LEAD") &&
			idString(detail.advertiser_id) === advertiserId
		);
	});
	return found
		? ok(`a LEAD subscription exists for advertiser ${advertiserId}`)
		: failing(
				`no LEAD subscription for advertiser ${advertiserId}: leads will not arrive (was the advertiser's token revoked?)`,
			);
}
