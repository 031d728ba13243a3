// The company form's fields (name, default country, time zone, auto-assign), shared by "New company" on the
// list and Settings on the company page, and how its posted text becomes the API's input.
import type { FC } from "hono/jsx";
import type { Company } from "../../../storage/companies";
import { checkbox, type FormData, nullable, optional } from "../../forms";
import { Field, type FieldErrors } from "../../layout";

export const CompanyFields: FC<{ values: FormData; errors: FieldErrors; idPrefix: string }> = ({
	values,
	errors,
	idPrefix,
}) => (
	<>
		<Field
			id={`${idPrefix}-name`}
			name="name"
			label="Name"
			value={values.name}
			errors={errors}
			required
		/>
		<Field
			id={`${idPrefix}-country`}
			name="default_country"
			label="Default country"
			value={values.default_country}
			errors={errors}
			hint="ISO code (e.g. AE) for phone numbers typed without a country code"
		/>
		<Field
			id={`${idPrefix}-zone`}
			name="time_zone"
			label="Time zone"
			value={values.time_zone}
			errors={errors}
			hint="IANA zone (e.g. Europe/Berlin) of routing time windows and of reps without their own"
		/>
		<label class="check" for={`${idPrefix}-auto`}>
			<input
				id={`${idPrefix}-auto`}
				type="checkbox"
				name="auto_assign"
				checked={values.auto_assign !== undefined}
			/>
			Assign new leads to reps in turn
		</label>
		{errors.auto_assign ? <span class="field-error">{errors.auto_assign}</span> : null}
	</>
);

export function companyInput(form: FormData) {
	return {
		name: form.name ?? "",
		auto_assign: checkbox(form.auto_assign),
		default_country: nullable(form.default_country),
		time_zone: optional(form.time_zone),
	};
}

export function companyValues(company: Company): FormData {
	return {
		name: company.name,
		default_country: company.defaultCountry ?? "",
		time_zone: company.timeZone,
		...(company.autoAssign ? { auto_assign: "on" } : {}),
	};
}
