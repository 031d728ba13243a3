// The one message a run sends (pure): Slack incoming-webhook JSON `{ text, blocks }`, or with
// ALERT_FORMAT=json `{ source, alerts: [...] }`. Every alert links to where it can be seen.
import type { AlertRow } from "../storage/health";
import { absolute } from "./links";

const ICONS = { failing: ":red_circle:", warning: ":warning:", ok: ":white_check_mark:" } as const;
/** Slack allows 50 blocks per message; one goes to the header. */
export const MAX_ALERTS_PER_MESSAGE = 49;

export function alertMessage(
	rows: AlertRow[],
	format: "slack" | "json",
	publicBaseUrl: string | undefined,
): unknown {
	if (format === "json") {
		return {
			source: "leadwire",
			alerts: rows.map((row) => ({
				id: row.id,
				problem: row.problemKey,
				status: row.status,
				text: row.text,
				link: absolute(row.link, publicBaseUrl),
				created_at: row.createdAt,
			})),
		};
	}
	const summary = `Leadwire: ${rows.length} alert${rows.length === 1 ? "" : "s"}`;
	return {
		text: `${summary}: ${rows.map((row) => row.text).join(" · ")}`,
		blocks: [
			{ type: "header", text: { type: "plain_text", text: summary } },
			...rows.map((row) => ({
				type: "section",
				text: {
					type: "mrkdwn",
					text: `${ICONS[row.status]} ${escapeMrkdwn(row.text)}\n${linkText(row.link, publicBaseUrl)}`,
				},
			})),
		],
	};
}

function linkText(path: string, publicBaseUrl: string | undefined): string {
	const url = absolute(path, publicBaseUrl);
	return publicBaseUrl ? `<${url}|${escapeMrkdwn(path)}>` : `\`${escapeMrkdwn(url)}\``;
}

/** Slack mrkdwn control characters (`&`, `<`, `>`) are escaped as its docs ask. */
function escapeMrkdwn(text: string): string {
	return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
