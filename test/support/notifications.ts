// Notification test helpers: a company with two reps whose channels are set through the operator
// API (as an operator would), the env that switches email and links on, a web-form lead posted to
// it, and the notification, SLA and task rows read back from D1.
import { env } from "cloudflare:workers";
import { seedCompany, seedEmployee } from "./factories";
import {
	type Captured,
	EMAIL_FROM,
	type FakeNotifyWorld,
	RESEND_KEY,
	receiverUrl,
	slackUrl,
} from "./fake-notify";
import { postForm } from "./forms";
import { admin } from "./requests";

export const BASE_URL = "https://relay.test";

/** Bindings for a run with email and one-click links on. */
export const NOTIFY_ENV = {
	RESEND_API_KEY: RESEND_KEY,
	NOTIFY_EMAIL_FROM: EMAIL_FROM,
	PUBLIC_BASE_URL: BASE_URL,
} as Partial<Env>;

export const LEAD = {
	name: "Lina Saleh",
	email: "lina.saleh@example.com",
	phone: "+971501234567",
	message: "Call me after 5pm",
};

export interface NotifyingCompany {
	companyId: number;
	ana: number;
	ben: number;
	/** Ana's webhook signing secret, as the API showed it once. */
	webhookSecret: string;
	channels: { anaEmail: number; anaSlack: number; anaWebhook: number; benEmail: number };
	/** Where this company's channels point (unique per company: tests share one D1). */
	to: {
		anaEmail: string;
		benEmail: string;
		anaSlack: string;
		managerSlack: string;
		receiver: string;
	};
}

async function addChannel(companyId: number, body: Record<string, unknown>) {
	const response = await admin(`/companies/${companyId}/notification-channels`, {
		method: "POST",
		body,
	});
	if (response.status !== 201) throw new Error(`channel not added: ${await response.text()}`);
	return (await response.json()) as { id: number; secret: string | null };
}

/**
 * Ana (email, Slack, signed webhook) and Ben (email), a manager Slack channel, and, when given,
 * speed-to-lead rules.
 */
export async function notifyingCompany(rules?: Record<string, number>): Promise<NotifyingCompany> {
	const companyId = await seedCompany({ autoAssign: true, defaultCountry: "AE" });
	const ana = await seedEmployee(companyId, "Ana");
	const ben = await seedEmployee(companyId, "Ben");
	const to = {
		anaEmail: `ana.${companyId}@example.com`,
		benEmail: `ben.${companyId}@example.com`,
		anaSlack: slackUrl("ana", companyId),
		managerSlack: slackUrl("mgr", companyId),
		receiver: receiverUrl(companyId),
	};
	const anaEmail = await addChannel(companyId, {
		employee_id: ana,
		kind: "email",
		target: to.anaEmail,
	});
	const anaSlack = await addChannel(companyId, {
		employee_id: ana,
		kind: "slack",
		target: to.anaSlack,
	});
	const anaWebhook = await addChannel(companyId, {
		employee_id: ana,
		kind: "webhook",
		target: to.receiver,
	});
	const benEmail = await addChannel(companyId, {
		employee_id: ben,
		kind: "email",
		target: to.benEmail,
	});
	await addChannel(companyId, { kind: "slack", target: to.managerSlack });
	if (rules) {
		const set = await admin(`/companies/${companyId}/notification-settings`, {
			method: "PUT",
			body: rules,
		});
		if (set.status !== 200) throw new Error(`rules not set: ${await set.text()}`);
	}
	return {
		companyId,
		ana,
		ben,
		webhookSecret: anaWebhook.secret ?? "",
		channels: {
			anaEmail: anaEmail.id,
			anaSlack: anaSlack.id,
			anaWebhook: anaWebhook.id,
			benEmail: benEmail.id,
		},
		to,
	};
}

/** Posts the web-form lead (waiting for its waitUntil sends); answers its client id. */
export async function postLead(companyId: number, lead = LEAD): Promise<number> {
	const response = await postForm(companyId, lead, { env: NOTIFY_ENV });
	const body = (await response.json()) as { outcome: string };
	if (body.outcome !== "created") throw new Error(`lead not created: ${JSON.stringify(body)}`);
	const row = await env.DB.prepare(
		"SELECT id FROM clients WHERE company_id = ? ORDER BY id DESC LIMIT 1",
	)
		.bind(companyId)
		.first<{ id: number }>();
	if (!row) throw new Error("no client");
	return row.id;
}

export interface NotificationRow {
	id: number;
	client_id: number | null;
	channel_id: number;
	employee_id: number | null;
	kind: string;
	round: number;
	status: string;
	attempts: number;
	next_attempt_at: string | null;
	last_error_code: string | null;
}

export async function notificationRows(clientId: number): Promise<NotificationRow[]> {
	const { results } = await env.DB.prepare(
		"SELECT * FROM notifications WHERE client_id = ? ORDER BY id",
	)
		.bind(clientId)
		.all<NotificationRow>();
	return results;
}

export async function clientState(clientId: number) {
	return env.DB.prepare(
		`SELECT c.assigned_employee_id AS assignee, c.first_response_at AS firstResponseAt,
			s.reassignments, s.sla_due_at AS slaDueAt, s.escalated_at AS escalatedAt
		FROM clients c LEFT JOIN lead_sla s ON s.client_id = c.id WHERE c.id = ?`,
	)
		.bind(clientId)
		.first<{
			assignee: number | null;
			firstResponseAt: string | null;
			reassignments: number | null;
			slaDueAt: string | null;
			escalatedAt: string | null;
		}>();
}

export function minutesAfter(start: Date, minutes: number): Date {
	return new Date(start.getTime() + minutes * 60_000);
}

/** The requests that went to this company's channels (tests share one D1 and one fake world). */
export function requestsOf(world: FakeNotifyWorld, company: NotifyingCompany): Captured[] {
	const urls = new Set([company.to.anaSlack, company.to.managerSlack, company.to.receiver]);
	const emails = new Set([company.to.anaEmail, company.to.benEmail]);
	return world.requests.filter((request) => {
		if (urls.has(request.url)) return true;
		if (request.host !== "api.resend.com") return false;
		return emails.has((JSON.parse(request.body) as { to?: string[] }).to?.[0] ?? "");
	});
}
