// TikTok subscription and silence checks (pure).
import { describe, it } from "vitest";
import { checkSilence } from "../../src/health/silence-check";
import { checkTikTokSubscription } from "../../src/health/tiktok-check";

const subscriptions = (advertiserId: string) => ({
	status: 200,
	body: {
		code: 0,
		message: "OK",
		data: {
			subscriptions: [
				{ subscribe_entity: "LEAD", subscription_detail: { advertiser_id: advertiserId } },
			],
		},
	},
});

describe("checkTikTokSubscription", () => {
	it("finds the advertiser's LEAD subscription, or fails without it", ({ expect }) => {
		expect(
			checkTikTokSubscription(subscriptions("7398120456712340987"), "7398120456712340987").status,
		).toBe("ok");
		expect(checkTikTokSubscription(subscriptions("1"), "7398120456712340987").reason).toContain(
			"no LEAD subscription",
		);
	});

	it("reads the code over the HTTP status: throttled warns, other codes fail", ({ expect }) => {
		const answer = (code: number) => ({ status: 200, body: { code, message: "x", data: {} } });
		expect(checkTikTokSubscription(answer(40100), "1").status).toBe("warning");
		expect(checkTikTokSubscription(answer(40105), "1").status).toBe("failing");
		expect(checkTikTokSubscription({ status: 502, body: undefined }, "1").status).toBe("warning");
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
