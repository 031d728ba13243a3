// Fakes of the notification channels' far ends, answering as the real services do:
// - Resend POST https://api.resend.com/emails: Bearer key; 200 {"id": "<uuid>"}; errors as
//   {"statusCode", "name", "message"}: 401 missing_api_key, 422 validation_error, 429
//   rate_limit_exceeded (with retry-after), 500 application_error
//   (resend.com/docs/api-reference/emails/send-email, resend.com/docs/api-reference/errors;
//   Idempotency-Key replays the first answer for 24 h: resend.com/docs/dashboard/emails/idempotency-keys).
// - Slack incoming webhooks: 200 "ok" (text/html); 400 invalid_payload, 403 action_prohibited,
//   404 channel_not_found, 410 channel_is_archived, 500 rollup_error as plain-text bodies
//   (api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks).
// - A Standard Webhooks receiver: any 2xx accepts (standardwebhooks.com); tests steer its status.
// Every other host gets a 599, so nothing reaches the network.
import { vi } from "vitest";

export const RESEND_KEY = "re_test_0123456789abcdef";
/** A rep's Slack incoming webhook URL (one per test company, so tests sharing D1 stay apart). */
export const slackUrl = (who: string, companyId: number) =>
	`https://hooks.slack.com/services/T0REPS/B0${who.toUpperCase()}${companyId}/slackSecret${companyId}`;
export const receiverUrl = (companyId: number) =>
	`https://receiver.example.com/leadwire/hooks/${companyId}`;
export const EMAIL_FROM = "Leadwire <leads@notify.example.com>";

export interface Captured {
	url: string;
	host: string;
	path: string;
	headers: Record<string, string>;
	body: string;
}

export class FakeNotifyWorld {
	readonly requests: Captured[] = [];
	/** Status the webhook receiver answers (default 204). */
	receiverStatus = 204;
	/** Plain-text Slack error answers for the next Slack posts, in order, e.g. [404, "channel_not_found"]. */
	readonly slackErrors: [number, string][] = [];
	/** Resend answers 500 application_error while this is above 0 (counting down). */
	resendDownForCalls = 0;
	private readonly emailsByKey = new Map<string, string>();

	install(): this {
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) =>
			this.handle(new Request(input, init)),
		);
		return this;
	}

	/** Emails sent to this address. */
	emailsTo(address: string): Captured[] {
		return this.requests.filter(
			(r) =>
				r.host === "api.resend.com" &&
				(JSON.parse(r.body) as { to?: string[] }).to?.[0] === address,
		);
	}

	/** Posts to exactly this URL (a Slack webhook, a receiver). */
	postsTo(url: string): Captured[] {
		return this.requests.filter((r) => r.url === url);
	}

	private async handle(request: Request): Promise<Response> {
		const url = new URL(request.url);
		const captured: Captured = {
			url: request.url,
			host: url.host,
			path: url.pathname,
			headers: Object.fromEntries(request.headers),
			body: await request.text(),
		};
		this.requests.push(captured);
		if (url.host === "api.resend.com" && url.pathname === "/emails") return this.resend(captured);
		if (url.host === "hooks.slack.com") return this.slack();
		if (url.host === "receiver.example.com")
			return new Response(null, { status: this.receiverStatus });
		return new Response(`fake: no route for ${request.url}`, { status: 599 });
	}

	private resend(request: Captured): Response {
		const error = (statusCode: number, name: string, message: string, headers = {}) =>
			Response.json({ statusCode, name, message }, { status: statusCode, headers });
		if (request.headers.authorization !== `Bearer ${RESEND_KEY}`) {
			return error(401, "missing_api_key", "Missing API key in the authorization header.");
		}
		if (this.resendDownForCalls > 0) {
			this.resendDownForCalls--;
			return error(500, "application_error", "An unexpected error occurred.");
		}
		const body = JSON.parse(request.body) as { from?: string; to?: string[]; subject?: string };
		if (!body.from || !body.to?.length || !body.subject) {
			return error(422, "validation_error", "Missing `to` field.");
		}
		const key = request.headers["idempotency-key"];
		const known = key ? this.emailsByKey.get(key) : undefined;
		const id = known ?? crypto.randomUUID();
		if (key) this.emailsByKey.set(key, id);
		return Response.json({ id });
	}

	private slack(): Response {
		const next = this.slackErrors.shift();
		if (next)
			return new Response(next[1], { status: next[0], headers: { "Content-Type": "text/plain" } });
		return new Response("ok", { status: 200, headers: { "Content-Type": "text/html" } });
	}
}
