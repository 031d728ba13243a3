// The Cron Trigger drains Salesforce forwards per connection through sObject Collections: outages
// retried on the backoff schedule until the org is back, every lead sent exactly once, 1000 pending in
// ≤ 5 calls, partial failures retried only where they should be, and slowing down near the API limit.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { seedCompany } from "../support/factories";
import {
	DUPLICATE_MATCH_ID,
	FakeSalesforce,
	fixtureAnswer,
	PARTIAL_FAILURE_BODY,
} from "../support/fake-salesforce";
import {
	attemptRows,
	forwardRows,
	later,
	putConnection,
	runCron,
	seedForwardedClient,
	seedPendingForwards,
} from "../support/salesforce";

async function connectedCompany(): Promise<number> {
	const companyId = await seedCompany();
	const response = await putConnection(companyId);
	if (response.status !== 201) throw new Error(`connection not saved: ${response.status}`);
	return companyId;
}

/** Collections calls' record counts, in order. */
function batchSizes(fake: FakeSalesforce): number[] {
	return fake
		.dataCalls()
		.map((call) => (JSON.parse(call.body) as { records?: unknown[] }).records?.length ?? 1);
}

/** A session cached before the run, so the run's calls are data calls only. */
async function warmSession(fake: FakeSalesforce, companyId: number, at: Date) {
	await seedForwardedClient(companyId, { fullName: "Warm Up" });
	await runCron(at);
	fake.requests.splice(0);
}

function statuses(rows: { status: string }[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
	return counts;
}

describe("Salesforce cron", () => {
	it("retries through an outage of N runs, then sends every lead exactly once in batches ≤ 200", async ({
		expect,
	}) => {
		const companyId = await connectedCompany();
		await seedPendingForwards(companyId, 450, "outage");
		const fake = new FakeSalesforce().install();
		fake.downForCalls = 3;
		const start = new Date("2026-12-02T10:00:00Z");

		for (let run = 0; run < 3; run++) await runCron(later(start, run * 10));
		const during = await forwardRows(companyId);
		await runCron(later(start, 30));

		expect(statuses(during)).toEqual({ retry: 200, pending: 250 });
		const rows = await forwardRows(companyId);
		expect(statuses(rows)).toEqual({ succeeded: 450 });
		expect(fake.records.size).toBe(450);
		const names = [...fake.records.values()].map((r) => r.LastName);
		expect(new Set(names).size).toBe(450);
		expect(batchSizes(fake)).toEqual([200, 200, 200, 200, 200, 50]);
		expect(new Set(rows.map((r) => r.remote_id)).size).toBe(450);
		const first = rows[0];
		expect(await attemptRows(first?.id)).toEqual([
			expect.objectContaining({
				attempt_number: 1,
				outcome: "retry",
				http_status: 503,
				error_code: "HTML_ERROR_PAGE",
				trigger: "cron",
			}),
			expect.objectContaining({ attempt_number: 2, outcome: "retry", http_status: 503 }),
			expect.objectContaining({ attempt_number: 3, outcome: "retry", http_status: 503 }),
			expect.objectContaining({
				attempt_number: 4,
				outcome: "succeeded",
				http_status: 200,
				error_code: null,
			}),
		]);
	});

	it("drains 1000 pending forwards in at most 5 Salesforce calls in one run", async ({
		expect,
	}) => {
		const companyId = await connectedCompany();
		const fake = new FakeSalesforce().install();
		const at = new Date("2026-12-02T11:00:00Z");
		await warmSession(fake, companyId, at);
		await seedPendingForwards(companyId, 1000, "drain");

		await runCron(later(at, 5));

		expect(fake.requests.length).toBeLessThanOrEqual(5);
		expect(fake.tokenCalls()).toEqual([]);
		expect(batchSizes(fake)).toEqual([200, 200, 200, 200, 200]);
		expect(statuses(await forwardRows(companyId))).toEqual({ succeeded: 1001 });
	});

	it("fails only the bad record of a partial failure and sends the rest once", async ({
		expect,
	}) => {
		const companyId = await connectedCompany();
		const fake = new FakeSalesforce().install();
		const at = new Date("2026-12-02T12:00:00Z");
		await warmSession(fake, companyId, at);
		for (const name of ["Omar Haddad", "No Company", "Priya Nair"])
			await seedForwardedClient(companyId, { fullName: name });
		fake.nextAnswers.push({ status: 200, body: JSON.stringify(PARTIAL_FAILURE_BODY) });

		await runCron(later(at, 5));
		await runCron(later(at, 60));

		const rows = (await forwardRows(companyId)).slice(1);
		expect(rows.map((r) => [r.status, r.remote_id, r.last_error_code, r.last_error])).toEqual([
			["succeeded", "00QWs00000FxLd2MAF", null, null],
			["failed", null, "REQUIRED_FIELD_MISSING", "REQUIRED_FIELD_MISSING [Company]"],
			["succeeded", "00QWs00000FxLd3MAF", null, null],
		]);
		expect(fake.dataCalls()).toHaveLength(1);
	});

	it("resends only the records an all-or-none failure rolled back", async ({ expect }) => {
		const companyId = await connectedCompany();
		const fake = new FakeSalesforce().install();
		const at = new Date("2026-12-02T13:00:00Z");
		await warmSession(fake, companyId, at);
		for (const name of ["Valid One", "Bad Email", "Valid Two"])
			await seedForwardedClient(companyId, { fullName: name });
		const rolledBack = {
			statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
			message: "rolled back",
			fields: [],
		};
		fake.nextAnswers.push({
			status: 200,
			body: JSON.stringify([
				{ success: false, errors: [rolledBack] },
				{
					success: false,
					errors: [{ statusCode: "INVALID_EMAIL_ADDRESS", message: "invalid", fields: ["Email"] }],
				},
				{ success: false, errors: [rolledBack] },
			]),
		});

		await runCron(later(at, 5));
		await runCron(later(at, 10));

		const rows = (await forwardRows(companyId)).slice(1);
		expect(rows.map((r) => r.status)).toEqual(["succeeded", "failed", "succeeded"]);
		const resent = JSON.parse(fake.dataCalls()[1]?.body ?? "") as {
			records: { LastName: string }[];
		};
		expect(resent.records.map((r) => r.LastName)).toEqual(["Valid One", "Valid Two"]);
	});

	it("marks DUPLICATES_DETECTED duplicate with the matched id, and REQUEST_LIMIT_EXCEEDED waits an hour", async ({
		expect,
	}) => {
		const companyId = await connectedCompany();
		const fake = new FakeSalesforce().install();
		const at = new Date("2026-12-02T14:00:00Z");
		await warmSession(fake, companyId, at);
		const duplicateClient = await seedForwardedClient(companyId, { fullName: "Known Lead" });
		fake.rejectRecord = (record) =>
			record.LastName === "Known Lead" ? { code: "DUPLICATES_DETECTED" } : undefined;
		await runCron(later(at, 5));
		await seedForwardedClient(companyId, { fullName: "Limited" });
		fake.nextAnswers.push(fixtureAnswer("REQUEST_LIMIT_EXCEEDED"));
		const limitedAt = later(at, 10);

		await runCron(limitedAt);

		const [, duplicate, limited] = await forwardRows(companyId);
		expect(duplicate).toMatchObject({
			client_id: duplicateClient,
			status: "duplicate",
			remote_id: DUPLICATE_MATCH_ID,
		});
		expect(limited).toMatchObject({ status: "retry", last_error_code: "REQUEST_LIMIT_EXCEEDED" });
		const waitSeconds = (Date.parse(limited?.next_attempt_at ?? "") - limitedAt.getTime()) / 1000;
		expect(waitSeconds).toBeGreaterThan(3500);
		const usage = await env.DB.prepare(
			"SELECT api_used, api_max FROM salesforce_connections WHERE company_id = ?",
		)
			.bind(companyId)
			.first();
		expect(usage).toEqual({ api_used: 15023, api_max: 15000 });
	});

	it("gives up after the last step of the schedule: dead, and logged", async ({ expect }) => {
		const companyId = await connectedCompany();
		const fake = new FakeSalesforce().install();
		const at = new Date("2026-12-02T15:00:00Z");
		await warmSession(fake, companyId, at);
		const clientId = await seedForwardedClient(companyId, { fullName: "Unlucky" });
		await env.DB.prepare("UPDATE forwards SET status = 'retry', attempts = 10 WHERE client_id = ?")
			.bind(clientId)
			.run();
		fake.nextAnswers.push({
			status: 500,
			body: JSON.stringify([{ errorCode: "UNKNOWN_EXCEPTION", message: "x" }]),
		});

		await runCron(later(at, 5));

		const forward = (await forwardRows(companyId)).find((r) => r.client_id === clientId);
		expect(forward).toMatchObject({
			status: "dead",
			attempts: 11,
			next_attempt_at: null,
			last_error_code: "UNKNOWN_EXCEPTION",
		});
		const log = await env.DB.prepare(
			"SELECT status, message FROM integration_logs WHERE action = 'salesforce_forward' ORDER BY id DESC LIMIT 1",
		).first();
		expect(log).toEqual({
			status: "failure",
			message: `forward ${forward?.id} dead after 11 attempts (UNKNOWN_EXCEPTION)`,
		});
	});

	it("slows to one call per run near the org's API limit", async ({ expect }) => {
		const companyId = await connectedCompany();
		const fake = new FakeSalesforce().install();
		const at = new Date("2026-12-02T16:00:00Z");
		await warmSession(fake, companyId, at);
		await seedPendingForwards(companyId, 600, "limit");
		fake.usage = { used: 13_600, max: 15_000 };

		await runCron(later(at, 5));
		const afterFirst = fake.dataCalls().length;
		await runCron(later(at, 10));

		expect(afterFirst).toBe(1);
		expect(fake.dataCalls()).toHaveLength(2);
		expect(statuses(await forwardRows(companyId))).toEqual({ succeeded: 401, pending: 200 });
	});
});
