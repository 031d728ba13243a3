// Keyset pages for the operator API's long lists (clients, logs): newest first by id, one extra row
// fetched to know whether another page follows, and how many rows match, counted up to a cap.
// Cursor encoding is HTTP's business, not this file's.
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Orm } from "./db";

export interface PageRequest {
	/** Only rows with a smaller id (the previous page's last id); undefined for the first page. */
	beforeId: number | undefined;
	limit: number;
}

export interface Page<T> {
	items: T[];
	/** The id to pass as `beforeId` for the next page; null on the last page. */
	nextBeforeId: number | null;
	/** How many rows match the filter (every page, not this one), when the list counts them. */
	matching?: RowCount;
}

/**
 * Lists count the rows a filter matches only up to this many ("1,000+" beyond): the count reads at
 * most COUNT_CAP + 1 rows, through the same index the page uses, however big the table grows.
 */
export const COUNT_CAP = 1000;

export interface RowCount {
	count: number;
	/** More than COUNT_CAP rows match; `count` is COUNT_CAP. */
	capped: boolean;
}

/**
 * The statement counting `table`'s rows matching `where`, at most COUNT_CAP + 1 of them; `indexedBy`
 * names the index when SQLite, without statistics, would pick one that reads rows the filter drops
 * (a partial index's WHERE must then be among `where`'s terms).
 */
export function countMatching(
	orm: Orm,
	table: SQLiteTable,
	where: SQL | undefined,
	indexedBy?: string,
) {
	const from = indexedBy ? sql`${table} INDEXED BY ${sql.identifier(indexedBy)}` : sql`${table}`;
	const filter = where ? sql`WHERE ${where}` : sql``;
	return orm
		.select({ rows: sql<number>`count(*)`.mapWith(Number) })
		.from(sql`(SELECT 1 FROM ${from} ${filter} LIMIT ${COUNT_CAP + 1}) AS matching`);
}

/** The counted rows (countMatching's answer) as a RowCount. */
export function toRowCount(rows: { rows: number }[]): RowCount {
	const count = rows[0]?.rows ?? 0;
	return count > COUNT_CAP ? { count: COUNT_CAP, capped: true } : { count, capped: false };
}

/** Cuts the `limit + 1` rows a page query fetched into the page and the next page's start. */
export function toPage<T extends { id: number }>(rows: T[], limit: number): Page<T> {
	const items = rows.slice(0, limit);
	const last = items.at(-1);
	return { items, nextBeforeId: rows.length > limit && last ? last.id : null };
}
