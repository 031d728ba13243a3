// Which Page access token reads a Page's leads (README "Meta tokens"): the FBE install that connected
// the Page → the integration account's own token → META_PAGE_ACCESS_TOKEN. Used by lead reads, the
// health checks and backfill, so all three ask Graph with the same token.
import type { Config } from "../config";
import type { Logger } from "../log";
import { secretBox } from "../security/secret-box";
import type { Db } from "../storage/db";
import { loadInstallTokens } from "../storage/fbe-installs";
import { loadSealedTokens } from "../storage/meta-lead-fetches";

export interface PageTokenDeps {
	db: Db;
	config: Config;
	log: Logger;
}

/** The token for each (Page, account) pair, in order; undefined where none is known. */
export async function resolvePageTokens(
	deps: PageTokenDeps,
	pages: { pageId: string; accountId: number | null }[],
): Promise<(string | undefined)[]> {
	const accountIds = pages.flatMap((p) => (p.accountId === null ? [] : [p.accountId]));
	const [byPage, sealed] = await Promise.all([
		loadInstallTokens(deps.db, [...new Set(pages.map((p) => p.pageId))]),
		loadSealedTokens(deps.db, [...new Set(accountIds)]),
	]);
	const tokens: (string | undefined)[] = [];
	for (const page of pages) {
		const install = byPage.get(page.pageId);
		const own = page.accountId === null ? undefined : sealed.get(page.accountId);
		tokens.push(
			(install && (await openToken(deps, install))) ||
				(own && (await openToken(deps, own))) ||
				deps.config.meta.pageAccessToken,
		);
	}
	return tokens;
}

/** A sealed token in clear, or undefined (logged) when it cannot be opened with ENCRYPTION_KEY. */
export async function openToken(deps: PageTokenDeps, sealed: string): Promise<string | undefined> {
	try {
		return await secretBox(deps.config.encryptionKey).open(sealed);
	} catch (error) {
		deps.log.warn("stored token unreadable", { outcome: "failure", error: String(error) });
		return undefined;
	}
}
