// TikTok subscription and silence checks (pure).
import { describe, it } from "vitest";
import { checkSilence } from "../../src/health/silence-check";
import { readSubscriptionPage, subscribesAccount } from "../../src/health/tiktok-check";

const ADVERTISER = "7398120456712340987";

describe("readSubscriptionPage", () => {
	it("reads the page's subscriptions and total_page; a missing page_info is one page", ({
		expect,
	}) => {
		const page = readSubscriptionPage({
			status: 200,
			body: {
				code: 0,
				message: "OK",
				data: {
					subscriptions: [{ subscribe_entity: "LEAD" }],
					page_info: { page: 1, page_size: 1000, total_number: 1500, total_page: 2 },
				},
			},
		});
		expect(page).toEqual({
			kind: "page",
			subscriptions: [{ subscribe_entity: "LEAD" }],
			totalPages: 2,
		});
		expect(readSubscriptionPage({ status: 200, body: { code: 0, data: {} } })).toEqual({
			kind: "page",
			subscriptions: [],
			totalPages: 1,
		});
	});

	it("reads the code over the HTTP status: throttled warns, other codes fail", ({ expect }) => {
		const answer = (code: number) => ({ status: 200, body: { code, message: "x", data: {} } });
		const result = (page: ReturnType<typeof readSubscriptionPage>) =>
			page.kind === "stop" ? page.result.status : "page";
		expect(result(readSubscriptionPage(answer(40100)))).toBe("warning");
		expect(result(readSubscriptionPage(answer(40105)))).toBe("failing");
		expect(result(readSubscriptionPage({ status: 502, body: undefined }))).toBe("warning");
	});
});

describe("subscribesAccount", () => {
	it("matches a LEAD subscription on advertiser_id or library_id", ({ expect }) => {
		const lead = (detail: Record<string, string>) => ({
			subscribe_entity: "LEAD",
			subscription_detail: detail,
		});
		expect(subscribesAccount(lead({ advertiser_id: ADVERTISER }), ADVERTISER)).toBe(true);
		expect(subscribesAccount(lead({ library_id: ADVERTISER }), ADVERTISER)).toBe(true);
		expect(subscribesAccount(lead({ advertiser_id: "1" }), ADVERTISER)).toBe(false);
		expect(
			subscribesAccount(
				{ subscribe_entity: "AD_GROUP", subscription_detail: { advertiser_id: ADVERTISER } },
				ADVERTISER,
			),
		).toBe(false);
	});
});

describe("checkSilence", () => {
	it("warns only about a daily flow gone quiet, and keeps warning until a lead comes", ({
		expect,
	}) => {
		expect(checkSilence({ recent: 0, daysWithLeads: 7 }, 24, undefined).status).toBe("warning");
		expect(checkSilence({ recent: 0, daysWithLeads: 6 }, 24, undefined).status).toBe("ok");
		expect(checkSilence({ recent: 0, daysWithLeads: 2 }, 24, "warning").status).toBe("warning");
		expect(checkSilence({ recent: 3, daysWithLeads: 7 }, 24, "warning")).toEqual({
			status: "ok",
			reason: "3 leads in the last 24 h",
		});
	});
});
