// Which alerts a run raises and the message they make (pure).
import { describe, it } from "vitest";
import { alertMessage } from "../../src/health/alert-message";
import { planCheckAlerts } from "../../src/health/alert-plan";
import type { CheckOutcome } from "../../src/health/check";
import type { AlertRow } from "../../src/storage/health";
import * as scan from "../support/fake-health";

const check = (status: CheckOutcome["status"]): CheckOutcome => ({
	key: "salesforce:company:3",
	kind: "salesforce",
	companyId: 3,
	subject: "Salesforce connection of company 3",
	link: "/api/admin/companies/3/salesforce",
	status,
	reason: status === "ok" ? "refresh works" : "the refresh token was refused (invalid_grant)",
});

describe("planCheckAlerts", () => {
	const history = (within: string[], last: [string, "ok" | "warning" | "failing"][]) => ({
		within: new Set(within),
		last: new Map(last),
	});

	it("alerts a problem unless the same status was alerted within the repeat window", ({
		expect,
	}) => {
		expect(planCheckAlerts([check("failing")], history([], []))).toEqual([
			{
				problemKey: "salesforce:company:3",
				status: "failing",
				text: "Salesforce connection of company 3: the refresh token was refused (invalid_grant)",
				link: "/api/admin/companies/3/salesforce",
			},
		]);
		const alerted = history(
			["salesforce:company:3|failing"],
			[["salesforce:company:3", "failing"]],
		);
		expect(planCheckAlerts([check("failing")], alerted)).toEqual([]);
		// Worse news is news: a warning alerted does not hide the failure.
		const warned = history(["salesforce:company:3|warning"], [["salesforce:company:3", "warning"]]);
		expect(planCheckAlerts([check("failing")], warned)).toHaveLength(1);
	});

	it("tells a recovery once, and nothing for a check that was never reported", ({ expect }) => {
		const alerted = history([], [["salesforce:company:3", "failing"]]);
		expect(planCheckAlerts([check("ok")], alerted)).toEqual([
			expect.objectContaining({
				status: "ok",
				text: "Recovered: Salesforce connection of company 3: refresh works",
			}),
		]);
		expect(planCheckAlerts([check("ok")], history([], [["salesforce:company:3", "ok"]]))).toEqual(
			[],
		);
		expect(planCheckAlerts([check("ok")], history([], []))).toEqual([]);
	});
});

describe("alertMessage", () => {
	const row: AlertRow = {
		id: 7,
		problemKey: "receipts:tiktok:tiktok_lead_received",
		status: "failing",
		text: "2 tiktok receipts failed <unroutable> & kept",
		link: "/api/admin/logs?status=failure&action=tiktok_lead_received",
		createdAt: "2026-12-03T12:00:00.000Z",
		sentAt: null,
		attempts: 0,
		lastError: null,
	};

	it("builds Slack blocks with escaped text and a link to the base URL", ({ expect }) => {
		expect(alertMessage([row], "slack", "https://leads.example.com")).toEqual({
			text: "Leadwire: 1 alert: 2 tiktok receipts failed <unroutable> & kept",
			blocks: [
				{ type: "header", text: { type: "plain_text", text: "Leadwire: 1 alert" } },
				{
					type: "section",
					text: {
						type: "mrkdwn",
						text: ":red_circle: 2 tiktok receipts failed &lt;unroutable&gt; &amp; kept\n<https://leads.example.com/api/admin/logs?status=failure&action=tiktok_lead_received|/api/admin/logs?status=failure&amp;action=tiktok_lead_received>",
					},
				},
			],
		});
	});

	it("builds a generic JSON body", ({ expect }) => {
		expect(alertMessage([row], "json", undefined)).toEqual({
			source: "leadwire",
			alerts: [
				{
					id: 7,
					problem: "receipts:tiktok:tiktok_lead_received",
					status: "failing",
					text: "2 tiktok receipts failed <unroutable> & kept",
					link: "/api/admin/logs?status=failure&action=tiktok_lead_received",
					created_at: "2026-12-03T12:00:00.000Z",
				},
			],
		});
	});
});

describe("the alert-body scan the flow tests run", () => {
	it("catches a phone, an email, a known token and a lead payload", ({ expect }) => {
		const { personalDataIn } = scan;
		expect(personalDataIn("call +971521112233", [])).toEqual(["a phone number"]);
		expect(personalDataIn("mail sara@example.com", [])).toEqual(["an email address"]);
		expect(personalDataIn("token EAAGsecret123", ["EAAGsecret123"])).toEqual(["secret EAAGse…"]);
		expect(personalDataIn('{"field_data":[]}', [])).toEqual(["payload (field_data)"]);
		expect(personalDataIn("Meta Page 109876543210987 token (company 3): renew it", [])).toEqual([]);
	});
});
