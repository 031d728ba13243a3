// Reads console forms into the operator API's JSON shapes and validates them with the API's own zod
// schemas, so a rule is written once; errors come back per field for the page to show beside it.

import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { z } from "zod";
import { idParam } from "../http/validate";
import type { Page } from "../storage/pages";
import type { FieldErrors } from "./layout";

export type FormData = Record<string, string>;

/** Text fields of a parsed form body (files are not console inputs). */
export function textFields(body: Record<string, unknown>): FormData {
	const fields: FormData = {};
	for (const [key, value] of Object.entries(body)) {
		if (typeof value === "string" && key !== "_csrf") fields[key] = value;
	}
	return fields;
}

/** Trimmed text, or undefined when blank (an optional field left empty). */
export function optional(value: string | undefined): string | undefined {
	const text = value?.trim();
	return text ? text : undefined;
}

/** Trimmed text, or null when blank (a nullable field cleared). */
export function nullable(value: string | undefined): string | null {
	return optional(value) ?? null;
}

export function checkbox(value: string | undefined): boolean {
	return value !== undefined;
}

/** A number when the text is one; the text itself otherwise, so the schema reports it. */
export function numeric(value: string | undefined): number | string | undefined {
	const text = optional(value);
	if (text === undefined) return undefined;
	return /^\d+$/.test(text) ? Number(text) : text;
}

export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** The schema's result, or its issues as one message per top-level field (`_form` for the rest). */
export function check<Schema extends z.ZodType>(
	schema: Schema,
	input: unknown,
): Checked<z.output<Schema>> {
	const parsed = schema.safeParse(input);
	if (parsed.success) return { ok: true, data: parsed.data };
	return { ok: false, errors: issueErrors(parsed.error.issues) };
}

export function issueErrors(
	issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of issues) {
		const field = issue.path.length > 0 ? String(issue.path[0]) : "_form";
		errors[field] ??= issue.message;
	}
	return errors;
}

/**
 * A 4xx the shared action threw (unknown company, already mapped, not replayable...) as form
 * errors: the API's issues by field, else its message for the whole form. Anything else rethrows.
 */
export function actionErrors(error: unknown): FieldErrors {
	if (!(error instanceof HTTPException) || error.status >= 500) throw error;
	const cause = error.cause;
	if (cause && typeof cause === "object" && "issues" in cause && Array.isArray(cause.issues)) {
		return issueErrors(cause.issues);
	}
	return { _form: error.message };
}

/** A row id from the path, or 0 (no row has it) when the text is not an id: the page says "no such". */
export function pathId(c: Context, name: string): number {
	const parsed = idParam.safeParse({ id: c.req.param(name) });
	return parsed.success ? parsed.data.id : 0;
}

/** Rows per console list page. */
const LIST_LIMIT = 25;

/**
 * A list page's query checked with the API's list schema (the named fields, blank as unset, plus the
 * cursor and the page size), then its page loaded; invalid filters show an empty page and errors.
 */
export async function listPage<Schema extends z.ZodType, T>(
	schema: Schema,
	query: Record<string, string>,
	fields: Record<string, string | undefined>,
	load: (data: z.output<Schema>) => Promise<Page<T>>,
): Promise<{ errors: FieldErrors; page: Page<T>; data: z.output<Schema> | undefined }> {
	const checked = check(schema, { ...fields, cursor: optional(query.cursor), limit: LIST_LIMIT });
	if (!checked.ok)
		return { errors: checked.errors, page: { items: [], nextBeforeId: null }, data: undefined };
	return { errors: {}, page: await load(checked.data), data: checked.data };
}

/** The named query parameters, blank ones as unset. */
export function queryFields(query: Record<string, string>, names: string[]) {
	return Object.fromEntries(names.map((name) => [name, optional(query[name])]));
}
