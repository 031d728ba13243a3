// The integration-account body schemas shared by the operator API (routes/admin/integration-accounts.ts)
// and the console's account forms.
import { z } from "zod";
import { bodyIdSchema, patchSchema } from "../validate";

export const providerSchema = z
	.string()
	.regex(/^[a-z][a-z0-9_-]{0,31}$/, "a lowercase provider key, e.g. tiktok");

/** A string only: a 19-digit TikTok advertiser id sent as a JSON number is already rounded. */
const externalIdSchema = z
	.string({ error: "must be a string; quote ids so 19-digit numbers are not rounded" })
	.trim()
	.min(1)
	.max(128);

const fields = {
	company_id: bodyIdSchema,
	name: z.string().trim().min(1).max(200),
	external_id: externalIdSchema,
	is_active: z.boolean(),
};

export const accountCreateBody = z.strictObject({
	company_id: fields.company_id,
	provider: providerSchema,
	name: fields.name,
	external_id: fields.external_id,
	is_active: fields.is_active.optional(),
});

export const accountPatchBody = patchSchema(fields);

export const autoBackfillBody = z.strictObject({ enabled: z.boolean() });
