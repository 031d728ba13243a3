// Meta Page health from Graph's answers (pure): the Page token (GET /debug_token: valid, expires_at,
// leads_retrieval), the app's leadgen subscription on the Page (GET /{page-id}/subscribed_apps) and the
// Business Extension install the token came from.
import type { GraphResult } from "../enrichers/meta-graph";
import { isJsonObject, type JsonValue } from "../providers/json";
import { type CheckResult, failing, ok, warning } from "./check";

/** A token expiring sooner than this is a warning. */
export const TOKEN_EXPIRY_WARNING_DAYS = 7;
const DAY_MS = 86_400_000;

/** No token at all: Graph cannot be asked and leads cannot be read. */
export function checkMissingToken(): CheckResult {
	return failing(
		"no Page access token: install the Business Extension, set the integration account's token, or META_PAGE_ACCESS_TOKEN",
	);
}

export function checkPageToken(answer: GraphResult<JsonValue>, now: Date): CheckResult {
	if (answer.kind === "retry") return warning(`could not check the token: ${answer.reason}`);
	if (answer.kind === "permanent") {
		return answer.tokenRejected
			? failing("the Page token was rejected (code 190): it must be renewed")
			: failing(`could not check the token: ${answer.reason}`);
	}
	const data = isJsonObject(answer.value) ? answer.value : {};
	if (data.is_valid !== true) {
		const error = isJsonObject(data.error) ? data.error : {};
		const code = typeof error.code === "number" ? ` (code ${error.code})` : "";
		return failing(`the Page token is no longer valid${code}: it must be renewed`);
	}
	const scopes = Array.isArray(data.scopes) ? data.scopes : [];
	if (!scopes.includes("leads_retrieval")) {
		return failing("the Page token lacks the leads_retrieval permission: leads cannot be read");
	}
	const expiresAt = typeof data.expires_at === "number" ? data.expires_at : 0;
	if (expiresAt === 0) return ok("token valid, never expires, has leads_retrieval");
	const expires = new Date(expiresAt * 1000);
	const day = expires.toISOString().slice(0, 10);
	if (expires.getTime() <= now.getTime()) {
		return failing(`the Page token expired on ${day}: it must be renewed`);
	}
	const daysLeft = Math.ceil((expires.getTime() - now.getTime()) / DAY_MS);
	if (daysLeft <= TOKEN_EXPIRY_WARNING_DAYS) {
		return warning(
			`the Page token expires on ${day} (in ${daysLeft} day${daysLeft === 1 ? "" : "s"}): renew it`,
		);
	}
	return ok(`token valid until ${day}, has leads_retrieval`);
}

/** `appId` (META_APP_ID) names our app; without it any app subscribed to leadgen counts. */
export function checkPageSubscription(
	answer: GraphResult<JsonValue[]>,
	appId: string | undefined,
): CheckResult {
	if (answer.kind === "retry") return warning(`could not check the subscription: ${answer.reason}`);
	if (answer.kind === "permanent") {
		return failing(`could not check the subscription: ${answer.reason}`);
	}
	const apps = answer.value.filter(isJsonObject);
	const ours = appId === undefined ? apps : apps.filter((app) => String(app.id) === appId);
	const withLeadgen = ours.some(
		(app) => Array.isArray(app.subscribed_fields) && app.subscribed_fields.includes("leadgen"),
	);
	if (withLeadgen) return ok("the app is subscribed to the Page's leadgen field");
	if (ours.length > 0) {
		return failing(
			"the app is installed on the Page without the leadgen field: POST /{page-id}/subscribed_apps?subscribed_fields=leadgen",
		);
	}
	return failing(
		"the app is not subscribed to the Page: leads will not arrive (POST /{page-id}/subscribed_apps?subscribed_fields=leadgen)",
	);
}

export interface InstallState {
	status: string;
	hasToken: boolean;
	uninstalledAt: string | null;
}

export function checkFbeInstall(install: InstallState): CheckResult {
	if (install.status !== "installed") {
		const when = install.uninstalledAt ? ` on ${install.uninstalledAt.slice(0, 10)}` : "";
		return failing(`the Business Extension was uninstalled${when}: its Pages' leads are not read`);
	}
	if (!install.hasToken) return failing("the install has no usable token");
	return ok("installed, with a token");
}
