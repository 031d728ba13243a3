// Silence checks: per company and lead source with a daily flow, whether leads stopped coming for
// SILENCE_HOURS (judged by silence-check.ts).
import { leadFlows, listHealthChecks } from "../storage/health";
import type { CheckOutcome } from "./check";
import type { HealthDeps } from "./deps";
import { links } from "./links";
import { checkSilence, REGULAR_DAYS } from "./silence-check";

export async function silenceChecks(deps: HealthDeps, now: Date): Promise<CheckOutcome[]> {
	const hours = deps.config.health.silenceHours;
	const windowStart = new Date(now.getTime() - hours * 3_600_000);
	const [flows, watched] = await Promise.all([
		leadFlows(deps.db, windowStart, REGULAR_DAYS),
		listHealthChecks(deps.db, { kind: "silence" }),
	]);
	const previous = new Map(watched.map((row) => [row.checkKey, row.status]));
	const outcomes: CheckOutcome[] = [];
	for (const flow of flows) {
		const key = `silence:${flow.companyId}:${flow.source}`;
		// Only regular flows (and those already watched) get a row: an occasional source is not news.
		if (flow.daysWithLeads < REGULAR_DAYS && !previous.has(key)) continue;
		outcomes.push({
			key,
			kind: "silence",
			companyId: flow.companyId,
			subject: `${flow.source} leads of company ${flow.companyId}`,
			link: links.clients(flow.companyId, flow.source),
			...checkSilence(flow, hours, previous.get(key)),
		});
	}
	return outcomes;
}
