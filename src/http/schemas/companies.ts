// The company body schemas shared by the operator API (routes/admin/companies.ts) and the console's
// company forms: the same rules and the same 400s on both faces.
import { isSupportedCountry } from "libphonenumber-js";
import { z } from "zod";
import { patchSchema } from "../validate";
import { timeZoneSchema } from "./routing";

/** ISO 3166 alpha-2, upper-cased; must be a region libphonenumber-js can parse national numbers for. */
const countrySchema = z
	.string()
	.regex(/^[A-Za-z]{2}$/, "must be an ISO 3166 alpha-2 country code, e.g. AE")
	.transform((code) => code.toUpperCase())
	.refine(isSupportedCountry, "not a country code with a phone numbering plan")
	.nullable();

const fields = {
	name: z.string().trim().min(1).max(200),
	auto_assign: z.boolean(),
	default_country: countrySchema,
	/** IANA zone of routing time windows (and of reps without one). */
	time_zone: timeZoneSchema,
};

export const companyCreateBody = z.strictObject({
	name: fields.name,
	auto_assign: fields.auto_assign.optional(),
	default_country: fields.default_country.optional(),
	time_zone: fields.time_zone.optional(),
});

export const companyPatchBody = patchSchema(fields);
