// The storage handle: Drizzle over the D1 binding, plus raw batches for multi-row statements.
import type { SQL } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import * as schema from "./schema";

export type Orm = DrizzleD1Database<typeof schema>;

export interface Db {
	orm: Orm;
	d1: D1Database;
}

const orms = new WeakMap<D1Database, Orm>();

/** Drizzle is built on first use and kept per binding: the webhook path never needs it. */
export function createDb(d1: D1Database): Db {
	return {
		d1,
		get orm() {
			let orm = orms.get(d1);
			if (!orm) {
				orm = drizzle(d1, { schema });
				orms.set(d1, orm);
			}
			return orm;
		},
	};
}

/** Thrown when D1 cannot be read or written: webhook routes answer 503 so the provider retries. */
export class StorageUnavailableError extends Error {
	constructor(cause: unknown) {
		super("storage unavailable", { cause });
		this.name = "StorageUnavailableError";
	}
}

/**
 * Runs a storage call, turning any D1 failure into StorageUnavailableError. The cause kept is D1's
 * own error: Drizzle's wrapper message lists the bound values (names, emails), which must not be logged.
 */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof StorageUnavailableError) throw error;
		const cause =
			error instanceof DrizzleQueryError && error.cause !== undefined ? error.cause : error;
		throw new StorageUnavailableError(cause);
	}
}

const dialect = new SQLiteAsyncDialect();

/**
 * Runs Drizzle `sql` queries as one D1 batch (one round trip, one transaction) and returns each
 * query's rows. Drizzle's own db.batch cannot bind raw `sql` queries on D1, hence this.
 */
export async function runBatch(db: Db, queries: SQL[]): Promise<unknown[][]> {
	const statements = queries.map((query) => {
		const { sql, params } = dialect.sqlToQuery(query);
		return db.d1.prepare(sql).bind(...params);
	});
	const results = await db.d1.batch(statements);
	return results.map((result) => result.results);
}
