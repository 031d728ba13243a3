// Builds TikTok Subscription-API lead webhooks as raw text, ids as bare 19-digit JSON numbers
// exactly as TikTok sends them (providers.md §1.3), so nothing on the way can round them.

export interface LeadSpec {
	leadId: string;
	advertiserId?: string;
	name?: string;
	phone?: string;
	email?: string;
	extra?: { field: string; value: string }[];
}

let sequence = 0n;

/** A fresh 19-digit lead id, unique within the test run. */
export function newLeadId(): string {
	sequence += 1n;
	return String(7563218845012600000n + BigInt(Date.now() % 100000) * 1000n + sequence);
}

/** One lead's `entry` item, as raw JSON text. */
export function tiktokEntry(lead: LeadSpec): string {
	const changes = [
		{ field: "name", value: lead.name ?? "Maya Thompson" },
		{ field: "phone_number", value: lead.phone ?? "+971501234567" },
		{ field: "email", value: lead.email ?? "maya.thompson@example.com" },
		...(lead.extra ?? []),
	];
	return `{"id":${lead.leadId},"lead_source":"INSTANT_FORM","page_id":7541102938475610231,"advertiser_id":${
		lead.advertiserId ?? "7398120456712340987"
	},"create_time":1793000000,"changes":${JSON.stringify(changes)}}`;
}

/** One delivery holding every lead given. */
export function tiktokWebhook(leads: LeadSpec[]): string {
	return tiktokEntries(leads.map(tiktokEntry));
}

/** One delivery of raw `entry` items (leads, other events, broken entries...). */
export function tiktokEntries(entries: string[]): string {
	return `{"object":1,"entry":[${entries.join(",")}],"time":1793000004}`;
}

/** `count` leads with fresh ids. */
export function tiktokBatch(count: number, spec: Omit<LeadSpec, "leadId"> = {}): string {
	return tiktokWebhook(Array.from({ length: count }, () => ({ ...spec, leadId: newLeadId() })));
}
