// /api/admin/stats — speed-to-lead figures over the last 7 or 30 UTC days: leads per day, how many
// wait for a first response, and the median and p90 first-response time overall and per day, rep,
// company and source (storage/speed-stats.ts). `?company_id=` narrows every figure to one company.
import { Hono } from "hono";
import type { AppEnv } from "../../http/app-env";
import { statsQuery } from "../../http/schemas/stats";
import { validate } from "../../http/validate";
import { getSpeedStats, type ResponseTimes, type SpeedStats } from "../../storage/speed-stats";

function timesJson(times: ResponseTimes) {
	return {
		answered: times.answered,
		median_seconds: times.medianSeconds,
		p90_seconds: times.p90Seconds,
	};
}

export function statsJson(stats: SpeedStats, companyId: number | null, now: Date) {
	return {
		generated_at: now.toISOString(),
		company_id: companyId,
		days: stats.days,
		from: stats.from,
		to: stats.to,
		leads: stats.leads,
		waiting: stats.waiting,
		first_response: stats.overall && timesJson(stats.overall),
		per_day: stats.perDay.map((day) => ({
			day: day.day,
			leads: day.leads,
			answered: day.answered ?? 0,
			median_seconds: day.medianSeconds ?? null,
			p90_seconds: day.p90Seconds ?? null,
		})),
		per_rep: stats.perRep.map((row) => ({
			employee_id: row.employeeId,
			employee_name: row.name,
			...timesJson(row),
		})),
		per_company: stats.perCompany.map((row) => ({
			company_id: row.companyId,
			company_name: row.name,
			...timesJson(row),
		})),
		per_source: stats.perSource.map((row) => ({ source: row.source, ...timesJson(row) })),
	};
}

export const statsRoutes = new Hono<AppEnv>().get("/", validate("query", statsQuery), async (c) => {
	const { company_id: companyId, days } = c.req.valid("query");
	const now = new Date();
	const stats = await getSpeedStats(c.var.db, now, days, companyId);
	return c.json(statsJson(stats, companyId ?? null, now));
});
