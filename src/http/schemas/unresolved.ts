// The Unresolved list's query (GET /api/admin/unresolved), the dismiss and "route and replay" bodies,
// and the JSON of an unresolved lead and a group: shared by the admin routes and the console.
import { z } from "zod";
import { ROUTING_KEY_LABELS } from "../../leads/routing";
import { FAILURE_CAUSES } from "../../storage/schema";
import type { UnresolvedFilter, UnresolvedGroup, UnresolvedLead } from "../../storage/unresolved";
import { pageQueryShape } from "../pagination";
import { bodyIdSchema, idSchema } from "../validate";

const ROUTING_PROVIDERS = Object.keys(ROUTING_KEY_LABELS) as [keyof typeof ROUTING_KEY_LABELS];

/** The label of a provider's routing key, when an integration account maps it. */
export function routingKeyLabel(provider: string): string | undefined {
	return (ROUTING_KEY_LABELS as Record<string, string>)[provider];
}

export const unresolvedListQuery = z.object({
	provider: z.string().min(1).max(32).optional(),
	cause: z.enum(FAILURE_CAUSES).optional(),
	routing_key: z.string().min(1).max(128).optional(),
	company_id: idSchema.optional(),
	...pageQueryShape,
});

export function unresolvedFilter(query: z.output<typeof unresolvedListQuery>): UnresolvedFilter {
	return {
		provider: query.provider,
		cause: query.cause,
		routingKey: query.routing_key,
		companyId: query.company_id,
	};
}

export const dismissBody = z.strictObject({
	reason: z.string().trim().min(1, "say why the lead is dismissed").max(500),
});

export const routeBody = z.strictObject({
	provider: z.enum(ROUTING_PROVIDERS),
	routing_key: z.string().trim().min(1).max(128),
	company_id: bodyIdSchema,
});

export function unresolvedJson(lead: UnresolvedLead) {
	return {
		id: lead.id,
		provider: lead.provider,
		external_id: lead.externalId,
		action: lead.action,
		company_id: lead.companyId,
		cause: lead.cause,
		routing_key: lead.routingKey,
		reason: lead.message,
		first_log_id: lead.firstLogId,
		last_log_id: lead.lastLogId,
		attempts: lead.attempts,
		first_at: lead.firstAt,
		last_at: lead.lastAt,
		resolved_at: lead.resolvedAt,
		resolved_client_id: lead.resolvedClientId,
		dismissed_at: lead.dismissedAt,
		dismissed_reason: lead.dismissedReason,
	};
}

/** What "route and replay" would map, when the group's cause is an unmapped routing key. */
export function routeOffer(group: Pick<UnresolvedGroup, "provider" | "cause" | "routingKey">) {
	const label = routingKeyLabel(group.provider);
	if (group.cause !== "unmapped" || group.routingKey === null || label === undefined) return null;
	return { provider: group.provider, routing_key: group.routingKey, label };
}

export function unresolvedGroupJson(group: UnresolvedGroup) {
	return {
		provider: group.provider,
		cause: group.cause,
		routing_key: group.routingKey,
		count: group.count,
		reason: group.message,
		first_at: group.firstAt,
		last_at: group.lastAt,
		route: routeOffer(group),
	};
}
