// Leads: search by name, email or phone (any format, normalised to E.164 like the API's ?q=),
// filter by company, source, assigned rep and date, with the count of matching leads; one lead with
// its answers, phones, rep, form and ad names, forwards, notifications and logs (labels above values when narrow).
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import { clientFilter } from "../../http/client-search";
import { pageRequest } from "../../http/pagination";
import { clientListQuery } from "../../http/schemas/clients";
import { getClientRelated } from "../../storage/client-detail";
import { type ClientRecord, getClient, listClients } from "../../storage/client-queries";
import { listCompanies } from "../../storage/companies";
import { listEmployees } from "../../storage/employees";
import { clientNotifications } from "../../storage/notifications";
import { type ConsoleEnv, takeFlash } from "../console-env";
import { listPage, numeric, optional, pathId, queryFields } from "../forms";
import { ATTRIBUTION_LABELS, durationLabel, namedId, providerLabel } from "../labels";
import {
	Badge,
	CompanyFilter,
	Empty,
	Field,
	FilterSelect,
	MatchCount,
	notFound,
	Page,
	Pager,
	Select,
	TestBadge,
	when,
} from "../layout";
import { ForwardTable } from "./forwards";
import { NotificationTable } from "./notification-table";
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

/** A lead's E.164 phones, then each value that did not parse, as typed and flagged "invalid phone". */
/** How long the lead waited for a rep to act (its first follow-up task set done), or that it waits. */
const FirstResponse: FC<{ lead: ClientRecord }> = ({ lead }) => {
	if (lead.firstResponseSeconds === null)
		return <>{lead.isTest ? "—" : "Waiting: no follow-up task done yet"}</>;
	return (
		<>
			{durationLabel(lead.firstResponseSeconds)} (answered {when(lead.firstResponseAt)})
		</>
	);
};

const Phones: FC<{ lead: ClientRecord; none?: string }> = ({ lead, none = "" }) =>
	lead.phones.length + lead.invalidPhones.length === 0 ? (
		<>{none}</>
	) : (
		<>
			{lead.phones.join(", ")}
			{lead.invalidPhones.map((typed) => (
				<>
					{" "}
					<span class="badge warning">invalid phone</span> <span dir="auto">{typed}</span>
				</>
			))}
		</>
	);

export const leadPages = new Hono<ConsoleEnv>()
	.get("/", async (c) => {
		const raw = c.req.query();
		const companyId = numeric(raw.company_id);
		const [companies, reps] = await Promise.all([
			listCompanies(c.var.db),
			listEmployees(c.var.db, { companyId: typeof companyId === "number" ? companyId : undefined }),
		]);
		const { errors, page } = await listPage(
			clientListQuery,
			raw,
			{
				...queryFields(raw, ["company_id", "source", "q", "external_id", "employee_id"]),
				since: dayStart(raw.since),
				until: dayStart(raw.until, 1),
			},
			async (query) =>
				listClients(c.var.db, await clientFilter(c.var.db, query), pageRequest(query)),
		);
		const names = new Map(companies.map((company) => [company.id, company.name]));
		const repOptions = reps.map((rep) => ({
			value: String(rep.id),
			label:
				typeof companyId === "number"
					? rep.name
					: `${rep.name} (${names.get(rep.companyId) ?? rep.companyId})`,
		}));
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
						labelOf={providerLabel}
					/>
					<Select
						name="employee_id"
						label="Assigned rep"
						value={raw.employee_id}
						options={[{ value: "", label: "Any rep" }, ...repOptions]}
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
				<MatchCount matching={page.matching} noun="lead">
					{page.items.some((lead) => lead.isTest)
						? "test leads are listed but not counted"
						: undefined}
				</MatchCount>
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
									<th scope="col" class="hide-narrow">
										Company
									</th>
									<th scope="col">Assigned rep</th>
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
											{lead.isTest ? (
												<>
													{" "}
													<TestBadge />
												</>
											) : null}
										</td>
										<td>
											<Phones lead={lead} />
										</td>
										<td class="hide-narrow" dir="auto">
											{lead.email ?? ""}
										</td>
										<td class="hide-narrow" dir="auto">
											{names.get(lead.companyId) ?? lead.companyId}
										</td>
										<td dir="auto">
											{lead.assignedEmployee?.name ?? <span class="muted">—</span>}
										</td>
										<td class="hide-narrow">{providerLabel(lead.source)}</td>
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
		const [related, companies, notifications] = await Promise.all([
			getClientRelated(c.var.db, lead.id),
			listCompanies(c.var.db),
			clientNotifications(c.var.db, lead.id),
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
							<dd>
								<Phones lead={lead} none="—" />
							</dd>
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
							<dd dir="auto">
								{lead.assignedEmployee?.name ??
									(lead.isTest ? "Not assigned (test leads take no turn)" : "Not assigned")}
							</dd>
							<dt>Source</dt>
							<dd>
								{providerLabel(lead.source)} {lead.isTest ? <TestBadge /> : null}
							</dd>
							<dt>Lead id</dt>
							<dd>{lead.externalId ?? "—"}</dd>
							<dt>Form</dt>
							<dd dir="auto">{namedId(lead.attribution.form_name, lead.formId) ?? "—"}</dd>
							{ATTRIBUTION_LABELS.map(({ key, label }) => {
								const text = namedId(
									lead.attribution[`${key}_name`],
									lead.attribution[`${key}_id`],
								);
								return text === null ? null : (
									<>
										<dt>{label}</dt>
										<dd dir="auto">{text}</dd>
									</>
								);
							})}
							<dt>Received</dt>
							<dd>{when(related.firstFailedAt ?? lead.createdAt)}</dd>
							{related.firstFailedAt ? (
								<>
									<dt>Became a client</dt>
									<dd>{when(lead.createdAt)}</dd>
								</>
							) : null}
							<dt>First response</dt>
							<dd>
								<FirstResponse lead={lead} />
							</dd>
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
				<section class="card stack-narrow" aria-labelledby="lead-forwards">
					<h2 id="lead-forwards">Forwards</h2>
					{related.forwards.length === 0 ? (
						<Empty>Not forwarded: the company has no destination.</Empty>
					) : (
						<ForwardTable forwards={related.forwards} csrf={c.var.csrf} />
					)}
				</section>
				<section class="card stack-narrow" aria-labelledby="lead-notifications">
					<h2 id="lead-notifications">Notifications</h2>
					{notifications.length === 0 ? (
						<Empty>
							Nobody was notified: the rep has no notification channel (set them on the company's
							page).
						</Empty>
					) : (
						<NotificationTable notifications={notifications} />
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
				<section class="card stack-narrow" aria-labelledby="lead-logs">
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
