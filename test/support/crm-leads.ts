// Destination leads for the CRM adapter tests (HubSpot, Twenty): one lead, or n distinct ones.
import type { DestinationLead, DestinationRecord } from "../../src/forwarders/destination";

export function crmLead(overrides: Partial<DestinationLead> = {}): DestinationLead {
	return {
		clientId: 1,
		companyId: 1,
		companyName: "Northwind Dental",
		source: "meta",
		externalId: "1029384756",
		fullName: "Ana Lima",
		email: "ana.lima@example.com",
		phone: "+33612345678",
		invalidPhone: null,
		formId: "form-1",
		answers: [{ name: "Budget", values: ["5k"] }],
		repEmail: null,
		repName: null,
		attribution: { form_name: "Spring offer" },
		isTest: false,
		createdAt: "2026-12-07T06:00:00.000Z",
		...overrides,
	};
}

/** n leads with distinct emails and phones; forward ids and client ids from `from`. */
export function crmRecords(
	n: number,
	from = 1,
	overrides: Partial<DestinationLead> = {},
): DestinationRecord[] {
	return Array.from({ length: n }, (_, i) => {
		const id = from + i;
		return {
			forwardId: id,
			lead: crmLead({
				clientId: id,
				fullName: `Lead ${id}`,
				email: `lead${id}@example.com`,
				phone: `+336${String(10_000_000 + id).slice(-8)}`,
				...overrides,
			}),
		};
	});
}
