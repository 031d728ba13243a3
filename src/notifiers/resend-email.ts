// Email through Resend's HTTP API (POST https://api.resend.com/emails, Bearer API key, JSON
// { from, to, subject, html, text }; 200 → { id }; errors → { statusCode, name, message }:
// resend.com/docs/api-reference/emails/send-email and /errors). The notification id goes in the
// Idempotency-Key header, so a retry after a lost answer is not sent twice (kept 24 h by Resend).
import { type Fetch, timedCall } from "../timed-call";
import { emailContent } from "./message";
import type { Notice, Notifier } from "./notifier";
import { outcomeOf, unusable } from "./outcomes";

export const RESEND_URL = "https://api.resend.com/emails";
const TIMEOUT_MS = 10_000;

export function resendNotifier(
	to: string,
	settings: { apiKey: string | undefined; from: string | undefined },
	fetch: Fetch,
): Notifier {
	return {
		async send(notice: Notice) {
			const { apiKey, from } = settings;
			if (!apiKey || !from) return unusable("not_configured");
			const content = emailContent(notice);
			const call = await timedCall(
				fetch,
				RESEND_URL,
				{
					method: "POST",
					headers: {
						Authorization: `Bearer ${apiKey}`,
						"Content-Type": "application/json",
						"Idempotency-Key": `leadwire-notification/${notice.id}`,
					},
					body: JSON.stringify({ from, to: [to], ...content }),
				},
				TIMEOUT_MS,
			);
			const name = call.ok && !call.response.ok ? await errorName(call.response) : undefined;
			return outcomeOf(call, (status) => name ?? `HTTP ${status}`);
		},
	};
}

/** Resend's error `name` (e.g. validation_error, rate_limit_exceeded), never its message. */
async function errorName(response: Response): Promise<string | undefined> {
	try {
		const body = (await response.json()) as { name?: unknown };
		return typeof body.name === "string" && /^[a-z_]{1,64}$/.test(body.name)
			? body.name
			: undefined;
	} catch {
		return undefined;
	}
}
