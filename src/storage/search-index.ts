// Upkeep of the lead search's trigram indexes (migrations/0016_client_search.sql): their segments are
// merged here, a bounded amount per cron tick, instead of by FTS5's automerge on every write.
import { sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";

/**
 * Leaf pages of merge work per index and tick (FTS5's 'merge' command: it merges only levels holding
 * several segments, so an index that is already tidy costs next to nothing).
 */
export const MERGE_PAGES = 500;

/** Merges segments of both search indexes, at most `pages` leaf pages of work each. */
export async function mergeSearchIndexes(db: Db, pages = MERGE_PAGES): Promise<void> {
	await guarded(() =>
		runBatch(db, [
			sql`INSERT INTO clients_search (clients_search, rank) VALUES ('merge', ${pages})`,
			sql`INSERT INTO phones_search (phones_search, rank) VALUES ('merge', ${pages})`,
		]),
	);
}
