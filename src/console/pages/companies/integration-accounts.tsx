// The Integration accounts card of a company's page (mapped advertisers, Pages and businesses, each
// with its daily-backfill and active switches) and the POSTs that map, switch and auto-backfill one.
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import {
	accountCreateBody,
	accountPatchBody,
	autoBackfillBody,
} from "../../../http/schemas/integration-accounts";
import { addIntegrationAccount, editIntegrationAccount } from "../../../operator/actions";
import { operatorContext } from "../../../operator/context";
import { switchAutoBackfill } from "../../../operator/monitor";
import { getAccount, type IntegrationAccount } from "../../../storage/integration-accounts";
import { type ConsoleEnv, done } from "../../console-env";
import { actionErrors, check, pathId, textFields } from "../../forms";
import { Csrf, Empty, Field, FormErrors, Select } from "../../layout";
import {
	companyId,
	errorsOf,
	type FormState,
	type RenderCompanyPage,
	valuesOf,
} from "./company-route";
import { Toggle } from "./toggle";

const ACCOUNT_PROVIDERS = [
	{ value: "tiktok", label: "TikTok Lead Gen (advertiser id)" },
	{ value: "meta", label: "Meta Lead Ads (Page id)" },
	{ value: "fbe", label: "Facebook Business Extension (business id)" },
	{ value: "whatsapp", label: "WhatsApp (phone number id)" },
];

export const IntegrationAccounts: FC<{
	id: number;
	accounts: IntegrationAccount[];
	/** Per account, in order: whether its daily backfill is on, or null if it cannot backfill. */
	autoBackfill: (boolean | null)[];
	csrf: string;
	state?: FormState;
}> = ({ id, accounts, autoBackfill, csrf, state }) => (
	<section class="card" aria-labelledby="accounts">
		<h2 id="accounts">Integration accounts</h2>
		<p class="muted">
			Map an advertiser, Page or business to this company so its leads route here whatever URL they
			arrive on.
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
			<FormErrors errors={errorsOf(state, "account")} />
			<Select
				id="acc-provider"
				name="provider"
				label="Provider"
				value={valuesOf(state, "account", {}).provider}
				options={ACCOUNT_PROVIDERS}
				errors={errorsOf(state, "account")}
			/>
			<Field
				id="acc-name"
				name="name"
				label="Name"
				value={valuesOf(state, "account", {}).name}
				errors={errorsOf(state, "account")}
				required
			/>
			<Field
				id="acc-external"
				name="external_id"
				label="External id"
				value={valuesOf(state, "account", {}).external_id}
				errors={errorsOf(state, "account")}
				required
			/>
			<button type="submit">Map account</button>
		</form>
	</section>
);

export function accountRoutes(companyPage: RenderCompanyPage) {
	return new Hono<ConsoleEnv>()
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
		});
}
