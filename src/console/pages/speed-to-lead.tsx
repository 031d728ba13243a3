// The overview's "Speed to lead" section: leads per day and the median and p90 first-response time
// per day as SVG bar charts over the last 7 or 30 days (a link switches), then the same numbers per
// day, rep, source and company in tables. Data: storage/speed-stats.ts, as GET /api/admin/stats.
import type { FC } from "hono/jsx";
import type { ResponseTimes, SpeedStats, StatsWindow } from "../../storage/speed-stats";
import { STATS_WINDOWS } from "../../storage/speed-stats";
import { BarChart, countCeiling, durationCeiling } from "../charts";
import { durationLabel, providerLabel } from "../labels";
import { Empty } from "../layout";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2026-12-07" → "7 Dec": short enough to sit under a bar. */
function dayLabel(day: string): string {
	return `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1] ?? ""}`;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** The day with the most of `value` (the first of equals), for a chart's one-line summary. */
function busiest<T>(rows: T[], value: (row: T) => number | undefined): T | undefined {
	return rows.reduce<T | undefined>(
		(best, row) => ((value(row) ?? -1) > (best ? (value(best) ?? -1) : -1) ? row : best),
		undefined,
	);
}

const Switch: FC<{ days: StatsWindow }> = ({ days }) => (
	<nav class="switch" aria-label="Speed to lead period">
		{STATS_WINDOWS.map((window) => (
			<a href={`/console?days=${window}`} aria-current={window === days ? "page" : undefined}>
				Last {window} days
			</a>
		))}
	</nav>
);

const Times: FC<{ times: Partial<ResponseTimes> }> = ({ times }) => (
	<>
		<td class="num">{times.answered ?? 0}</td>
		<td class="num">
			{times.medianSeconds === undefined ? "—" : durationLabel(times.medianSeconds)}
		</td>
		<td class="num">{times.p90Seconds === undefined ? "—" : durationLabel(times.p90Seconds)}</td>
	</>
);

/** The header of a times table: its first column, the day's leads (per day only), then the times. */
const TimesHead: FC<{ first: string; leads?: boolean }> = ({ first, leads = false }) => (
	<thead>
		<tr>
			<th scope="col">{first}</th>
			{leads ? (
				<th scope="col" class="num">
					Leads
				</th>
			) : null}
			<th scope="col" class="num">
				Answered
			</th>
			<th scope="col" class="num">
				Median
			</th>
			<th scope="col" class="num">
				90th percentile
			</th>
		</tr>
	</thead>
);

/** Median and p90 of a group per row: rep, source or company. */
const TimesTable: FC<{
	caption: string;
	first: string;
	rows: { name: string; times: ResponseTimes }[];
}> = ({ caption, first, rows }) => (
	<div class="table-wrap">
		<table>
			<caption>{caption}</caption>
			<TimesHead first={first} />
			<tbody>
				{rows.map((row) => (
					<tr>
						<th scope="row" dir="auto">
							{row.name}
						</th>
						<Times times={row.times} />
					</tr>
				))}
			</tbody>
		</table>
	</div>
);

const Charts: FC<{ stats: SpeedStats }> = ({ stats }) => {
	const labels = stats.perDay.map((row) => dayLabel(row.day));
	const most = busiest(stats.perDay, (row) => row.leads);
	const slowest = busiest(stats.perDay, (row) => row.medianSeconds);
	const p90s = stats.perDay.map((row) => row.p90Seconds ?? null);
	return (
		<div class="grid">
			<BarChart
				id="leads-per-day"
				title={`Leads per day, last ${stats.days} days`}
				summary={`${plural(stats.leads, "lead")} in all${most && most.leads > 0 ? `, most on ${dayLabel(most.day)} (${most.leads})` : ""}.`}
				labels={labels}
				series={[
					{ name: "Leads", className: "bar-primary", values: stats.perDay.map((row) => row.leads) },
				]}
				top={countCeiling(Math.max(0, ...stats.perDay.map((row) => row.leads)))}
				format={String}
			/>
			{stats.overall === null ? (
				<Empty>No lead of these days has a first response yet.</Empty>
			) : (
				<BarChart
					id="response-per-day"
					title={`First-response time per day (median and 90th percentile), last ${stats.days} days`}
					summary={`Median ${durationLabel(stats.overall.medianSeconds)} over ${plural(stats.overall.answered, "answered lead")}${slowest?.medianSeconds === undefined ? "" : `; slowest median ${durationLabel(slowest.medianSeconds)} on ${dayLabel(slowest.day)}`}.`}
					labels={labels}
					series={[
						{ name: "90th percentile", className: "bar-secondary", values: p90s },
						{
							name: "Median",
							className: "bar-primary",
							values: stats.perDay.map((row) => row.medianSeconds ?? null),
						},
					]}
					top={durationCeiling(Math.max(0, ...p90s.map((p90) => p90 ?? 0)))}
					format={durationLabel}
				/>
			)}
		</div>
	);
};

const PerDay: FC<{ stats: SpeedStats }> = ({ stats }) => (
	<details>
		<summary>The numbers per day</summary>
		<div class="table-wrap">
			<table>
				<TimesHead first="Day (UTC)" leads />
				<tbody>
					{stats.perDay.map((row) => (
						<tr>
							<th scope="row">{row.day}</th>
							<td class="num">{row.leads}</td>
							<Times times={row} />
						</tr>
					))}
				</tbody>
			</table>
		</div>
	</details>
);

export const SpeedToLead: FC<{ stats: SpeedStats }> = ({ stats }) => (
	<section class="card speed" aria-labelledby="speed-to-lead">
		<h2 id="speed-to-lead">Speed to lead</h2>
		<Switch days={stats.days} />
		<p class="muted">
			UTC days, today included. First response: from a lead's arrival to its first follow-up task
			set done. Test leads are not counted.
		</p>
		<dl class="figures">
			<div>
				<dt>Leads</dt>
				<dd>{stats.leads}</dd>
			</div>
			<div>
				<dt>Waiting for a first response</dt>
				<dd>{stats.waiting}</dd>
			</div>
			<div>
				<dt>Median first response</dt>
				<dd>{stats.overall ? durationLabel(stats.overall.medianSeconds) : "—"}</dd>
			</div>
			<div>
				<dt>90th percentile</dt>
				<dd>{stats.overall ? durationLabel(stats.overall.p90Seconds) : "—"}</dd>
			</div>
		</dl>
		<Charts stats={stats} />
		<PerDay stats={stats} />
		{stats.perRep.length > 0 ? (
			<TimesTable
				caption="First response per rep"
				first="Rep"
				rows={stats.perRep.map((row) => ({
					name: row.employeeId === null ? "Not assigned" : (row.name ?? `Rep ${row.employeeId}`),
					times: row,
				}))}
			/>
		) : null}
		{stats.perSource.length > 0 ? (
			<TimesTable
				caption="First response per source"
				first="Source"
				rows={stats.perSource.map((row) => ({ name: providerLabel(row.source), times: row }))}
			/>
		) : null}
		{stats.perCompany.length > 1 ? (
			<TimesTable
				caption="First response per company"
				first="Company"
				rows={stats.perCompany.map((row) => ({
					name: row.name ?? `Company ${row.companyId}`,
					times: row,
				}))}
			/>
		) : null}
	</section>
);
