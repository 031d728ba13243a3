// The Twenty destination's settings and secrets schemas: the base URL through the outbound guard
// (cloud by default, self-hosted allowed), and a clear error for each mistake.
import { describe, expect, it } from "vitest";
import { twentyDestination } from "../../src/forwarders/twenty";
import { issueLines } from "../support/schema-issues";

describe("Twenty settings", () => {
	it("defaults to Twenty's cloud, no mapping, no opportunity", () => {
		expect(twentyDestination.settings.parse({})).toEqual({
			base_url: "https://api.twenty.com",
			field_mapping: {},
			opportunity: null,
		});
	});

	it("takes a self-hosted base URL, without a trailing slash or /rest", () => {
		for (const given of [
			"https://crm.example.com/",
			"https://crm.example.com/rest",
			"https://crm.example.com/rest/",
		])
			expect(twentyDestination.settings.parse({ base_url: given }).base_url).toBe(
				"https://crm.example.com",
			);
		expect(
			twentyDestination.settings.parse({ base_url: "https://example.com/twenty/" }).base_url,
		).toBe("https://example.com/twenty");
	});

	it.each([
		["crm.example.com", "base_url: the base URL is not a URL"],
		["http://crm.example.com", "base_url: the base URL must be an https:// URL"],
		["https://10.0.0.5", "base_url: the base URL must point at a public host (private)"],
		["https://169.254.169.254", "base_url: the base URL must point at a public host (link-local)"],
		["https://[::1]", "base_url: the base URL must point at a public host (loopback)"],
		[
			"https://twenty.internal",
			"base_url: the base URL must point at a public host (a local name)",
		],
		[
			"https://admin:secret@crm.example.com",
			"base_url: the base URL must not carry a user or password",
		],
	])("refuses %s with a clear error", (baseUrl, message) => {
		expect(issueLines(twentyDestination.settings.safeParse({ base_url: baseUrl }))).toEqual([
			message,
		]);
	});

	it("accepts http://127.0.0.1 here (local development; opening it needs the allowance)", () => {
		expect(twentyDestination.settings.parse({ base_url: "http://127.0.0.1:3000" }).base_url).toBe(
			"http://127.0.0.1:3000",
		);
	});

	it("refuses a mapping field that is not an API name, or a lead field Leadwire cannot fill", () => {
		const result = twentyDestination.settings.safeParse({
			field_mapping: { "Job title": "full_name", jobTitle: "shoe_size" },
		});
		expect(issueLines(result)).toEqual([
			"field_mapping.jobTitle: is not a lead field (full_name, email, phone, ...) or answer:<question>",
			"field_mapping.Job title: must be a Twenty field's API name (camelCase)",
		]);
	});

	it("refuses keys it does not know, such as the old camelCase names, naming them", () => {
		expect(
			issueLines(twentyDestination.settings.safeParse({ baseUrl: "https://crm.example.com" })),
		).toEqual([': Unrecognized key: "baseUrl"']);
		expect(issueLines(twentyDestination.secrets.safeParse({ apiKey: "x".repeat(40) }))).toContain(
			': Unrecognized key: "apiKey"',
		);
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
			"api_key: the Twenty API key is required",
		]);
		expect(issueLines(twentyDestination.secrets.safeParse({ api_key: "" }))).toEqual([
			"api_key: the Twenty API key is required",
		]);
	});
});
