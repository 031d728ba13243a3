// Companies: create and edit (auto-assign, default country), reps, integration accounts, the
// Salesforce connection (set, test now, last error; secrets never shown), the ready-to-paste webhook
// URLs with copy buttons, and "Send a test lead". Every form is checked with the API's zod schemas.
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import { canBackfill } from "../../backfill/run-backfill";
import { companyCreateBody, companyPatchBody } from "../../http/schemas/companies";
import { employeeCreateBody, employeePatchBody } from "../../http/schemas/employees";
import {
	accountCreateBody,
	accountPatchBody,
	autoBackfillBody,
} from "../../http/schemas/integration-accounts";
import { connectionJson } from "../../http/schemas/salesforce";
import {
	addEmployee,
	addIntegrationAccount,
	companyWebhookUrls,
	editIntegrationAccount,
} from "../../operator/actions";
import { operatorContext } from "../../operator/context";
import { switchAutoBackfill } from "../../operator/monitor";
import { connectionBody, saveConnection, testConnection } from "../../operator/salesforce";
import { type Dispatch, sendTestLead } from "../../operator/test-lead";
import { getAutoBackfill } from "../../storage/backfill";
import {
	type Company,
	createCompany,
	getCompany,
	listCompanies,
	updateCompany,
} from "../../storage/companies";
import { getEmployee, listEmployees, updateEmployee } from "../../storage/employees";
import { getAccount, listAccounts } from "../../storage/integration-accounts";
import { companyScope, forwardCounts, getConnection } from "../../storage/salesforce-connections";
import { type ConsoleContext, type ConsoleEnv, done, takeFlash } from "../console-env";
import {
	actionErrors,
	check,
	checkbox,
	type FormData,
	nullable,
	optional,
	pathId,
	textFields,
} from "../forms";
import {
	Badge,
	Csrf,
	Empty,
	Field,
	type FieldErrors,
	FormErrors,
	notFound,
	Page,
	Select,
	when,
} from "../layout";

const ACCOUNT_PROVIDERS = [
	{ value: "tiktok", label: "TikTok Lead Gen (advertiser id)" },
	{ value: "meta", label: "Meta Lead Ads (Page id)" },
	{ value: "fbe", label: "Facebook Business Extension (business id)" },
	{ value: "whatsapp", label: "WhatsApp (phone number id)" },
];

const URL_LABELS = {
	tiktok: "TikTok Lead Gen",
	meta: "Meta (Lead Ads, FBE, WhatsApp)",
	forms: "Website forms",
};

/**
 * A one-button switch: posts the opposite of `on` in `field`. Deactivate/activate a rep or an
 * account (is_active); turn an account's daily backfill off/on (enabled), with its state shown.
 */
const Toggle: FC<{
	action: string;
	csrf: string;
	field: "is_active" | "enabled";
	on: boolean;
	name: string;
}> = ({ action, csrf, field, on, name }) => {
	const backfill = field === "enabled";
	const verb = backfill ? (on ? "Turn off" : "Turn on") : on ? "Deactivate" : "Activate";
	return (
		<form method="post" action={action}>
			<Csrf token={csrf} />
			<input type="hidden" name={field} value={on ? "false" : "true"} />
			{backfill ? <span class="muted">{on ? "on " : "off "}</span> : null}
			<button
				type="submit"
				class="secondary"
				aria-label={`${verb} ${backfill ? "daily backfill for " : ""}${name}`}
			>
				{verb}
			</button>
		</form>
	);
};

/** Write-only inputs: never filled in, never echoed back. */
const SECRET_FIELDS = [
	{ id: "sf-key", name: "consumer_key", label: "Consumer key" },
	{ id: "sf-secret", name: "consumer_secret", label: "Consumer secret" },
	{ id: "sf-refresh", name: "refresh_token", label: "Refresh token" },
];

type FormName = "edit" | "rep" | "account" | "salesforce";

interface FormState {
	form: FormName;
	values: FormData;
	errors: FieldErrors;
}

const CompanyFields: FC<{ values: FormData; errors: FieldErrors; idPrefix: string }> = ({
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

function companyInput(form: FormData) {
	return {
		name: form.name ?? "",
		auto_assign: checkbox(form.auto_assign),
		default_country: nullable(form.default_country),
	};
}

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

function companyValues(company: Company): FormData {
	return {
		name: company.name,
		default_country: company.defaultCountry ?? "",
		...(company.autoAssign ? { auto_assign: "on" } : {}),
	};
}

async function companyPage(c: ConsoleContext, id: number, state?: FormState) {
	const company = await getCompany(c.var.db, id);
	if (!company) return notFound(c, "company", "companies");
	const ctx = operatorContext(c);
	const [reps, accounts, connection, webhook] = await Promise.all([
		listEmployees(c.var.db, { companyId: id }),
		listAccounts(c.var.db, { companyId: id }),
		getConnection(c.var.db, companyScope(id)),
		companyWebhookUrls(ctx, id),
	]);
	const counts = connection ? await forwardCounts(c.var.db, connection) : {};
	const autoBackfill = await Promise.all(
		accounts.map((account) =>
			canBackfill(account.provider) ? getAutoBackfill(c.var.db, account.id) : null,
		),
	);
	const sf = connection ? connectionJson(connection) : undefined;
	const errorsOf = (form: FormName) => (state?.form === form ? state.errors : {});
	const valuesOf = (form: FormName, fallback: FormData) =>
		state?.form === form ? state.values : fallback;
	const csrf = c.var.csrf;
	return c.html(
		<Page title={company.name} section="companies" csrf={csrf} flash={takeFlash(c)}>
			<p class="muted">
				<a href={`/console/leads?company_id=${id}`}>Leads</a> ·{" "}
				<a href={`/console/receipts?company_id=${id}`}>Receipts</a> ·{" "}
				<a href={`/console/forwards?company_id=${id}`}>Forwards</a>
			</p>
			<section class="card" aria-labelledby="urls">
				<h2 id="urls">Webhook URLs</h2>
				<p class="muted">
					Paste these into TikTok Leads Center, the Meta app's webhook settings or your website form
					{webhook.signed ? " (signed: the sig parameter must stay)." : "."}
				</p>
				{(Object.keys(URL_LABELS) as (keyof typeof URL_LABELS)[]).map((key) => (
					<div class="url">
						<strong>{URL_LABELS[key]}</strong>
						<code data-copy={`${URL_LABELS[key]} URL`} id={`url-${key}`}>
							{webhook.urls[key]}
						</code>
					</div>
				))}
				<form method="post" action={`/console/companies/${id}/test-lead`} class="actions">
					<Csrf token={csrf} />
					<button type="submit">Send a test lead</button>
					<span class="muted">A signed sample TikTok lead through the URL above.</span>
				</form>
			</section>
			<div class="grid">
				<section class="card" aria-labelledby="settings">
					<h2 id="settings">Settings</h2>
					<form class="stack" method="post" action={`/console/companies/${id}`}>
						<Csrf token={csrf} />
						<FormErrors errors={errorsOf("edit")} />
						<CompanyFields
							values={valuesOf("edit", companyValues(company))}
							errors={errorsOf("edit")}
							idPrefix="edit"
						/>
						<button type="submit">Save</button>
					</form>
				</section>
				<section class="card" aria-labelledby="reps">
					<h2 id="reps">Sales reps</h2>
					{reps.length === 0 ? (
						<Empty>No reps: leads stay unassigned.</Empty>
					) : (
						<ul>
							{reps.map((rep) => (
								<li class="actions">
									<span dir="auto">{rep.name}</span>
									{rep.email ? (
										<span class="muted" dir="auto">
											{rep.email}
										</span>
									) : null}
									{rep.isActive ? null : <Badge status="inactive" />}
									<Toggle
										action={`/console/companies/${id}/reps/${rep.id}`}
										csrf={csrf}
										field="is_active"
										on={rep.isActive}
										name={rep.name}
									/>
								</li>
							))}
						</ul>
					)}
					<form class="stack" method="post" action={`/console/companies/${id}/reps`}>
						<Csrf token={csrf} />
						<FormErrors errors={errorsOf("rep")} />
						<Field
							id="rep-name"
							name="name"
							label="Rep name"
							value={valuesOf("rep", {}).name}
							errors={errorsOf("rep")}
							required
						/>
						<Field
							id="rep-email"
							name="email"
							label="Rep email (optional)"
							type="email"
							value={valuesOf("rep", {}).email}
							errors={errorsOf("rep")}
						/>
						<button type="submit">Add rep</button>
					</form>
				</section>
			</div>
			<section class="card" aria-labelledby="accounts">
				<h2 id="accounts">Integration accounts</h2>
				<p class="muted">
					Map an advertiser, Page or business to this company so its leads route here without
					company_id in the URL.
				</p>
				{accounts.length === 0 ? (
					<Empty>No accounts mapped.</Empty>
				) : (
					<div class="table-wrap">
						<table>
							<thead>
								<tr>
									<th scope="col">Provider</th>
									<th scope="col" class="hide-narrow">
										Name
									</th>
									<th scope="col">External id</th>
									<th scope="col">Daily backfill</th>
									<th scope="col">
										<span class="muted">Action</span>
									</th>
								</tr>
							</thead>
							<tbody>
								{accounts.map((account, i) => (
									<tr>
										<td>{account.provider}</td>
										<td class="hide-narrow" dir="auto">
											{account.name}
										</td>
										<td>{account.externalId ?? "default"}</td>
										<td>
											{typeof autoBackfill[i] === "boolean" ? (
												<Toggle
													action={`/console/companies/${id}/accounts/${account.id}/auto-backfill`}
													csrf={csrf}
													field="enabled"
													on={autoBackfill[i]}
													name={account.name}
												/>
											) : (
												<span class="muted">—</span>
											)}
										</td>
										<td>
											<Toggle
												action={`/console/companies/${id}/accounts/${account.id}`}
												csrf={csrf}
												field="is_active"
												on={account.isActive}
												name={account.name}
											/>
										</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				)}
				<form class="inline" method="post" action={`/console/companies/${id}/accounts`}>
					<Csrf token={csrf} />
					<FormErrors errors={errorsOf("account")} />
					<Select
						id="acc-provider"
						name="provider"
						label="Provider"
						value={valuesOf("account", {}).provider}
						options={ACCOUNT_PROVIDERS}
						errors={errorsOf("account")}
					/>
					<Field
						id="acc-name"
						name="name"
						label="Name"
						value={valuesOf("account", {}).name}
						errors={errorsOf("account")}
						required
					/>
					<Field
						id="acc-external"
						name="external_id"
						label="External id"
						value={valuesOf("account", {}).external_id}
						errors={errorsOf("account")}
						required
					/>
					<button type="submit">Map account</button>
				</form>
			</section>
			<section class="card" aria-labelledby="salesforce">
				<h2 id="salesforce">Salesforce</h2>
				{sf ? (
					<dl class="facts">
						<dt>Status</dt>
						<dd>
							<Badge status={sf.status === "ok" ? "success" : "failure"} /> {sf.status}
							{sf.status_reason ? ` (${sf.status_reason}, ${when(sf.status_changed_at)})` : ""}
						</dd>
						<dt>Login URL</dt>
						<dd>{sf.login_url}</dd>
						<dt>Object</dt>
						<dd>
							{sf.target_object}, API {sf.api_version}
						</dd>
						<dt>Secrets</dt>
						<dd>
							consumer key {sf.consumer_key_set ? "set" : "missing"}, secret{" "}
							{sf.consumer_secret_set ? "set" : "missing"}, refresh token{" "}
							{sf.refresh_token_set ? "set" : "missing"}
						</dd>
						<dt>Forwards</dt>
						<dd>
							{Object.keys(counts).length === 0
								? "none yet"
								: Object.entries(counts)
										.map(([status, n]) => `${n} ${status}`)
										.join(", ")}
						</dd>
					</dl>
				) : (
					<Empty>Not connected: leads of this company are not forwarded.</Empty>
				)}
				{sf ? (
					<form method="post" action={`/console/companies/${id}/salesforce/test`} class="actions">
						<Csrf token={csrf} />
						<button type="submit" class="secondary">
							Test now
						</button>
					</form>
				) : null}
				<h3>{sf ? "Change the connection" : "Connect Salesforce"}</h3>
				<form class="stack" method="post" action={`/console/companies/${id}/salesforce`}>
					<Csrf token={csrf} />
					<FormErrors errors={errorsOf("salesforce")} />
					<Field
						id="sf-login"
						name="login_url"
						label="Login URL"
						value={
							valuesOf("salesforce", { login_url: sf?.login_url ?? "https://login.salesforce.com" })
								.login_url
						}
						errors={errorsOf("salesforce")}
						required
					/>
					{SECRET_FIELDS.map((secret) => (
						<Field
							id={secret.id}
							name={secret.name}
							label={secret.label}
							type="password"
							errors={errorsOf("salesforce")}
							hint={sf ? "Leave blank to keep the stored one" : undefined}
							autocomplete="new-password"
						/>
					))}
					<Field
						id="sf-version"
						name="api_version"
						label="API version (optional)"
						value={valuesOf("salesforce", { api_version: sf?.api_version ?? "" }).api_version}
						errors={errorsOf("salesforce")}
					/>
					<Select
						id="sf-object"
						name="target_object"
						label="Create"
						value={
							valuesOf("salesforce", { target_object: sf?.target_object ?? "Lead" }).target_object
						}
						options={[
							{ value: "Lead", label: "Leads" },
							{ value: "Case", label: "Cases" },
						]}
						errors={errorsOf("salesforce")}
					/>
					<button type="submit">Save connection</button>
				</form>
			</section>
		</Page>,
		state ? 400 : 200,
	);
}

function companyId(c: ConsoleContext): number {
	return pathId(c, "id");
}

export function companyPages(dispatch: Dispatch) {
	return new Hono<ConsoleEnv>()
		.get("/", (c) => listPage(c))
		.post("/", async (c) => {
			const values = textFields(await c.req.parseBody());
			const checked = check(companyCreateBody, companyInput(values));
			if (!checked.ok) return listPage(c, { values, errors: checked.errors });
			const company = await createCompany(c.var.db, {
				name: checked.data.name,
				autoAssign: checked.data.auto_assign,
				defaultCountry: checked.data.default_country,
			});
			return done(c, `/console/companies/${company.id}`, `Company ${company.name} created.`);
		})
		.get("/:id", (c) => companyPage(c, companyId(c)))
		.post("/:id", async (c) => {
			const id = companyId(c);
			const values = textFields(await c.req.parseBody());
			const checked = check(companyPatchBody, companyInput(values));
			if (!checked.ok) return companyPage(c, id, { form: "edit", values, errors: checked.errors });
			const company = await updateCompany(c.var.db, id, {
				name: checked.data.name,
				autoAssign: checked.data.auto_assign,
				defaultCountry: checked.data.default_country,
			});
			if (!company) return companyPage(c, id);
			return done(c, `/console/companies/${id}`, "Settings saved.");
		})
		.post("/:id/reps", async (c) => {
			const id = companyId(c);
			const values = textFields(await c.req.parseBody());
			const checked = check(employeeCreateBody, {
				company_id: id,
				name: values.name ?? "",
				email: nullable(values.email),
			});
			if (!checked.ok) return companyPage(c, id, { form: "rep", values, errors: checked.errors });
			try {
				const rep = await addEmployee(operatorContext(c), {
					companyId: id,
					name: checked.data.name,
					email: checked.data.email,
				});
				return done(c, `/console/companies/${id}`, `Rep ${rep.name} added.`);
			} catch (error) {
				return companyPage(c, id, { form: "rep", values, errors: actionErrors(error) });
			}
		})
		.post("/:id/reps/:repId", async (c) => {
			const id = companyId(c);
			const repId = pathId(c, "repId");
			const values = textFields(await c.req.parseBody());
			const checked = check(employeePatchBody, { is_active: values.is_active === "true" });
			const rep = await getEmployee(c.var.db, repId);
			if (!checked.ok || !rep || rep.companyId !== id) {
				return done(c, `/console/companies/${id}`, "No such rep.", "error");
			}
			await updateEmployee(c.var.db, rep.id, { isActive: checked.data.is_active });
			const state = checked.data.is_active ? "active again" : "deactivated";
			return done(c, `/console/companies/${id}`, `Rep ${rep.name} ${state}.`);
		})
		.post("/:id/accounts", async (c) => {
			const id = companyId(c);
			const values = textFields(await c.req.parseBody());
			const checked = check(accountCreateBody, {
				company_id: id,
				provider: values.provider ?? "",
				name: values.name ?? "",
				external_id: values.external_id ?? "",
			});
			if (!checked.ok)
				return companyPage(c, id, { form: "account", values, errors: checked.errors });
			try {
				const account = await addIntegrationAccount(operatorContext(c), {
					companyId: id,
					provider: checked.data.provider,
					name: checked.data.name,
					externalId: checked.data.external_id,
				});
				return done(
					c,
					`/console/companies/${id}`,
					`${account.provider} ${account.externalId} now routes here.`,
				);
			} catch (error) {
				return companyPage(c, id, { form: "account", values, errors: actionErrors(error) });
			}
		})
		.post("/:id/accounts/:accountId", async (c) => {
			const id = companyId(c);
			const accountId = pathId(c, "accountId");
			const values = textFields(await c.req.parseBody());
			const checked = check(accountPatchBody, { is_active: values.is_active === "true" });
			const account = await getAccount(c.var.db, accountId);
			if (!checked.ok || !account || account.companyId !== id) {
				return done(c, `/console/companies/${id}`, "No such account.", "error");
			}
			try {
				await editIntegrationAccount(operatorContext(c), account.id, {
					isActive: checked.data.is_active,
				});
				return done(
					c,
					`/console/companies/${id}`,
					`Account ${account.name} ${checked.data.is_active ? "active" : "deactivated"}.`,
				);
			} catch (error) {
				return done(
					c,
					`/console/companies/${id}`,
					actionErrors(error)._form ?? "Not saved",
					"error",
				);
			}
		})
		.post("/:id/accounts/:accountId/auto-backfill", async (c) => {
			const id = companyId(c);
			const back = `/console/companies/${id}`;
			const account = await getAccount(c.var.db, pathId(c, "accountId"));
			const values = textFields(await c.req.parseBody());
			const checked = check(autoBackfillBody, { enabled: values.enabled === "true" });
			if (!checked.ok || !account || account.companyId !== id) {
				return done(c, back, "No such account.", "error");
			}
			const { enabled } = checked.data;
			try {
				await switchAutoBackfill(operatorContext(c), account.id, enabled);
				return done(
					c,
					back,
					`Daily backfill of ${account.name} ${enabled ? "on: the cron reads the last 48 h once a day" : "off"}.`,
				);
			} catch (error) {
				return done(c, back, actionErrors(error)._form ?? "Not saved", "error");
			}
		})
		.post("/:id/salesforce", async (c) => {
			const id = companyId(c);
			const values = textFields(await c.req.parseBody());
			const existing = await getConnection(c.var.db, companyScope(id));
			// Settings the form does not show keep what the API set.
			const checked = check(connectionBody, {
				login_url: values.login_url?.trim() ?? "",
				consumer_key: optional(values.consumer_key),
				consumer_secret: optional(values.consumer_secret),
				refresh_token: optional(values.refresh_token),
				api_version: optional(values.api_version),
				target_object: values.target_object ?? "Lead",
				field_mapping: existing?.fieldMapping ?? null,
				external_id_field: existing?.externalIdField ?? null,
				auto_assign: existing?.autoAssign ?? null,
				duplicate_allow_save: existing?.duplicateAllowSave ?? false,
			});
			// Secrets are never echoed back into the form.
			const shown = {
				login_url: values.login_url ?? "",
				api_version: values.api_version ?? "",
				target_object: values.target_object ?? "Lead",
			};
			if (!checked.ok)
				return companyPage(c, id, { form: "salesforce", values: shown, errors: checked.errors });
			try {
				const { created } = await saveConnection(operatorContext(c), id, checked.data);
				return done(
					c,
					`/console/companies/${id}`,
					created ? "Salesforce connected." : "Salesforce connection saved.",
				);
			} catch (error) {
				return companyPage(c, id, {
					form: "salesforce",
					values: shown,
					errors: actionErrors(error),
				});
			}
		})
		.post("/:id/salesforce/test", async (c) => {
			const id = companyId(c);
			try {
				const result = await testConnection(operatorContext(c), id);
				return done(
					c,
					`/console/companies/${id}`,
					`Salesforce test: ${result.message}`,
					result.ok ? "ok" : "error",
				);
			} catch (error) {
				return done(
					c,
					`/console/companies/${id}`,
					actionErrors(error)._form ?? "Not tested",
					"error",
				);
			}
		})
		.post("/:id/test-lead", async (c) => {
			const id = companyId(c);
			try {
				const result = await sendTestLead(operatorContext(c), dispatch, c.executionCtx, id);
				if (result.clientId !== null) {
					return done(
						c,
						`/console/leads/${result.clientId}`,
						`Test lead ${result.leadId} arrived through the TikTok webhook (HTTP ${result.status}).`,
					);
				}
				return done(
					c,
					`/console/companies/${id}`,
					`Test lead not stored: HTTP ${result.status}, ${result.failed} failed. See Receipts.`,
					"error",
				);
			} catch (error) {
				return done(
					c,
					`/console/companies/${id}`,
					actionErrors(error)._form ?? "Not sent",
					"error",
				);
			}
		});
}
