// Which alerts a run raises (pure): a check that is warning or failing, unless the same problem with
// the same status was alerted within ALERT_REPEAT_HOURS; a recovery when the last word the operator
// got about a check was a problem. Texts carry subjects, reasons, ids and counts: never personal data.
import type { HealthStatus } from "../storage/schema";
import type { CheckOutcome } from "./check";

export interface PlannedAlert {
	problemKey: string;
	status: HealthStatus;
	text: string;
	link: string;
}

export interface AlertHistory {
	/** `${problemKey}|${status}` alerted within the repeat window. */
	within: Set<string>;
	/** The status of each problem key's last alert. */
	last: Map<string, HealthStatus>;
}

export function planCheckAlerts(results: CheckOutcome[], history: AlertHistory): PlannedAlert[] {
	const planned: PlannedAlert[] = [];
	for (const result of results) {
		const base = { problemKey: result.key, link: result.link };
		if (result.status !== "ok") {
			if (history.within.has(`${result.key}|${result.status}`)) continue;
			planned.push({
				...base,
				status: result.status,
				text: `${result.subject}: ${result.reason}`,
			});
			continue;
		}
		const last = history.last.get(result.key);
		if (last !== undefined && last !== "ok") {
			planned.push({
				...base,
				status: "ok",
				text: `Recovered: ${result.subject}: ${result.reason}`,
			});
		}
	}
	return planned;
}

/** A scan's problem (failed receipts, dead forwards), throttled like a check. */
export function planProblem(problem: PlannedAlert, history: AlertHistory): PlannedAlert[] {
	return history.within.has(`${problem.problemKey}|${problem.status}`) ? [] : [problem];
}
