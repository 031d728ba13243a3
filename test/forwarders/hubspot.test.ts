// The HubSpot destination against the fake account (injected fetch): batches of 100, upsert by email
// so a resend updates, phone-only leads found by search, owners and deals, every documented error.
import { describe, expect, it } from "vitest";
import type { DestinationRecord } from "../../src/forwarders/destination";
import type { SendResult } from "../../src/forwarders/forwarder";
import { hubspotDestination } from "../../src/forwarders/hubspot";
import { crmLead, crmRecords } from "../support/crm-leads";
import {
	burstLimitAnswer,
	dailyLimitAnswer,
	FAKE_HUBSPOT_TOKEN,
	FAKE_OWNER,
	FakeHubSpot,
} from "../support/fake-hubspot";

const UPSERT = "/contacts/batch/upsert";

function open(
	fake: FakeHubSpot,
	settings: Record<string, unknown> = {},
	token = FAKE_HUBSPOT_TOKEN,
) {
	return hubspotDestination.open(
		hubspotDestination.settings.parse(settings),
		hubspotDestination.secrets.parse({ access_token: token }),
		{ fetch: fake.fetch, now: () => new Date(), allowLoopbackHttp: false },
	);
}

function results(result: SendResult) {
	if (result.kind !== "results") throw new Error(`expected per-record results, got ${result.kind}`);
	return result.results;
}

async function sendAll(fake: FakeHubSpot, records: DestinationRecord[], settings = {}) {
	const destination = open(fake, settings);
	const answers: SendResult[] = [];
	for (let i = 0; i < records.length; i += destination.maxBatch)
		answers.push(await destination.send(records.slice(i, i + destination.maxBatch)));
	return answers;
}

describe("HubSpot destination: contacts", () => {
	it("sends 1000 leads in 10 batch upserts of at most 100, one contact each", async () => {
		const fake = new FakeHubSpot();
		const answers = await sendAll(fake, crmRecords(1000));
		const upserts = fake.callsTo(UPSERT);
		expect(upserts).toHaveLength(10);
		for (const call of upserts)
			expect((call.body as { inputs: unknown[] }).inputs.length).toBeLessThanOrEqual(100);
		expect(fake.contacts.size).toBe(1000);
		const sent = answers.flatMap(results);
		expect(sent.every((r) => r.kind === "sent" && r.remoteId)).toBe(true);
		expect(fake.calls).toHaveLength(10);
	});

	it("matches results to leads by key, not by order (HubSpot's order is not the request's)", async () => {
		const fake = new FakeHubSpot();
		const records = crmRecords(3);
		const [answer] = await sendAll(fake, records);
		const ids = results(answer as SendResult).map((r) => (r.kind === "sent" ? r.remoteId : null));
		for (const [i, record] of records.entries())
			expect(fake.contactByEmail(record.lead.email ?? "")?.id).toBe(ids[i]);
	});

	it("sends the lead's name, email, phone and answers as contact properties, plus the mapping", async () => {
		const fake = new FakeHubSpot();
		const lead = crmLead({ answers: [{ name: "Company", values: ["Acme"] }] });
		await open(fake, { field_mapping: { leadwire_source: "source", company: null } }).send([
			{ forwardId: 1, lead },
		]);
		const contact = fake.contactByEmail("ana.lima@example.com");
		expect(contact?.properties).toMatchObject({
			email: "ana.lima@example.com",
			firstname: "Ana",
			lastname: "Lima",
			phone: "+33612345678",
			leadwire_source: "meta",
			message: "Company: Acme",
		});
		expect(contact?.properties.company).toBeUndefined();
	});

	it("updates the same contact when a lead is sent again (redelivery, or a crash before the settle)", async () => {
		const fake = new FakeHubSpot();
		const destination = open(fake);
		const first = results(await destination.send(crmRecords(2)));
		const again = results(await destination.send(crmRecords(2)));
		expect(fake.contacts.size).toBe(2);
		expect(again).toEqual(first);
	});

	it("updates the same contact when HubSpot saved it but its answer was lost before the settle", async () => {
		const fake = new FakeHubSpot();
		fake.loseAnswerOf = UPSERT;
		const lost = await open(fake).send(crmRecords(2));
		expect(lost).toMatchObject({
			kind: "all",
			result: { kind: "transient", code: "NETWORK_ERROR" },
		});
		expect(fake.contacts.size).toBe(2);
		const retried = results(await open(fake).send(crmRecords(2)));
		expect(fake.contacts.size).toBe(2);
		expect(retried).toEqual([
			{ kind: "sent", remoteId: fake.contactByEmail("lead1@example.com")?.id },
			{ kind: "sent", remoteId: fake.contactByEmail("lead2@example.com")?.id },
		]);
	});

	it("sends two leads of one send with the same email as one input, both sent to one contact", async () => {
		const fake = new FakeHubSpot();
		const sent = results(await open(fake).send(crmRecords(2, 1, { email: "same@example.com" })));
		expect(fake.contacts.size).toBe(1);
		const upsert = fake.callsTo(UPSERT)[0]?.body as { inputs: unknown[] } | undefined;
		expect(upsert?.inputs).toHaveLength(1);
		const id = fake.contactByEmail("same@example.com")?.id;
		expect(sent).toEqual([
			{ kind: "sent", remoteId: id },
			{ kind: "sent", remoteId: id },
		]);
	});

	it("upserts every lead by a unique property when one is set, phone-only leads included", async () => {
		const fake = new FakeHubSpot();
		fake.uniqueContactProperties.add("leadwire_id");
		const records = crmRecords(2, 1, { email: null });
		const destination = open(fake, { unique_id_property: "leadwire_id" });
		await destination.send(records);
		await destination.send(records);
		expect(fake.contacts.size).toBe(2);
		expect([...fake.contacts.values()].map((c) => c.properties.leadwire_id)).toEqual([
			"leadwire-1",
			"leadwire-2",
		]);
		expect(fake.callsTo("/search")).toHaveLength(0);
	});

	it("finds a phone-only lead's contact by phone: created once, then updated", async () => {
		const fake = new FakeHubSpot();
		const records = crmRecords(2, 1, { email: null });
		const destination = open(fake);
		const first = results(await destination.send(records));
		const again = results(await destination.send(records));
		expect(fake.contacts.size).toBe(2);
		expect(again).toEqual(first);
		expect(fake.callsTo("/contacts/batch/create")).toHaveLength(1);
		expect(fake.callsTo("/contacts/batch/update")).toHaveLength(1);
	});

	it("fails a lead with neither email nor phone for good, without a call", async () => {
		const fake = new FakeHubSpot();
		const [result] = results(await open(fake).send(crmRecords(1, 1, { email: null, phone: null })));
		expect(result).toMatchObject({ kind: "permanent", code: "NO_EMAIL_OR_PHONE" });
		expect(fake.calls).toHaveLength(0);
	});

	it("sets the owner from the rep's email, one owners call per rep in a send", async () => {
		const fake = new FakeHubSpot();
		const records = crmRecords(3, 1, { repEmail: FAKE_OWNER.email });
		records.push(...crmRecords(1, 4, { repEmail: "nobody@northwind.example" }));
		await open(fake).send(records);
		expect(fake.callsTo("/crm/v3/owners")).toHaveLength(2);
		expect(fake.contactByEmail("lead1@example.com")?.properties.hubspot_owner_id).toBe(
			FAKE_OWNER.id,
		);
		expect(fake.contactByEmail("lead4@example.com")?.properties.hubspot_owner_id).toBeUndefined();
	});
});

describe("HubSpot destination: deals", () => {
	const deal = { pipeline: "default", stage: "appointmentscheduled" };

	it("creates one deal in the chosen pipeline and stage, associated to the new contact", async () => {
		const fake = new FakeHubSpot();
		const destination = open(fake, { deal });
		await destination.send(crmRecords(2));
		await destination.send(crmRecords(2));
		expect(fake.deals.size).toBe(2);
		const contactId = fake.contactByEmail("lead1@example.com")?.id;
		const [first] = fake.deals.values();
		expect(first).toMatchObject({
			properties: {
				pipeline: "default",
				dealstage: "appointmentscheduled",
				dealname: "Lead 1 (Facebook)",
			},
			contactIds: [contactId],
		});
	});

	it("does not add a deal when a phone-only lead's contact is found again", async () => {
		const fake = new FakeHubSpot();
		const destination = open(fake, { deal });
		await destination.send(crmRecords(2, 1, { email: null }));
		await destination.send(crmRecords(2, 1, { email: null }));
		expect(fake.contacts.size).toBe(2);
		expect(fake.deals.size).toBe(2);
	});

	it("upserts deals by a unique deal property when one is set", async () => {
		const fake = new FakeHubSpot();
		fake.uniqueDealProperties.add("leadwire_deal_id");
		const destination = open(fake, { deal: { ...deal, id_property: "leadwire_deal_id" } });
		await destination.send(crmRecords(2));
		await destination.send(crmRecords(2));
		expect(fake.deals.size).toBe(2);
		expect(fake.callsTo("/deals/batch/upsert")).toHaveLength(2);
	});

	it("fails the records for good when the stage is not in the pipeline", async () => {
		const fake = new FakeHubSpot();
		const sent = results(
			await open(fake, { deal: { ...deal, stage: "nope" } }).send(crmRecords(1)),
		);
		expect(sent[0]).toMatchObject({
			kind: "permanent",
			detail: "VALIDATION_ERROR: INVALID_OPTION [dealstage]",
		});
	});
});

describe("HubSpot destination: errors", () => {
	it("waits on a 429 and then sends each contact once", async () => {
		const fake = new FakeHubSpot();
		fake.canned.push(burstLimitAnswer(UPSERT));
		const destination = open(fake);
		const limited = await destination.send(crmRecords(3));
		expect(limited).toMatchObject({
			kind: "all",
			httpStatus: 429,
			result: { kind: "transient", code: "RATE_LIMIT", retryAfterSeconds: 10 },
		});
		expect(fake.contacts.size).toBe(0);
		const retried = results(await destination.send(crmRecords(3)));
		expect(retried.every((r) => r.kind === "sent")).toBe(true);
		expect(fake.contacts.size).toBe(3);
		const created = fake.callsTo(UPSERT).flatMap((c) => (c.body as { inputs: unknown[] }).inputs);
		expect(created).toHaveLength(6);
	});

	it("follows a 429's Retry-After when HubSpot sends one", async () => {
		const fake = new FakeHubSpot();
		fake.canned.push(burstLimitAnswer(UPSERT, { "Retry-After": "42" }));
		const limited = await open(fake).send(crmRecords(1));
		expect(limited).toMatchObject({ kind: "all", result: { retryAfterSeconds: 42 } });
	});

	it("waits hours once the daily limit is spent", async () => {
		const fake = new FakeHubSpot();
		fake.canned.push(dailyLimitAnswer(UPSERT));
		const limited = await open(fake).send(crmRecords(1));
		expect(limited).toMatchObject({
			kind: "all",
			result: { kind: "transient", code: "DAILY_LIMIT", minDelaySeconds: 3600 },
		});
	});

	it("reports a refused token as the connection's problem, not the records'", async () => {
		const fake = new FakeHubSpot();
		const answer = await open(fake, {}, "pat-eu1-revoked-0000-0000-000000000000").send(
			crmRecords(2),
		);
		expect(answer).toMatchObject({
			kind: "connection",
			problem: "needs_reauth",
			code: "INVALID_AUTHENTICATION",
			httpStatus: 401,
		});
	});

	it("stops on a missing scope (403 MISSING_SCOPES) until an admin grants it", async () => {
		const fake = new FakeHubSpot();
		fake.canned.push({
			pathEndsWith: "/crm/v3/owners",
			status: 403,
			body: {
				status: "error",
				message: "This app hasn't been granted all required scopes to make this call.",
				correlationId: "2a4b6c8d-0000-4000-8000-000000000403",
				category: "MISSING_SCOPES",
				errors: [
					{
						message: "One or more of the following scopes are required.",
						context: { missingScopes: ["crm.objects.owners.read"] },
					},
				],
			},
		});
		const answer = await open(fake).send(crmRecords(1, 1, { repEmail: FAKE_OWNER.email }));
		expect(answer).toMatchObject({
			kind: "connection",
			problem: "needs_reauth",
			code: "MISSING_SCOPES",
		});
		expect(fake.contacts.size).toBe(0);
	});

	it("retries every record on a 5xx", async () => {
		const fake = new FakeHubSpot();
		fake.canned.push({
			pathEndsWith: UPSERT,
			status: 502,
			body: { status: "error", message: "Bad gateway", category: "BAD_GATEWAY" },
		});
		const answer = await open(fake).send(crmRecords(2));
		expect(answer).toMatchObject({ kind: "all", result: { kind: "transient" }, httpStatus: 502 });
	});

	it("answers 409 with the existing contact's id as a duplicate", async () => {
		const fake = new FakeHubSpot();
		const existing = fake.seedContact({ email: "work@acme.example", firstname: "Ana" });
		// A phone-only lead whose mapping sends a form answer as its email: the create collides.
		const lead = crmLead({
			email: null,
			answers: [{ name: "Work email", values: ["work@acme.example"] }],
		});
		const [result] = results(
			await open(fake, { field_mapping: { email: "answer:work email" } }).send([
				{ forwardId: 1, lead },
			]),
		);
		expect(result).toEqual({ kind: "duplicate", code: "CONFLICT", matchedId: existing });
		expect(fake.contacts.size).toBe(1);
	});

	it("answers a batch 409 by halving: the lead whose email another contact has is its duplicate", async () => {
		const fake = new FakeHubSpot();
		fake.uniqueContactProperties.add("leadwire_id");
		const existing = fake.seedContact({ email: "lead3@example.com", firstname: "Typed by a rep" });
		const sent = results(
			await open(fake, { unique_id_property: "leadwire_id" }).send(crmRecords(4)),
		);
		expect(sent[2]).toEqual({ kind: "duplicate", code: "CONFLICT", matchedId: existing });
		expect(sent.filter((r) => r.kind === "sent")).toHaveLength(3);
		expect(fake.contacts.size).toBe(4);
	});

	it("fails only the invalid record of a refused batch, with HubSpot's category and no PII", async () => {
		const fake = new FakeHubSpot();
		const records = crmRecords(8);
		const bad = records[5] as DestinationRecord;
		bad.lead = { ...bad.lead, email: "not-an-email@" };
		const sent = results(await open(fake).send(records));
		expect(sent[5]).toEqual({
			kind: "permanent",
			code: "VALIDATION_ERROR",
			detail: "VALIDATION_ERROR: INVALID_EMAIL [email]",
		});
		expect(sent.filter((r) => r.kind === "sent")).toHaveLength(7);
		expect(fake.contacts.size).toBe(7);
		expect(fake.callsTo(UPSERT).length).toBeLessThanOrEqual(7);
	});

	it("reports the daily usage from the rate-limit headers", async () => {
		const fake = new FakeHubSpot();
		const answer = await open(fake).send(crmRecords(1));
		expect(answer).toMatchObject({ usage: { used: fake.dailyUsed, max: 250_000 } });
	});
});

describe("HubSpot destination: check", () => {
	it("reports a valid token and the calls left today", async () => {
		const fake = new FakeHubSpot();
		const check = await open(fake).check();
		expect(check).toEqual({
			ok: true,
			detail: `token valid, ${250_000 - fake.dailyUsed} calls left today`,
			rateLimitLeft: 250_000 - fake.dailyUsed,
		});
		expect(fake.calls).toHaveLength(1);
	});

	it("reports a refused token", async () => {
		const check = await open(
			new FakeHubSpot(),
			{},
			"pat-eu1-revoked-0000-0000-000000000000",
		).check();
		expect(check).toMatchObject({ ok: false, code: "INVALID_AUTHENTICATION" });
	});

	it("reports a network failure as unreachable", async () => {
		const destination = hubspotDestination.open(
			hubspotDestination.settings.parse({}),
			{ access_token: FAKE_HUBSPOT_TOKEN },
			{
				fetch: () => Promise.reject(new TypeError("fetch failed")),
				now: () => new Date(),
				allowLoopbackHttp: false,
			},
		);
		expect(await destination.check()).toMatchObject({ ok: false, code: "NETWORK_ERROR" });
	});
});
