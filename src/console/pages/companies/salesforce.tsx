// The Salesforce card of a company's page (status, last error, forward counts; secrets only as
// set/missing) and the POSTs that save the connection and test it now.
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import type { connectionJson } from "../../../http/schemas/salesforce";
import { operatorContext } from "../../../operator/context";
import { connectionBody, saveConnection, testConnection } from "../../../operator/salesforce";
import {
	companyScope,
	type ForwardCounts,
	getConnection,
} from "../../../storage/salesforce-connections";
import { type ConsoleEnv, done } from "../../console-env";
import { actionErrors, check, optional, textFields } from "../../forms";
import { Badge, Csrf, Empty, Field, FormErrors, Select, when } from "../../layout";
import {
	companyId,
	errorsOf,
	type FormState,
	type RenderCompanyPage,
	valuesOf,
} from "./company-route";

/** Write-only inputs: never filled in, never echoed back. */
const SECRET_FIELDS = [
	{ id: "sf-key", name: "consumer_key", label: "Consumer key" },
	{ id: "sf-secret", name: "consumer_secret", label: "Consumer secret" },
	{ id: "sf-refresh", name: "refresh_token", label: "Refresh token" },
];

export const SalesforceConnection: FC<{
	id: number;
	/** The connection as the API shows it; undefined when the company has none. */
	sf: ReturnType<typeof connectionJson> | undefined;
	counts: ForwardCounts;
	csrf: string;
	state?: FormState;
}> = ({ id, sf, counts, csrf, state }) => (
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
			<FormErrors errors={errorsOf(state, "salesforce")} />
			<Field
				id="sf-login"
				name="login_url"
				label="Login URL"
				value={
					valuesOf(state, "salesforce", {
						login_url: sf?.login_url ?? "https://login.salesforce.com",
					}).login_url
				}
				errors={errorsOf(state, "salesforce")}
				required
			/>
			{SECRET_FIELDS.map((secret) => (
				<Field
					id={secret.id}
					name={secret.name}
					label={secret.label}
					type="password"
					errors={errorsOf(state, "salesforce")}
					hint={sf ? "Leave blank to keep the stored one" : undefined}
					autocomplete="new-password"
				/>
			))}
			<Field
				id="sf-version"
				name="api_version"
				label="API version (optional)"
				value={valuesOf(state, "salesforce", { api_version: sf?.api_version ?? "" }).api_version}
				errors={errorsOf(state, "salesforce")}
			/>
			<Select
				id="sf-object"
				name="target_object"
				label="Create"
				value={
					valuesOf(state, "salesforce", { target_object: sf?.target_object ?? "Lead" })
						.target_object
				}
				options={[
					{ value: "Lead", label: "Leads" },
					{ value: "Case", label: "Cases" },
				]}
				errors={errorsOf(state, "salesforce")}
			/>
			<button type="submit">Save connection</button>
		</form>
	</section>
);

export function salesforceRoutes(companyPage: RenderCompanyPage) {
	return new Hono<ConsoleEnv>()
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
		});
}
