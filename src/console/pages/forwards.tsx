// Forwards: pending, failed and dead Salesforce forwards; Retry now for one (sent at once, as
// POST /api/admin/forwards/:id/retry) or for every failed forward of a company.
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import { destinationLabel } from "../../forwarders/destination";
import { pageRequest } from "../../http/pagination";
import { forwardFilter, forwardListQuery, retryAllBody } from "../../http/schemas/forwards";
import { retryAllForwards, retryOneForward } from "../../operator/actions";
import { operatorContext } from "../../operator/context";
import { listCompanies } from "../../storage/companies";
import {
	FORWARD_STATUSES,
	type ForwardRecord,
	listForwards,
	RETRYABLE_STATUSES,
} from "../../storage/forward-queries";
import { type ConsoleEnv, done, takeFlash } from "../console-env";
import { actionErrors, check, listPage, numeric, pathId, queryFields, textFields } from "../forms";
import {
	Badge,
	CompanyFilter,
	Csrf,
	Empty,
	FilterSelect,
	MatchCount,
	Page,
	Pager,
	when,
} from "../layout";
import { refererPath, safeReturnPath } from "../session";

export const ForwardTable: FC<{ forwards: ForwardRecord[]; csrf: string }> = ({
	forwards,
	csrf,
}) => (
	<div class="table-wrap">
		<table>
			<thead>
				<tr>
					<th scope="col">Forward</th>
					<th scope="col">Status</th>
					<th scope="col">Destination</th>
					<th scope="col">Remote record</th>
					<th scope="col" class="hide-narrow">
						Last error
					</th>
					<th scope="col" class="num hide-narrow">
						Attempts
					</th>
					<th scope="col">
						<span class="muted">Action</span>
					</th>
				</tr>
			</thead>
			<tbody>
				{forwards.map((forward) => (
					<tr>
						<td data-label="Forward">
							#{forward.id}{" "}
							<a href={`/console/leads/${forward.clientId}`}>lead {forward.clientId}</a>
						</td>
						<td data-label="Status">
							<Badge status={forward.status} />
						</td>
						<td data-label="Destination">{destinationLabel(forward.destination)}</td>
						<td data-label="Remote record">{forward.remoteId ?? "—"}</td>
						<td data-label="Last error" class="hide-narrow">
							{forward.lastError ?? forward.lastErrorCode ?? ""}
						</td>
						<td data-label="Attempts" class="num hide-narrow">
							{forward.attempts}
						</td>
						<td data-label={RETRYABLE_STATUSES.includes(forward.status) ? "Action" : "Last change"}>
							{RETRYABLE_STATUSES.includes(forward.status) ? (
								<form method="post" action={`/console/forwards/${forward.id}/retry`}>
									<Csrf token={csrf} />
									<button type="submit" aria-label={`Retry forward ${forward.id} now`}>
										Retry now
									</button>
								</form>
							) : (
								<span class="muted">{when(forward.updatedAt ?? forward.createdAt)}</span>
							)}
						</td>
					</tr>
				))}
			</tbody>
		</table>
	</div>
);

export const forwardPages = new Hono<ConsoleEnv>()
	.get("/", async (c) => {
		const raw = c.req.query();
		const companies = await listCompanies(c.var.db);
		const { errors, page, data } = await listPage(
			forwardListQuery,
			raw,
			queryFields(raw, ["company_id", "status"]),
			(query) => listForwards(c.var.db, forwardFilter(query), pageRequest(query)),
		);
		const companyId = data?.company_id;
		return c.html(
			<Page title="Forwards" section="forwards" csrf={c.var.csrf} flash={takeFlash(c)}>
				<form class="inline card" method="get" action="/console/forwards">
					<FilterSelect
						name="status"
						label="Status"
						any="Any status"
						choices={FORWARD_STATUSES}
						query={raw}
						errors={errors}
					/>
					<CompanyFilter companies={companies} query={raw} errors={errors} />
				</form>
				{companyId !== undefined ? (
					<form class="card actions" method="post" action="/console/forwards/retry">
						<Csrf token={c.var.csrf} />
						<input type="hidden" name="company_id" value={String(companyId)} />
						<span>Every failed and dead forward of this company:</span>
						<button type="submit">Retry all now</button>
					</form>
				) : null}
				<MatchCount matching={page.matching} noun="forward" />
				{page.items.length === 0 ? (
					<Empty>
						No forwards match. Leads are forwarded once a company has a Salesforce connection.
					</Empty>
				) : (
					<ForwardTable forwards={page.items} csrf={c.var.csrf} />
				)}
				<Pager path="/console/forwards" query={raw} nextBeforeId={page.nextBeforeId} />
			</Page>,
		);
	})
	.post("/retry", async (c) => {
		const form = textFields(await c.req.parseBody());
		const checked = check(retryAllBody, { company_id: numeric(form.company_id) });
		if (!checked.ok) return done(c, "/console/forwards", "Choose a company to retry.", "error");
		const companyId = checked.data.company_id;
		const back = `/console/forwards?company_id=${companyId}`;
		try {
			const retried = await retryAllForwards(operatorContext(c), companyId);
			return done(
				c,
				back,
				`${retried} forward${retried === 1 ? "" : "s"} queued again and being sent now (the cron takes any left).`,
			);
		} catch (error) {
			return done(c, back, actionErrors(error)._form ?? "Not retried", "error");
		}
	})
	.post("/:id/retry", async (c) => {
		const id = pathId(c, "id");
		// Back to the list or the lead page the button was on.
		const back = safeReturnPath(refererPath(c) ?? "/console/forwards");
		try {
			const forward = await retryOneForward(operatorContext(c), id);
			return done(c, back, `Forward ${forward.id} is being sent again now.`);
		} catch (error) {
			return done(c, back, actionErrors(error)._form ?? "Not retried", "error");
		}
	});
