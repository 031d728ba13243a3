// Meta Page health from Graph's answers (pure): the Page token (GET /debug_token: valid, expires_at,
// leads_retrieval), the app's leadgen subscription on the Page (GET /{page-id}/subscribed_apps) and the
// Business Extension install the token came from.
import type { GraphResult } from "../enrichers/meta-graph";
import { idString, isJsonObject, type JsonObject, type JsonValue } from "../providers/json";
import { type CheckResult, failing, ok, warning } from "./check";

/** A token expiring sooner than this is a warning. */
export const TOKEN_EXPIRY_WARNING_DAYS = 7;
/** The data-access window ending sooner than this is a warning: renewing it needs a person. */
export const DATA_ACCESS_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

/** No token at all: Graph cannot be asked and leads cannot be read. */
export function checkMissingToken(): CheckResult {
	return failing(
		"no Page access token: install the Business Extension, set the integration account's token, or META_PAGE_ACCESS_TOKEN",
	);
}

/** What Graph's code 190 subcodes inside `data.error` say happened to the token (providers.md). */
const TOKEN_ERROR_SUBCODES: Record<number, string> = {
	460: "was invalidated when the Page admin changed their password",
	463: "has expired",
	466: "was invalidated (the admin logged out or removed the app)",
};

/**
 * debug_token about a Page token (providers.md, "Answers the health checks and backfill read"): a bad
 * token still answers HTTP 200 with the problem in `data.error`; `expires_at` 0 is never;
 * `data_access_expires_at` is the separate ~90-day data-access window; `granular_scopes` may grant
 * leads_retrieval for other Pages only.
 */
export function checkPageToken(
	answer: GraphResult<JsonValue>,
	pageId: string,
	now: Date,
): CheckResult {
	if (answer.kind === "retry") return warning(`could not check the token: ${answer.reason}`);
	if (answer.kind === "permanent") {
		return answer.tokenRejected
			? failing("the Page token was rejected (code 190): it must be renewed")
			: failing(`could not check the token: ${answer.reason}`);
	}
	const data = isJsonObject(answer.value) ? answer.value : {};
	if (isJsonObject(data.error) || data.is_valid !== true) return invalidToken(data);
	const scopes = Array.isArray(data.scopes) ? data.scopes : [];
	if (!scopes.includes("leads_retrieval")) {
		return failing("the Page token lacks the leads_retrieval permission: leads cannot be read");
	}
	const otherPages = leadsRetrievalElsewhere(data, pageId);
	if (otherPages !== undefined) {
		return failing(
			`the Page token holds leads_retrieval only for ${otherPages}, not for Page ${pageId}: leads cannot be read; grant it for this Page`,
		);
	}
	const expiry = dateCheck(data.expires_at, now, TOKEN_EXPIRY_WARNING_DAYS, {
		past: (day) => `the Page token expired on ${day}: it must be renewed`,
		soon: (day, days) => `the Page token expires on ${day} (${days}): renew it`,
	});
	const dataAccess = dateCheck(data.data_access_expires_at, now, DATA_ACCESS_WARNING_DAYS, {
		past: (day) =>
			`the app's data access for this token ended on ${day}: a Page admin must log in to the app again`,
		soon: (day, days) =>
			`the app's data access for this token ends on ${day} (${days}): a Page admin must log in to the app again`,
	});
	const problems = [expiry, dataAccess].filter((result) => result !== undefined);
	const worst = problems.find((p) => p.status === "failing") ?? problems[0];
	if (worst) return worst;
	const until =
		typeof data.expires_at === "number" && data.expires_at > 0
			? `valid until ${isoDay(data.expires_at)}`
			: "valid, never expires";
	return ok(`token ${until}, has leads_retrieval`);
}

function invalidToken(data: JsonObject): CheckResult {
	const error = isJsonObject(data.error) ? data.error : {};
	const code = typeof error.code === "number" ? error.code : undefined;
	const subcode = typeof error.subcode === "number" ? error.subcode : undefined;
	const what = (subcode !== undefined && TOKEN_ERROR_SUBCODES[subcode]) || "is no longer valid";
	const codes = [code, subcode].filter((n) => n !== undefined).join("/");
	return failing(`the Page token ${what}${codes ? ` (code ${codes})` : ""}: it must be renewed`);
}

/** The Pages leads_retrieval is limited to when this Page is not among them; undefined when it is. */
function leadsRetrievalElsewhere(data: JsonObject, pageId: string): string | undefined {
	const granular = Array.isArray(data.granular_scopes) ? data.granular_scopes : [];
	const grant = granular.filter(isJsonObject).find((g) => g.scope === "leads_retrieval");
	// No granular entry, or one without target_ids: the permission holds for every Page.
	if (!grant || !Array.isArray(grant.target_ids)) return undefined;
	const targets = grant.target_ids.map((id) => idString(id)).filter((id) => id !== undefined);
	if (targets.includes(pageId)) return undefined;
	if (targets.length === 0) return "no Page";
	return `${targets.length === 1 ? "Page" : "Pages"} ${targets.join(", ")}`;
}

/** A unix-seconds deadline graded against now: undefined when 0 (never), absent or far off. */
function dateCheck(
	at: JsonValue | undefined,
	now: Date,
	warningDays: number,
	say: { past: (day: string) => string; soon: (day: string, days: string) => string },
): CheckResult | undefined {
	if (typeof at !== "number" || at <= 0) return undefined;
	const day = isoDay(at);
	const left = at * 1000 - now.getTime();
	if (left <= 0) return failing(say.past(day));
	const daysLeft = Math.ceil(left / DAY_MS);
	if (daysLeft > warningDays) return undefined;
	return warning(say.soon(day, `in ${daysLeft} day${daysLeft === 1 ? "" : "s"}`));
}

const isoDay = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().slice(0, 10);

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
	// An app installed with no fields answers without the subscribed_fields key (providers.md).
	const withLeadgen = ours.some(
		(app) => Array.isArray(app.subscribed_fields) && app.subscribed_fields.includes("leadgen"),
	);
	if (withLeadgen) return ok("the app is subscribed to the Page's leadgen field");
	if (ours.some((app) => !Array.isArray(app.subscribed_fields))) {
		return failing(
			"the app is installed on the Page but subscribed to no field: leads will not arrive (POST /{page-id}/subscribed_apps?subscribed_fields=leadgen)",
		);
	}
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
