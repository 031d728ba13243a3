// Slack incoming webhooks: POST the Block Kit message to the channel's (sealed) webhook URL; 200
// "ok" is sent; 400 invalid_payload, 403 action_prohibited, 404 channel_not_found and 410
// channel_is_archived are permanent, 429 and 5xx are retried (api.slack.com/messaging/webhooks,
// api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks).
import { checkOutboundUrl } from "../security/outbound-url";
import { type Fetch, timedCall } from "../timed-call";
import { slackMessage } from "./message";
import type { Notice, Notifier } from "./notifier";
import { outcomeOf, unusable } from "./outcomes";

const TIMEOUT_MS = 10_000;
const SLACK_ERROR = /^[a-z_]{1,64}$/;

export function slackNotifier(
	webhookUrl: string,
	options: { allowLoopbackHttp: boolean },
	fetch: Fetch,
): Notifier {
	return {
		async send(notice: Notice) {
			const url = checkOutboundUrl(webhookUrl, options);
			if (!url.ok) return unusable("url_refused");
			const call = await timedCall(
				fetch,
				url.url.href,
				{
					method: "POST",
					headers: { "Content-Type": "application/json" },
					body: JSON.stringify(slackMessage(notice)),
				},
				TIMEOUT_MS,
			);
			const text = call.ok && !call.response.ok ? (await call.response.text()).trim() : "";
			return outcomeOf(call, (status) => (SLACK_ERROR.test(text) ? text : `HTTP ${status}`));
		},
	};
}
