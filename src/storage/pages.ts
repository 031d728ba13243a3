// Keyset pages for the operator API's long lists (clients, logs): newest first by id, one extra row
// fetched to know whether another page follows. Cursor encoding is HTTP's business, not this file's.

export interface PageRequest {
	/** Only rows with a smaller id (the previous page's last id); undefined for the first page. */
	beforeId: number | undefined;
	limit: number;
}

export interface Page<T> {
	items: T[];
	/** The id to pass as `beforeId` for the next page; null on the last page. */
	nextBeforeId: number | null;
}

/** Cuts the `limit + 1` rows a page query fetched into the page and the next page's start. */
export function toPage<T extends { id: number }>(rows: T[], limit: number): Page<T> {
	const items = rows.slice(0, limit);
	const last = items.at(-1);
	return { items, nextBeforeId: rows.length > limit && last ? last.id : null };
}
