// Unresolved: every lead that failed and is not a client yet, grouped by cause with counts. A lead
// stays here through failed replays until a client exists for it or an operator dismisses it. A
// group whose cause is an unmapped routing key offers "Route ... to [company]": the mapping, then a
// replay of every lead in the group (operator/unresolved.ts, as POST /api/admin/unresolved/route).
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import { pageRequest } from "../../http/pagination";
import {
	dismissBody,
	routeBody,
	routeOffer,
	unresolvedFilter,
	unresolvedListQuery,
} from "../../http/schemas/unresolved";
import { operatorContext } from "../../operator/context";
import { dismissLead, type RouteResult, routeAndReplay } from "../../operator/unresolved";
import { type Company, listCompanies } from "../../storage/companies";
import { FAILURE_CAUSES, type FailureCause } from "../../storage/schema";
import {
	listUnresolved,
	listUnresolvedGroups,
	type UnresolvedGroup,
	type UnresolvedLead,
} from "../../storage/unresolved";
import { type ConsoleEnv, done, takeFlash } from "../console-env";
import { actionErrors, check, listPage, numeric, pathId, queryFields, textFields } from "../forms";
import { providerLabel } from "../labels";
import { Csrf, Empty, Page, Pager, Select, when } from "../layout";

const PATH = "/console/unresolved";

/** Each cause as a heading the operator reads. */
const CAUSE_TITLES: Record<FailureCause, string> = {
	unmapped: "Not routed to a company",
	unknown_company: "Routed to a company that does not exist",
	inactive_account: "Inactive Meta Page",
	no_token: "No access token to read the lead",
	lead_read_failed: "Could not be read from Meta",
	unparseable: "Could not be read",
	invalid: "Refused by the form rules",
	other: "Other failures",
};

/** The list filtered to one group's leads. */
export function unresolvedGroupHref(
	group: Pick<UnresolvedGroup, "provider" | "cause" | "routingKey">,
): string {
	const params = new URLSearchParams({ provider: group.provider, cause: group.cause });
	if (group.routingKey !== null) params.set("routing_key", group.routingKey);
	return `${PATH}?${params}#leads`;
}

const RouteForm: FC<{ group: UnresolvedGroup; companies: Company[]; csrf: string }> = ({
	group,
	companies,
	csrf,
}) => {
	const offer = routeOffer(group);
	if (!offer) return null;
	if (companies.length === 0) {
		return (
			<p class="muted">
				<a href="/console/companies">Add a company</a> to route {offer.label} {offer.routing_key} to
				it.
			</p>
		);
	}
	const id = `route-${group.provider}-${offer.routing_key}`;
	return (
		<form class="inline" method="post" action={`${PATH}/route`}>
			<Csrf token={csrf} />
			<input type="hidden" name="provider" value={offer.provider} />
			<input type="hidden" name="routing_key" value={offer.routing_key} />
			<Select
				id={id}
				name="company_id"
				label={`Route ${offer.label} ${offer.routing_key} to`}
				options={companies.map((company) => ({ value: String(company.id), label: company.name }))}
			/>
			<button type="submit">Route and replay</button>
		</form>
	);
};

const Groups: FC<{ groups: UnresolvedGroup[]; companies: Company[]; csrf: string }> = ({
	groups,
	companies,
	csrf,
}) => (
	<>
		{FAILURE_CAUSES.flatMap((cause) => {
			const ofCause = groups.filter((group) => group.cause === cause);
			if (ofCause.length === 0) return [];
			const total = ofCause.reduce((sum, group) => sum + group.count, 0);
			return [
				<section class="card" aria-labelledby={`cause-${cause}`}>
					<h2 id={`cause-${cause}`}>
						{CAUSE_TITLES[cause]} <span class="muted">({total})</span>
					</h2>
					<ul class="groups">
						{ofCause.map((group) => (
							<li>
								<p>
									<a href={unresolvedGroupHref(group)}>
										{group.count} lead{group.count === 1 ? "" : "s"}
									</a>
									: <span dir="auto">{group.message ?? CAUSE_TITLES[cause]}</span>{" "}
									<span class="muted">
										(first {when(group.firstAt)}, last {when(group.lastAt)})
									</span>
								</p>
								<RouteForm group={group} companies={companies} csrf={csrf} />
							</li>
						))}
					</ul>
				</section>,
			];
		})}
	</>
);

const LeadTable: FC<{ leads: UnresolvedLead[]; csrf: string }> = ({ leads, csrf }) => (
	<div class="table-wrap">
		<table class="stack-narrow">
			<thead>
				<tr>
					<th scope="col">Lead</th>
					<th scope="col">Reason</th>
					<th scope="col" class="num">
						Failed receipts
					</th>
					<th scope="col">First arrived</th>
					<th scope="col">Dismiss</th>
				</tr>
			</thead>
			<tbody>
				{leads.map((lead) => (
					<tr>
						<td>
							<a href={`/console/receipts/${lead.firstLogId}`}>
								{providerLabel(lead.provider)} {lead.externalId ?? `receipt #${lead.firstLogId}`}
							</a>
						</td>
						<td dir="auto">{lead.message ?? ""}</td>
						<td class="num" data-label="Failed receipts">
							{lead.attempts}
						</td>
						<td data-label="First arrived">{when(lead.firstAt)}</td>
						<td>
							<form class="inline" method="post" action={`${PATH}/${lead.id}/dismiss`}>
								<Csrf token={csrf} />
								<label for={`dismiss-${lead.id}`}>
									Reason
									<input id={`dismiss-${lead.id}`} name="reason" required maxlength={500} />
								</label>
								<button type="submit" class="secondary">
									Dismiss
								</button>
							</form>
						</td>
					</tr>
				))}
			</tbody>
		</table>
	</div>
);

/** The notice after "route and replay": the mapping, then what the replays came to. */
function routeNotice(label: string, routingKey: string, company: string, result: RouteResult) {
	const mapping = result.mapped
		? `Routed ${label} ${routingKey} to ${company}.`
		: `${label} ${routingKey} was already routed to ${company}.`;
	const clients = `${result.clientsCreated} client${result.clientsCreated === 1 ? "" : "s"} created`;
	const left = result.stillUnresolved === 0 ? "" : `, ${result.stillUnresolved} still unresolved`;
	return `${mapping} Replayed ${result.replayed} lead${result.replayed === 1 ? "" : "s"}: ${clients}${left}.`;
}

export const unresolvedPages = new Hono<ConsoleEnv>()
	.get("/", async (c) => {
		const raw = c.req.query();
		const [groups, companies, list] = await Promise.all([
			listUnresolvedGroups(c.var.db),
			listCompanies(c.var.db),
			listPage(
				unresolvedListQuery,
				raw,
				queryFields(raw, ["provider", "cause", "routing_key"]),
				(query) => listUnresolved(c.var.db, unresolvedFilter(query), pageRequest(query)),
			),
		]);
		const filtered = ["provider", "cause", "routing_key"].some((name) => raw[name]);
		return c.html(
			<Page title="Unresolved leads" section="unresolved" csrf={c.var.csrf} flash={takeFlash(c)}>
				<p class="muted">
					Leads that failed and are not clients yet. Each stays here, however many replays fail,
					until it becomes a client or is dismissed with a reason.
				</p>
				{groups.length === 0 ? (
					<Empty>Nothing unresolved: every lead received is a client or was dismissed.</Empty>
				) : (
					<Groups groups={groups} companies={companies} csrf={c.var.csrf} />
				)}
				<section class="card" aria-labelledby="leads">
					<h2 id="leads">{filtered ? "Leads in this group" : "Leads"}</h2>
					{filtered ? <a href={PATH}>Show every unresolved lead</a> : null}
					{list.page.items.length === 0 ? (
						<Empty>No unresolved leads match.</Empty>
					) : (
						<LeadTable leads={list.page.items} csrf={c.var.csrf} />
					)}
					<Pager path={PATH} query={raw} nextBeforeId={list.page.nextBeforeId} />
				</section>
			</Page>,
		);
	})
	.post("/route", async (c) => {
		const form = textFields(await c.req.parseBody());
		const checked = check(routeBody, { ...form, company_id: numeric(form.company_id) });
		if (!checked.ok) {
			return done(c, PATH, `Not routed: ${Object.values(checked.errors).join("; ")}`, "error");
		}
		const { provider, routing_key: routingKey, company_id: companyId } = checked.data;
		try {
			const result = await routeAndReplay(operatorContext(c), { provider, routingKey, companyId });
			const companies = await listCompanies(c.var.db);
			const company = companies.find((co) => co.id === companyId)?.name ?? `company ${companyId}`;
			const label = routeOffer({ provider, cause: "unmapped", routingKey })?.label ?? provider;
			return done(c, PATH, routeNotice(label, routingKey, company, result));
		} catch (error) {
			return done(c, PATH, `Not routed: ${actionErrors(error)._form ?? "invalid"}`, "error");
		}
	})
	.post("/:id/dismiss", async (c) => {
		const id = pathId(c, "id");
		const checked = check(dismissBody, textFields(await c.req.parseBody()));
		if (!checked.ok) {
			return done(c, PATH, `Not dismissed: ${Object.values(checked.errors).join("; ")}`, "error");
		}
		try {
			await dismissLead(operatorContext(c), id, checked.data.reason);
			return done(c, PATH, "Dismissed: the lead no longer counts as unresolved.");
		} catch (error) {
			return done(c, PATH, `Not dismissed: ${actionErrors(error)._form ?? "invalid"}`, "error");
		}
	});
