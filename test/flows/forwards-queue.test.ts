// Salesforce forwards through the FORWARDS queue (a real Miniflare queue, consumer = this Worker):
// a 1000-lead delivery drains in 5 calls, a 503 is retried with the schedule's delay and each record
// is sent once, a consumer crash after the Salesforce call sends nothing twice, and with the queue
// unbound (or refusing) today's waitUntil path still sends.
import {
	createExecutionContext,
	createMessageBatch,
	getQueueResult,
	waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it, vi } from "vitest";
import worker from "../../src/index";
import { captureConsole } from "../support/console";
import { seedCompany } from "../support/factories";
import { FakeSalesforce } from "../support/fake-salesforce";
import { fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import {
	attemptRows,
	forwardRows,
	forwardsSettled,
	putConnection,
	seedPendingForwards,
} from "../support/salesforce";
import { newLeadId, tiktokBatch, tiktokWebhook } from "../support/tiktok-bodies";

/** A company whose connection points at the fake org (installed), as the operator sets it up. */
async function connectedCompany(
	name: string,
): Promise<{ companyId: number; fake: FakeSalesforce }> {
	const companyId = await seedCompany({ name });
	const fake = new FakeSalesforce().install();
	const put = await putConnection(companyId);
	if (put.status !== 201) throw new Error(`connection not saved: ${put.status}`);
	return { companyId, fake };
}

/**
 * POSTs a delivery to the Worker, whose env binds the FORWARDS queue; ingested at once, whatever its
 * size (BIG_DELIVERY_LEADS 0), so its clients' forwards are enqueued by the delivery itself.
 */
async function deliver(companyId: number, body: string): Promise<Response> {
	return fetchWithEnv(
		{ BIG_DELIVERY_LEADS: "0" },
		`${TIKTOK_PATH}?company_id=${companyId}`,
		await tiktokInit(body),
	);
}

describe("forwards through the FORWARDS queue", () => {
	it("sends a 1000-lead delivery to Salesforce in 5 calls of 200, from the queue", async ({
		expect,
	}) => {
		const { companyId, fake } = await connectedCompany("Queue Burst Co");

		const response = await deliver(companyId, tiktokBatch(1000));

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ received: 1000, created: 1000 });
		const forwards = await forwardsSettled(companyId);
		expect(forwards).toHaveLength(1000);
		expect(forwards.every((f) => f.status === "succeeded" && f.remote_id)).toBe(true);
		const calls = fake.dataCalls();
		expect(calls).toHaveLength(5);
		expect(calls.every((c) => c.path === "/services/data/v66.0/composite/sobjects")).toBe(true);
		expect(calls.map((c) => (JSON.parse(c.body) as { records: unknown[] }).records.length)).toEqual(
			[200, 200, 200, 200, 200],
		);
		expect(new Set(fake.sentRecords().map((r) => r.Email)).size).toBe(1);
		const attempts = await attemptRows();
		expect(attempts).toHaveLength(1000);
		expect(new Set(attempts.map((a) => a.trigger))).toEqual(new Set(["queue"]));
	});

	it("retries a 503 with the schedule's delay and sends each record once", {
		timeout: 30_000,
	}, async ({ expect }) => {
		const { companyId, fake } = await connectedCompany("Queue Retry Co");
		fake.downForCalls = 1;

		// A message as a receipt sends it (a few new leads are sent at once first, and their message
		// is the delayed safety net: forwards-at-once.test.ts); here the queue does the sending.
		await seedPendingForwards(companyId, 2, "retry");
		const clientIds = (await forwardRows(companyId)).map((f) => f.client_id);
		await (env as unknown as { FORWARDS: Queue<{ clientIds: number[] }> }).FORWARDS.send({
			clientIds,
		});

		const forwards = await forwardsSettled(companyId);
		expect(forwards.map((f) => [f.status, f.attempts])).toEqual([
			["succeeded", 2],
			["succeeded", 2],
		]);
		const calls = fake.dataCalls();
		expect(calls).toHaveLength(2);
		// The first call got the 503 gateway page; only the second stored records.
		expect(fake.records.size).toBe(2);
		const retried = forwards;
		const attempts = await attemptRows(retried[0]?.id);
		expect(attempts.map((a) => [a.outcome, a.http_status, a.trigger])).toEqual([
			["retry", 503, "queue"],
			["succeeded", 200, "queue"],
		]);
	});
});

describe("the consumer, called as Cloudflare calls it", () => {
	it("sends nothing twice when it crashes after the Salesforce call", async ({ expect }) => {
		const { companyId, fake } = await connectedCompany("Queue Crash Co");
		await seedPendingForwards(companyId, 2, "crash");
		const clientIds = (await forwardRows(companyId)).map((f) => f.client_id);
		const message = { id: "msg-1", timestamp: new Date(), attempts: 1, body: { clientIds } };

		// Salesforce answers; then recording the org's API usage (after the settle) fails: a crash.
		const crashing = createMessageBatch("leadwire-forwards", [message]);
		const crashCtx = createExecutionContext();
		await expect(worker.queue(crashing, { ...env, DB: failingAfterSettle() })).rejects.toThrow();
		const crashed = await getQueueResult(crashing, crashCtx);
		expect(crashed.explicitAcks).toEqual([]);
		expect(fake.dataCalls()).toHaveLength(1);

		// Queues redelivers the message: the forwards' state says sent, so nothing goes out again.
		const redelivered = createMessageBatch("leadwire-forwards", [{ ...message, attempts: 2 }]);
		const ctx = createExecutionContext();
		await worker.queue(redelivered, env);
		await waitOnExecutionContext(ctx);
		const result = await getQueueResult(redelivered, ctx);

		expect(result.explicitAcks).toEqual(["msg-1"]);
		expect(fake.dataCalls()).toHaveLength(1);
		expect((await forwardRows(companyId)).map((f) => [f.status, f.attempts])).toEqual([
			["succeeded", 1],
			["succeeded", 1],
		]);
	});

	it("lets a forward go dead after the schedule's last attempt and acks its message", async ({
		expect,
	}) => {
		const { companyId, fake } = await connectedCompany("Queue Dead Co");
		await seedPendingForwards(companyId, 1, "last-try");
		const [forward] = await forwardRows(companyId);
		await env.DB.prepare(
			"UPDATE forwards SET status = 'retry', attempts = 10, next_attempt_at = ? WHERE id = ?",
		)
			.bind(new Date(Date.now() - 1000).toISOString(), forward?.id)
			.run();
		fake.downForCalls = 1;

		const batch = createMessageBatch("leadwire-forwards", [
			{ id: "last", timestamp: new Date(), attempts: 7, body: { clientIds: [forward?.client_id] } },
		]);
		const ctx = createExecutionContext();
		await worker.queue(batch, env);
		const result = await getQueueResult(batch, ctx);

		expect(result.explicitAcks).toEqual(["last"]);
		expect(result.retryMessages).toEqual([]);
		expect((await forwardRows(companyId))[0]).toMatchObject({ status: "dead", attempts: 11 });
		expect(fake.dataCalls()).toHaveLength(1);
	});

	it("acks a message whose forwards are settled and retries one that is not yet due", async ({
		expect,
	}) => {
		const { companyId, fake } = await connectedCompany("Queue Verdict Co");
		const body = tiktokWebhook([{ leadId: newLeadId() }]);
		await fetchWithEnv(
			{ FORWARDS: undefined },
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(body),
		);
		const [forward] = await forwardRows(companyId);
		const later = new Date(Date.now() + 600_000).toISOString();
		await env.DB.prepare(
			"UPDATE forwards SET status = 'retry', next_attempt_at = ?, remote_id = NULL WHERE id = ?",
		)
			.bind(later, forward?.id)
			.run();
		fake.requests.length = 0;

		const batch = createMessageBatch("leadwire-forwards", [
			{
				id: "due-later",
				timestamp: new Date(),
				attempts: 1,
				body: { clientIds: [forward?.client_id] },
			},
			{ id: "malformed", timestamp: new Date(), attempts: 1, body: { clientIds: "7" } },
		]);
		// getQueueResult records which messages were retried but not their delay: read it off the call.
		const [dueLater] = batch.messages;
		if (!dueLater) throw new Error("batch has no message");
		const retry = vi.spyOn(dueLater, "retry");
		const ctx = createExecutionContext();
		await worker.queue(batch, env);
		const result = await getQueueResult(batch, ctx);

		expect(fake.dataCalls()).toHaveLength(0);
		expect(result.explicitAcks).toEqual(["malformed"]);
		expect(result.retryMessages).toHaveLength(1);
		expect(result.retryMessages[0]?.msgId).toBe("due-later");
		const delay = retry.mock.calls[0]?.[0]?.delaySeconds;
		expect(delay).toBeGreaterThan(590);
		expect(delay).toBeLessThanOrEqual(600);
	});
});

describe("without the queue", () => {
	it("sends from waitUntil when FORWARDS is unbound", async ({ expect }) => {
		const { companyId, fake } = await connectedCompany("No Queue Co");

		const response = await fetchWithEnv(
			{ FORWARDS: undefined },
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }])),
		);

		expect(response.status).toBe(200);
		expect(fake.dataCalls()).toHaveLength(1);
		const [forward] = await forwardRows(companyId);
		expect(forward?.status).toBe("succeeded");
		expect((await attemptRows(forward?.id)).map((a) => a.trigger)).toEqual(["wait_until"]);
	});

	it("falls back to waitUntil, and says so, when Queues refuses the message", async ({
		expect,
	}) => {
		const { companyId, fake } = await connectedCompany("Queue Down Co");
		const lines = captureConsole();
		const refusing = {
			send: async () => {
				throw new Error("Queue send failed: Service Unavailable");
			},
			sendBatch: async () => {
				throw new Error("Queue sendBatch failed: Service Unavailable");
			},
		} as unknown as Queue;

		const response = await fetchWithEnv(
			{ FORWARDS: refusing },
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }])),
		);

		expect(response.status).toBe(200);
		expect(fake.dataCalls()).toHaveLength(1);
		const [forward] = await forwardRows(companyId);
		expect((await attemptRows(forward?.id)).map((a) => a.trigger)).toEqual(["wait_until"]);
		expect(lines.some((l) => l.includes("forwards not enqueued; sending from waitUntil"))).toBe(
			true,
		);
	});
});

/** Real D1 that fails the statement recording the org's API usage, which runs after the settle. */
function failingAfterSettle(): D1Database {
	return new Proxy(env.DB, {
		get(target, property) {
			if (property === "prepare") {
				return (query: string) => {
					if (/^update "salesforce_connections" set "api_used"/i.test(query))
						throw new Error("D1_ERROR: Network connection lost.");
					return target.prepare(query);
				};
			}
			const value = Reflect.get(target, property);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}
