// The company list (/console/companies) with its "New company" form, and the POST that creates a
// company (back to the list with the errors, or on to the new company's page).
import { Hono } from "hono";
import { companyCreateBody } from "../../../http/schemas/companies";
import { createCompany, listCompanies } from "../../../storage/companies";
import { type ConsoleContext, type ConsoleEnv, done, takeFlash } from "../../console-env";
import { check, type FormData, textFields } from "../../forms";
import { Csrf, Empty, type FieldErrors, FormErrors, Page, when } from "../../layout";
import { CompanyFields, companyInput } from "./company-form";

async function listPage(c: ConsoleContext, state?: { values: FormData; errors: FieldErrors }) {
	const companies = await listCompanies(c.var.db);
	return c.html(
		<Page title="Companies" section="companies" csrf={c.var.csrf} flash={takeFlash(c)}>
			{companies.length === 0 ? (
				<Empty>No companies yet. Create the first one below.</Empty>
			) : (
				<div class="table-wrap card">
					<table>
						<thead>
							<tr>
								<th scope="col">Company</th>
								<th scope="col">Default country</th>
								<th scope="col">Auto-assign</th>
								<th scope="col" class="hide-narrow">
									Created
								</th>
							</tr>
						</thead>
						<tbody>
							{companies.map((company) => (
								<tr>
									<td dir="auto">
										<a href={`/console/companies/${company.id}`}>{company.name}</a>
									</td>
									<td>{company.defaultCountry ?? "—"}</td>
									<td>{company.autoAssign ? "on" : "off"}</td>
									<td class="hide-narrow">{when(company.createdAt)}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			<section class="card" aria-labelledby="new-company">
				<h2 id="new-company">New company</h2>
				<form class="stack" method="post" action="/console/companies">
					<Csrf token={c.var.csrf} />
					<FormErrors errors={state?.errors} />
					<CompanyFields
						values={state?.values ?? { auto_assign: "on" }}
						errors={state?.errors ?? {}}
						idPrefix="new"
					/>
					<button type="submit">Create company</button>
				</form>
			</section>
		</Page>,
		state ? 400 : 200,
	);
}

export const companyListRoutes = new Hono<ConsoleEnv>()
	.get("/", (c) => listPage(c))
	.post("/", async (c) => {
		const values = textFields(await c.req.parseBody());
		const checked = check(companyCreateBody, companyInput(values));
		if (!checked.ok) return listPage(c, { values, errors: checked.errors });
		const company = await createCompany(c.var.db, {
			name: checked.data.name,
			autoAssign: checked.data.auto_assign,
			defaultCountry: checked.data.default_country,
			timeZone: checked.data.time_zone,
		});
		return done(c, `/console/companies/${company.id}`, `Company ${company.name} created.`);
	});
