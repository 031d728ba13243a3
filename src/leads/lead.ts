// The normalised lead every inbound adapter produces (pure data, no company, no I/O), and the profile a
// provider files its leads under. Phones stay raw: E.164 needs the company's default country, known after routing.

/** One form answer; multi-value answers keep every value. */
export interface LeadAnswer {
	name: string;
	values: string[];
}

export interface LeadDraft {
	/** The provider's lead id, exactly as sent (19-digit TikTok ids are never rounded). */
	externalId: string;
	/** The provider's routing key (TikTok advertiser id), when the payload carries one. */
	routingKey: string | undefined;
	formId: string | undefined;
	fullName: string | null;
	email: string | null;
	/** Phone values as given; normalised to E.164 at ingest. */
	phones: string[];
	answers: LeadAnswer[];
	/** The form, campaign, ad set and ad the provider named, when it sent them. */
	attribution?: Attribution;
	/** The console's "Send a test lead": stored, but given no rep and counted nowhere. */
	isTest?: boolean;
	/**
	 * The lead's own payload (re-serialised with ids as strings): what a failure log keeps for replay.
	 * A function, so the stored-as-client path never pays for serialising it.
	 */
	payload: () => string;
}

/** A part of a delivery that could not become a lead (e.g. an entry without an id). */
export interface LeadReject {
	reason: string;
	payload: string;
}

/** What a delivery is filed as in integration_logs (and its clients' source). */
export interface DeliveryKind {
	provider: string;
	source: string;
	action: string;
}

/** What a provider's leads are called and filed as. */
export interface ProviderProfile extends DeliveryKind {
	/** Name of the company's default integration account, created on first use. */
	accountName: string;
}

/**
 * Where a lead came from, in the provider's own ids and names (TikTok's webhook entry, Meta's Graph
 * lead read): only the keys it sent. Stored as JSON on the client (`clients.attribution`).
 */
export type Attribution = { [Key in (typeof ATTRIBUTION_KEYS)[number]]?: string };

export const ATTRIBUTION_KEYS = [
	"form_name",
	"campaign_id",
	"campaign_name",
	"ad_set_id",
	"ad_set_name",
	"ad_id",
	"ad_name",
] as const;

/**
 * The attribution of a provider record, read through `keys` (our key → the provider's), keeping
 * only non-empty values (Meta sends "0" ad ids for organic leads: those are kept out too).
 */
export function attributionFrom(
	read: (providerKey: string) => string | undefined,
	keys: Record<keyof Attribution, string>,
): Attribution | undefined {
	const attribution: Attribution = {};
	for (const key of ATTRIBUTION_KEYS) {
		const value = read(keys[key])?.trim();
		if (value && value !== "0") attribution[key] = value;
	}
	return Object.keys(attribution).length > 0 ? attribution : undefined;
}
