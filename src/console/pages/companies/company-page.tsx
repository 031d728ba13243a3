// A company's page (/console/companies/:id): loads what its sections show and lays them out. The
// section routes render it again, with the failed form's values and errors, as a 400.
import { canBackfill } from "../../../backfill/readiness";
import { destinationJson } from "../../../http/schemas/destinations";
import { connectionJson } from "../../../http/schemas/salesforce";
import { companyWebhookUrls } from "../../../operator/actions";
import { operatorContext } from "../../../operator/context";
import { routingState } from "../../../operator/routing";
import { getAutoBackfill } from "../../../storage/backfill";
import { getCompany } from "../../../storage/companies";
import { destinationForwardCounts, listCompanyDestinations } from "../../../storage/destinations";
import { listEmployees } from "../../../storage/employees";
import { listAccounts } from "../../../storage/integration-accounts";
import { listChannels, readSlaSettings } from "../../../storage/notification-channels";
import {
	companyScope,
	forwardCounts,
	getConnection,
} from "../../../storage/salesforce-connections";
import { type ConsoleContext, takeFlash } from "../../console-env";
import { notFound, Page } from "../../layout";
import type { FormState } from "./company-route";
import { CompanySettings } from "./company-settings";
import { Destinations } from "./destinations";
import { IntegrationAccounts } from "./integration-accounts";
import { Notifications } from "./notifications";
import { Reps } from "./reps";
import { RoutingCard } from "./routing";
import { SalesforceConnection } from "./salesforce";
import { WebhookUrls } from "./webhook-urls";

export async function companyPage(c: ConsoleContext, id: number, state?: FormState) {
	const company = await getCompany(c.var.db, id);
	if (!company) return notFound(c, "company", "companies");
	const ctx = operatorContext(c);
	const now = new Date();
	const [
		reps,
		accounts,
		connection,
		webhook,
		destinationRows,
		destinationCounts,
		channels,
		rules,
		routing,
	] = await Promise.all([
		listEmployees(c.var.db, { companyId: id }),
		listAccounts(c.var.db, { companyId: id }),
		getConnection(c.var.db, companyScope(id)),
		companyWebhookUrls(ctx, id),
		listCompanyDestinations(c.var.db, id),
		destinationForwardCounts(c.var.db, id),
		listChannels(c.var.db, id),
		readSlaSettings(c.var.db, id),
		routingState(c.var.db, id, now),
	]);
	const destinations = destinationRows.map((row) =>
		destinationJson(row, destinationCounts.get(row.kind)),
	);
	const counts = connection ? await forwardCounts(c.var.db, connection) : {};
	const autoBackfill = await Promise.all(
		accounts.map((account) =>
			canBackfill(account.provider) ? getAutoBackfill(c.var.db, account.id) : null,
		),
	);
	const sf = connection ? connectionJson(connection) : undefined;
	const csrf = c.var.csrf;
	return c.html(
		<Page title={company.name} section="companies" csrf={csrf} flash={takeFlash(c)}>
			<p class="muted">
				<a href={`/console/leads?company_id=${id}`}>Leads</a> ·{" "}
				<a href={`/console/receipts?company_id=${id}`}>Receipts</a> ·{" "}
				<a href={`/console/forwards?company_id=${id}`}>Forwards</a>
			</p>
			<WebhookUrls id={id} webhook={webhook} csrf={csrf} />
			<div class="grid">
				<CompanySettings company={company} csrf={csrf} state={state} />
				<Reps id={id} reps={reps} csrf={csrf} state={state} />
			</div>
			<RoutingCard id={id} view={{ state: routing, reps, now }} csrf={csrf} state={state} />
			<IntegrationAccounts
				id={id}
				accounts={accounts}
				autoBackfill={autoBackfill}
				csrf={csrf}
				state={state}
			/>
			<SalesforceConnection id={id} sf={sf} counts={counts} csrf={csrf} state={state} />
			<Destinations id={id} destinations={destinations} csrf={csrf} state={state} />
			<Notifications
				id={id}
				channels={channels}
				reps={reps}
				rules={rules}
				csrf={csrf}
				state={state}
			/>
		</Page>,
		state && Object.keys(state.errors).length > 0 ? 400 : 200,
	);
}
