// Leads: search by name, email or phone (any format, normalised to E.164 like the API's ?q=),
// filter by company, source and date; one lead with its answers, phones, rep, forwards and logs.
import { Hono } from "hono";
import { clientFilter } from "../../http/client-search";
import { pageRequest } from "../../http/pagination";
import { clientListQuery } from "../../http/schemas/clients";
import { getClientRelated } from "../../storage/client-detail";
import { getClient, listClients } from "../../storage/client-queries";
import { listCompanies } from "../../storage/companies";
import { type ConsoleEnv, takeFlash } from "../console-env";
import { listPage, optional, pathId, queryFields } from "../forms";
import {
	Badge,
	CompanyFilter,
	Empty,
	Field,
	FilterSelect,
	notFound,
	Page,
	Pager,
	when,
} from "../layout";
import { ForwardTable } from "./forwards";
import { LogTable } from "./receipts";

export const SOURCES = ["tiktok", "meta", "whatsapp", "webform", "fbe"];

/** A date input (YYYY-MM-DD) as the API's ISO time: the start of that day, or of the next. */
function dayStart(value: string | undefined, plusDays = 0): string | undefined {
	const text = optional(value);
	if (text === undefined) return undefined;
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (!match) return text; // the schema reports it next to the field
	const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays);
	return Number.isNaN(time) ? text : new Date(time).toISOString();
}

export const leadPages = new Hono<ConsoleEnv>()
	.get("/", async (c) => {
		const raw = c.req.query();
		const companies = await listCompanies(c.var.db);
		const { errors, page } = await listPage(
			clientListQuery,
			raw,
			{
				...queryFields(raw, ["company_id", "source", "q", "external_id"]),
				since: dayStart(raw.since),
				until: dayStart(raw.until, 1),
			},
			async (query) =>
				listClients(c.var.db, await clientFilter(c.var.db, query), pageRequest(query)),
		);
		const names = new Map(companies.map((company) => [company.id, company.name]));
		const filtered = Object.values(raw).some((value) => value !== "");
		return c.html(
			<Page title="Leads" section="leads" csrf={c.var.csrf} flash={takeFlash(c)}>
				<form class="inline card" method="get" action="/console/leads" aria-label="Search leads">
					<Field
						name="q"
						label="Name, email or phone"
						value={raw.q}
						errors={errors}
						type="search"
						hint="Phones in any format, e.g. 050 123 4567"
					/>
					<FilterSelect
						name="source"
						label="Source"
						any="All sources"
						choices={SOURCES}
						query={raw}
						errors={errors}
					/>
					<Field name="since" label="From" type="date" value={raw.since} errors={errors} />
					<Field name="until" label="To" type="date" value={raw.until} errors={errors} />
					{raw.external_id ? (
						<input type="hidden" name="external_id" value={raw.external_id} />
					) : null}
					<CompanyFilter companies={companies} query={raw} errors={errors} button="Search" />
				</form>
				{errors.cursor || errors.external_id ? (
					<p class="field-error">{errors.cursor ?? errors.external_id}</p>
				) : null}
				{page.items.length === 0 ? (
					<Empty>
						{filtered
							? "No lead matches this search."
							: "No leads yet. They appear here as soon as a webhook delivers one."}
					</Empty>
				) : (
					<div class="table-wrap">
						<table>
							<thead>
								<tr>
									<th scope="col">Name</th>
									<th scope="col">Phone</th>
									<th scope="col" class="hide-narrow">
										Email
									</th>
									<th scope="col">Company</th>
									<th scope="col" class="hide-narrow">
										Source
									</th>
									<th scope="col" class="hide-narrow">
										Received
									</th>
								</tr>
							</thead>
							<tbody>
								{page.items.map((lead) => (
									<tr>
										<td dir="auto">
											<a href={`/console/leads/${lead.id}`}>{lead.fullName ?? `Lead ${lead.id}`}</a>
										</td>
										<td>{lead.phones.join(", ")}</td>
										<td class="hide-narrow" dir="auto">
											{lead.email ?? ""}
										</td>
										<td dir="auto">{names.get(lead.companyId) ?? lead.companyId}</td>
										<td class="hide-narrow">{lead.source}</td>
										<td class="hide-narrow">{when(lead.createdAt)}</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				)}
				<Pager path="/console/leads" query={raw} nextBeforeId={page.nextBeforeId} />
			</Page>,
		);
	})
	.get("/:id", async (c) => {
		const lead = await getClient(c.var.db, pathId(c, "id"));
		if (!lead) return notFound(c, "lead", "leads");
		const [related, companies] = await Promise.all([
			getClientRelated(c.var.db, lead.id),
			listCompanies(c.var.db),
		]);
		const company = companies.find((row) => row.id === lead.companyId);
		return c.html(
			<Page
				title={lead.fullName ?? `Lead ${lead.id}`}
				section="leads"
				csrf={c.var.csrf}
				flash={takeFlash(c)}
			>
				<div class="grid">
					<section class="card" aria-labelledby="lead-facts">
						<h2 id="lead-facts">Lead</h2>
						<dl class="facts">
							<dt>Name</dt>
							<dd dir="auto">{lead.fullName ?? "—"}</dd>
							<dt>Phones</dt>
							<dd>{lead.phones.length > 0 ? lead.phones.join(", ") : "—"}</dd>
							<dt>Email</dt>
							<dd dir="auto">{lead.email ?? "—"}</dd>
							<dt>Company</dt>
							<dd dir="auto">
								{company ? (
									<a href={`/console/companies/${company.id}`}>{company.name}</a>
								) : (
									lead.companyId
								)}
							</dd>
							<dt>Assigned rep</dt>
							<dd dir="auto">{lead.assignedEmployee?.name ?? "Not assigned"}</dd>
							<dt>Source</dt>
							<dd>{lead.source}</dd>
							<dt>Lead id</dt>
							<dd>{lead.externalId ?? "—"}</dd>
							<dt>Form</dt>
							<dd>{lead.formId ?? "—"}</dd>
							<dt>Received</dt>
							<dd>{when(related.firstFailedAt ?? lead.createdAt)}</dd>
							{related.firstFailedAt ? (
								<>
									<dt>Became a client</dt>
									<dd>{when(lead.createdAt)}</dd>
								</>
							) : null}
						</dl>
					</section>
					<section class="card" aria-labelledby="lead-answers">
						<h2 id="lead-answers">Answers</h2>
						{lead.answers.length === 0 ? (
							<Empty>No form answers.</Empty>
						) : (
							<dl class="facts">
								{lead.answers.map((answer) => (
									<>
										<dt dir="auto">{answer.name}</dt>
										<dd dir="auto">{answer.values.join(", ")}</dd>
									</>
								))}
							</dl>
						)}
					</section>
				</div>
				<section class="card" aria-labelledby="lead-forwards">
					<h2 id="lead-forwards">Salesforce</h2>
					{related.forwards.length === 0 ? (
						<Empty>Not forwarded: the company has no Salesforce connection.</Empty>
					) : (
						<ForwardTable forwards={related.forwards} csrf={c.var.csrf} />
					)}
				</section>
				{related.tasks.length > 0 ? (
					<section class="card" aria-labelledby="lead-tasks">
						<h2 id="lead-tasks">Tasks</h2>
						<ul>
							{related.tasks.map((task) => (
								<li>
									<Badge status={task.status} /> due {when(task.dueAt)}{" "}
									<span dir="auto">{task.note ?? ""}</span>
								</li>
							))}
						</ul>
					</section>
				) : null}
				<section class="card" aria-labelledby="lead-logs">
					<h2 id="lead-logs">Receipt log</h2>
					{related.logs.length === 0 ? (
						<Empty>No log rows.</Empty>
					) : (
						<LogTable
							logs={related.logs}
							names={new Map(companies.map((co) => [co.id, co.name]))}
						/>
					)}
				</section>
			</Page>,
		);
	});
