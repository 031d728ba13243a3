// The HubSpot destination's settings and secrets schemas: defaults, and a clear error for each
// mistake an admin can make in the console or the admin API.
import { describe, expect, it } from "vitest";
import { hubspotDestination } from "../../src/forwarders/hubspot";
import { issueLines } from "../support/schema-issues";

describe("HubSpot settings", () => {
	it("defaults to upsert by email, owner from the rep, no deal, no mapping", () => {
		expect(hubspotDestination.settings.parse({})).toEqual({
			field_mapping: {},
			unique_id_property: null,
			assign_owner: true,
			deal: null,
		});
	});

	it("refuses keys it does not know, such as the old camelCase names, naming them", () => {
		const refused = hubspotDestination.settings.safeParse({
			assignOwner: false,
			deal: { pipeline: "default", stage: "new", idProperty: "x" },
		});
		expect(issueLines(refused)).toEqual([
			'deal: Unrecognized key: "idProperty"',
			': Unrecognized key: "assignOwner"',
		]);
		expect(
			issueLines(hubspotDestination.secrets.safeParse({ accessToken: "pat-na1-0000" })),
		).toContain(': Unrecognized key: "accessToken"');
	});

	it("takes a deal pipeline and stage, and a unique deal property", () => {
		const settings = hubspotDestination.settings.parse({
			deal: { pipeline: "default", stage: "appointmentscheduled", id_property: "leadwire_deal_id" },
		});
		expect(settings.deal).toEqual({
			pipeline: "default",
			stage: "appointmentscheduled",
			id_property: "leadwire_deal_id",
		});
	});

	it("refuses a mapping to a lead field Leadwire cannot fill, and a property that is not an internal name", () => {
		const result = hubspotDestination.settings.safeParse({
			field_mapping: { jobtitle: "favourite_colour", "Lead Source": "source" },
		});
		expect(issueLines(result)).toEqual([
			"field_mapping.jobtitle: is not a lead field (full_name, email, phone, ...) or answer:<question>",
			"field_mapping.Lead Source: must be a HubSpot property's internal name (a-z, 0-9, _)",
		]);
	});

	it("refuses a deal without its stage", () => {
		const result = hubspotDestination.settings.safeParse({ deal: { pipeline: "default" } });
		expect(issueLines(result)).toEqual([
			"deal.stage: Invalid input: expected string, received undefined",
		]);
	});
});

describe("HubSpot secrets", () => {
	it("requires the private app's access token", () => {
		expect(issueLines(hubspotDestination.secrets.safeParse({}))).toEqual([
			"access_token: the private app's access token is required",
		]);
		expect(issueLines(hubspotDestination.secrets.safeParse({ access_token: "  " }))).toEqual([
			"access_token: the private app's access token is required",
		]);
	});

	it("keeps a token as given, trimmed", () => {
		const token = "pat-na1-11111111-2222-3333-4444-555555555555";
		expect(hubspotDestination.secrets.parse({ access_token: ` ${token}\n` })).toEqual({
			access_token: token,
		});
	});
});
