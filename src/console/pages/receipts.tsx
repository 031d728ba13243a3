// Receipts (integration logs): filter by status, provider, company and "awaiting replay"; one receipt
// with its reason, every replay of it (append-only) and its payload, indented and wrapped; Replay
// runs the same replay as POST /api/admin/logs/:id/replay.
import { Hono } from "hono";
import type { FC } from "hono/jsx";
import { pageRequest } from "../../http/pagination";
import { logFilter, logListQuery } from "../../http/schemas/logs";
import { replayOneLog } from "../../operator/actions";
import { operatorContext } from "../../operator/context";
import { listCompanies } from "../../storage/companies";
import { getLog, LOG_STATUSES, type LogSummary, listLogs } from "../../storage/log-queries";
import { listReplays } from "../../storage/unresolved";
import { type ConsoleContext, type ConsoleEnv, done, takeFlash } from "../console-env";
import { actionErrors, listPage, pathId, queryFields } from "../forms";
import { actionLabel, providerLabel, reasonLabel } from "../labels";
import {
	Badge,
	CompanyFilter,
	Csrf,
	Empty,
	FilterSelect,
	MatchCount,
	notFound,
	Page,
	Pager,
	when,
} from "../layout";
import { prettyJson } from "../pretty-json";

const PROVIDERS = ["tiktok", "meta", "webform", "fbe", "whatsapp"];

export const LogTable: FC<{ logs: LogSummary[]; names: Map<number, string> }> = ({
	logs,
	names,
}) => (
	<div class="table-wrap">
		<table>
			<thead>
				<tr>
					<th scope="col">Receipt</th>
					<th scope="col">Status</th>
					<th scope="col">Reason</th>
					<th scope="col" class="hide-narrow">
						Company
					</th>
					<th scope="col" class="hide-narrow">
						When
					</th>
				</tr>
			</thead>
			<tbody>
				{logs.map((log) => (
					<tr>
						<td data-label="Receipt">
							<a href={`/console/receipts/${log.id}`}>
								#{log.id} {actionLabel(log.action)}
							</a>
						</td>
						<td data-label="Status">
							<Badge status={log.status} />
							{log.replayOutcome ? <span class="muted"> replayed: {log.replayOutcome}</span> : null}
						</td>
						<td data-label="Reason" dir="auto">
							{reasonLabel(log.message)}
						</td>
						<td data-label="Company" class="hide-narrow" dir="auto">
							{log.companyId === null ? "—" : (names.get(log.companyId) ?? log.companyId)}
						</td>
						<td data-label="When" class="hide-narrow">
							{when(log.createdAt)}
						</td>
					</tr>
				))}
			</tbody>
		</table>
	</div>
);

async function receiptPage(c: ConsoleContext, id: number, status: 200 | 404 | 409 = 200) {
	const [log, replays] = await Promise.all([getLog(c.var.db, id), listReplays(c.var.db, id)]);
	if (!log) {
		return notFound(c, "receipt", "receipts");
	}
	const replayable = log.status === "failure" && log.payload !== null;
	return c.html(
		<Page title={`Receipt #${log.id}`} section="receipts" csrf={c.var.csrf} flash={takeFlash(c)}>
			<section class="card">
				<dl class="facts">
					<dt>Status</dt>
					<dd>
						<Badge status={log.status} />
					</dd>
					<dt>What</dt>
					<dd>{actionLabel(log.action)}</dd>
					<dt>Provider</dt>
					<dd>{providerLabel(log.provider)}</dd>
					<dt>Reason</dt>
					<dd dir="auto">{reasonLabel(log.message) || "—"}</dd>
					{log.routingKey ? (
						<>
							<dt>Routing key</dt>
							<dd>{log.routingKey}</dd>
						</>
					) : null}
					<dt>External id</dt>
					<dd>{log.externalId ?? "—"}</dd>
					<dt>Company</dt>
					<dd>
						{log.companyId === null ? (
							"none"
						) : (
							<a href={`/console/companies/${log.companyId}`}>{log.companyId}</a>
						)}
					</dd>
					<dt>Request id</dt>
					<dd>{log.requestId ?? "—"}</dd>
					<dt>Received</dt>
					<dd>{when(log.createdAt)}</dd>
				</dl>
				<div class="actions">
					{replayable ? (
						<form method="post" action={`/console/receipts/${log.id}/replay`}>
							<Csrf token={c.var.csrf} />
							<button type="submit">Replay</button>
						</form>
					) : null}
					{log.externalId ? (
						<a href={`/console/leads?external_id=${encodeURIComponent(log.externalId)}`}>
							Leads with lead id {log.externalId}
						</a>
					) : null}
				</div>
			</section>
			{replays.length > 0 ? (
				<section class="card" aria-labelledby="replays">
					<h2 id="replays">Replays</h2>
					<ol>
						{replays.map((replay) => (
							<li>
								{when(replay.createdAt)}: <Badge status={replay.outcome} />{" "}
								<span dir="auto">{replay.message ?? ""}</span>
							</li>
						))}
					</ol>
				</section>
			) : null}
			<section class="card" aria-labelledby="payload">
				<h2 id="payload">Payload</h2>
				{log.payload === null ? (
					<Empty>No payload kept (successful receipts and old payloads are not stored).</Empty>
				) : (
					<pre>{prettyJson(log.payload)}</pre>
				)}
			</section>
		</Page>,
		status,
	);
}

export const receiptPages = new Hono<ConsoleEnv>()
	.get("/", async (c) => {
		const raw = c.req.query();
		const companies = await listCompanies(c.var.db);
		const { errors, page } = await listPage(
			logListQuery,
			raw,
			queryFields(raw, ["company_id", "status", "provider", "replayable"]),
			(query) => listLogs(c.var.db, logFilter(query), pageRequest(query)),
		);
		const names = new Map(companies.map((company) => [company.id, company.name]));
		return c.html(
			<Page title="Receipts" section="receipts" csrf={c.var.csrf} flash={takeFlash(c)}>
				<form class="inline card" method="get" action="/console/receipts">
					<FilterSelect
						name="status"
						label="Status"
						any="Any status"
						choices={LOG_STATUSES}
						query={raw}
						errors={errors}
					/>
					<FilterSelect
						name="provider"
						label="Provider"
						any="Any provider"
						choices={PROVIDERS}
						query={raw}
						errors={errors}
						labelOf={providerLabel}
					/>
					<label class="check" for="receipts-replayable">
						<input
							id="receipts-replayable"
							type="checkbox"
							name="replayable"
							value="true"
							checked={raw.replayable === "true"}
						/>
						Only failures awaiting replay
					</label>
					<CompanyFilter companies={companies} query={raw} errors={errors} />
				</form>
				<MatchCount matching={page.matching} noun="receipt" />
				{page.items.length === 0 ? (
					<Empty>No receipts match. Every webhook delivery is logged here.</Empty>
				) : (
					<LogTable logs={page.items} names={names} />
				)}
				<Pager path="/console/receipts" query={raw} nextBeforeId={page.nextBeforeId} />
			</Page>,
		);
	})
	.get("/:id", async (c) => {
		return receiptPage(c, pathId(c, "id"));
	})
	.post("/:id/replay", async (c) => {
		const id = pathId(c, "id");
		try {
			const { result } = await replayOneLog(operatorContext(c), id);
			const kind = result.outcome === "failure" ? "error" : "ok";
			return done(
				c,
				`/console/receipts/${id}`,
				`Replayed: ${result.outcome} — ${result.message}`,
				kind,
			);
		} catch (error) {
			const errors = actionErrors(error);
			return done(
				c,
				`/console/receipts/${id}`,
				`Not replayed: ${errors._form ?? "invalid"}`,
				"error",
			);
		}
	});
