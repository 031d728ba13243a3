// The Twenty destination's settings and secrets schemas: the base URL through the outbound guard
// (cloud by default, self-hosted allowed), and a clear error for each mistake.
import { describe, expect, it } from "vitest";
import { twentyDestination } from "../../src/forwarders/twenty";
import { issueLines } from "../support/schema-issues";

describe("Twenty settings", () => {
	it("defaults to Twenty's cloud, no mapping, no opportunity", () => {
		expect(twentyDestination.settings.parse({})).toEqual({
			baseUrl: "https://api.twenty.com",
			mapping: {},
			opportunity: null,
		});
	});

	it("takes a self-hosted base URL, without a trailing slash or /rest", () => {
		for (const given of [
			"https://crm.example.com/",
			"https://crm.example.com/rest",
			"https://crm.example.com/rest/",
		])
			expect(twentyDestination.settings.parse({ baseUrl: given }).baseUrl).toBe(
				"https://crm.example.com",
			);
		expect(
			twentyDestination.settings.parse({ baseUrl: "https://example.com/twenty/" }).baseUrl,
		).toBe("https://example.com/twenty");
	});

	it.each([
		["crm.example.com", "baseUrl: the base URL is not a URL"],
		["http://crm.example.com", "baseUrl: the base URL must be an https:// URL"],
		["https://10.0.0.5", "baseUrl: the base URL must point at a public host (private)"],
		["https://169.254.169.254", "baseUrl: the base URL must point at a public host (link-local)"],
		["https://[::1]", "baseUrl: the base URL must point at a public host (loopback)"],
		["https://twenty.internal", "baseUrl: the base URL must point at a public host (a local name)"],
		[
			"https://admin:secret@crm.example.com",
			"baseUrl: the base URL must not carry a user or password",
		],
	])("refuses %s with a clear error", (baseUrl, message) => {
		expect(issueLines(twentyDestination.settings.safeParse({ baseUrl }))).toEqual([message]);
	});

	it("accepts http://127.0.0.1 here (local development; opening it needs the allowance)", () => {
		expect(twentyDestination.settings.parse({ baseUrl: "http://127.0.0.1:3000" }).baseUrl).toBe(
			"http://127.0.0.1:3000",
		);
	});

	it("refuses a mapping field that is not an API name, or a lead field Leadwire cannot fill", () => {
		const result = twentyDestination.settings.safeParse({
			mapping: { "Job title": "full_name", jobTitle: "shoe_size" },
		});
		expect(issueLines(result)).toEqual([
			"mapping.jobTitle: is not a lead field (full_name, email, phone, ...) or answer:<question>",
			"mapping.Job title: must be a Twenty field's API name (camelCase)",
		]);
	});

	it("takes an opportunity with or without a stage", () => {
		expect(twentyDestination.settings.parse({ opportunity: {} }).opportunity).toEqual({
			stage: null,
		});
		expect(twentyDestination.settings.parse({ opportunity: { stage: "NEW" } }).opportunity).toEqual(
			{
				stage: "NEW",
			},
		);
	});
});

describe("Twenty secrets", () => {
	it("requires the API key", () => {
		expect(issueLines(twentyDestination.secrets.safeParse({}))).toEqual([
			"apiKey: the Twenty API key is required",
		]);
		expect(issueLines(twentyDestination.secrets.safeParse({ apiKey: "" }))).toEqual([
			"apiKey: the Twenty API key is required",
		]);
	});
});
