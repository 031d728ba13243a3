// Lead and Case mapping (providers.md §6.2): required-field fallbacks, lead sources, answers in the
// description, and custom mappings that override or remove defaults.
import { describe, it } from "vitest";
import {
	isMappableField,
	type MappableClient,
	mapClient,
} from "../../src/forwarders/salesforce-mapping";

function client(overrides: Partial<MappableClient> = {}): MappableClient {
	return {
		clientId: 7,
		companyName: "Northwind Dental",
		source: "tiktok",
		externalId: "7563218845012673542",
		fullName: "Maya Thompson",
		email: "maya.thompson@example.com",
		phone: "+971501234567",
		invalidPhone: null,
		formId: "7541102938475610231",
		answers: [],
		...overrides,
	};
}

describe("mapClient", () => {
	it("flags a phone that did not parse in the Description and offers it as invalid_phone", ({
		expect,
	}) => {
		const typed = client({
			phone: null,
			invalidPhone: "12345",
			answers: [{ name: "phone_number", values: ["12345"] }],
		});
		const lead = mapClient(typed, "Lead", { Raw_Phone__c: "invalid_phone" });
		expect(lead).toMatchObject({
			Raw_Phone__c: "12345",
			Description: "Invalid phone: 12345\nphone_number: 12345",
		});
		expect(lead).not.toHaveProperty("Phone");
		expect(mapClient(client(), "Lead", { Raw_Phone__c: "invalid_phone" })).not.toHaveProperty(
			"Raw_Phone__c",
		);
		expect(isMappableField("invalid_phone")).toBe(true);
	});

	it("falls back for LastName (full name, then Unknown) and Company (our company, then [not provided])", ({
		expect,
	}) => {
		expect(mapClient(client({ fullName: null, companyName: " " }), "Lead")).toMatchObject({
			LastName: "Unknown",
			Company: "[not provided]",
		});
		expect(mapClient(client(), "Lead")).toMatchObject({
			LastName: "Maya Thompson",
			Company: "Northwind Dental",
		});
		expect(mapClient(client(), "Lead")).not.toHaveProperty("FirstName");
	});

	it("uses first/last name and company answers when the form asked for them", ({ expect }) => {
		const answers = [
			{ name: "First Name", values: ["Omar"] },
			{ name: "Surname", values: ["Haddad"] },
			{ name: "Company name", values: ["Haddad Trading"] },
		];
		expect(mapClient(client({ answers }), "Lead")).toMatchObject({
			FirstName: "Omar",
			LastName: "Haddad",
			Company: "Haddad Trading",
			Description: "First Name: Omar\nSurname: Haddad\nCompany name: Haddad Trading",
		});
	});

	it("names the lead source per provider", ({ expect }) => {
		const sources = ["tiktok", "meta", "whatsapp", "web", "forms"].map(
			(source) => mapClient(client({ source }), "Lead").LeadSource,
		);
		expect(sources).toEqual(["TikTok", "Facebook", "WhatsApp", "Web", "Web"]);
	});

	it("maps a Case with the Web-to-Case contact fields", ({ expect }) => {
		expect(
			mapClient(client({ answers: [{ name: "Issue", values: ["Broken crown"] }] }), "Case"),
		).toEqual({
			SuppliedName: "Maya Thompson",
			SuppliedEmail: "maya.thompson@example.com",
			SuppliedPhone: "+971501234567",
			Subject: "New TikTok lead: Maya Thompson",
			Description: "Issue: Broken crown",
			Origin: "Web",
		});
	});

	it("lets a custom mapping add fields, override defaults and remove them", ({ expect }) => {
		const answers = [{ name: "Preferred clinic", values: ["Dubai Marina"] }];
		const fields = mapClient(client({ answers }), "Lead", {
			Clinic__c: "answer:preferred clinic",
			MobilePhone: "phone",
			Phone: null,
			TikTok_Lead_Id__c: "external_id",
		});
		expect(fields).toMatchObject({
			Clinic__c: "Dubai Marina",
			MobilePhone: "+971501234567",
			TikTok_Lead_Id__c: "7563218845012673542",
		});
		expect(fields).not.toHaveProperty("Phone");
	});

	it("accepts only lead fields it can fill", ({ expect }) => {
		expect(["email", "answer:Budget", "client_id"].every(isMappableField)).toBe(true);
		expect(["password", "answer:", ""].some(isMappableField)).toBe(false);
	});
});
