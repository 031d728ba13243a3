// The webhook URLs an operator pastes into TikTok, Meta or a website form: per company, signed with
// WEBHOOK_SIGNING_KEY when it is set (see signed-url-guard.ts), except Meta's. A Meta app has one
// callback URL for all its Pages, so its URL names no company: leads route by Page (an integration
// account), and the same URL is offered on every company's page.
import { signCompanyId } from "../security/url-signature";

export const WEBHOOK_PATHS = {
	tiktok: "/api/integrations/webhooks/tiktok-leadgen/",
	meta: "/api/integrations/webhooks/meta/",
	forms: "/api/integrations/webhooks/forms/",
} as const;

export type WebhookUrls = Record<keyof typeof WEBHOOK_PATHS, string>;

/** `base` is an origin (optionally with a path prefix) without a trailing slash. */
export async function webhookUrls(
	base: string,
	companyId: number,
	signingKey: string | undefined,
): Promise<WebhookUrls> {
	const query = new URLSearchParams({ company_id: String(companyId) });
	if (signingKey !== undefined) query.set("sig", await signCompanyId(signingKey, companyId));
	const url = (path: string) => `${base}${path}?${query}`;
	return {
		tiktok: url(WEBHOOK_PATHS.tiktok),
		meta: `${base}${WEBHOOK_PATHS.meta}`,
		forms: url(WEBHOOK_PATHS.forms),
	};
}
