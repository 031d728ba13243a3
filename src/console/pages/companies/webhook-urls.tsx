// The Webhook URLs card of a company's page: the ready-to-paste URLs per source, each a copy
// target (console.js adds the buttons), the Meta app's one callback with routing by Page explained,
// and "Send a test lead" under them.
import type { FC } from "hono/jsx";
import type { companyWebhookUrls } from "../../../operator/actions";
import { TestLeadButton } from "./test-lead";

const URL_LABELS = {
	tiktok: "TikTok Lead Gen",
	meta: "Meta app callback (Lead Ads, Business Extension, WhatsApp)",
	forms: "Website forms",
};

const UrlRow: FC<{ name: keyof typeof URL_LABELS; url: string }> = ({ name, url }) => (
	<div class="url">
		<strong>{URL_LABELS[name]}</strong>
		<code data-copy={`${URL_LABELS[name]} URL`} id={`url-${name}`}>
			{url}
		</code>
	</div>
);

export const WebhookUrls: FC<{
	id: number;
	webhook: Awaited<ReturnType<typeof companyWebhookUrls>>;
	csrf: string;
}> = ({ id, webhook, csrf }) => (
	<section class="card" aria-labelledby="urls">
		<h2 id="urls">Webhook URLs</h2>
		<p class="muted">
			Paste these into TikTok Leads Center and your website form
			{webhook.signed ? " (signed: the sig parameter must stay)." : "."}
		</p>
		<UrlRow name="tiktok" url={webhook.urls.tiktok} />
		<UrlRow name="forms" url={webhook.urls.forms} />
		<UrlRow name="meta" url={webhook.urls.meta} />
		<p class="muted" id="meta-routing">
			Meta allows one callback URL per app, so every company shares this one: paste it once in the
			app's Webhooks settings. Meta leads reach this company by their Page: add each of its Pages
			under <a href="#accounts">Integration accounts</a> (Meta Lead Ads, the Page id).
		</p>
		<TestLeadButton id={id} csrf={csrf} />
	</section>
);
