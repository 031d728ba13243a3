// Reads what company routing needs for one delivery in a single D1 round trip:
// the provider's account mappings for the delivery's routing keys, and the candidate companies.
import { sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";

export interface MappedAccount {
	id: number;
	companyId: number;
	externalId: string;
}

export interface CompanyFacts {
	id: number;
	defaultCountry: string | null;
	autoAssign: boolean;
	/** The company's default account for this provider (no external id), if created already. */
	defaultAccountId: number | null;
}

interface CompanyRow {
	id: number;
	defaultCountry: string | null;
	autoAssign: number;
	defaultAccountId: number | null;
}

export interface RoutingFacts {
	accountsByExternalId: Map<string, MappedAccount>;
	companiesById: Map<number, CompanyFacts>;
}

/**
 * Active accounts of `provider` whose external id is one of `routingKeys`, and every company that
 * is either listed in `companyIds` or owns one of those accounts.
 */
export function loadRoutingFacts(
	db: Db,
	provider: string,
	routingKeys: string[],
	companyIds: number[],
): Promise<RoutingFacts> {
	const keysJson = JSON.stringify(routingKeys);
	const idsJson = JSON.stringify(companyIds);
	return guarded(async () => {
		const [accounts = [], companies = []] = (await runBatch(db, [
			sql`
				SELECT id, company_id AS companyId, external_id AS externalId
				FROM integration_accounts
				WHERE provider = ${provider} AND is_active = 1
					AND external_id IN (SELECT value FROM json_each(${keysJson}))`,
			sql`
				SELECT c.id, c.default_country AS defaultCountry, c.auto_assign AS autoAssign,
					(SELECT a.id FROM integration_accounts a
						WHERE a.company_id = c.id AND a.provider = ${provider} AND a.external_id IS NULL
						ORDER BY a.id LIMIT 1) AS defaultAccountId
				FROM companies c
				WHERE c.id IN (SELECT value FROM json_each(${idsJson}))
					OR c.id IN (SELECT company_id FROM integration_accounts
						WHERE provider = ${provider} AND is_active = 1
							AND external_id IN (SELECT value FROM json_each(${keysJson})))`,
		])) as [MappedAccount[], CompanyRow[]];
		return {
			accountsByExternalId: new Map(accounts.map((a) => [a.externalId, a])),
			companiesById: new Map(
				companies.map((c) => [c.id, { ...c, autoAssign: c.autoAssign === 1 }]),
			),
		};
	});
}
