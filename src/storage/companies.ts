// Companies for the operator API: create, list, read and update rows of `companies`.
import { asc, eq, sql } from "drizzle-orm";
import { type Db, guarded } from "./db";
import { insertedRow } from "./orm-results";
import { companies } from "./schema";

export interface Company {
	id: number;
	name: string;
	autoAssign: boolean;
	defaultCountry: string | null;
	/** IANA zone of routing time windows and of reps without their own. */
	timeZone: string;
	createdAt: string;
}

export interface CompanyInput {
	name: string;
	autoAssign?: boolean;
	defaultCountry?: string | null;
	timeZone?: string;
}

export type CompanyPatch = Partial<CompanyInput>;

const columns = {
	id: companies.id,
	name: companies.name,
	autoAssign: companies.autoAssign,
	defaultCountry: companies.defaultCountry,
	timeZone: companies.timeZone,
	createdAt: companies.createdAt,
};

export function createCompany(db: Db, input: CompanyInput): Promise<Company> {
	return guarded(async () =>
		insertedRow(await db.orm.insert(companies).values(input).returning(columns)),
	);
}

export function listCompanies(db: Db): Promise<Company[]> {
	return guarded(() => db.orm.select(columns).from(companies).orderBy(asc(companies.id)));
}

export function getCompany(db: Db, id: number): Promise<Company | undefined> {
	return guarded(() => db.orm.select(columns).from(companies).where(eq(companies.id, id)).get());
}

/** The updated company, or undefined when no company has this id. */
export function updateCompany(
	db: Db,
	id: number,
	patch: CompanyPatch,
): Promise<Company | undefined> {
	return guarded(() =>
		db.orm
			.update(companies)
			// Auto-assign and the time zone change what lead distribution decides (storage/distribution.ts).
			.set({ ...patch, distributionVersion: sql`${companies.distributionVersion} + 1` })
			.where(eq(companies.id, id))
			.returning(columns)
			.get(),
	);
}

export async function companyExists(db: Db, id: number): Promise<boolean> {
	const row = await guarded(() =>
		db.orm.select({ id: companies.id }).from(companies).where(eq(companies.id, id)).get(),
	);
	return row !== undefined;
}
