// The zod schema of a destination's field mapping (destination field → lead field, null to leave
// out), with one clear error per bad key or value, shared by the HubSpot and Twenty settings.
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
