// Business Extension installs: one row per business id with its sealed token and assets; install
// upserts it, maps each connected Page to the company (a Meta integration account, reactivated) and
// re-queues the Pages' failed Graph reads; uninstall drops the token and deactivates those accounts.
import { sql } from "drizzle-orm";
import { type BatchQuery, type Db, guarded, runBatch } from "./db";
import { META_PROVIDER, requeueFailed } from "./meta-lead-fetches";
import { type LogRow, logInserts } from "./receipts";

export interface StoredInstall {
	id: number;
	businessId: string;
	companyId: number | null;
	pageIds: string[];
}

export function loadInstalls(db: Db, businessIds: string[]): Promise<Map<string, StoredInstall>> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT id, business_id AS businessId, company_id AS companyId, page_ids AS pageIds
				FROM fbe_installs WHERE business_id IN (SELECT value FROM json_each(${JSON.stringify(businessIds)}))`,
		]);
		return new Map(
			(rows as (Omit<StoredInstall, "pageIds"> & { pageIds: string })[]).map((r) => [
				r.businessId,
				{ ...r, pageIds: JSON.parse(r.pageIds) as string[] },
			]),
		);
	});
}

export interface InstallRow {
	businessId: string;
	companyId: number | null;
	businessManagerId: string | null;
	accessTokenSealed: string;
	tokenType: string | null;
	pixelId: string | null;
	adAccountId: string | null;
	catalogId: string | null;
	commerceMerchantSettingsId: string | null;
	pageIds: string[];
	instagramProfileIds: string[];
	profileIds: string[];
	features: string;
}

/** Install (or reinstall) in one batch: the install row, the Pages' accounts, re-queued reads, the log. */
export function recordInstall(db: Db, row: InstallRow, log: LogRow, receiptId: string, now: Date) {
	const at = now.toISOString();
	const pages = JSON.stringify(row.pageIds);
	const statements: BatchQuery[] = [
		sql`INSERT INTO fbe_installs (business_id, company_id, business_manager_id, access_token_sealed,
				token_type, pixel_id, ad_account_id, catalog_id, commerce_merchant_settings_id, page_ids,
				instagram_profile_ids, profile_ids, features, status, installed_at, uninstalled_at, updated_at)
			VALUES (${row.businessId}, ${row.companyId}, ${row.businessManagerId}, ${row.accessTokenSealed},
				${row.tokenType}, ${row.pixelId}, ${row.adAccountId}, ${row.catalogId},
				${row.commerceMerchantSettingsId}, ${pages}, ${JSON.stringify(row.instagramProfileIds)},
				${JSON.stringify(row.profileIds)}, ${row.features}, 'installed', ${at}, NULL, ${at})
			ON CONFLICT (business_id) DO UPDATE SET company_id = excluded.company_id,
				business_manager_id = excluded.business_manager_id, access_token_sealed = excluded.access_token_sealed,
				token_type = excluded.token_type, pixel_id = excluded.pixel_id, ad_account_id = excluded.ad_account_id,
				catalog_id = excluded.catalog_id, commerce_merchant_settings_id = excluded.commerce_merchant_settings_id,
				page_ids = excluded.page_ids, instagram_profile_ids = excluded.instagram_profile_ids,
				profile_ids = excluded.profile_ids, features = excluded.features, status = 'installed',
				installed_at = excluded.installed_at, uninstalled_at = NULL, updated_at = excluded.updated_at`,
	];
	if (row.companyId !== null) {
		statements.push(
			sql`INSERT INTO integration_accounts (company_id, provider, name, external_id, is_active)
				SELECT ${row.companyId}, ${META_PROVIDER}, 'Meta Page ' || j.value || ' (Business Extension)', j.value, 1
				FROM json_each(${pages}) AS j WHERE true
				ON CONFLICT (provider, external_id) DO UPDATE SET company_id = excluded.company_id, is_active = 1`,
			requeueFailed(sql`page_id IN (SELECT value FROM json_each(${pages}))`, now),
		);
	}
	statements.push(...installLogInserts(receiptId, "fbe_install", log));
	return guarded(() => runBatch(db, statements));
}

/** Uninstall: token dropped, the install's Page accounts deactivated (their leads are kept as failures). */
export function recordUninstall(
	db: Db,
	businessId: string,
	log: LogRow,
	receiptId: string,
	now: Date,
) {
	const at = now.toISOString();
	return guarded(() =>
		runBatch(db, [
			sql`UPDATE integration_accounts SET is_active = 0
				WHERE provider = ${META_PROVIDER} AND external_id IN (
					SELECT j.value FROM fbe_installs AS f CROSS JOIN json_each(f.page_ids) AS j
					WHERE f.business_id = ${businessId})`,
			sql`UPDATE fbe_installs SET status = 'uninstalled', access_token_sealed = NULL,
				uninstalled_at = ${at}, updated_at = ${at} WHERE business_id = ${businessId}`,
			...installLogInserts(receiptId, "fbe_uninstall", log),
		]),
	);
}

/** After a token exchange: the system-user token replaces the User token. */
export function replaceInstallToken(
	db: Db,
	businessId: string,
	sealed: string,
	tokenType: string,
	now: Date,
) {
	return guarded(() =>
		runBatch(db, [
			sql`UPDATE fbe_installs SET access_token_sealed = ${sealed}, token_type = ${tokenType},
				updated_at = ${now.toISOString()} WHERE business_id = ${businessId} AND status = 'installed'`,
		]),
	);
}

/** Sealed install tokens by Page id, for installed businesses that connected that Page. */
export function loadInstallTokens(db: Db, pageIds: string[]): Promise<Map<string, string>> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT j.value AS pageId, f.access_token_sealed AS sealed
				FROM fbe_installs AS f CROSS JOIN json_each(f.page_ids) AS j
				WHERE f.status = 'installed' AND f.access_token_sealed IS NOT NULL
					AND j.value IN (SELECT value FROM json_each(${JSON.stringify(pageIds)}))
				ORDER BY f.updated_at`,
		]);
		return new Map((rows as { pageId: string; sealed: string }[]).map((r) => [r.pageId, r.sealed]));
	});
}

/** External ids of `provider`'s inactive accounts among `keys` (e.g. Pages of an uninstalled FBE). */
export function inactiveAccounts(db: Db, provider: string, keys: string[]): Promise<Set<string>> {
	return guarded(async () => {
		const [rows = []] = await runBatch(db, [
			sql`SELECT external_id AS externalId FROM integration_accounts
				WHERE provider = ${provider} AND is_active = 0
					AND external_id IN (SELECT value FROM json_each(${JSON.stringify(keys)}))`,
		]);
		return new Set((rows as { externalId: string }[]).map((r) => r.externalId));
	});
}

function installLogInserts(receiptId: string, action: string, log: LogRow) {
	return logInserts({ receiptId, provider: META_PROVIDER, action }, [log]);
}
