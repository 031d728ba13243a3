// Speed to lead end to end (issue 22): a web-form lead is told to its rep on every channel (email
// through a faked Resend, Slack Block Kit, a Standard Webhooks receiver whose signature is checked
// here with the spec's algorithm written anew), its one-click links work once, a failing channel is
// retried then dead and alerted, and no lead detail reaches a log line.
import { env } from "cloudflare:workers";
import { describe, it, vi } from "vitest";
import { captureConsole } from "../support/console";
import { ALERT_URL } from "../support/fake-health";
import { FakeNotifyWorld } from "../support/fake-notify";
import { taskRows } from "../support/forms";
import { runCron } from "../support/meta";
import {
	clientState,
	LEAD,
	minutesAfter,
	NOTIFY_ENV,
	type NotifyingCompany,
	notificationRows,
	notifyingCompany,
	postLead,
	requestsOf,
} from "../support/notifications";
import { admin, fetchWithEnv } from "../support/requests";

const encoder = new TextEncoder();

/**
 * Standard Webhooks verification, from the spec (standardwebhooks.com, "Verifying webhooks"): the
 * key is the base64 after `whsec_`; the signed content is `${id}.${timestamp}.${body}`; the header
 * holds space-separated `v1,<base64 HMAC-SHA256>` entries.
 */
async function verifiesAsStandardWebhook(
	secret: string,
	headers: Record<string, string>,
	body: string,
): Promise<boolean> {
	const keyBytes = Uint8Array.from(atob(secret.replace(/^whsec_/, "")), (c) => c.charCodeAt(0));
	const key = await crypto.subtle.importKey(
		"raw",
		keyBytes,
		{ name: "HMAC", hash: "SHA-256" },
		false,
		["sign"],
	);
	const content = `${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`;
	const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(content)));
	const expected = `v1,${btoa(String.fromCharCode(...mac))}`;
	return (headers["webhook-signature"] ?? "").split(" ").includes(expected);
}

interface WebhookEvent {
	type: string;
	data: {
		lead_id: number;
		lead?: { name: string; phone: string; phone_link: string; email: string; source: string };
		links: { contacted: string | null; not_mine: string | null; open: string | null };
	};
}

function lastWebhookEvent(world: FakeNotifyWorld, company: NotifyingCompany): WebhookEvent {
	const post = world.postsTo(company.to.receiver).at(-1);
	if (!post) throw new Error("no webhook post");
	return JSON.parse(post.body) as WebhookEvent;
}

/** Drives the link as a browser: GET shows the confirm page, POST (its form) acts. */
function openLink(url: string, method: "GET" | "POST" = "GET") {
	return fetchWithEnv(NOTIFY_ENV, new URL(url).pathname, { method });
}

describe("notifications: a new lead", () => {
	it("reaches each of its rep's channels once, with a tel: link, and no one else's", async ({
		expect,
	}) => {
		const world = new FakeNotifyWorld().install();
		const company = await notifyingCompany();

		const clientId = await postLead(company.companyId);

		const [email] = world.emailsTo(company.to.anaEmail);
		expect(world.emailsTo(company.to.anaEmail)).toHaveLength(1);
		const sent = JSON.parse(email?.body ?? "{}") as Record<string, unknown>;
		expect(sent).toMatchObject({ to: [company.to.anaEmail], from: expect.stringContaining("@") });
		expect(sent.subject).toContain(LEAD.name);
		expect(sent.html).toContain(`href="tel:${LEAD.phone}"`);
		expect(sent.text).toContain(`tel:${LEAD.phone}`);
		expect(email?.headers["idempotency-key"]).toMatch(/^leadwire-notification\/\d+$/);

		const [slack] = world.postsTo(company.to.anaSlack);
		expect(world.postsTo(company.to.anaSlack)).toHaveLength(1);
		const blocks = JSON.stringify(JSON.parse(slack?.body ?? "{}").blocks);
		expect(blocks).toContain(`<tel:${LEAD.phone}|${LEAD.phone}>`);
		expect(blocks).toContain(LEAD.email);

		expect(world.postsTo(company.to.receiver)).toHaveLength(1);
		const event = lastWebhookEvent(world, company);
		expect(event.type).toBe("lead.new_lead");
		expect(event.data.lead).toMatchObject({
			name: LEAD.name,
			phone: LEAD.phone,
			phone_link: `tel:${LEAD.phone}`,
			email: LEAD.email,
			source: "webform",
		});
		expect(event.data.links.contacted).toMatch(/^https:\/\/relay\.test\/l\//);

		const rows = await notificationRows(clientId);
		expect(rows.map((row) => [row.channel_id, row.kind, row.status])).toEqual([
			[company.channels.anaEmail, "new_lead", "succeeded"],
			[company.channels.anaSlack, "new_lead", "succeeded"],
			[company.channels.anaWebhook, "new_lead", "succeeded"],
		]);
		// Ben (not assigned) and the manager channel heard nothing.
		expect(requestsOf(world, company)).toHaveLength(3);

		// The cron finds nothing left to send: nobody is told twice.
		await runCron(minutesAfter(new Date(), 1), NOTIFY_ENV);
		expect(requestsOf(world, company)).toHaveLength(3);
	});

	it("signs the webhook per Standard Webhooks, verified with the spec's algorithm", async ({
		expect,
	}) => {
		const world = new FakeNotifyWorld().install();
		const company = await notifyingCompany();
		await postLead(company.companyId);

		const [post] = world.postsTo(company.to.receiver);
		expect(post?.url).toBe(company.to.receiver);
		expect(post?.headers["webhook-id"]).toMatch(/^msg_leadwire_\d+$/);
		expect(Number(post?.headers["webhook-timestamp"])).toBeCloseTo(Date.now() / 1000, -2);
		expect(company.webhookSecret).toMatch(/^whsec_/);
		expect(
			await verifiesAsStandardWebhook(company.webhookSecret, post?.headers ?? {}, post?.body ?? ""),
		).toBe(true);
		// The same check fails for a body changed by one character, so it is not vacuous.
		expect(
			await verifiesAsStandardWebhook(company.webhookSecret, post?.headers ?? {}, `${post?.body} `),
		).toBe(false);
	});
});

describe("notifications: one-click links", () => {
	it("'Contacted' asks first, then closes the task and records the first response, once", async ({
		expect,
	}) => {
		const world = new FakeNotifyWorld().install();
		const company = await notifyingCompany();
		const clientId = await postLead(company.companyId);
		const link = lastWebhookEvent(world, company).data.links.contacted ?? "";

		// A GET (a mail scanner's prefetch) only shows the confirm page.
		const confirm = await openLink(link);
		expect(confirm.status).toBe(200);
		expect(await confirm.text()).toContain('<form method="post">');
		expect((await taskRows(clientId)).map((task) => task.status)).toEqual(["open"]);
		expect((await clientState(clientId))?.firstResponseAt).toBeNull();

		const done = await openLink(link, "POST");
		expect(done.status).toBe(200);
		expect(await done.text()).toContain("Marked as contacted");
		const [task] = await taskRows(clientId);
		expect(task?.status).toBe("done");
		expect((await clientState(clientId))?.firstResponseAt).toBe(task?.completed_at);

		const again = await openLink(link, "POST");
		expect(again.status).toBe(409);
		expect(await again.text()).toContain("This link was already used");
		// Opened again (GET), the page says so rather than asking.
		const reopened = await openLink(link);
		expect(reopened.status).toBe(409);
		expect(await reopened.text()).toContain("This link was already used");
		// The email's copy of the same link is the same action: used too.
		const emailHtml = JSON.parse(world.emailsTo(company.to.anaEmail)[0]?.body ?? "{}")
			.html as string;
		const emailLink = /href="(https:\/\/relay\.test\/l\/[^"]+)">Contacted/.exec(emailHtml)?.[1];
		expect((await openLink(emailLink ?? "", "POST")).status).toBe(409);
	});

	it("'Not mine' gives the lead to the next rep, who is told with the lead's details", async ({
		expect,
	}) => {
		const world = new FakeNotifyWorld().install();
		const company = await notifyingCompany();
		const clientId = await postLead(company.companyId);
		const link = lastWebhookEvent(world, company).data.links.not_mine ?? "";

		expect((await openLink(link, "POST")).status).toBe(200);

		expect((await clientState(clientId))?.assignee).toBe(company.ben);
		expect((await taskRows(clientId))[0]?.employee_id).toBe(company.ben);
		const [benEmail] = world.emailsTo(company.to.benEmail);
		expect(benEmail?.body).toContain(`tel:${LEAD.phone}`);
		const told = (await notificationRows(clientId)).filter((row) => row.round === 1);
		expect(told.map((row) => [row.kind, row.channel_id])).toEqual(
			expect.arrayContaining([
				["reassigned_to", company.channels.benEmail],
				["reassigned_from", company.channels.anaEmail],
			]),
		);
		const again = await openLink(link, "POST");
		expect(again.status).toBe(409);
		expect((await clientState(clientId))?.assignee).toBe(company.ben);
	});

	it("two clicks at once: one acts, the other is told the link was used", async ({ expect }) => {
		const world = new FakeNotifyWorld().install();
		const company = await notifyingCompany();
		const clientId = await postLead(company.companyId);
		const link = lastWebhookEvent(world, company).data.links.contacted ?? "";

		const answers = await Promise.all([openLink(link, "POST"), openLink(link, "POST")]);

		expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
		const uses = await env.DB.prepare(
			"SELECT count(*) AS n FROM action_link_uses WHERE client_id = ?",
		)
			.bind(clientId)
			.first<{ n: number }>();
		expect(uses?.n).toBe(1);
	});

	it("refuses a forged or expired link with a page saying so", async ({ expect }) => {
		const world = new FakeNotifyWorld().install();
		const company = await notifyingCompany();
		await postLead(company.companyId);
		const link = lastWebhookEvent(world, company).data.links.contacted ?? "";
		const [payload, signature] = new URL(link).pathname.slice(3).split(".");

		const forged = await openLink(`${link.slice(0, -1)}${link.endsWith("0") ? "1" : "0"}`, "POST");
		expect(forged.status).toBe(404);
		expect(await forged.text()).toContain("This link is not valid");
		expect(signature).toMatch(/^[0-9a-f]{64}$/);

		const later = new Date(Date.now() + 73 * 3_600_000);
		vi.useFakeTimers({ now: later, toFake: ["Date"] });
		try {
			const expired = await openLink(`https://relay.test/l/${payload}.${signature}`);
			expect(expired.status).toBe(410);
			expect(await expired.text()).toContain("This link has expired");
		} finally {
			vi.useRealTimers();
		}
	});
});

describe("notifications: SLA and escalation", () => {
	it("moves an unanswered lead once after 15 minutes, tells both reps and the manager", async ({
		expect,
	}) => {
		const world = new FakeNotifyWorld().install();
		const company = await notifyingCompany({
			sla_minutes: 15,
			escalate_after: 1,
			reminder_hours: 0,
		});
		const start = new Date();
		const clientId = await postLead(company.companyId);
		const before = requestsOf(world, company).length;

		await runCron(minutesAfter(start, 14), NOTIFY_ENV);
		expect((await clientState(clientId))?.assignee).toBe(company.ana);
		expect(requestsOf(world, company)).toHaveLength(before);

		// Two cron runs at once (an overlapping tick) and a third later: one reassignment.
		await Promise.all([
			runCron(minutesAfter(start, 16), NOTIFY_ENV),
			runCron(minutesAfter(start, 16), NOTIFY_ENV),
		]);
		await runCron(minutesAfter(start, 17), NOTIFY_ENV);

		const state = await clientState(clientId);
		expect(state).toMatchObject({ assignee: company.ben, reassignments: 1 });
		expect(state?.escalatedAt).not.toBeNull();
		expect((await taskRows(clientId))[0]).toMatchObject({
			status: "open",
			employee_id: company.ben,
		});
		const rows = (await notificationRows(clientId)).filter((row) => row.round === 1);
		expect(rows.map((row) => row.kind).sort()).toEqual([
			"escalation",
			"reassigned_from",
			"reassigned_from",
			"reassigned_from",
			"reassigned_to",
		]);
		expect(rows.every((row) => row.status === "succeeded")).toBe(true);
		const told = requestsOf(world, company).slice(before);
		expect(told.filter((r) => r.body.includes(company.to.benEmail))).toHaveLength(1);
		expect(told.filter((r) => r.url === company.to.anaSlack)).toHaveLength(1);
		const manager = told.filter((r) => r.url === company.to.managerSlack);
		expect(manager).toHaveLength(1);
		// The manager hears of the lead by id, never its details.
		for (const detail of [LEAD.name, LEAD.phone, LEAD.email]) {
			expect(manager[0]?.body).not.toContain(detail);
		}
		const sent = requestsOf(world, company).length;

		await runCron(minutesAfter(start, 17), NOTIFY_ENV);
		expect(requestsOf(world, company)).toHaveLength(sent);
		expect(await clientState(clientId)).toMatchObject({ assignee: company.ben, reassignments: 1 });
	});

	it("leaves a contacted lead with its rep", async ({ expect }) => {
		const world = new FakeNotifyWorld().install();
		const company = await notifyingCompany({
			sla_minutes: 15,
			escalate_after: 1,
			reminder_hours: 0,
		});
		const start = new Date();
		const clientId = await postLead(company.companyId);
		await openLink(lastWebhookEvent(world, company).data.links.contacted ?? "", "POST");

		await runCron(minutesAfter(start, 20), NOTIFY_ENV);

		expect(await clientState(clientId)).toMatchObject({ assignee: company.ana, reassignments: 0 });
	});

	it("reminds the rep once when nobody answered within the reminder hours", async ({ expect }) => {
		const world = new FakeNotifyWorld().install();
		const company = await notifyingCompany({
			sla_minutes: 0,
			escalate_after: 0,
			reminder_hours: 2,
		});
		const start = new Date();
		const clientId = await postLead(company.companyId);

		await runCron(minutesAfter(start, 121), NOTIFY_ENV);
		await runCron(minutesAfter(start, 200), NOTIFY_ENV);

		const reminders = (await notificationRows(clientId)).filter((row) => row.kind === "reminder");
		expect(reminders).toHaveLength(3);
		expect(
			world.emailsTo(company.to.anaEmail).filter((e) => e.body.includes("Reminder")),
		).toHaveLength(1);
	});
});

describe("notifications: a failing channel", () => {
	it("is retried on the schedule, then dead and alerted without lead details", async ({
		expect,
	}) => {
		const world = new FakeNotifyWorld().install();
		world.receiverStatus = 503;
		const company = await notifyingCompany();
		const start = new Date();
		const clientId = await postLead(company.companyId);
		const webhookRow = async () =>
			(await notificationRows(clientId)).find(
				(row) => row.channel_id === company.channels.anaWebhook,
			);
		expect(await webhookRow()).toMatchObject({
			status: "retry",
			attempts: 1,
			last_error_code: "HTTP 503",
		});

		for (let hour = 1; hour <= 6; hour++) await runCron(minutesAfter(start, hour * 90), NOTIFY_ENV);

		expect(await webhookRow()).toMatchObject({ status: "dead", attempts: 6 });
		expect(world.postsTo(company.to.receiver)).toHaveLength(6);

		await runCron(minutesAfter(start, 600), {
			...NOTIFY_ENV,
			ALERT_WEBHOOK_URL: ALERT_URL,
		} as Partial<Env>);
		const alerts = world.requests.filter((r) => r.url === ALERT_URL);
		expect(alerts).toHaveLength(1);
		expect(alerts[0]?.body).toContain(`1 notification of company ${company.companyId} went dead`);
		for (const detail of [LEAD.name, LEAD.phone, LEAD.email]) {
			expect(alerts[0]?.body).not.toContain(detail);
		}
	});

	it("a Slack channel that is gone (404 channel_not_found) fails at once, not retried", async ({
		expect,
	}) => {
		const world = new FakeNotifyWorld().install();
		world.slackErrors.push([404, "channel_not_found"]);
		const company = await notifyingCompany();
		const clientId = await postLead(company.companyId);

		const slack = (await notificationRows(clientId)).find(
			(row) => row.channel_id === company.channels.anaSlack,
		);
		expect(slack).toMatchObject({ status: "failed", last_error_code: "channel_not_found" });
	});
});

describe("notifications: the operator", () => {
	it("sends a test notification through a channel and shows the lead's notifications", async ({
		expect,
	}) => {
		const world = new FakeNotifyWorld().install();
		const company = await notifyingCompany();
		const clientId = await postLead(company.companyId);

		const test = await admin(`/notification-channels/${company.channels.anaSlack}/test`, {
			method: "POST",
		});
		expect(test.status).toBe(200);
		expect(await test.json()).toMatchObject({ sent: true });
		expect(world.postsTo(company.to.anaSlack).at(-1)?.body).toContain("Test notification");

		const detail = (await (await admin(`/clients/${clientId}`)).json()) as {
			notifications: { kind: string; channel_kind: string; status: string }[];
		};
		expect(detail.notifications).toEqual([
			expect.objectContaining({ kind: "new_lead", channel_kind: "email", status: "succeeded" }),
			expect.objectContaining({ kind: "new_lead", channel_kind: "slack", status: "succeeded" }),
			expect.objectContaining({ kind: "new_lead", channel_kind: "webhook", status: "succeeded" }),
		]);
	});

	it("refuses a channel URL aimed at a private host", async ({ expect }) => {
		const company = await notifyingCompany();
		const response = await admin(`/companies/${company.companyId}/notification-channels`, {
			method: "POST",
			body: { employee_id: company.ana, kind: "webhook", target: "https://10.0.0.5/hook" },
		});
		expect(response.status).toBe(400);
		expect(await response.text()).toContain("private");
	});
});

describe("notifications: tail lines", () => {
	it("carry no name, phone or email of a notified, reassigned and failing lead", async ({
		expect,
	}) => {
		const world = new FakeNotifyWorld().install();
		world.receiverStatus = 500;
		const company = await notifyingCompany({
			sla_minutes: 15,
			escalate_after: 1,
			reminder_hours: 1,
		});
		const lines = captureConsole();
		const start = new Date();

		const clientId = await postLead(company.companyId);
		await runCron(minutesAfter(start, 16), NOTIFY_ENV);
		await runCron(minutesAfter(start, 61), NOTIFY_ENV);

		expect(lines.some((line) => line.includes('"notification attempt"'))).toBe(true);
		expect(lines.some((line) => line.includes("lead sla: reassigned"))).toBe(true);
		const everything = lines.join("\n");
		for (const detail of [LEAD.name, LEAD.phone, LEAD.phone.slice(1), LEAD.email, "Lina", "5pm"]) {
			expect(everything).not.toContain(detail);
		}
		expect(
			(
				await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE client_id = ?")
					.bind(clientId)
					.first<{ n: number }>()
			)?.n,
		).toBeGreaterThan(3);
	});
});
