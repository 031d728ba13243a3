// Meta checks: every Page the relay routes gets a token check (GET /debug_token) and a leadgen
// subscription check (GET /{page-id}/subscribed_apps) with the token lead reads would use; every
// company's Business Extension install gets an install check. Judged by meta-checks.ts.
import { debugToken, pageSubscribedApps } from "../enrichers/meta-graph";
import { resolvePageTokens } from "../intake/page-tokens";
import { listInstallsForHealth, listRoutedPages } from "../storage/health";
import { META_PROVIDER } from "../storage/meta-lead-fetches";
import type { CheckOutcome } from "./check";
import type { HealthDeps } from "./deps";
import { links } from "./links";
import {
	checkFbeInstall,
	checkMissingToken,
	checkPageSubscription,
	checkPageToken,
} from "./meta-checks";

export async function metaPageChecks(deps: HealthDeps, now: Date): Promise<CheckOutcome[]> {
	const pages = await listRoutedPages(deps.db);
	const tokens = await resolvePageTokens(deps, pages);
	const graph = { fetch: deps.fetch, graphVersion: deps.config.meta.graphVersion, now };
	const { appId, appSecret } = deps.config.meta;
	const outcomes: CheckOutcome[] = [];
	for (const [i, page] of pages.entries()) {
		const token = tokens[i];
		const about = {
			companyId: page.companyId,
			link:
				page.accountId === null
					? links.accounts(META_PROVIDER, page.companyId)
					: links.account(page.accountId),
		};
		const tokenOutcome = {
			...about,
			key: `meta_token:${page.pageId}`,
			kind: "meta_token",
			subject: `Meta Page ${page.pageId} token (company ${page.companyId})`,
		};
		if (token === undefined) {
			outcomes.push({ ...tokenOutcome, ...checkMissingToken() });
			continue;
		}
		// The app token asks about the Page token without spending the Page's own call budget.
		const asker = appId && appSecret ? `${appId}|${appSecret}` : token;
		outcomes.push({
			...tokenOutcome,
			...checkPageToken(await debugToken(graph, token, asker), page.pageId, now),
		});
		outcomes.push({
			...about,
			key: `meta_subscription:${page.pageId}`,
			kind: "meta_subscription",
			subject: `Meta Page ${page.pageId} leadgen subscription (company ${page.companyId})`,
			...checkPageSubscription(await pageSubscribedApps(graph, page.pageId, token), appId),
		});
	}
	return outcomes;
}

export async function fbeInstallChecks(deps: HealthDeps): Promise<CheckOutcome[]> {
	const installs = await listInstallsForHealth(deps.db);
	return installs.map((install) => ({
		key: `fbe_install:${install.businessId}`,
		kind: "fbe_install",
		companyId: install.companyId,
		subject: `Business Extension install ${install.businessId} (company ${install.companyId})`,
		link: links.accounts(META_PROVIDER, install.companyId),
		...checkFbeInstall({
			status: install.status,
			hasToken: install.hasToken === 1,
			uninstalledAt: install.uninstalledAt,
		}),
	}));
}
