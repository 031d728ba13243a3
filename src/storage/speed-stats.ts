// Speed-to-lead figures (GET /api/admin/stats and the console overview's charts): leads per day,
// how many still wait for a first response, and the median and p90 first-response time per rep,
// company, source and day over the last 7 or 30 UTC days. Test leads count nowhere.
import { sql } from "drizzle-orm";
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
	/** Every answered lead of the window together; null when none was answered. */
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
 * The value at percentile `tenths`/10 of `sorted` (ascending), interpolated linearly between the two
 * nearest ranks (as numpy's default and PERCENTILE.INC): the median of 60 s and 120 s is 90 s.
 * Integer arithmetic picks the ranks, so a float rounding never moves one.
 */
export function percentile(sorted: number[], tenths: number): number {
	const position = (sorted.length - 1) * tenths;
	const below = sorted[Math.floor(position / 10)] ?? 0;
	const above = sorted[Math.floor(position / 10) + 1] ?? below;
	return below + ((above - below) * (position % 10)) / 10;
}

/**
 * A lead's first-response time, the one rule for its page and these figures: from its arrival to
 * its first follow-up task set done, in seconds to a tenth, never below 0 (a clock set back); null
 * while it waits.
 */
export function firstResponseSeconds(
	createdAt: string,
	firstResponseAt: string | null,
): number | null {
	if (firstResponseAt === null) return null;
	const ms = Date.parse(firstResponseAt) - Date.parse(createdAt);
	return Number.isNaN(ms) ? null : Math.max(0, Math.round(ms / 100) / 10);
}

interface AnsweredRow {
	employeeId: number | null;
	companyId: number;
	source: string;
	createdAt: string;
	firstResponseAt: string;
}

interface AnsweredLead extends Omit<AnsweredRow, "createdAt" | "firstResponseAt"> {
	/** The UTC day it arrived. */
	day: string;
	seconds: number;
}

function answeredLead({ createdAt, firstResponseAt, ...lead }: AnsweredRow): AnsweredLead {
	return {
		...lead,
		day: createdAt.slice(0, 10),
		seconds: firstResponseSeconds(createdAt, firstResponseAt) ?? 0,
	};
}

/**
 * Leads per day come from the hourly lead_counts rollup (whole UTC days: no edge hour to count from
 * clients). The window's answered leads come from clients_responded_idx (partial: answered real
 * leads only, covering), one row each and nothing older; the Worker ranks them, since SQLite's
 * window functions over every grouping cost about four times the read and hold D1 meanwhile. Waiting = the
 * rollup's leads − the answered ones, so unanswered leads are never read one by one. Costs follow
 * the window's answered leads, not the table (docs/scaling.md).
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
	const reps = companyId === undefined ? sql`` : sql` WHERE company_id = ${companyId}`;
	const companies = companyId === undefined ? sql`` : sql` WHERE id = ${companyId}`;
	return guarded(async () => {
		const [dayRows = [], answered = [], names = []] = (await runBatch(db, [
			sql`SELECT substr(hour, 1, 10) AS day, sum(count) AS leads FROM lead_counts
				WHERE hour >= ${from.slice(0, 13)} AND hour < ${to.slice(0, 13)}${ofCompany} GROUP BY 1`,
			sql`SELECT assigned_employee_id AS employeeId, company_id AS companyId, source,
					created_at AS createdAt, first_response_at AS firstResponseAt
				FROM clients INDEXED BY clients_responded_idx
				WHERE created_at >= ${from} AND created_at < ${to} AND is_test = 0
					AND first_response_at IS NOT NULL${ofCompany}`,
			sql`SELECT 'rep' AS kind, id, name FROM employees${reps}
				UNION ALL SELECT 'company', id, name FROM companies${companies}`,
		])) as [{ day: string; leads: number }[], AnsweredRow[], Name[]];
		return assemble(window, days, dayRows, answered.map(answeredLead), names);
	});
}

interface Name {
	kind: "rep" | "company";
	id: number;
	name: string;
}

/** Seconds to a tenth, as each lead's time: enough for a first response, and stable to compare. */
const tenth = (seconds: number) => Math.round(seconds * 10) / 10;

/** Each group's answered leads' times (sorted), fastest median first, then by key. */
function timesBy<K extends string | number | null>(
	leads: AnsweredLead[],
	key: (lead: AnsweredLead) => K,
): { key: K; times: ResponseTimes }[] {
	const groups = Map.groupBy(leads, key);
	return [...groups]
		.map(([group, members]) => {
			const sorted = members.map((lead) => lead.seconds).sort((a, b) => a - b);
			const times = {
				answered: sorted.length,
				medianSeconds: tenth(percentile(sorted, 5)),
				p90Seconds: tenth(percentile(sorted, 9)),
			};
			return { key: group, times };
		})
		.sort(
			(a, b) =>
				a.times.medianSeconds - b.times.medianSeconds || String(a.key).localeCompare(String(b.key)),
		);
}

function assemble(
	window: { from: Date; to: Date },
	days: StatsWindow,
	dayRows: { day: string; leads: number }[],
	answered: AnsweredLead[],
	names: Name[],
): SpeedStats {
	const nameOf = (kind: Name["kind"], id: number | null) =>
		names.find((row) => row.kind === kind && row.id === id)?.name ?? null;
	const leadsByDay = new Map(dayRows.map((row) => [row.day, row.leads]));
	const timesByDay = new Map(
		timesBy(answered, (lead) => lead.day).map((group) => [group.key, group.times]),
	);
	const perDay = Array.from({ length: days }, (_, i) => {
		const day = new Date(window.from.getTime() + i * DAY_MS).toISOString().slice(0, 10);
		return { day, leads: leadsByDay.get(day) ?? 0, ...timesByDay.get(day) };
	});
	const leads = perDay.reduce((sum, row) => sum + row.leads, 0);
	const [all] = timesBy(answered, () => null);
	return {
		from: window.from.toISOString(),
		to: window.to.toISOString(),
		days,
		leads,
		waiting: Math.max(0, leads - answered.length),
		perDay,
		overall: all?.times ?? null,
		perRep: timesBy(answered, (lead) => lead.employeeId).map(({ key, times }) => ({
			employeeId: key,
			name: nameOf("rep", key),
			...times,
		})),
		perCompany: timesBy(answered, (lead) => lead.companyId).map(({ key, times }) => ({
			companyId: key,
			name: nameOf("company", key),
			...times,
		})),
		perSource: timesBy(answered, (lead) => lead.source).map(({ key, times }) => ({
			source: key,
			...times,
		})),
	};
}
