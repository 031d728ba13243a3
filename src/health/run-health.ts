// One health run: every check (Salesforce, other destinations, Meta Pages, FBE installs, TikTok subscriptions, silence,
// unresolved leads),
// the rows stored with their changes, and the alerts those changes call for queued. A check that
// throws becomes a warning row of its own, so one broken provider never hides the others.
import type { Logger } from "../log";
import { saveHealthChecks, writeMonitorState } from "../storage/health";
import { queueCheckAlerts } from "./alerts";
import type { CheckOutcome } from "./check";
import type { HealthDeps } from "./deps";
import { destinationChecks } from "./destination-health";
import { links } from "./links";
import { fbeInstallChecks, metaPageChecks } from "./meta-health";
import { salesforceChecks } from "./salesforce-health";
import { silenceChecks } from "./silence-health";
import { tiktokChecks } from "./tiktok-health";
import { unresolvedChecks } from "./unresolved-health";

export const HEALTH_LAST_RUN = "health_last_run";

const CHECK_GROUPS: {
	kind: string;
	run: (deps: HealthDeps, now: Date) => Promise<CheckOutcome[]>;
}[] = [
	{ kind: "salesforce", run: salesforceChecks },
	{ kind: "destination", run: destinationChecks },
	{ kind: "meta", run: metaPageChecks },
	{ kind: "fbe_install", run: fbeInstallChecks },
	{ kind: "tiktok", run: tiktokChecks },
	{ kind: "silence", run: silenceChecks },
	{ kind: "unresolved", run: unresolvedChecks },
];

export interface HealthRunSummary {
	checks: number;
	ok: number;
	warning: number;
	failing: number;
	alertsQueued: number;
}

/** How many checks there are, and how many of each status. */
export function countStatuses(
	checks: { status: string }[],
): Omit<HealthRunSummary, "alertsQueued"> {
	const count = (status: string) => checks.filter((check) => check.status === status).length;
	return {
		checks: checks.length,
		ok: count("ok"),
		warning: count("warning"),
		failing: count("failing"),
	};
}

/** A run's verdict: a run that found nothing to check is said as such, never as a success. */
export type HealthRunResult = "nothing_to_check" | "ok" | "warning" | "failing";

export function runResult(summary: Omit<HealthRunSummary, "alertsQueued">): HealthRunResult {
	if (summary.checks === 0) return "nothing_to_check";
	if (summary.failing > 0) return "failing";
	return summary.warning > 0 ? "warning" : "ok";
}

export async function runHealthChecks(deps: HealthDeps, now: Date): Promise<HealthRunSummary> {
	const results: CheckOutcome[] = [];
	for (const group of CHECK_GROUPS) results.push(...(await runGroup(deps, group, now)));
	await saveHealthChecks(deps.db, results, now);
	await writeMonitorState(deps.db, HEALTH_LAST_RUN, now.toISOString(), now);
	const alertsQueued = await queueCheckAlerts(deps, results, now);
	const summary = { ...countStatuses(results), alertsQueued };
	logSummary(deps.log, summary);
	return summary;
}

async function runGroup(
	deps: HealthDeps,
	group: (typeof CHECK_GROUPS)[number],
	now: Date,
): Promise<CheckOutcome[]> {
	try {
		return await group.run(deps, now);
	} catch (error) {
		deps.log.error("health check crashed", { reason: group.kind, error: String(error) });
		return [
			{
				key: `check_crashed:${group.kind}`,
				kind: "check_crashed",
				companyId: null,
				subject: `The ${group.kind} health checks`,
				link: links.health(),
				status: "warning",
				reason: "could not run; see the Worker logs",
			},
		];
	}
}

function logSummary(log: Logger, summary: HealthRunSummary) {
	log.info("health checks run", {
		action: "health",
		outcome: runResult(summary),
		count: summary.checks,
		failed: summary.failing,
	});
}
