// Which integration accounts a backfill can read, and why not the others: only Meta Pages (TikTok
// leads cannot be fetched again, providers.md §0.3), active, with a Page id, and with a token to read
// their leads (FBE install → account token → META_PAGE_ACCESS_TOKEN, as lead reads choose it).
import { type PageTokenDeps, resolvePageTokens } from "../intake/page-tokens";
import type { IntegrationAccount } from "../storage/integration-accounts";
import { META_PROVIDER } from "../storage/meta-lead-fetches";

/** Operator words; the why is in providers.md §0.3 and §1.1 (no lead id on /lead/get/, an async CSV export). */
export const UNSUPPORTED_REASON: Record<string, string> = {
	tiktok:
		"TikTok leads cannot be read again: TikTok offers no way to fetch a lead by its id, only an admin's CSV export from Leads Center",
};

/** The provider has a documented way to read its leads again (Meta only). */
export function canBackfill(provider: string): boolean {
	return provider === META_PROVIDER;
}

export function unsupportedReason(provider: string): string {
	return UNSUPPORTED_REASON[provider] ?? `no backfill for provider ${provider}`;
}

export const NO_PAGE_ID = "the account has no Page id";

export function noPageToken(pageId: string): string {
	return `no Page access token for page ${pageId}: install the Business Extension, set the account's token, or META_PAGE_ACCESS_TOKEN`;
}

/** For each account, in order: why a backfill cannot read it now, or undefined when it can. */
export async function backfillBlockers(
	deps: PageTokenDeps,
	accounts: IntegrationAccount[],
): Promise<(string | undefined)[]> {
	const pages = accounts.flatMap((account) =>
		canBackfill(account.provider) && account.isActive && account.externalId !== null
			? [{ pageId: account.externalId, accountId: account.id }]
			: [],
	);
	const tokens = await resolvePageTokens(deps, pages);
	const tokenOf = new Map(pages.map((page, i) => [page.accountId, tokens[i]]));
	return accounts.map((account) => {
		if (!canBackfill(account.provider)) return unsupportedReason(account.provider);
		if (!account.isActive) return `integration account ${account.id} is inactive`;
		if (account.externalId === null) return NO_PAGE_ID;
		return tokenOf.get(account.id) === undefined ? noPageToken(account.externalId) : undefined;
	});
}

/** The accounts a backfill can read now. */
export async function backfillableAccounts(
	deps: PageTokenDeps,
	accounts: IntegrationAccount[],
): Promise<IntegrationAccount[]> {
	const blockers = await backfillBlockers(deps, accounts);
	return accounts.filter((_, i) => blockers[i] === undefined);
}
