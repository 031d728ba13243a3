// Which company (and integration account) a lead belongs to. Pure: the facts come from storage.
// Order (DESIGN.md): ?company_id → D1 account mapping → env advertiser mapping → env single company.
import type { Config } from "../config";
import type { CompanyFacts, RoutingFacts } from "../storage/routing";

/**
 * Providers whose routing key an integration account maps to a company, and what the key is called
 * in the operator's words (failure reasons, the Unresolved list's "Route ... to").
 */
export const ROUTING_KEY_LABELS = {
	tiktok: "TikTok advertiser",
	meta: "Meta Page",
	whatsapp: "WhatsApp phone number",
} as const satisfies Record<string, string>;

export interface RoutingRules {
	/** `?company_id` of the webhook URL. */
	queryCompanyId: number | undefined;
	/** routing key → company id, from config (TIKTOK_LEADGEN_ADVERTISER_MAPPING). */
	envMapping: Record<string, number>;
	/** The single company from config (TIKTOK_LEADGEN_COMPANY_ID). */
	envCompanyId: number | undefined;
	/** What the routing key is, in the operator's words ("TikTok advertiser", "Meta Page"). */
	keyLabel: string;
}

/** Why a lead could not be routed, in plain words naming the thing to fix. */
export interface Unrouted {
	ok: false;
	companyId: number | null;
	/** unmapped: no rule names a company; unknown_company: a rule names one that does not exist. */
	cause: "unmapped" | "unknown_company" | "inactive_account";
	routingKey: string | null;
	reason: string;
}

export type Route = { ok: true; company: CompanyFacts; accountId: number | undefined } | Unrouted;

/** TikTok's rules: the URL's company_id, then the configured advertiser mapping and company. */
export function tiktokRoutingRules(
	config: Config,
	queryCompanyId: number | undefined,
): RoutingRules {
	return {
		queryCompanyId,
		envMapping: config.tiktok.advertiserMapping,
		envCompanyId: config.tiktok.companyId,
		keyLabel: ROUTING_KEY_LABELS.tiktok,
	};
}

/**
 * Meta's rules (and WhatsApp's): the URL's company_id, else the integration account mapping alone (no
 * env fallbacks). `keyLabel` names the routing key: "Meta Page", "WhatsApp phone number"...
 */
export function accountRoutingRules(
	queryCompanyId: number | undefined,
	keyLabel: string,
): RoutingRules {
	return { queryCompanyId, envMapping: {}, envCompanyId: undefined, keyLabel };
}

/** Company ids the rules may name, so storage can load them up front. */
export function candidateCompanyIds(rules: RoutingRules): number[] {
	const ids = [rules.queryCompanyId, rules.envCompanyId, ...Object.values(rules.envMapping)];
	return [...new Set(ids.filter((id) => id !== undefined))];
}

/** Routes one lead; `accountId` undefined means the company's default account for the provider. */
export function routeLead(
	routingKey: string | undefined,
	rules: RoutingRules,
	facts: Pick<RoutingFacts, "accountsByExternalId" | "companiesById">,
): Route {
	const mapped = routingKey === undefined ? undefined : facts.accountsByExternalId.get(routingKey);
	const named = namedCompany(routingKey, rules, mapped?.companyId);
	if (named === undefined) return unmapped(routingKey, rules.keyLabel);
	const companyId = named.id;
	const company = facts.companiesById.get(companyId);
	if (!company) {
		return {
			ok: false,
			companyId: null,
			cause: "unknown_company",
			routingKey: routingKey ?? null,
			reason: `company ${companyId} does not exist (named by ${named.by})`,
		};
	}
	const accountId =
		mapped?.companyId === companyId ? mapped.id : (company.defaultAccountId ?? undefined);
	return { ok: true, company, accountId };
}

/** The company the first rule that names one names, and which rule that was (for the reason). */
function namedCompany(
	routingKey: string | undefined,
	rules: RoutingRules,
	mappedCompanyId: number | undefined,
): { id: number; by: string } | undefined {
	if (rules.queryCompanyId !== undefined) {
		return { id: rules.queryCompanyId, by: "the webhook URL's company_id" };
	}
	if (mappedCompanyId !== undefined) {
		return { id: mappedCompanyId, by: `the mapping of ${rules.keyLabel} ${routingKey}` };
	}
	const envMapped = routingKey === undefined ? undefined : rules.envMapping[routingKey];
	if (envMapped !== undefined) return { id: envMapped, by: "the advertiser mapping setting" };
	if (rules.envCompanyId !== undefined) {
		return { id: rules.envCompanyId, by: "the single-company setting" };
	}
	return undefined;
}

/** No rule names a company: the routing key is what to map (or there is none to map). */
function unmapped(routingKey: string | undefined, keyLabel: string): Unrouted {
	return {
		ok: false,
		companyId: null,
		cause: "unmapped",
		routingKey: routingKey ?? null,
		reason:
			routingKey === undefined
				? `the lead names no ${keyLabel} and no company is set to receive it`
				: `${keyLabel} ${routingKey} is not mapped to a company`,
	};
}
