// Pure: a lead → HubSpot contact and deal properties (default contact properties, then the
// destination's mapping of HubSpot property → lead field, as the Salesforce mapping does).

import { personName } from "./crm-person";
import type { DestinationLead } from "./destination";
import { type FieldMapping, leadValue } from "./salesforce-mapping";

/** HubSpot's default contact properties Leadwire fills (internal names). */
function defaultContactProperties(lead: DestinationLead): Record<string, string | undefined> {
	const { firstName, lastName } = personName(lead);
	return {
		email: leadValue(lead, "email"),
		firstname: firstName || undefined,
		lastname: lastName || undefined,
		phone: leadValue(lead, "phone"),
		company: leadValue(lead, "company"),
		message: leadValue(lead, "description"),
	};
}

/** The contact's properties: defaults, the owner when known, then the mapping (null removes). */
export function contactProperties(
	lead: DestinationLead,
	mapping: FieldMapping,
	ownerId: string | undefined,
): Record<string, string> {
	const properties: Record<string, string | undefined> = {
		...defaultContactProperties(lead),
		hubspot_owner_id: ownerId,
	};
	for (const [property, field] of Object.entries(mapping)) {
		properties[property] = field === null ? undefined : leadValue(lead, field);
	}
	return definedOnly(properties);
}

export interface DealTarget {
	pipeline: string;
	stage: string;
}

export function dealProperties(
	lead: DestinationLead,
	target: DealTarget,
	ownerId: string | undefined,
): Record<string, string> {
	const who = lead.fullName?.trim() || leadValue(lead, "email") || "New lead";
	return definedOnly({
		dealname: `${who} (${leadValue(lead, "lead_source")})`,
		pipeline: target.pipeline,
		dealstage: target.stage,
		hubspot_owner_id: ownerId,
	});
}

function definedOnly(values: Record<string, string | undefined>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = value;
	return out;
}
