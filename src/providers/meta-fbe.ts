// Facebook Business Extension `fbe_install` changes (providers.md §4): install or uninstall of a
// business, its connected assets and its access token. Pure; the token leaves only through `event`.
import { idString, isJsonObject, type JsonObject, type JsonValue } from "./json";

export interface FbeInstallEvent {
	type: "install" | "uninstall";
	/** The fbe_external_business_id chosen at install: the routing key. */
	businessId: string;
	businessManagerId: string | undefined;
	/** Present on install only; must be sealed before it is stored and never logged. */
	accessToken: string | undefined;
	/** "System User" or "User" (providers.md §4: decides whether a token exchange is needed). */
	tokenType: string | undefined;
	pixelId: string | undefined;
	adAccountId: string | undefined;
	catalogId: string | undefined;
	commerceMerchantSettingsId: string | undefined;
	pageIds: string[];
	instagramProfileIds: string[];
	profileIds: string[];
	/** installed_features / features when sent, else the flags of the value (e.g. onsite_eligible). */
	features: JsonValue;
}

/**
 * Uninstall has no field of its own: the same change arrives without access_token and assets; some
 * senders add fbe_event UNINSTALL (providers.md §4). Either one means uninstall.
 */
export function parseFbeInstall(value: JsonObject): FbeInstallEvent | { reason: string } {
	const businessId = idString(value.business_id);
	if (businessId === undefined) return { reason: "fbe_install change has no business_id" };
	const accessToken =
		typeof value.access_token === "string" && value.access_token.trim() !== ""
			? value.access_token.trim()
			: undefined;
	const event = typeof value.fbe_event === "string" ? value.fbe_event.toUpperCase() : undefined;
	const type = accessToken === undefined || event === "UNINSTALL" ? "uninstall" : "install";
	return {
		type,
		businessId,
		businessManagerId: idString(value.business_manager_id),
		accessToken: type === "install" ? accessToken : undefined,
		tokenType: typeof value.token_type === "string" ? value.token_type : undefined,
		pixelId: idString(value.pixel_id),
		adAccountId: idString(value.ad_account_id),
		catalogId: idString(value.catalog_id),
		commerceMerchantSettingsId: idString(value.commerce_merchant_settings_id),
		pageIds: ids(value.pages),
		instagramProfileIds: ids(value.instagram_profiles),
		profileIds: ids(value.profiles),
		features: value.installed_features ??
			value.features ?? {
				onsite_eligible: value.onsite_eligible ?? null,
			},
	};
}

function ids(value: JsonValue | undefined): string[] {
	if (!Array.isArray(value)) return [];
	return value.flatMap((item) => {
		const id = idString(item);
		return id === undefined ? [] : [id];
	});
}

const TOKEN_KEYS = new Set(["access_token", "merchant_access_token"]);

/** A payload with every token replaced, so a kept fbe_install payload never holds a secret. */
export function redactTokens(value: JsonValue): JsonValue {
	if (Array.isArray(value)) return value.map(redactTokens);
	if (!isJsonObject(value)) return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, item]) => [
			key,
			TOKEN_KEYS.has(key) ? "[redacted]" : redactTokens(item),
		]),
	);
}
