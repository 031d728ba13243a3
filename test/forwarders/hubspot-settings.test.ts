// The HubSpot destination's settings and secrets schemas: defaults, and a clear error for each
// mistake an admin can make in the console or the admin API.
import { describe, expect, it } from "vitest";
import { hubspotDestination } from "../../src/forwarders/hubspot";
import { issueLines } from "../support/schema-issues";

describe("HubSpot settings", () => {
	it("defaults to upsert by email, owner from the rep, no deal, no mapping", () => {
		expect(hubspotDestination.settings.parse({})).toEqual({
			mapping: {},
			uniqueIdProperty: null,
			assignOwner: true,
			deal: null,
		});
	});

	it("takes a deal pipeline and stage, and a unique deal property", () => {
		const settings = hubspotDestination.settings.parse({
			deal: { pipeline: "default", stage: "appointmentscheduled", idProperty: "leadwire_deal_id" },
		});
		expect(settings.deal).toEqual({
			pipeline: "default",
			stage: "appointmentscheduled",
			idProperty: "leadwire_deal_id",
		});
	});

	it("refuses a mapping to a lead field Leadwire cannot fill, and a property that is not an internal name", () => {
		const result = hubspotDestination.settings.safeParse({
			mapping: { jobtitle: "favourite_colour", "Lead Source": "source" },
		});
		expect(issueLines(result)).toEqual([
			"mapping.jobtitle: is not a lead field (full_name, email, phone, ...) or answer:<question>",
			"mapping.Lead Source: must be a HubSpot property's internal name (a-z, 0-9, _)",
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
			"accessToken: the private app's access token is required",
		]);
		expect(issueLines(hubspotDestination.secrets.safeParse({ accessToken: "  " }))).toEqual([
			"accessToken: the private app's access token is required",
		]);
	});

	it("keeps a token as given, trimmed", () => {
		const token = "pat-na1-11111111-2222-3333-4444-555555555555";
		expect(hubspotDestination.secrets.parse({ accessToken: ` ${token}\n` })).toEqual({
			accessToken: token,
		});
	});
});
