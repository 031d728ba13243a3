// Lead Ads webhook changes (ids only, providers.md §3): route each lead on its Page, record it as a
// pending Graph read before the answer, and hand the new reads to waitUntil. The read itself and the
// client it becomes are meta-lead-fetches.ts.

import {
	accountRoutingRules,
	candidateCompanyIds,
	ROUTING_KEY_LABELS,
	type Route,
	routeLead,
} from "../leads/routing";
import type { LeadgenNotice } from "../providers/meta-leadgen";
import { inactiveAccounts } from "../storage/fbe-installs";
import {
	type LeadgenGroup,
	META_DEFAULT_ACCOUNT_NAME,
	META_LEAD_ACTION,
	META_PROVIDER,
	recordLeadgenNotices,
} from "../storage/meta-lead-fetches";
import type { LogRow } from "../storage/receipts";
import { loadRoutingFacts } from "../storage/routing";
import type { ChangeHandler, MetaOutcome } from "./meta-delivery";
import { runLeadFetches } from "./meta-lead-fetches";

type Notice = LeadgenNotice & { payload: () => string };

/** Records every leadgen change of a delivery; Graph reads start only after the answer. */
export const handleLeadgen: ChangeHandler<"leadgen"> = async (deps, context, changes) => {
	const outcomes: MetaOutcome[] = [];
	const logs: LogRow[] = [];
	const notices = uniqueNotices(
		changes.map((c) => ({ ...c.notice, payload: c.payload })),
		outcomes,
	);
	const rules = accountRoutingRules(context.queryCompanyId, ROUTING_KEY_LABELS.meta);
	const pageIds = [...new Set(notices.map((n) => n.pageId))];
	const [facts, inactive] = await Promise.all([
		loadRoutingFacts(deps.db, {
			provider: META_PROVIDER,
			routingKeys: pageIds,
			companyIds: candidateCompanyIds(rules),
		}),
		inactiveAccounts(deps.db, META_PROVIDER, pageIds),
	]);
	const groups = new Map<string, LeadgenGroup>();
	for (const notice of notices) {
		// A deactivated Page (e.g. its Business Extension was uninstalled) is not assigned, even with
		// ?company_id: the lead is kept as a failure with its payload for replay.
		const route: Route = inactive.has(notice.pageId)
			? {
					ok: false,
					companyId: null,
					cause: "inactive_account",
					routingKey: notice.pageId,
					reason: `${ROUTING_KEY_LABELS.meta} ${notice.pageId} is inactive (its Business Extension was uninstalled): reinstall it, or map the Page to a company again`,
				}
			: routeLead(notice.pageId, rules, facts);
		if (!route.ok) {
			outcomes.push(failure(notice.leadgenId, route.reason));
			logs.push({
				companyId: route.companyId,
				status: "failure",
				message: route.reason,
				externalId: notice.leadgenId,
				payload: notice.payload(),
				cause: route.cause,
				routingKey: route.routingKey,
			});
			continue;
		}
		const key = `${route.company.id}:${route.accountId ?? "default"}`;
		const group = groups.get(key) ?? {
			companyId: route.company.id,
			account:
				route.accountId === undefined
					? { defaultName: META_DEFAULT_ACCOUNT_NAME }
					: { id: route.accountId },
			notices: [],
		};
		group.notices.push({
			leadgenId: notice.leadgenId,
			pageId: notice.pageId,
			formId: notice.formId ?? null,
			payload: notice.payload(),
		});
		groups.set(key, group);
	}
	const recorded = await recordLeadgenNotices(deps.db, {
		receiptId: context.receiptId,
		now: new Date(),
		groups: [...groups.values()],
		logs,
		urlCompanyId: context.queryCompanyId,
	});
	const duplicate = new Set(recorded.duplicates.map((d) => `${d.companyId}:${d.leadgenId}`));
	for (const group of groups.values()) {
		for (const { leadgenId } of group.notices) {
			const isDuplicate = duplicate.has(`${group.companyId}:${leadgenId}`);
			outcomes.push({
				provider: META_PROVIDER,
				action: META_LEAD_ACTION,
				outcome: isDuplicate ? "duplicate" : "recorded",
				leadId: leadgenId,
				companyId: group.companyId,
			});
		}
	}
	const fetchIds = recorded.fetchIds;
	const afterAnswer =
		fetchIds.length === 0 ? [] : [() => runLeadFetches(deps, new Date(), { ids: fetchIds })];
	return { outcomes, afterAnswer };
};

/** The first change per Page and leadgen id; repeats within one delivery are duplicates. */
function uniqueNotices(notices: Notice[], outcomes: MetaOutcome[]): Notice[] {
	const seen = new Set<string>();
	return notices.filter((notice) => {
		const key = `${notice.pageId}:${notice.leadgenId}`;
		if (!seen.has(key)) {
			seen.add(key);
			return true;
		}
		outcomes.push({
			provider: META_PROVIDER,
			action: META_LEAD_ACTION,
			outcome: "duplicate",
			leadId: notice.leadgenId,
			reason: "repeated within the delivery",
		});
		return false;
	});
}

function failure(leadId: string, reason: string): MetaOutcome {
	return { provider: META_PROVIDER, action: META_LEAD_ACTION, outcome: "failure", leadId, reason };
}
