// Business Extension installs and uninstalls (providers.md §4). Install: the token is sealed and
// stored per business id with its assets, each connected Page is mapped to the company so its leads
// route there and are read with that token; a User token is exchanged for the system-user token
// after the answer when app credentials are set. Uninstall: token dropped, Page accounts deactivated.
import { exchangeFbeToken } from "../enrichers/meta-graph";
import { accountRoutingRules, routeLead } from "../leads/routing";
import type { FbeInstallEvent } from "../providers/meta-fbe";
import { secretBox } from "../security/secret-box";
import {
	loadInstalls,
	recordInstall,
	recordUninstall,
	replaceInstallToken,
} from "../storage/fbe-installs";
import { loadRoutingFacts } from "../storage/routing";
import type { ChangeHandler, HandlerResult, MetaDeliveryDeps, MetaOutcome } from "./meta-delivery";

const PROVIDER = "meta";

export const handleFbeInstall: ChangeHandler<"fbe_install"> = async (deps, context, changes) => {
	const result: HandlerResult = { outcomes: [], afterAnswer: [] };
	const businessIds = [...new Set(changes.map((c) => c.event.businessId))];
	const installs = await loadInstalls(deps.db, businessIds);
	const stored = [...installs.values()].flatMap((i) => (i.companyId === null ? [] : [i.companyId]));
	const candidates = [
		...new Set([...(context.queryCompanyId ? [context.queryCompanyId] : []), ...stored]),
	];
	// An `fbe` integration account maps a business id to a company (operator API).
	const facts = await loadRoutingFacts(deps.db, {
		provider: "fbe",
		routingKeys: businessIds,
		companyIds: candidates,
	});
	const now = new Date();
	for (const { event, payload } of changes) {
		const action = event.type === "install" ? "fbe_install" : "fbe_uninstall";
		if (event.type === "uninstall") {
			const message = installs.has(event.businessId)
				? "uninstalled; its Pages' accounts deactivated"
				: "uninstall of an unknown install";
			const companyId = installs.get(event.businessId)?.companyId ?? null;
			await recordUninstall(
				deps.db,
				event.businessId,
				log(companyId, "success", message, event.businessId),
				context.receiptId,
				now,
			);
			result.outcomes.push(outcome(action, "recorded", event.businessId, companyId));
			continue;
		}
		const rules = accountRoutingRules(
			context.queryCompanyId ?? installs.get(event.businessId)?.companyId ?? undefined,
			"Meta business",
		);
		const route = routeLead(event.businessId, rules, facts);
		const companyId = route.ok ? route.company.id : null;
		const sealed = await secretBox(deps.config.encryptionKey).seal(event.accessToken ?? "");
		const entry = route.ok
			? log(
					companyId,
					"success",
					`installed with ${event.pageIds.length} Page(s)`,
					event.businessId,
				)
			: log(
					null,
					"failure",
					`no company for business ${event.businessId}: map it, then reinstall`,
					event.businessId,
					payload(),
				);
		await recordInstall(
			deps.db,
			installRow(event, companyId, sealed),
			entry,
			context.receiptId,
			now,
		);
		result.outcomes.push(
			outcome(
				action,
				route.ok ? "recorded" : "failure",
				event.businessId,
				companyId,
				route.ok ? undefined : entry.message,
			),
		);
		if (needsExchange(deps, event)) result.afterAnswer.push(() => exchangeToken(deps, event));
	}
	return result;
};

function needsExchange(deps: MetaDeliveryDeps, event: FbeInstallEvent): boolean {
	return (
		event.tokenType?.trim().toLowerCase() === "user" &&
		event.businessManagerId !== undefined &&
		deps.config.meta.appId !== undefined &&
		deps.config.meta.appSecret !== undefined
	);
}

/** POST /{client_bm_id}/access_token; on success the system-user token replaces the User token. */
async function exchangeToken(deps: MetaDeliveryDeps, event: FbeInstallEvent): Promise<void> {
	const { appId } = deps.config.meta;
	if (!appId || !event.businessManagerId || !event.accessToken) return;
	const now = new Date();
	const result = await exchangeFbeToken(
		{ fetch: deps.fetch, graphVersion: deps.config.meta.graphVersion, now },
		{
			businessManagerId: event.businessManagerId,
			businessId: event.businessId,
			appId,
			userToken: event.accessToken,
		},
	);
	const line = deps.log.with({ provider: PROVIDER, action: "fbe_install" });
	if (result.kind !== "ok") {
		line.error("token exchange failed; the User token stays", {
			outcome: "failure",
			reason: result.reason,
		});
		return;
	}
	const sealed = await secretBox(deps.config.encryptionKey).seal(result.value);
	await replaceInstallToken(deps.db, event.businessId, sealed, "System User", now);
	line.info("token exchanged for the system-user token", { outcome: "success" });
}

function installRow(event: FbeInstallEvent, companyId: number | null, sealed: string) {
	return {
		businessId: event.businessId,
		companyId,
		businessManagerId: event.businessManagerId ?? null,
		accessTokenSealed: sealed,
		tokenType: event.tokenType ?? null,
		pixelId: event.pixelId ?? null,
		adAccountId: event.adAccountId ?? null,
		catalogId: event.catalogId ?? null,
		commerceMerchantSettingsId: event.commerceMerchantSettingsId ?? null,
		pageIds: event.pageIds,
		instagramProfileIds: event.instagramProfileIds,
		profileIds: event.profileIds,
		features: JSON.stringify(event.features),
	};
}

function log(
	companyId: number | null,
	status: "success" | "failure",
	message: string,
	businessId: string,
	payload: string | null = null,
) {
	return { companyId, status, message, externalId: businessId, payload };
}

function outcome(
	action: string,
	result: MetaOutcome["outcome"],
	businessId: string,
	companyId: number | null,
	reason?: string,
): MetaOutcome {
	return {
		provider: PROVIDER,
		action,
		outcome: result,
		leadId: businessId,
		companyId: companyId ?? undefined,
		reason,
	};
}
