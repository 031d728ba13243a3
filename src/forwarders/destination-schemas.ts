// zod schemas the destination kinds share: a field mapping (destination field → lead field, null to
// leave out) with one clear error per bad key or value, and a required token.
import { z } from "zod";
import { isMappableField } from "./salesforce-mapping";

/** A lead field the mapping can name (see salesforce-mapping.ts LEAD_FIELDS) or answer:<question>. */
const leadField = z
	.string()
	.refine(isMappableField, {
		error: "is not a lead field (full_name, email, phone, ...) or answer:<question>",
	})
	.nullable();

/** `fieldName` tells the destination's own field names apart; `fieldError` says what they look like. */
export function fieldMappingSchema(fieldName: RegExp, fieldError: string) {
	return z.record(z.string(), leadField).superRefine((mapping, ctx) => {
		for (const field of Object.keys(mapping)) {
			if (!fieldName.test(field))
				ctx.addIssue({ code: "custom", path: [field], message: fieldError });
		}
	});
}

/** A token or API key: trimmed, and refused with `missing` when absent, blank or too short to be one. */
export function requiredSecret(missing: string) {
	return z.string({ error: missing }).trim().min(20, { error: missing });
}
