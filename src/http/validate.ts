// Request validation for the operator API: @hono/zod-validator with a hook that throws, so the one
// app.onError (src/http/on-error.ts) writes every 400 as `{ error: { code, message, issues } }`.
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";

/** Validates one part of the request (json, query, param) against a zod schema; 400 with issues. */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
	target: Target,
	schema: Schema,
) {
	return zValidator(target, schema, (result) => {
		if (!result.success) {
			throw new HTTPException(400, {
				message: "invalid request",
				cause: { issues: result.error.issues },
			});
		}
	});
}

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * 400 for a POST/PATCH/PUT body without a JSON Content-Type (the json validator would see an empty
 * body). A POST with no body at all (e.g. replaying one log) needs none.
 */
export const requireJsonBody = createMiddleware(async (c, next) => {
	const method = c.req.method;
	const hasBody = c.req.raw.body !== null || method !== "POST";
	if ((method === "POST" || method === "PATCH" || method === "PUT") && hasBody) {
		const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim() ?? "";
		if (!JSON_MEDIA_TYPE.test(mediaType)) {
			throw new HTTPException(400, {
				message: "send a JSON body with Content-Type: application/json",
			});
		}
	}
	await next();
});

/** A row id in a path or query string. */
export const idSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A row id in a JSON body: a number, never a numeric string. */
export const bodyIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const idParam = z.object({ id: idSchema });

/** A PATCH body: any subset of the create fields, but at least one, and no unknown keys. */
export function patchSchema<Shape extends z.ZodRawShape>(shape: Shape) {
	return z
		.strictObject(shape)
		.partial()
		.refine((patch) => Object.values(patch).some((value) => value !== undefined), {
			message: "send at least one field to update",
		});
}
