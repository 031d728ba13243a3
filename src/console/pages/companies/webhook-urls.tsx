// The Webhook URLs card of a company's page: the ready-to-paste URLs per source, each a copy
// target (console.js adds the buttons), with "Send a test lead" under them.
import type { FC } from "hono/jsx";
import type { companyWebhookUrls } from "../../../operator/actions";
import { TestLeadButton } from "./test-lead";

const URL_LABELS = {
	tiktok: "TikTok Lead Gen",
	meta: "Meta (Lead Ads, FBE, WhatsApp)",
	forms: "Website forms",
};

export const WebhookUrls: FC<{
	id: number;
	webhook: Awaited<ReturnType<typeof companyWebhookUrls>>;
	csrf: string;
}> = ({ id, webhook, csrf }) => (
	<section class="card" aria-labelledby="urls">
		<h2 id="urls">Webhook URLs</h2>
		<p class="muted">
			Paste these into TikTok Leads Center, the Meta app's webhook settings or your website form
			{webhook.signed ? " (signed: the sig parameter must stay)." : "."}
		</p>
		{(Object.keys(URL_LABELS) as (keyof typeof URL_LABELS)[]).map((key) => (
			<div class="url">
				<strong>{URL_LABELS[key]}</strong>
				<code data-copy={`${URL_LABELS[key]} URL`} id={`url-${key}`}>
					{webhook.urls[key]}
				</code>
			</div>
		))}
		<TestLeadButton id={id} csrf={csrf} />
	</section>
);
