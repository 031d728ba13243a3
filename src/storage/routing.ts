// What company routing needs for one delivery: the provider's account mappings for the delivery's
// routing keys, and the candidate companies. Read in one D1 statement as a JSON snapshot that the write
// batch re-checks (`routingCheck`), so facts kept per isolate can spare the ingest path its read.
import { type SQL, sql } from "drizzle-orm";
import { type Db, guarded, prepared, runBatch } from "./db";

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
	/** The company has a Salesforce connection or another destination (its clients get forwards). */
	hasDestination: boolean;
}

export interface RoutingFacts {
	accountsByExternalId: Map<string, MappedAccount>;
	companiesById: Map<number, CompanyFacts>;
	/**
	 * The values of ROUTING_CHECK for these facts: a write that used the facts puts the check in its
	 * batch (receipts.ts), so stale facts abort the write instead of misrouting a lead.
	 */
	routingCheck: RoutingCheck;
}

/** What ROUTING_CHECK compares D1 with: the checked facts as read, and the routing keys asked for. */
export interface RoutingCheck {
	checkedFacts: string;
	routingKeys: string;
}

/** What the snapshot query is asked: routing keys of `provider` and the company ids rules name. */
export interface RoutingQuery {
	provider: string;
	routingKeys: string[];
	companyIds: number[];
}

type AccountTuple = [id: number, companyId: number, externalId: string];
type CompanyTuple = [
	id: number,
	defaultCountry: string | null,
	autoAssign: number,
	hasDestination: number,
];

const keys = sql.placeholder("routingKeys");

/** Company `c` forwards its clients somewhere: a Salesforce connection, or a destination row. */
const HAS_DESTINATION = sql`(EXISTS (SELECT 1 FROM salesforce_connections AS s WHERE s.company_id = c.id)
	OR EXISTS (SELECT 1 FROM destinations AS d WHERE d.company_id = c.id))`;
const provider = sql.placeholder("provider");

/**
 * Active accounts of the provider whose external id is one of the routing keys, and every company
 * that is either asked for or owns one of those accounts: the checked part of the facts, as one JSON
 * text ([accounts, companies]) that ROUTING_CHECK later re-checks row by row. Default account ids
 * are read beside it: the write batch may create a missing one, which must not fail the check, so the
 * clients INSERT checks the account it writes under instead (receipts.ts, accountStillRoutes).
 */
const snapshot = prepared(() => {
	const mappedAccounts = sql`
		SELECT id, company_id, external_id FROM integration_accounts
		WHERE provider = ${provider} AND is_active = 1
			AND external_id IN (SELECT value FROM json_each(${keys}))`;
	const companies = sql`
		SELECT * FROM companies
		WHERE id IN (SELECT value FROM json_each(${sql.placeholder("companyIds")}))
			OR id IN (SELECT company_id FROM (${mappedAccounts}))
		ORDER BY id`;
	return sql`SELECT json_array(
			(SELECT json_group_array(json_array(a.id, a.company_id, a.external_id))
				FROM (${mappedAccounts} ORDER BY id) AS a),
			(SELECT json_group_array(json_array(c.id, c.default_country, c.auto_assign,
					${HAS_DESTINATION}))
				FROM (${companies}) AS c)) AS facts,
		(SELECT json_group_array(json_array(c.id,
				(SELECT d.id FROM integration_accounts d
					WHERE d.company_id = c.id AND d.provider = ${provider} AND d.external_id IS NULL
					ORDER BY d.id LIMIT 1)))
			FROM (${companies}) AS c) AS defaultAccounts`;
});

/** Reads the routing facts from D1 (one round trip) and keeps them for `cachedRoutingFacts`. */
export function loadRoutingFacts(db: Db, query: RoutingQuery): Promise<RoutingFacts> {
	const routingKeys = JSON.stringify(query.routingKeys);
	const values = {
		provider: query.provider,
		routingKeys,
		companyIds: JSON.stringify(query.companyIds),
	};
	return guarded(async () => {
		const [rows = []] = (await runBatch(db, [snapshot(values)])) as [
			{ facts: string; defaultAccounts: string }[],
		];
		const { facts = "[[],[]]", defaultAccounts: defaults = "[]" } = rows[0] ?? {};
		const routing = factsFrom(facts, defaults, { checkedFacts: facts, routingKeys });
		remember(db, query, routing);
		return routing;
	});
}

/**
 * The condition that D1 still says what the checked facts say: each company as read, each mapped
 * account as read, and no other active account for the routing keys. Primary-key and unique-index
 * lookups driven by the facts' own JSON (one parameter however many rows), so it is cheap to carry
 * in every write. Its placeholders: `provider` and the RoutingCheck values.
 */
export const ROUTING_CHECK: SQL = (() => {
	const checked = sql.placeholder("checkedFacts");
	return sql`(NOT EXISTS (SELECT 1 FROM json_each(${checked}, '$[0]') AS e
			WHERE NOT EXISTS (SELECT 1 FROM integration_accounts AS a
				WHERE a.id = e.value ->> 0 AND a.company_id = e.value ->> 1
					AND a.external_id = e.value ->> 2 AND a.provider = ${provider} AND a.is_active = 1))
		AND NOT EXISTS (SELECT 1 FROM json_each(${checked}, '$[1]') AS e
			WHERE NOT EXISTS (SELECT 1 FROM companies AS c
				WHERE c.id = e.value ->> 0 AND c.default_country IS e.value ->> 1
					AND c.auto_assign = e.value ->> 2
					AND ${HAS_DESTINATION} = e.value ->> 3))
		AND (SELECT count(*) FROM integration_accounts
			WHERE provider = ${provider} AND is_active = 1
				AND external_id IN (SELECT value FROM json_each(${keys})))
			= json_array_length(${checked}, '$[0]'))`;
})();

function factsFrom(checked: string, defaults: string, routingCheck: RoutingCheck): RoutingFacts {
	const [accounts, companies] = JSON.parse(checked) as [AccountTuple[], CompanyTuple[]];
	const defaultAccountIds = new Map(JSON.parse(defaults) as [number, number | null][]);
	return {
		accountsByExternalId: new Map(
			accounts.map(([id, companyId, externalId]) => [externalId, { id, companyId, externalId }]),
		),
		companiesById: new Map(
			companies.map(([id, defaultCountry, autoAssign, hasConnection]) => [
				id,
				{
					id,
					defaultCountry,
					autoAssign: autoAssign === 1,
					defaultAccountId: defaultAccountIds.get(id) ?? null,
					hasDestination: hasConnection === 1,
				},
			]),
		),
		routingCheck,
	};
}

// Facts last read per D1 binding and query. Safe to reuse because every write that uses them carries
// their routingCheck; bounded so a stream of distinct routing keys cannot grow it without end.
const MAX_CACHED_QUERIES = 500;
const cache = new WeakMap<D1Database, Map<string, RoutingFacts>>();

function cacheKey({ provider, routingKeys, companyIds }: RoutingQuery): string {
	return JSON.stringify([provider, [...routingKeys].sort(), [...companyIds].sort((a, b) => a - b)]);
}

function remember(db: Db, query: RoutingQuery, facts: RoutingFacts): void {
	let entries = cache.get(db.d1);
	if (!entries) {
		entries = new Map();
		cache.set(db.d1, entries);
	}
	if (entries.size >= MAX_CACHED_QUERIES) entries.clear();
	entries.set(cacheKey(query), facts);
}

/** The facts this isolate last read for the same query, if any (check them with routingCheck). */
export function cachedRoutingFacts(db: Db, query: RoutingQuery): RoutingFacts | undefined {
	return cache.get(db.d1)?.get(cacheKey(query));
}
