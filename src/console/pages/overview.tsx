// Overview: new leads per company and source (24 h, 7 d), what needs an operator now (each with a
// link to the list where it can be fixed) and speed to lead over 7 or 30 days (`?days=`). Data:
// storage/overview.ts and storage/speed-stats.ts, as GET /api/admin/overview and /api/admin/stats.
import { Hono } from "hono";
import { statsQuery } from "../../http/schemas/stats";
import { listCompanies } from "../../storage/companies";
import { listHealthChecks } from "../../storage/health";
import { getOverview } from "../../storage/overview";
import { getSpeedStats } from "../../storage/speed-stats";
import { type ConsoleEnv, takeFlash } from "../console-env";
import { providerLabel } from "../labels";
import { Empty, Page, when } from "../layout";
import { SpeedToLead } from "./speed-to-lead";
import { unresolvedGroupHref } from "./unresolved";

/** The speed-to-lead window asked for; anything but 7 or 30 shows the default (7). */
const statsDays = statsQuery.pick({ days: true }).catch({ days: 7 });

export const overviewPage = new Hono<ConsoleEnv>().get("/", async (c) => {
	const now = new Date();
	const { days } = statsDays.parse({ days: c.req.query("days") });
	const [overview, companies, checks, stats] = await Promise.all([
		getOverview(c.var.db, now),
		listCompanies(c.var.db),
		listHealthChecks(c.var.db),
		getSpeedStats(c.var.db, now, days),
	]);
	const unhealthy = checks.filter((check) => check.status !== "ok");
	const names = new Map(companies.map((company) => [company.id, company.name]));
	const companyName = (id: number | null) =>
		id === null ? "No company" : (names.get(id) ?? `Company ${id}`);
	const companyQuery = (id: number | null) => (id === null ? "" : `&company_id=${id}`);
	const nothingToDo =
		overview.unresolved.length === 0 &&
		overview.forwardProblems.length === 0 &&
		overview.rejectedPages.length === 0 &&
		overview.uninstalls.length === 0 &&
		overview.unassigned.length === 0 &&
		unhealthy.length === 0;
	return c.html(
		<Page title="Overview" section="overview" csrf={c.var.csrf} flash={takeFlash(c)}>
			<section class="card" aria-labelledby="needs-action">
				<h2 id="needs-action">Needs action</h2>
				{nothingToDo ? (
					<Empty>
						Nothing needs action: no unresolved leads, failed forwards, Page tokens or health
						checks.
					</Empty>
				) : (
					<ul>
						{unhealthy.map((check) => (
							<li>
								<a href={`/console/health?status=${check.status}`}>
									Health check {check.status}: <span dir="auto">{check.subject}</span>
								</a>{" "}
								— <span dir="auto">{check.reason}</span>
							</li>
						))}
						{overview.unresolved.map((group) => (
							<li>
								<a href={unresolvedGroupHref(group)}>
									{group.count} unresolved lead{group.count === 1 ? "" : "s"}
								</a>{" "}
								— <span dir="auto">{group.message ?? group.cause}</span>
							</li>
						))}
						{overview.unassigned.map((row) => (
							<li>
								<a href={`/console/leads/${row.latestClientId}`}>
									{row.count} lead{row.count === 1 ? "" : "s"} unassigned: {row.reason}
								</a>{" "}
								— <span dir="auto">{companyName(row.companyId)}</span> (
								<a href={`/console/companies/${row.companyId}#routing`}>routing</a>)
							</li>
						))}
						{overview.forwardProblems.map((row) => (
							<li>
								<a href={`/console/forwards?status=${row.status}${companyQuery(row.companyId)}`}>
									{row.count} {row.status} Salesforce forward{row.count === 1 ? "" : "s"}
								</a>{" "}
								— <span dir="auto">{companyName(row.companyId)}</span>
							</li>
						))}
						{overview.rejectedPages.map((row) => (
							<li>
								<a
									href={`/console/receipts?provider=meta&status=failure${companyQuery(row.companyId)}`}
								>
									Page {row.pageId}: access token rejected ({row.reads} lead read
									{row.reads === 1 ? "" : "s"} failed)
								</a>{" "}
								— <span dir="auto">{companyName(row.companyId)}</span>, last {when(row.lastAt)}
							</li>
						))}
						{overview.uninstalls.map((row) => (
							<li>
								{row.companyId === null ? (
									<span>Business {row.businessId} uninstalled Facebook Business Extension</span>
								) : (
									<a href={`/console/companies/${row.companyId}`}>
										Business {row.businessId} uninstalled Facebook Business Extension
									</a>
								)}{" "}
								— {when(row.uninstalledAt)}
							</li>
						))}
					</ul>
				)}
			</section>
			<section class="card" aria-labelledby="new-leads">
				<h2 id="new-leads">New leads</h2>
				<p class="muted">Test leads (Send a test lead) are not counted.</p>
				{overview.leads.length === 0 ? (
					<Empty>
						No leads in the last 7 days. Set up a company and paste its webhook URL into TikTok or
						Meta: <a href="/console/companies">Companies</a>.
					</Empty>
				) : (
					<div class="table-wrap">
						<table>
							<thead>
								<tr>
									<th scope="col">Company</th>
									<th scope="col">Source</th>
									<th scope="col" class="num">
										Last 24 h
									</th>
									<th scope="col" class="num">
										Last 7 days
									</th>
								</tr>
							</thead>
							<tbody>
								{overview.leads.map((row) => (
									<tr>
										<td dir="auto">
											<a href={`/console/leads?company_id=${row.companyId}`}>{row.companyName}</a>
										</td>
										<td>
											<a
												href={`/console/leads?company_id=${row.companyId}&source=${encodeURIComponent(row.source)}`}
											>
												{providerLabel(row.source)}
											</a>
										</td>
										<td class="num">{row.day}</td>
										<td class="num">{row.week}</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				)}
			</section>
			<SpeedToLead stats={stats} />
		</Page>,
	);
});
