// Pure: a stored client → Salesforce Lead or Case fields (providers.md §6.2), then the connection's
// custom mapping on top. No I/O; values are strings because every mapped field is text.
import { normaliseFieldName } from "../leads/fields";

export interface MappableClient {
	clientId: number;
	companyName: string;
	source: string;
	externalId: string | null;
	fullName: string | null;
	email: string | null;
	/** The first E.164 phone. */
	phone: string | null;
	/** The first phone value that did not parse, as typed (the lead is flagged "invalid phone"). */
	invalidPhone: string | null;
	formId: string | null;
	answers: { name: string; values: string[] }[];
}

export type TargetObject = "Lead" | "Case";

/** Salesforce field → lead field (see LEAD_FIELDS) or null to leave the field out. */
export type FieldMapping = Record<string, string | null>;

const LEAD_SOURCES: Record<string, string> = {
	tiktok: "TikTok",
	meta: "Facebook",
	facebook: "Facebook",
	whatsapp: "WhatsApp",
	web: "Web",
	form: "Web",
	forms: "Web",
};

const synonyms = (...names: string[]) => new Set(names.map(normaliseFieldName));
const FIRST_NAME = synonyms("first_name", "first name", "firstname", "given name");
const LAST_NAME = synonyms("last_name", "last name", "lastname", "surname", "family name");
const COMPANY = synonyms(
	"company",
	"company name",
	"company_name",
	"business name",
	"organisation",
);

/** Lead fields a custom mapping may name; `answer:<question>` picks any form answer. */
const LEAD_FIELDS = [
	"full_name",
	"first_name",
	"last_name",
	"email",
	"phone",
	"invalid_phone",
	"company",
	"lead_source",
	"description",
	"form_id",
	"external_id",
	"client_id",
	"source",
] as const;

/** True when a custom mapping value names something this file can fill. */
export function isMappableField(value: string): boolean {
	return (LEAD_FIELDS as readonly string[]).includes(value) || /^answer:.+/.test(value);
}

function answer(client: MappableClient, names: Set<string>): string | undefined {
	const found = client.answers.find((a) => names.has(normaliseFieldName(a.name)));
	const value = found?.values.join(", ").trim();
	return value ? value : undefined;
}

/** One lead field's value, or undefined when the lead does not have it (every destination's mapping). */
export function leadValue(client: MappableClient, field: string): string | undefined {
	if (field.startsWith("answer:")) return answer(client, synonyms(field.slice("answer:".length)));
	switch (field) {
		case "full_name":
			return client.fullName ?? undefined;
		case "first_name":
			return answer(client, FIRST_NAME);
		case "last_name":
			return answer(client, LAST_NAME);
		case "email":
			return client.email ?? undefined;
		case "phone":
			return client.phone ?? undefined;
		case "invalid_phone":
			return client.invalidPhone ?? undefined;
		case "company":
			return answer(client, COMPANY);
		case "lead_source":
			return LEAD_SOURCES[client.source.toLowerCase()] ?? "Web";
		case "description":
			return describeAnswers(client) || undefined;
		case "form_id":
			return client.formId ?? undefined;
		case "external_id":
			return client.externalId ?? undefined;
		case "client_id":
			return String(client.clientId);
		case "source":
			return client.source;
		default:
			return undefined;
	}
}

/**
 * Every form answer, one "Question: value" line each, so the rep sees what the lead filled in; first
 * the "Invalid phone" flag with the value as typed, when a phone did not parse.
 */
function describeAnswers(client: MappableClient): string {
	const flag = client.invalidPhone === null ? [] : [`Invalid phone: ${client.invalidPhone}`];
	return [...flag, ...client.answers.map((a) => `${a.name}: ${a.values.join(", ")}`)].join("\n");
}

/**
 * Lead: LastName (the last-name answer, else the full name, else "Unknown") and Company (the
 * company answer, else our company's name, else "[not provided]") are API-required (§6.2).
 */
function leadFields(client: MappableClient): Record<string, string | undefined> {
	const lastName = leadValue(client, "last_name");
	return {
		FirstName: lastName ? leadValue(client, "first_name") : undefined,
		LastName: lastName ?? client.fullName ?? "Unknown",
		Company: leadValue(client, "company") ?? (client.companyName.trim() || "[not provided]"),
		Email: leadValue(client, "email"),
		Phone: leadValue(client, "phone"),
		LeadSource: leadValue(client, "lead_source"),
		Description: leadValue(client, "description"),
	};
}

function caseFields(client: MappableClient): Record<string, string | undefined> {
	const source = leadValue(client, "lead_source");
	return {
		SuppliedName: client.fullName ?? undefined,
		SuppliedEmail: leadValue(client, "email"),
		SuppliedPhone: leadValue(client, "phone"),
		Subject: `New ${source} lead${client.fullName ? `: ${client.fullName}` : ""}`,
		Description: leadValue(client, "description"),
		Origin: "Web",
	};
}

/** The record's fields: defaults for the object, then the custom mapping (null removes a field). */
export function mapClient(
	client: MappableClient,
	target: TargetObject,
	mapping: FieldMapping = {},
): Record<string, string> {
	const fields = target === "Lead" ? leadFields(client) : caseFields(client);
	for (const [salesforceField, leadField] of Object.entries(mapping)) {
		fields[salesforceField] = leadField === null ? undefined : leadValue(client, leadField);
	}
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
	return out;
}

/**
 * A destination's own field mapping (no defaults): each output field gets the named lead field's
 * value, and fields the lead does not have (or mapped to null) are left out.
 */
export function mapLeadFields(
	client: MappableClient,
	mapping: Record<string, string | null>,
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, field] of Object.entries(mapping)) {
		const value = field === null ? undefined : leadValue(client, field);
		if (value !== undefined) out[name] = value;
	}
	return out;
}

/** The value upserted on the connection's external-id field: stable per client, so a resend updates. */
export function externalIdValue(clientId: number): string {
	return `leadwire-${clientId}`;
}
