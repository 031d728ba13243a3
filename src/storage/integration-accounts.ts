// Integration accounts for the operator API: the (provider, external_id) → company mappings that route
// leads. The unique index integration_accounts_provider_external_uq is the truth for duplicates.
import { and, asc, eq, type SQL } from "drizzle-orm";
import { type Db, guarded } from "./db";
import { insertedRow, isUniqueViolation } from "./orm-results";
import { integrationAccounts } from "./schema";

export interface IntegrationAccount {
	id: number;
	companyId: number;
	provider: string;
	name: string;
	/** The provider's routing key; null only for a company's default account created by ingest. */
	externalId: string | null;
	isActive: boolean;
	createdAt: string;
}

export interface AccountInput {
	companyId: number;
	provider: string;
	name: string;
	externalId: string;
	isActive?: boolean;
}

export type AccountPatch = Partial<Omit<AccountInput, "provider">>;

/** What a write did: `duplicate` names the account that already maps this provider's external id. */
export type AccountWrite =
	| { outcome: "saved"; account: IntegrationAccount }
	| { outcome: "duplicate"; provider: string; externalId: string | null; existingId: number | null }
	| { outcome: "not_found" };

const columns = {
	id: integrationAccounts.id,
	companyId: integrationAccounts.companyId,
	provider: integrationAccounts.provider,
	name: integrationAccounts.name,
	externalId: integrationAccounts.externalId,
	isActive: integrationAccounts.isActive,
	createdAt: integrationAccounts.createdAt,
};

export function createAccount(db: Db, input: AccountInput): Promise<AccountWrite> {
	return writeAccount(db, input.provider, input.externalId, async () =>
		insertedRow(await db.orm.insert(integrationAccounts).values(input).returning(columns)),
	);
}

/** Updates one account; a new external_id must still be unique for the account's provider. */
export async function updateAccount(
	db: Db,
	id: number,
	patch: AccountPatch,
): Promise<AccountWrite> {
	const current = await getAccount(db, id);
	if (!current) return { outcome: "not_found" };
	return writeAccount(db, current.provider, patch.externalId ?? null, () =>
		db.orm
			.update(integrationAccounts)
			.set(patch)
			.where(eq(integrationAccounts.id, id))
			.returning(columns)
			.get(),
	);
}

export function getAccount(db: Db, id: number): Promise<IntegrationAccount | undefined> {
	return guarded(() =>
		db.orm.select(columns).from(integrationAccounts).where(eq(integrationAccounts.id, id)).get(),
	);
}

export function listAccounts(
	db: Db,
	filter: { companyId?: number; provider?: string },
): Promise<IntegrationAccount[]> {
	const conditions: SQL[] = [];
	if (filter.companyId !== undefined) {
		conditions.push(eq(integrationAccounts.companyId, filter.companyId));
	}
	if (filter.provider !== undefined)
		conditions.push(eq(integrationAccounts.provider, filter.provider));
	return guarded(() =>
		db.orm
			.select(columns)
			.from(integrationAccounts)
			.where(and(...conditions))
			.orderBy(asc(integrationAccounts.id)),
	);
}

/** Runs one insert/update, turning a broken unique index into a `duplicate` outcome. */
async function writeAccount(
	db: Db,
	provider: string,
	externalId: string | null,
	write: () => Promise<IntegrationAccount | undefined>,
): Promise<AccountWrite> {
	try {
		const account = await guarded(write);
		return account ? { outcome: "saved", account } : { outcome: "not_found" };
	} catch (error) {
		if (!isUniqueViolation(error)) throw error;
		const existingId = await findMappedId(db, provider, externalId);
		return { outcome: "duplicate", provider, externalId, existingId };
	}
}

async function findMappedId(
	db: Db,
	provider: string,
	externalId: string | null,
): Promise<number | null> {
	if (externalId === null) return null;
	const row = await guarded(() =>
		db.orm
			.select({ id: integrationAccounts.id })
			.from(integrationAccounts)
			.where(
				and(
					eq(integrationAccounts.provider, provider),
					eq(integrationAccounts.externalId, externalId),
				),
			)
			.get(),
	);
	return row?.id ?? null;
}
