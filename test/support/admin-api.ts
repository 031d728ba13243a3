// Reads operator-API answers in tests: the JSON shapes, raw requests (no or wrong token, broken
// bodies) and every page of a cursor-paginated list.
import { exports } from "cloudflare:workers";
import { admin } from "./requests";

export interface ErrorEnvelope {
	error: {
		code: string;
		message: string;
		issues?: { path: (string | number)[]; message: string; code: string }[];
	};
}

export interface ListBody<T> {
	data: T[];
	next_cursor?: string | null;
	/** Lists that count: rows matching the filter, up to 1,000 (`capped` beyond). */
	matching?: { count: number; capped: boolean };
}

/** Any request to /api/admin, headers and body exactly as given. */
export function rawAdmin(path: string, init: RequestInit = {}): Promise<Response> {
	return exports.default.fetch(`https://relay.test/api/admin${path}`, init);
}

/** The response status and its JSON body. */
export async function call<T>(
	path: string,
	init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
	const response = await admin(path, init);
	return { status: response.status, body: await response.json<T>() };
}

/** The issue paths of a 400, joined with dots (e.g. "default_country"). */
export function issuePaths(body: ErrorEnvelope): string[] {
	return (body.error.issues ?? []).map((issue) => issue.path.join("."));
}

/** Follows next_cursor from the first page until null; returns every page's ids in order. */
export async function allPages(path: string, limit: number): Promise<number[][]> {
	const pages: number[][] = [];
	const separator = path.includes("?") ? "&" : "?";
	let cursor: string | null = null;
	do {
		const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
		const page: { status: number; body: ListBody<{ id: number }> } = await call(
			`${path}${separator}limit=${limit}${after}`,
		);
		if (page.status !== 200) throw new Error(`${path} answered ${page.status}`);
		pages.push(page.body.data.map((item) => item.id));
		cursor = page.body.next_cursor ?? null;
		if (pages.length > 100) throw new Error("pagination does not end");
	} while (cursor);
	return pages;
}
