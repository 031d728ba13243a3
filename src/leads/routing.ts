// Which company (and integration account) a lead belongs to. Pure: the facts come from storage.
// Order (DESIGN.md): ?company_id → D1 account mapping → env advertiser mapping → env single company.
import type { Config } from "../config";
import type { CompanyFacts, RoutingFacts } from "../storage/routing";

export interface RoutingRules {
	/** `?company_id` of the webhook URL. */
	queryCompanyId: number | undefined;
	/** routing key → company id, from config (TIKTOK_LEADGEN_ADVERTISER_MAPPING). */
	envMapping: Record<string, number>;
	/** The single company from config (TIKTOK_LEADGEN_COMPANY_ID). */
	envCompanyId: number | undefined;
}

export type Route =
	| { ok: true; company: CompanyFacts; accountId: number | undefined }
	| {
			ok: false;
			companyId: number | null;
			reason: string;
			/** No rule named a company (as opposed to one naming a company that does not exist). */
			unmapped: boolean;
	  };

/** TikTok's rules: the URL's company_id, then the configured advertiser mapping and company. */
export function tiktokRoutingRules(
	config: Config,
	queryCompanyId: number | undefined,
): RoutingRules {
	return {
		queryCompanyId,
		envMapping: config.tiktok.advertiserMapping,
		envCompanyId: config.tiktok.companyId,
	};
}

/** Meta's rules: the URL's company_id, else the integration account mapping alone (no env fallbacks). */
export function accountRoutingRules(queryCompanyId: number | undefined): RoutingRules {
	return { queryCompanyId, envMapping: {}, envCompanyId: undefined };
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
	const companyId =
		rules.queryCompanyId ??
		mapped?.companyId ??
		(routingKey === undefined ? undefined : rules.envMapping[routingKey]) ??
		rules.envCompanyId;
	if (companyId === undefined) {
		return { ok: false, companyId: null, reason: "no company_id", unmapped: true };
	}
	const company = facts.companiesById.get(companyId);
	if (!company)
		return {
			ok: false,
			companyId: null,
			reason: `company ${companyId} does not exist`,
			unmapped: false,
		};
	const accountId =
		mapped?.companyId === companyId ? mapped.id : (company.defaultAccountId ?? undefined);
	return { ok: true, company, accountId };
}
