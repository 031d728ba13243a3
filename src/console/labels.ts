// Operator words for the machine values the console shows: sources, providers, receipt actions and
// the stock receipt messages. The operator API keeps the machine values; only pages use these.

const PROVIDER_WORDS: Record<string, string> = {
	tiktok: "TikTok",
	meta: "Meta",
	whatsapp: "WhatsApp",
	webform: "Website form",
	fbe: "Facebook Business Extension",
	salesforce: "Salesforce",
};

/** A client's source or a receipt's provider, e.g. "webform" → "Website form". */
export function providerLabel(provider: string): string {
	return PROVIDER_WORDS[provider] ?? humanise(provider);
}

const ACTION_WORDS: Record<string, string> = {
	tiktok_lead_received: "TikTok lead received",
	meta_lead_received: "Meta lead received",
	meta_webhook: "Meta webhook",
	whatsapp_message_received: "WhatsApp message received",
	form_submission_received: "Website form received",
	fbe_install: "Business Extension installed",
	fbe_uninstall: "Business Extension uninstalled",
	salesforce_forward: "Salesforce forward",
	hubspot_forward: "HubSpot forward",
	twenty_forward: "Twenty forward",
	webhook_forward: "Webhook forward",
	backfill: "Backfill",
};

/** A receipt's action, e.g. "tiktok_lead_received" → "TikTok lead received". */
export function actionLabel(action: string): string {
	return ACTION_WORDS[action] ?? humanise(action);
}

/**
 * A receipt's message in operator words: the stock success and duplicate messages name the lead,
 * not its row ("client 14 created" → "Lead created"); other messages keep their words, with any
 * "client N" read as "lead N" (the console's own name for it).
 */
export function reasonLabel(message: string | null): string {
	if (message === null) return "";
	return message
		.replace(/^client \d+ created/, "Lead created")
		.replace(/^duplicate of client \d+/, "Already received: duplicate of an earlier lead")
		.replace(/^message from client \d+/, "Message from a known lead")
		.replace(/\bclient (\d+)\b/g, "lead $1");
}

/** Our own snake_case words as a sentence: "meta_handshake" → "Meta handshake". */
function humanise(value: string): string {
	const words = value.replace(/_/g, " ");
	return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The lead's attribution keys (clients.attribution) as the lead page labels them. */
export const ATTRIBUTION_LABELS: { key: string; label: string }[] = [
	{ key: "campaign", label: "Campaign" },
	{ key: "ad_set", label: "Ad set" },
	{ key: "ad", label: "Ad" },
];

/** "Name (id)", the name alone, or the id alone: what the provider sent of a campaign, ad set or ad. */
export function namedId(name: string | undefined, id: string | undefined | null): string | null {
	if (name && id) return `${name} (${id})`;
	return name ?? id ?? null;
}

/**
 * A first-response time in operator words, to its two largest units: "45 s", "3 min 20 s",
 * "2 h 5 min", "3 d 4 h" (tenths of a second round to whole seconds).
 */
export function durationLabel(seconds: number): string {
	const whole = Math.max(0, Math.round(seconds));
	const parts = [
		{ count: Math.floor(whole / 86_400), unit: "d" },
		{ count: Math.floor(whole / 3_600) % 24, unit: "h" },
		{ count: Math.floor(whole / 60) % 60, unit: "min" },
		{ count: whole % 60, unit: "s" },
	];
	const first = parts.findIndex((part) => part.count > 0);
	if (first === -1) return "0 s";
	return parts
		.slice(first, first + 2)
		.filter((part, i) => i === 0 || part.count > 0)
		.map((part) => `${part.count} ${part.unit}`)
		.join(" ");
}
