// Pure: what a notice says on each channel — an email (subject, text, HTML), a Slack Block Kit
// message, and the JSON event of a signed webhook. Lead details appear only in notices that carry
// them (the rep's own new lead, a lead reassigned to them, a reminder); the others say ids only.
import type { Notice, NoticeLead } from "./notifier";

function hasDetails(lead: Notice["lead"]): lead is NoticeLead {
	return lead !== null && "answers" in lead;
}

/** One line saying what happened, without the lead's details. */
function summary(notice: Notice): string {
	const id = notice.lead?.clientId;
	const lead = id === undefined ? "a lead" : `lead #${id}`;
	switch (notice.kind) {
		case "new_lead":
			return `New lead for ${notice.recipient ?? "you"} (${notice.companyName})`;
		case "reassigned_to":
			return `A lead was reassigned to ${notice.recipient ?? "you"}: nobody answered it in time (${notice.companyName})`;
		case "reassigned_from":
			return `Your ${lead} was reassigned to ${notice.assignee ?? "another rep"}: it was not marked contacted in time`;
		case "reminder":
			return `Reminder: ${lead} has had no first response yet (${notice.companyName})`;
		case "escalation":
			return `Escalation: ${lead} of ${notice.companyName} was reassigned ${notice.reassignments} time${notice.reassignments === 1 ? "" : "s"} without a response; it is with ${notice.assignee ?? "nobody"} now`;
		case "test":
			return `Test notification from Leadwire (${notice.companyName}): this channel works`;
	}
}

/** The lead's facts as label/value pairs, in the order a rep reads them. */
function facts(lead: NoticeLead): [string, string][] {
	const rows: [string, string | null][] = [
		["Name", lead.name],
		["Phone", lead.phone],
		["Email", lead.email],
		["Source", lead.source],
		["Form", lead.form],
		["Campaign", lead.campaign],
	];
	const answers = lead.answers.map((answer): [string, string] => [
		answer.name,
		answer.values.join(", "),
	]);
	return [...rows.filter((row): row is [string, string] => row[1] !== null), ...answers];
}

export function telLink(phone: string): string {
	return `tel:${phone}`;
}

export interface EmailContent {
	subject: string;
	text: string;
	html: string;
}

export function emailContent(notice: Notice): EmailContent {
	const lead = hasDetails(notice.lead) ? notice.lead : undefined;
	const subject = lead?.name ? `${summary(notice)}: ${lead.name}` : summary(notice);
	const rows = lead ? facts(lead) : [];
	const links = linkList(notice);
	const text = [
		summary(notice),
		"",
		...rows.map(([label, value]) => `${label}: ${value}`),
		...(lead?.phone ? [`Call: ${telLink(lead.phone)}`] : []),
		"",
		...links.map(([label, url]) => `${label}: ${url}`),
	].join("\n");
	const cells = rows
		.map(([label, value]) => {
			const shown =
				label === "Phone" && lead?.phone
					? `<a href="${escapeHtml(telLink(lead.phone))}">${escapeHtml(value)}</a>`
					: escapeHtml(value);
			return `<tr><th align="left">${escapeHtml(label)}</th><td>${shown}</td></tr>`;
		})
		.join("");
	const buttons = links
		.map(([label, url]) => `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`)
		.join(" · ");
	const html = `<p>${escapeHtml(summary(notice))}</p>${cells ? `<table>${cells}</table>` : ""}${
		buttons ? `<p>${buttons}</p>` : ""
	}`;
	return { subject, text, html };
}

/** Slack incoming-webhook JSON: `text` (the notification's fallback) and Block Kit `blocks`. */
export function slackMessage(notice: Notice): { text: string; blocks: unknown[] } {
	const lead = hasDetails(notice.lead) ? notice.lead : undefined;
	const rows = lead ? facts(lead) : [];
	const fields = rows.slice(0, 10).map(([label, value]) => ({
		type: "mrkdwn",
		text: `*${escapeMrkdwn(label)}*\n${
			label === "Phone" && lead?.phone
				? `<${telLink(lead.phone)}|${escapeMrkdwn(value)}>`
				: escapeMrkdwn(value)
		}`,
	}));
	const buttons = linkList(notice).map(([label, url], i) => ({
		type: "button",
		text: { type: "plain_text", text: label },
		url,
		action_id: `leadwire_${i}`,
	}));
	return {
		text: summary(notice),
		blocks: [
			{ type: "section", text: { type: "mrkdwn", text: escapeMrkdwn(summary(notice)) } },
			...(fields.length > 0 ? [{ type: "section", fields }] : []),
			...(buttons.length > 0 ? [{ type: "actions", elements: buttons }] : []),
		],
	};
}

/** The signed webhook's JSON: `{ type, timestamp, data }` as the Standard Webhooks spec suggests. */
export function webhookEvent(notice: Notice, now: Date): unknown {
	const lead = hasDetails(notice.lead) ? notice.lead : undefined;
	return {
		type: `lead.${notice.kind}`,
		timestamp: now.toISOString(),
		data: {
			company: notice.companyName,
			recipient: notice.recipient,
			summary: summary(notice),
			lead_id: notice.lead?.clientId ?? null,
			...(lead
				? {
						lead: {
							name: lead.name,
							phone: lead.phone,
							phone_link: lead.phone ? telLink(lead.phone) : null,
							email: lead.email,
							source: lead.source,
							form: lead.form,
							campaign: lead.campaign,
							answers: lead.answers,
							created_at: lead.createdAt,
						},
					}
				: {}),
			assignee: notice.assignee,
			links: {
				contacted: notice.links.contacted ?? null,
				not_mine: notice.links.notMine ?? null,
				open: notice.links.open ?? null,
			},
		},
	};
}

function linkList(notice: Notice): [string, string][] {
	const { contacted, notMine, open } = notice.links;
	const list: [string, string | undefined][] = [
		["Contacted", contacted],
		["Not mine", notMine],
		["Open lead", open],
	];
	return list.filter((entry): entry is [string, string] => entry[1] !== undefined);
}

export function escapeHtml(text: string): string {
	return text
		.replaceAll("&", "&amp;")
		.replaceAll("<", "&lt;")
		.replaceAll(">", "&gt;")
		.replaceAll('"', "&quot;")
		.replaceAll("'", "&#39;");
}

/** Slack mrkdwn control characters (`&`, `<`, `>`) are escaped as its docs ask. */
function escapeMrkdwn(text: string): string {
	return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
