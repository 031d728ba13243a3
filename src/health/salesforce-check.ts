// Salesforce connection health from the provider's answers (providers.md §6): the refresh-token grant
// and GET /services/data/vXX.X/limits. Pure: the job makes the calls, this decides what they mean.
import { isObject, readError } from "../forwarders/salesforce-errors";
import { type CheckResult, failing, ok, warning } from "./check";

/** Under this share of daily API requests left, the connection is a warning. */
export const API_REMAINING_WARNING = 0.1;

export type GrantAnswer =
	| { ok: true }
	/** 4xx from the token endpoint: invalid_grant (revoked, expired), invalid_client... */
	| { ok: false; kind: "rejected"; code: string }
	/** The login URL did not answer usably (timeout, 5xx, HTML page). */
	| { ok: false; kind: "unreachable"; code: string };

export interface LimitsAnswer {
	status: number;
	/** The parsed body: `{ DailyApiRequests: { Max, Remaining }, ... }` or an error array. */
	body: unknown;
}

export function checkSalesforce(grant: GrantAnswer, limits?: LimitsAnswer): CheckResult {
	if (!grant.ok) {
		if (grant.kind === "rejected") {
			return failing(
				`the refresh token was refused (${grant.code}): re-authorise the connection and save the new token`,
			);
		}
		return warning(`could not reach the Salesforce token endpoint (${grant.code})`);
	}
	if (!limits) return warning("the limits could not be read");
	const errorCode = restErrorCode(limits.body);
	if (errorCode === "API_DISABLED_FOR_ORG") {
		return failing("the org's REST API is disabled (API_DISABLED_FOR_ORG): enable API access");
	}
	if (limits.status === 403 && errorCode === "REQUEST_LIMIT_EXCEEDED") {
		return failing("the org has used all its daily API requests (REQUEST_LIMIT_EXCEEDED)");
	}
	if (limits.status < 200 || limits.status >= 300) {
		return warning(`the limits call answered ${limits.status}${errorCode ? ` ${errorCode}` : ""}`);
	}
	const daily = dailyApiRequests(limits.body);
	if (!daily) return warning("the limits answer has no DailyApiRequests");
	const share = daily.max > 0 ? daily.remaining / daily.max : 0;
	const counts = `${daily.remaining} of ${daily.max} daily API requests left`;
	if (daily.remaining <= 0)
		return failing(`${counts}: forwards wait until the org's quota refills`);
	if (share < API_REMAINING_WARNING) return warning(`${counts} (under 10 %)`);
	return ok(`refresh works, API enabled, ${counts}`);
}

function dailyApiRequests(body: unknown): { max: number; remaining: number } | undefined {
	if (!isObject(body) || !isObject(body.DailyApiRequests)) return undefined;
	const { Max: max, Remaining: remaining } = body.DailyApiRequests;
	return typeof max === "number" && typeof remaining === "number" ? { max, remaining } : undefined;
}

/** REST errors are an array of `{ message, errorCode }` (providers.md §6.3). */
function restErrorCode(body: unknown): string | undefined {
	return Array.isArray(body) ? readError(body[0])?.code : undefined;
}
