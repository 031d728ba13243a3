// The pure helpers the CRM destinations share: names, phone parts, stable ids, redacted messages.
import { describe, expect, it } from "vitest";
import { personName, redactMessage, splitPhone, stableUuid } from "../../src/forwarders/crm-person";
import { crmLead } from "../support/crm-leads";

describe("personName", () => {
	it("prefers the form's first and last name answers", () => {
		const lead = crmLead({
			fullName: "A. Lima",
			answers: [
				{ name: "First name", values: ["Ana"] },
				{ name: "Last name", values: ["Lima Souza"] },
			],
		});
		expect(personName(lead)).toEqual({ firstName: "Ana", lastName: "Lima Souza" });
	});

	it("splits the full name at its last space, and keeps a single word as the first name", () => {
		expect(personName(crmLead({ fullName: "  Maria  da Silva " }))).toEqual({
			firstName: "Maria da",
			lastName: "Silva",
		});
		expect(personName(crmLead({ fullName: "Cher" }))).toEqual({ firstName: "Cher", lastName: "" });
		expect(personName(crmLead({ fullName: null }))).toEqual({ firstName: "", lastName: "" });
	});
});

describe("splitPhone", () => {
	it("splits E.164 into national number, calling code and country", () => {
		expect(splitPhone("+33612345678")).toEqual({
			nationalNumber: "612345678",
			callingCode: "+33",
			countryCode: "FR",
		});
		expect(splitPhone("+14155552671")).toEqual({
			nationalNumber: "4155552671",
			callingCode: "+1",
			countryCode: "US",
		});
	});

	it("answers undefined for what does not parse", () => {
		expect(splitPhone("not a phone")).toBeUndefined();
	});
});

describe("stableUuid", () => {
	it("is RFC 4122 version 5 (the RFC's DNS-namespace example)", async () => {
		expect(await stableUuid("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
			"2ed6657d-e927-568b-95e1-2665a8aea6a2",
		);
	});

	it("is the same for the same name and differs for another", async () => {
		const first = await stableUuid("person:1:42:2026-12-07T06:00:00.000Z");
		expect(await stableUuid("person:1:42:2026-12-07T06:00:00.000Z")).toBe(first);
		expect(await stableUuid("person:1:43:2026-12-07T06:00:00.000Z")).not.toBe(first);
		expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});
});

describe("redactMessage", () => {
	it("cuts emails and phone-like numbers out of a destination's message", () => {
		expect(
			redactMessage('Email address ana.lima@example.com is invalid; phone "+33 6 12 34 56 78"'),
		).toBe('Email address <email> is invalid; phone "<number>"');
	});
});
