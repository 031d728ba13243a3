// Meta Page health from Graph answers (pure): debug_token, subscribed_apps, FBE install state.
import { describe, it } from "vitest";
import type { GraphResult } from "../../src/enrichers/meta-graph";
import {
	checkFbeInstall,
	checkPageSubscription,
	checkPageToken,
} from "../../src/health/meta-checks";
import type { JsonValue } from "../../src/providers/json";

const NOW = new Date("2026-12-03T12:00:00Z");
const PAGE = "109876543210987";
const DAY = 86_400;
const nowSeconds = NOW.getTime() / 1000;

function token(data: Record<string, JsonValue>): GraphResult<JsonValue> {
	return {
		kind: "ok",
		value: {
			is_valid: true,
			scopes: ["leads_retrieval", "pages_show_list"],
			expires_at: 0,
			...data,
		},
	};
}

describe("checkPageToken", () => {
	it("grades the expiry: never, far, within 7 days, past", ({ expect }) => {
		expect(checkPageToken(token({}), PAGE, NOW).status).toBe("ok");
		expect(checkPageToken(token({ expires_at: nowSeconds + 30 * DAY }), PAGE, NOW)).toEqual({
			status: "ok",
			reason: "token valid until 2027-01-02, has leads_retrieval",
		});
		expect(checkPageToken(token({ expires_at: nowSeconds + 7 * DAY }), PAGE, NOW).status).toBe(
			"warning",
		);
		expect(checkPageToken(token({ expires_at: nowSeconds + 3600 }), PAGE, NOW)).toEqual({
			status: "warning",
			reason: "the Page token expires on 2026-12-03 (in 1 day): renew it",
		});
		expect(checkPageToken(token({ expires_at: nowSeconds - 60 }), PAGE, NOW).status).toBe(
			"failing",
		);
	});

	it("fails an invalid token, a missing leads_retrieval, a rejected call; warns when Graph is down", ({
		expect,
	}) => {
		expect(
			checkPageToken(token({ is_valid: false, error: { code: 190, subcode: 463 } }), PAGE, NOW),
		).toEqual({
			status: "failing",
			reason: "the Page token has expired (code 190/463): it must be renewed",
		});
		// Graph's answer for a malformed token: only error, is_valid and empty scopes.
		expect(
			checkPageToken(
				{
					kind: "ok",
					value: {
						error: { code: 190, message: "Invalid OAuth access token." },
						is_valid: false,
						scopes: [],
					},
				},
				PAGE,
				NOW,
			).reason,
		).toBe("the Page token is no longer valid (code 190): it must be renewed");
		expect(checkPageToken(token({ scopes: ["pages_show_list"] }), PAGE, NOW).reason).toContain(
			"leads_retrieval",
		);
		expect(
			checkPageToken({ kind: "permanent", reason: "Graph 400", tokenRejected: true }, PAGE, NOW)
				.status,
		).toBe("failing");
		expect(
			checkPageToken({ kind: "retry", reason: "Graph 500", rateLimited: false }, PAGE, NOW).status,
		).toBe("warning");
	});

	it("reads granular_scopes: leads_retrieval for other Pages only fails, no target_ids holds for all", ({
		expect,
	}) => {
		const granted = (targets?: string[]) =>
			token({
				granular_scopes: [
					targets
						? { scope: "leads_retrieval", target_ids: targets }
						: { scope: "leads_retrieval" },
				],
			});
		expect(checkPageToken(granted([PAGE, "2"]), PAGE, NOW).status).toBe("ok");
		expect(checkPageToken(granted(), PAGE, NOW).status).toBe("ok");
		expect(checkPageToken(granted(["2", "3"]), PAGE, NOW)).toEqual({
			status: "failing",
			reason: `the Page token holds leads_retrieval only for Pages 2, 3, not for Page ${PAGE}: leads cannot be read; grant it for this Page`,
		});
	});

	it("grades data_access_expires_at apart from expires_at: 0 never, within 14 days warns, past fails", ({
		expect,
	}) => {
		expect(checkPageToken(token({ data_access_expires_at: 0 }), PAGE, NOW).status).toBe("ok");
		expect(
			checkPageToken(token({ data_access_expires_at: nowSeconds + 30 * DAY }), PAGE, NOW).status,
		).toBe("ok");
		expect(
			checkPageToken(token({ data_access_expires_at: nowSeconds + 10 * DAY }), PAGE, NOW).status,
		).toBe("warning");
		expect(
			checkPageToken(
				token({ expires_at: nowSeconds + 3 * DAY, data_access_expires_at: nowSeconds - DAY }),
				PAGE,
				NOW,
			),
		).toEqual({
			status: "failing",
			reason:
				"the app's data access for this token ended on 2026-12-02: a Page admin must log in to the app again",
		});
	});
});

describe("checkPageSubscription", () => {
	const apps = (fields: string[], id = "42"): GraphResult<JsonValue[]> => ({
		kind: "ok",
		value: [{ id, name: "Leadwire", subscribed_fields: fields }],
	});

	it("wants our app subscribed to leadgen", ({ expect }) => {
		expect(checkPageSubscription(apps(["leadgen"]), "42").status).toBe("ok");
		expect(checkPageSubscription(apps(["leadgen"]), undefined).status).toBe("ok");
		expect(checkPageSubscription(apps(["feed"]), "42").reason).toContain(
			"without the leadgen field",
		);
		expect(checkPageSubscription(apps(["leadgen"], "99"), "42").reason).toContain("not subscribed");
		expect(checkPageSubscription({ kind: "ok", value: [] }, "42").status).toBe("failing");
		// Installed with no fields: Graph leaves the subscribed_fields key out.
		expect(
			checkPageSubscription({ kind: "ok", value: [{ id: "42", name: "Leadwire" }] }, "42").reason,
		).toContain("subscribed to no field");
	});
});

describe("checkFbeInstall", () => {
	it("is ok installed with a token, failing uninstalled or tokenless", ({ expect }) => {
		expect(
			checkFbeInstall({ status: "installed", hasToken: true, uninstalledAt: null }).status,
		).toBe("ok");
		expect(
			checkFbeInstall({ status: "installed", hasToken: false, uninstalledAt: null }).status,
		).toBe("failing");
		expect(
			checkFbeInstall({
				status: "uninstalled",
				hasToken: false,
				uninstalledAt: "2026-12-01T10:00:00.000Z",
			}).reason,
		).toBe("the Business Extension was uninstalled on 2026-12-01: its Pages' leads are not read");
	});
});
