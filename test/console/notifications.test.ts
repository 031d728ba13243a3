// The console's side of notifications: a lead's page lists what was told to whom and where it
// stands; a company's page adds channels, tests one ("Send a test notification") and sets the rules.
import { describe, it } from "vitest";
import { FakeNotifyWorld } from "../support/fake-notify";
import { NOTIFY_ENV, notifyingCompany, postLead } from "../support/notifications";
import { Operator, textOf } from "../support/operator-console";

describe("console: notifications", () => {
	it("a lead's page shows each notification with its channel and status", async ({ expect }) => {
		const world = new FakeNotifyWorld().install();
		world.receiverStatus = 503;
		const company = await notifyingCompany();
		const clientId = await postLead(company.companyId);
		const operator = await Operator.signIn();

		const page = textOf((await operator.get(`/console/leads/${clientId}`)).html);

		expect(page).toContain("Notifications");
		expect(page).toMatch(/New lead Ana · Email succeeded/);
		expect(page).toMatch(/New lead Ana · Slack succeeded/);
		expect(page).toMatch(/New lead Ana · Webhook retry HTTP 503 1 next try/);
	});

	it("a company's page adds a channel, sends a test notification and saves the rules", async ({
		expect,
	}) => {
		const world = new FakeNotifyWorld().install();
		const company = await notifyingCompany();
		const operator = await Operator.signIn(NOTIFY_ENV);
		const path = `/console/companies/${company.companyId}`;

		const added = await operator.post(`${path}/channels`, {
			employee_id: String(company.ben),
			kind: "webhook",
			target: `https://receiver.example.com/ben/${company.companyId}`,
		});
		expect(added.status).toBe(303);
		expect(textOf((await operator.follow(added)).html)).toMatch(
			/signing secret \(shown once\): whsec_/,
		);

		const refused = await operator.post(`${path}/channels`, {
			employee_id: "",
			kind: "slack",
			target: "http://hooks.slack.com/services/x",
		});
		expect(refused.status).toBe(400);
		expect(textOf(refused.html)).toContain("must be an https:// URL");

		const tested = await operator.post(`${path}/channels/${company.channels.anaSlack}/test`, {});
		expect(textOf((await operator.follow(tested)).html)).toContain("Test notification sent.");
		expect(world.postsTo(company.to.anaSlack).at(-1)?.body).toContain("Test notification");

		const rules = await operator.post(`${path}/notification-rules`, {
			sla_minutes: "30",
			escalate_after: "3",
			reminder_hours: "",
		});
		const after = await operator.follow(rules);
		expect(textOf(after.html)).toContain("Speed-to-lead rules saved.");
		expect(after.html).toMatch(/name="sla_minutes"[^>]*value="30"/);
		// Left blank: the NOTIFY_REMINDER_HOURS default.
		expect(after.html).toMatch(/name="reminder_hours"[^>]*value="24"/);
	});
});
