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
		expect(checkPageToken(token({}), NOW).status).toBe("ok");
		expect(checkPageToken(token({ expires_at: nowSeconds + 30 * DAY }), NOW)).toEqual({
			status: "ok",
			reason: "token valid until 2027-01-02, has leads_retrieval",
		});
		expect(checkPageToken(token({ expires_at: nowSeconds + 7 * DAY }), NOW).status).toBe("warning");
		expect(checkPageToken(token({ expires_at: nowSeconds + 3600 }), NOW)).toEqual({
			status: "warning",
			reason: "the Page token expires on 2026-12-03 (in 1 day): renew it",
		});
		expect(checkPageToken(token({ expires_at: nowSeconds - 60 }), NOW).status).toBe("failing");
	});

	it("fails an invalid token, a missing leads_retrieval, a rejected call; warns when Graph is down", ({
		expect,
	}) => {
		expect(
			checkPageToken(token({ is_valid: false, error: { code: 190, subcode: 463 } }), NOW),
		).toEqual({
			status: "failing",
			reason: "the Page token is no longer valid (code 190): it must be renewed",
		});
		expect(checkPageToken(token({ scopes: ["pages_show_list"] }), NOW).reason).toContain(
			"leads_retrieval",
		);
		expect(
			checkPageToken({ kind: "permanent", reason: "Graph 400", tokenRejected: true }, NOW).status,
		).toBe("failing");
		expect(
			checkPageToken({ kind: "retry", reason: "Graph 500", rateLimited: false }, NOW).status,
		).toBe("warning");
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
