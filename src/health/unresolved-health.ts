// Unresolved leads in the health run and its alerts: one failing check per provider, cause and
// routing key while any lead of it is open (however many replays failed), gone once none is. The
// scan alert for newly unresolved leads uses the same problem key, so one problem alerts once.
import { listUnresolvedGroups, type UnresolvedGroup } from "../storage/unresolved";
import type { CheckOutcome } from "./check";
import type { HealthDeps } from "./deps";
import { links } from "./links";

type GroupKey = Pick<UnresolvedGroup, "provider" | "cause" | "routingKey">;

export function unresolvedProblemKey(group: GroupKey): string {
	return `unresolved:${group.provider}:${group.cause}:${group.routingKey ?? ""}`;
}

/** "3 tiktok leads unresolved: TikTok advertiser 7400… is not mapped to a company". */
export function unresolvedText(
	group: GroupKey & { message: string | null },
	count: number,
	what = "unresolved",
): string {
	const leads = `${count} ${group.provider} lead${count === 1 ? "" : "s"} ${what}`;
	return group.message ? `${leads}: ${group.message}` : leads;
}

export async function unresolvedChecks(deps: HealthDeps): Promise<CheckOutcome[]> {
	const groups = await listUnresolvedGroups(deps.db);
	return groups.map((group) => ({
		key: unresolvedProblemKey(group),
		kind: "unresolved",
		companyId: null,
		subject: "Unresolved leads",
		link: links.unresolved(group),
		status: "failing",
		reason: unresolvedText(group, group.count),
	}));
}
