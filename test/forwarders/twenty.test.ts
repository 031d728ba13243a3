// The Twenty destination against the fake workspace (injected fetch): a Person found by email or
// phone and updated, else created with an id derived from the lead, so a redelivery makes no second
// Person; the Opportunity; Twenty's errors; check().
import { describe, expect, it } from "vitest";
import type { SendResult } from "../../src/forwarders/forwarder";
import { twentyDestination } from "../../src/forwarders/twenty";
import { crmLead, crmRecords } from "../support/crm-leads";
import { FAKE_TWENTY_KEY, FAKE_TWENTY_URL, FakeTwenty } from "../support/fake-twenty";

function open(
	fake: FakeTwenty,
	settings: Record<string, unknown> = {},
	options: { apiKey?: string; allowLoopbackHttp?: boolean } = {},
) {
	return twentyDestination.open(
		twentyDestination.settings.parse({ base_url: FAKE_TWENTY_URL, ...settings }),
		twentyDestination.secrets.parse({ api_key: options.apiKey ?? FAKE_TWENTY_KEY }),
		{
			fetch: fake.fetch,
			now: () => new Date(),
			allowLoopbackHttp: options.allowLoopbackHttp ?? false,
		},
	);
}

function results(result: SendResult) {
	if (result.kind !== "results") throw new Error(`expected per-record results, got ${result.kind}`);
	return result.results;
}

describe("Twenty destination: people", () => {
	it("creates a Person with Twenty's composite name, emails and phones", async () => {
		const fake = new FakeTwenty();
		const [result] = results(await open(fake).send(crmRecords(1)));
		const [person] = fake.people.values();
		expect(result).toEqual({ kind: "sent", remoteId: person?.id });
		expect(person).toMatchObject({
			name: { firstName: "Lead", lastName: "1" },
			emails: { primaryEmail: "lead1@example.com" },
			phones: {
				primaryPhoneNumber: "610000001",
				primaryPhoneCountryCode: "FR",
				primaryPhoneCallingCode: "+33",
			},
		});
	});

	it("makes one Person of a lead created and then redelivered", async () => {
		const fake = new FakeTwenty();
		const destination = open(fake);
		const first = results(await destination.send(crmRecords(3)));
		const again = results(await destination.send(crmRecords(3)));
		expect(fake.people.size).toBe(3);
		expect(again).toEqual(first);
		expect(fake.callsTo("POST", "/people")).toHaveLength(3);
	});

	it("makes one Person when Twenty saved it but its answer was lost before the settle", async () => {
		const fake = new FakeTwenty();
		fake.loseAnswerOf = { method: "POST", path: "/people" };
		fake.seedPerson({ name: { firstName: "Someone", lastName: "Else" } });
		const lost = results(await open(fake).send(crmRecords(1)));
		expect(lost).toEqual([{ kind: "transient", code: "NETWORK_ERROR" }]);
		expect(fake.people.size).toBe(2);
		const saved = fake.callsTo("POST", "/people")[0]?.body as { id: string } | undefined;
		const [retried] = results(await open(fake).send(crmRecords(1)));
		expect(fake.people.size).toBe(2);
		expect(retried).toEqual({ kind: "sent", remoteId: saved?.id });
	});

	it.each([
		["upsert", true],
		["a server without upsert (the known id refused)", false],
	])("makes one Person of a resend whose email a rep changed meanwhile: %s", async (_, upsert) => {
		const fake = new FakeTwenty();
		fake.supportsUpsert = upsert;
		await open(fake).send(crmRecords(1));
		const [saved] = fake.people.values();
		if (saved) saved.emails = { primaryEmail: "changed.by.rep@example.com" };
		const [result] = results(await open(fake).send(crmRecords(1)));
		expect(fake.people.size).toBe(1);
		expect(result).toEqual({ kind: "sent", remoteId: saved?.id });
	});

	it("updates the Person a rep already has by email, filling only what is empty", async () => {
		const fake = new FakeTwenty();
		const id = fake.seedPerson({
			name: { firstName: "Ana", lastName: "Lima-Souza" },
			emails: { primaryEmail: "ana.lima@example.com" },
			phones: { primaryPhoneNumber: "" },
		});
		const [result] = results(
			await open(fake, { field_mapping: { jobTitle: "answer:budget" } }).send([
				{ forwardId: 1, lead: crmLead() },
			]),
		);
		expect(result).toEqual({ kind: "sent", remoteId: id });
		expect(fake.people.size).toBe(1);
		expect(fake.people.get(id)).toMatchObject({
			name: { firstName: "Ana", lastName: "Lima-Souza" },
			phones: { primaryPhoneNumber: "612345678", primaryPhoneCallingCode: "+33" },
			jobTitle: "5k",
		});
	});

	it("finds a phone-only lead's Person by number and calling code", async () => {
		const fake = new FakeTwenty();
		const id = fake.seedPerson({
			name: { firstName: "Ana", lastName: "" },
			phones: { primaryPhoneNumber: "612345678", primaryPhoneCallingCode: "+33" },
		});
		const [result] = results(
			await open(fake).send([{ forwardId: 1, lead: crmLead({ email: null }) }]),
		);
		expect(result).toEqual({ kind: "sent", remoteId: id });
		expect(fake.people.size).toBe(1);
		const [find] = fake.callsTo("GET", "/people");
		expect(find?.query.get("filter")).toBe(
			'and(phones.primaryPhoneNumber[eq]:"612345678",phones.primaryPhoneCallingCode[eq]:"+33")',
		);
	});
});

describe("Twenty destination: opportunities", () => {
	it("creates one Opportunity per lead with the Person as point of contact, however often it is sent", async () => {
		const fake = new FakeTwenty();
		const destination = open(fake, { opportunity: { stage: "SCREENING" } });
		const [first] = results(await destination.send(crmRecords(1)));
		await destination.send(crmRecords(1));
		expect(fake.opportunities.size).toBe(1);
		const [opportunity] = fake.opportunities.values();
		expect(opportunity).toMatchObject({
			name: "Lead 1 (Facebook)",
			stage: "SCREENING",
			pointOfContactId: first?.kind === "sent" ? first.remoteId : "missing",
		});
	});

	it("fails the record for good on a stage Twenty does not have", async () => {
		const fake = new FakeTwenty();
		const [result] = results(
			await open(fake, { opportunity: { stage: "WON" } }).send(crmRecords(1)),
		);
		expect(result).toEqual({
			kind: "permanent",
			code: "BadRequestException",
			detail: 'BadRequestException: Value "WON" is not a valid option for stage',
		});
	});
});

describe("Twenty destination: errors", () => {
	it("reports a refused API key as the connection's problem", async () => {
		const answer = await open(
			new FakeTwenty(),
			{},
			{ apiKey: "eyJhbGciOiJIUzI1NiJ9.revoked.key" },
		).send(crmRecords(2));
		expect(answer).toMatchObject({
			kind: "connection",
			problem: "needs_reauth",
			code: "UNAUTHENTICATED",
			httpStatus: 401,
		});
	});

	it("stops at Twenty's rate limit: leads sent keep their result, the rest wait the window", async () => {
		const fake = new FakeTwenty();
		fake.callsLeft = 4;
		const sent = results(await open(fake).send(crmRecords(3)));
		expect(sent.map((r) => r.kind)).toEqual(["sent", "sent", "transient"]);
		expect(sent[2]).toEqual({ kind: "transient", code: "RATE_LIMIT", retryAfterSeconds: 60 });
		fake.callsLeft = 100;
		await open(fake).send(crmRecords(3));
		expect(fake.people.size).toBe(3);
	});

	it("fails an invalid email for good without quoting it", async () => {
		const fake = new FakeTwenty();
		const [result] = results(
			await open(fake).send([{ forwardId: 1, lead: crmLead({ email: "ana.lima@example" }) }]),
		);
		expect(result).toEqual({
			kind: "permanent",
			code: "BadRequestException",
			detail: 'BadRequestException: Invalid email "<email>"',
		});
	});

	it("retries the remaining leads on a 5xx", async () => {
		const fake = new FakeTwenty();
		fake.canned.push({
			pathStartsWith: "/people",
			status: 503,
			body: { statusCode: 503, error: "ServiceUnavailable", messages: ["down"] },
		});
		const sent = results(await open(fake).send(crmRecords(2)));
		expect(sent).toEqual([
			{ kind: "transient", code: "ServiceUnavailable" },
			{ kind: "transient", code: "ServiceUnavailable" },
		]);
	});

	it("reports a base URL that serves no Twenty API as the connection's problem", async () => {
		const fake = new FakeTwenty("https://other.example");
		const answer = await open(fake).send(crmRecords(1));
		expect(answer).toMatchObject({
			kind: "connection",
			problem: "api_disabled",
			code: "NOT_FOUND",
		});
	});

	it("refuses a loopback http base URL outside local development, and calls it within", async () => {
		const fake = new FakeTwenty("http://127.0.0.1:3000");
		const refused = open(fake, { base_url: "http://127.0.0.1:3000" });
		expect(await refused.send(crmRecords(1))).toMatchObject({
			kind: "connection",
			code: "BASE_URL_REFUSED",
		});
		expect(fake.calls).toHaveLength(0);
		const local = open(fake, { base_url: "http://127.0.0.1:3000" }, { allowLoopbackHttp: true });
		expect(results(await local.send(crmRecords(1)))[0]).toMatchObject({ kind: "sent" });
	});
});

describe("Twenty destination: check", () => {
	it("reports a valid key with one read", async () => {
		const fake = new FakeTwenty();
		expect(await open(fake).check()).toEqual({
			ok: true,
			detail: "API key valid, Twenty reachable",
		});
		expect(fake.calls).toHaveLength(1);
	});

	it("reports a refused key, a wrong base URL and an unreachable server", async () => {
		const badKey = open(new FakeTwenty(), {}, { apiKey: "eyJhbGciOiJIUzI1NiJ9.revoked.key" });
		expect(await badKey.check()).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
		expect(await open(new FakeTwenty("https://other.example")).check()).toMatchObject({
			ok: false,
			code: "NOT_FOUND",
		});
		const down = twentyDestination.open(
			twentyDestination.settings.parse({}),
			{ api_key: FAKE_TWENTY_KEY },
			{
				fetch: () => Promise.reject(new TypeError("fetch failed")),
				now: () => new Date(),
				allowLoopbackHttp: false,
			},
		);
		expect(await down.check()).toMatchObject({ ok: false, code: "NETWORK_ERROR" });
	});
});
