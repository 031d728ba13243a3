// The Settings card of a company's page (the company form, filled in) and the POST that saves it.
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import { companyPatchBody } from "../../../http/schemas/companies";
import { type Company, updateCompany } from "../../../storage/companies";
import { type ConsoleEnv, done } from "../../console-env";
import { check, textFields } from "../../forms";
import { Csrf, FormErrors } from "../../layout";
import { CompanyFields, companyInput, companyValues } from "./company-form";
import {
	companyId,
	errorsOf,
	type FormState,
	type RenderCompanyPage,
	valuesOf,
} from "./company-route";

export const CompanySettings: FC<{ company: Company; csrf: string; state?: FormState }> = ({
	company,
	csrf,
	state,
}) => (
	<section class="card" aria-labelledby="settings">
		<h2 id="settings">Settings</h2>
		<form class="stack" method="post" action={`/console/companies/${company.id}`}>
			<Csrf token={csrf} />
			<FormErrors errors={errorsOf(state, "edit")} />
			<CompanyFields
				values={valuesOf(state, "edit", companyValues(company))}
				errors={errorsOf(state, "edit")}
				idPrefix="edit"
			/>
			<button type="submit">Save</button>
		</form>
	</section>
);

export function settingsRoutes(companyPage: RenderCompanyPage) {
	return new Hono<ConsoleEnv>().post("/:id", async (c) => {
		const id = companyId(c);
		const values = textFields(await c.req.parseBody());
		const checked = check(companyPatchBody, companyInput(values));
		if (!checked.ok) return companyPage(c, id, { form: "edit", values, errors: checked.errors });
		const company = await updateCompany(c.var.db, id, {
			name: checked.data.name,
			autoAssign: checked.data.auto_assign,
			defaultCountry: checked.data.default_country,
			timeZone: checked.data.time_zone,
		});
		if (!company) return companyPage(c, id);
		return done(c, `/console/companies/${id}`, "Settings saved.");
	});
}
