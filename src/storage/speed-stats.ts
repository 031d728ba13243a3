// Speed-to-lead figures (GET /api/admin/stats and the console overview's charts): leads per day,
// how many still wait for a first response, and the median and p90 first-response time per rep,
// company, source and day over the last 7 or 30 UTC days. Test leads count nowhere.
import { type SQL, sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The windows the figures are kept for: the last 7 or 30 UTC days, today included. */
export const STATS_WINDOWS = [7, 30] as const;
export type StatsWindow = (typeof STATS_WINDOWS)[number];

/** First-response times of one group of answered leads, in seconds. */
export interface ResponseTimes {
	/** Answered leads in the group. */
	answered: number;
	medianSeconds: number;
	p90Seconds: number;
}

export interface SpeedStats {
	/** The window: midnight UTC of its first day, and of the day after today (`to`, excluded). */
	from: string;
	to: string;
	days: StatsWindow;
	/** Real leads that arrived in the window, and how many of them have no first response yet. */
	leads: number;
	waiting: number;
	/** Every day of the window, oldest first, days without leads included (0). */
	perDay: ({ day: string; leads: number } & Partial<ResponseTimes>)[];
	/** Every answered lead of the window together; absent when none was answered. */
	overall: ResponseTimes | null;
	perRep: ({ employeeId: number | null; name: string | null } & ResponseTimes)[];
	perCompany: ({ companyId: number; name: string | null } & ResponseTimes)[];
	perSource: ({ source: string } & ResponseTimes)[];
}

/** The window of `days` UTC days ending with today: from midnight of its first day to tomorrow's. */
export function statsWindow(now: Date, days: StatsWindow): { from: Date; to: Date } {
	const tomorrow = (Math.floor(now.getTime() / DAY_MS) + 1) * DAY_MS;
	return { from: new Date(tomorrow - days * DAY_MS), to: new Date(tomorrow) };
}

/**
 * The value at percentile `tenths`/10 of each group's first-response times (ranked by `nth`, `n`
 * in the group), interpolated linearly between the two nearest ranks (as numpy's default and
 * PERCENTILE.INC): the median of 60 s and 120 s is 90 s. Integer arithmetic picks the ranks, so a
 * float rounding never moves one.
 */
function percentile(tenths: number): SQL {
	const position = `(n - 1) * ${tenths}`;
	return sql.raw(`sum(CASE nth
		WHEN ${position} / 10 + 1 THEN seconds * (10 - ${position} % 10) / 10.0
		WHEN ${position} / 10 + 2 THEN seconds * (${position} % 10) / 10.0
		ELSE 0 END)`);
}

/**
 * The window's answered leads come from clients_responded_idx (partial: answered real leads only,
 * covering), so the figures read each answered lead of the window once per grouping and nothing
 * older; leads per day come from the hourly lead_counts rollup (whole UTC days: no edge hour to
 * count from clients). Waiting = the rollup's leads − the answered ones, so unanswered leads are
 * never read one by one. Costs follow the window's answered leads, not the table (docs/scaling.md).
 */
export function getSpeedStats(
	db: Db,
	now: Date,
	days: StatsWindow,
	companyId?: number,
): Promise<SpeedStats> {
	const window = statsWindow(now, days);
	const [from, to] = [window.from.toISOString(), window.to.toISOString()];
	const ofCompany = companyId === undefined ? sql`` : sql` AND company_id = ${companyId}`;
	return guarded(async () => {
		const [dayRows = [], groupRows = []] = (await runBatch(db, [
			sql`SELECT substr(hour, 1, 10) AS day, sum(count) AS leads FROM lead_counts
				WHERE hour >= ${from.slice(0, 13)} AND hour < ${to.slice(0, 13)}${ofCompany} GROUP BY 1 ORDER BY 1`,
			sql`WITH answered AS MATERIALIZED (
					SELECT assigned_employee_id, company_id, source, substr(created_at, 1, 10) AS day,
						max(0, (julianday(first_response_at) - julianday(created_at)) * 86400.0) AS seconds
					FROM clients INDEXED BY clients_responded_idx
					WHERE created_at >= ${from} AND created_at < ${to} AND is_test = 0 AND first_response_at IS NOT NULL${ofCompany}
				),
				grouped (kind, key, seconds) AS (
					SELECT 'all', NULL, seconds FROM answered
					UNION ALL SELECT 'rep', assigned_employee_id, seconds FROM answered
					UNION ALL SELECT 'company', company_id, seconds FROM answered
					UNION ALL SELECT 'source', source, seconds FROM answered
					UNION ALL SELECT 'day', day, seconds FROM answered
				),
				ranked AS (
					SELECT kind, key, seconds,
						row_number() OVER (PARTITION BY kind, key ORDER BY seconds) AS nth,
						count(*) OVER (PARTITION BY kind, key) AS n
					FROM grouped
				),
				times AS (
					SELECT kind, key, n AS answered, ${percentile(5)} AS medianSeconds,
						${percentile(9)} AS p90Seconds
					FROM ranked GROUP BY kind, key
				)
				SELECT t.kind, t.key, t.answered, t.medianSeconds, t.p90Seconds,
					coalesce(e.name, co.name) AS name
				FROM times AS t
				LEFT JOIN employees AS e ON t.kind = 'rep' AND e.id = t.key
				LEFT JOIN companies AS co ON t.kind = 'company' AND co.id = t.key
				ORDER BY t.kind, t.medianSeconds, t.key`,
		])) as [{ day: string; leads: number }[], GroupRow[]];
		return assemble(window, days, dayRows, groupRows);
	});
}

interface GroupRow extends ResponseTimes {
	kind: "all" | "rep" | "company" | "source" | "day";
	key: number | string | null;
	name: string | null;
}

/** Seconds to a tenth: enough for a first response, and stable to compare. */
const tenth = (seconds: number) => Math.round(seconds * 10) / 10;

function times(row: GroupRow): ResponseTimes {
	return {
		answered: row.answered,
		medianSeconds: tenth(row.medianSeconds),
		p90Seconds: tenth(row.p90Seconds),
	};
}

function assemble(
	window: { from: Date; to: Date },
	days: StatsWindow,
	dayRows: { day: string; leads: number }[],
	groupRows: GroupRow[],
): SpeedStats {
	const of = (kind: GroupRow["kind"]) => groupRows.filter((row) => row.kind === kind);
	const leadsByDay = new Map(dayRows.map((row) => [row.day, row.leads]));
	const timesByDay = new Map(of("day").map((row) => [String(row.key), times(row)]));
	const perDay = Array.from({ length: days }, (_, i) => {
		const day = new Date(window.from.getTime() + i * DAY_MS).toISOString().slice(0, 10);
		return { day, leads: leadsByDay.get(day) ?? 0, ...timesByDay.get(day) };
	});
	const leads = perDay.reduce((sum, row) => sum + row.leads, 0);
	const [all] = of("all");
	return {
		from: window.from.toISOString(),
		to: window.to.toISOString(),
		days,
		leads,
		waiting: Math.max(0, leads - (all?.answered ?? 0)),
		perDay,
		overall: all ? times(all) : null,
		perRep: of("rep").map((row) => ({
			employeeId: row.key === null ? null : Number(row.key),
			name: row.name,
			...times(row),
		})),
		perCompany: of("company").map((row) => ({
			companyId: Number(row.key),
			name: row.name,
			...times(row),
		})),
		perSource: of("source").map((row) => ({ source: String(row.key), ...times(row) })),
	};
}
