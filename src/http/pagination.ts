// Cursor pagination for long lists: `?cursor=&limit=` in, `{ data, next_cursor }` out. The cursor is
// an opaque base64url token holding the last id seen; pass it back with the same filters.
import { z } from "zod";
import type { Page, PageRequest } from "../storage/pages";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

const CURSOR_TEXT = /^id:([1-9]\d{0,15})$/;

export function encodeCursor(beforeId: number): string {
	return btoa(`id:${beforeId}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The id inside a cursor, or null when the text is not one of our cursors. */
export function decodeCursor(cursor: string): number | null {
	try {
		const text = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
		const match = CURSOR_TEXT.exec(text);
		return match?.[1] === undefined ? null : Number(match[1]);
	} catch {
		return null;
	}
}

export const cursorSchema = z.string().transform((cursor, ctx) => {
	const beforeId = decodeCursor(cursor);
	if (beforeId === null) {
		ctx.addIssue({ code: "custom", message: "not a cursor from a previous next_cursor" });
		return z.NEVER;
	}
	return beforeId;
});

/** Query fields every paginated list accepts; spread into the list's query schema. */
export const pageQueryShape = {
	cursor: cursorSchema.optional(),
	limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
};

export function pageRequest(query: { cursor?: number; limit: number }): PageRequest {
	return { beforeId: query.cursor, limit: query.limit };
}

/**
 * The list response: the page's items as JSON, the cursor of the next page, if any, and, for lists
 * that count, `matching: { count, capped }` (capped: more than `count` rows match).
 */
export function pageBody<T, J>(page: Page<T>, toJson: (item: T) => J) {
	return {
		data: page.items.map(toJson),
		next_cursor: page.nextBeforeId === null ? null : encodeCursor(page.nextBeforeId),
		matching: page.matching,
	};
}
