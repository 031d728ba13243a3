// Silence: a company and provider whose leads came every day for a week and then stopped. Pure: the
// job counts leads per day; this decides whether the quiet is news.
import { type CheckResult, ok, warning } from "./check";

/** Days before the silence window that must each have had leads for a quiet to be reported. */
export const REGULAR_DAYS = 7;

export interface LeadFlow {
	/** Leads in the last SILENCE_HOURS. */
	recent: number;
	/** How many of the REGULAR_DAYS 24 h windows before it had at least one lead. */
	daysWithLeads: number;
}

/**
 * Silent (warning) when nothing came in the window after leads on each of the days before it; a flow
 * already reported silent stays so until a lead arrives (the days before slide into the quiet too).
 */
export function checkSilence(
	flow: LeadFlow,
	silenceHours: number,
	previous: CheckResult["status"] | undefined,
): CheckResult {
	if (flow.recent > 0) {
		return ok(`${flow.recent} lead${flow.recent === 1 ? "" : "s"} in the last ${silenceHours} h`);
	}
	if (flow.daysWithLeads >= REGULAR_DAYS || (previous !== undefined && previous !== "ok")) {
		return warning(
			`no lead in the last ${silenceHours} h after leads every day of the week before: is the provider still sending?`,
		);
	}
	return ok(`no lead in the last ${silenceHours} h, but the flow was not daily`);
}
