// The storage handle: Drizzle over the D1 binding, plus raw batches for multi-row statements.
import { fillPlaceholders, is, type Query, SQL } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import * as schema from "./schema";

export type Orm = DrizzleD1Database<typeof schema>;

export interface Db {
	orm: Orm;
	d1: D1Database;
}

const handles = new WeakMap<D1Database, Db>();

/** One handle per binding and isolate; Drizzle is built on first use: the webhook path never needs it. */
export function createDb(d1: D1Database): Db {
	let db = handles.get(d1);
	if (!db) {
		let orm: Orm | undefined;
		db = {
			d1,
			get orm() {
				orm ??= drizzle(d1, { schema });
				return orm;
			},
		};
		handles.set(d1, db);
	}
	return db;
}

/** Thrown when D1 cannot be read or written: webhook routes answer 503 so the provider retries. */
export class StorageUnavailableError extends Error {
	constructor(cause: unknown) {
		super("storage unavailable", { cause });
		this.name = "StorageUnavailableError";
	}
}

/**
 * Thrown when D1 refuses a write for good (SQLITE_TOOBIG: a value, row or statement over its limits,
 * storage/row-limits.ts): retrying cannot help, so this is not a 503. Webhook routes record the
 * delivery as a failure without its payload instead.
 */
export class StorageRefusedError extends Error {
	constructor(cause: unknown) {
		super("storage refused the write", { cause });
		this.name = "StorageRefusedError";
	}
}

/** D1's messages for errors no retry fixes (SQLite's TOOBIG and "too many SQL variables"). */
const PERMANENT_D1_ERROR = /SQLITE_TOOBIG|too big|statement too long|too many SQL variables/i;

/**
 * Runs a storage call, turning a permanent D1 refusal into StorageRefusedError and any other D1
 * failure into StorageUnavailableError. The cause kept is D1's
 * own error: Drizzle's wrapper message lists the bound values (names, emails), which must not be logged.
 */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof StorageUnavailableError || error instanceof StorageRefusedError) {
			throw error;
		}
		const cause =
			error instanceof DrizzleQueryError && error.cause !== undefined ? error.cause : error;
		if (PERMANENT_D1_ERROR.test(String(cause))) throw new StorageRefusedError(cause);
		throw new StorageUnavailableError(cause);
	}
}

const dialect = new SQLiteAsyncDialect();

/** A statement of a batch: Drizzle `sql`, or a query already turned into text and values. */
export type BatchQuery = SQL | Query;

/** Drizzle `sql` written with placeholders, turned into text now and given `values`. */
export function queryOf(query: SQL, values: Record<string, unknown>): Query {
	const { sql, params } = dialect.sqlToQuery(query);
	return { sql, params: fillPlaceholders(params, values) };
}

/**
 * Statement shapes whose SQL text is built once per isolate: `build` writes a shape's Drizzle `sql`
 * with `sql.placeholder(name)` wherever a value goes, and its text is made on the shape's first use
 * (Drizzle's prepared-query mechanism, for raw batches). A call then only fills in the values, so
 * the webhook path builds no SQL per request. Shapes are small records of flags (keyed by their JSON).
 */
export function preparedShapes<Shape>(
	build: (shape: Shape) => SQL,
): (shape: Shape, values: Record<string, unknown>) => Query {
	const texts = new Map<string, Query>();
	return (shape, values) => {
		const key = JSON.stringify(shape);
		let query = texts.get(key);
		if (!query) {
			query = dialect.sqlToQuery(build(shape));
			texts.set(key, query);
		}
		return { sql: query.sql, params: fillPlaceholders(query.params, values) };
	};
}

/** One statement shape, built once per isolate (see preparedShapes). */
export function prepared(build: () => SQL): (values: Record<string, unknown>) => Query {
	const shaped = preparedShapes<null>(build);
	return (values) => shaped(null, values);
}

/**
 * Runs queries as one D1 batch (one round trip, one transaction) and returns each query's rows:
 * prepared ones as they are, Drizzle `sql` ones turned into text here. Drizzle's own db.batch cannot
 * bind raw `sql` queries on D1, hence this.
 */
export async function runBatch(db: Db, queries: BatchQuery[]): Promise<unknown[][]> {
	const statements = queries.map((query) => {
		const { sql, params } = is(query, SQL) ? dialect.sqlToQuery(query) : query;
		return db.d1.prepare(sql).bind(...params);
	});
	const results = await db.d1.batch(statements);
	return results.map((result) => result.results);
}
