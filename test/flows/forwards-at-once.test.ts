// The CRM at once (issue 22 item 5): a new lead's forwards are sent from waitUntil straight after
// the answer, with no queue consumer running; the FORWARDS message is only a safety net, delayed past
// the send's lease, and finds a settled forward with nothing to do; when the at-once send and a queue
// consumer race for one forward, the claim lets exactly one of them send it.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { loadConfig } from "../../src/config";
import { deliverDeps, deliverNewClients, LEASE_SECONDS } from "../../src/forwarders/deliver";
import type { ForwardMessage } from "../../src/forwarders/forward-queue";
import worker from "../../src/index";
import { createLogger } from "../../src/log";
import { seedCompany } from "../support/factories";
import { FakeSalesforce } from "../support/fake-salesforce";
import { FakeWebhookReceiver, installFetch, RECEIVER_URL } from "../support/fake-webhook-receiver";
import { admin, fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { forwardRows, putConnection, seedPendingForwards } from "../support/salesforce";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

/** A FORWARDS producer that only records what it was sent: no consumer can run behind it. */
function recordingQueue() {
	const sent: MessageSendRequest<ForwardMessage>[] = [];
	const queue = {
		send: async (body: ForwardMessage, options?: QueueSendOptions) => {
			sent.push({ body, ...options });
		},
		sendBatch: async (messages: Iterable<MessageSendRequest<ForwardMessage>>) => {
			sent.push(...messages);
		},
	} as unknown as Queue<ForwardMessage>;
	return { queue, sent };
}

async function companyWithBoth(name: string) {
	const companyId = await seedCompany({ name });
	const salesforce = new FakeSalesforce();
	const receiver = new FakeWebhookReceiver();
	installFetch(receiver, (request) => salesforce.handle(request));
	if ((await putConnection(companyId)).status !== 201) throw new Error("connection not saved");
	const put = await admin(`/companies/${companyId}/destinations/webhook`, {
		method: "PUT",
		body: { settings: { url: RECEIVER_URL } },
	});
	receiver.secret = (
		(await put.json()) as { secrets: { signing_secret: string } }
	).secrets.signing_secret;
	return { companyId, salesforce, receiver };
}

/** The company's forward attempts (other tests' rows stay in the file's D1). */
async function companyAttempts(companyId: number) {
	const { results } = await env.DB.prepare(
		`SELECT a.forward_id, a.trigger FROM forward_attempts a JOIN forwards f ON f.id = a.forward_id
		WHERE f.company_id = ? ORDER BY a.id`,
	)
		.bind(companyId)
		.all<{ forward_id: number; trigger: string }>();
	return results;
}

/** The queue consumer, run as Cloudflare runs it, on one message; answers its acks. */
async function consume(message: ForwardMessage, id = "net-1"): Promise<string[]> {
	const batch = createMessageBatch("leadwire-forwards", [
		{ id, timestamp: new Date(), attempts: 1, body: message },
	]);
	const ctx = createExecutionContext();
	await worker.queue(batch, env);
	return (await getQueueResult(batch, ctx)).explicitAcks;
}

describe("the CRM at once", () => {
	it("sends a new lead from waitUntil with no queue consumer, and enqueues a delayed safety net", async ({
		expect,
	}) => {
		const { companyId, salesforce, receiver } = await companyWithBoth("At Once Co");
		const { queue, sent } = recordingQueue();

		const response = await fetchWithEnv(
			{ FORWARDS: queue } as Partial<Env>,
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }])),
		);

		expect(response.status).toBe(200);
		expect(salesforce.records.size).toBe(1);
		expect(receiver.received).toHaveLength(1);
		const rows = await forwardRows(companyId);
		expect(rows.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
		const attempts = await companyAttempts(companyId);
		expect(attempts.map((a) => a.trigger)).toEqual(["wait_until", "wait_until"]);
		expect(sent).toEqual([
			{ body: { clientIds: [rows[0]?.client_id] }, delaySeconds: expect.any(Number) },
		]);
		expect(sent[0]?.delaySeconds).toBeGreaterThan(LEASE_SECONDS);
	});

	it("lets the delayed message for a settled forward do nothing", async ({ expect }) => {
		const { companyId, salesforce, receiver } = await companyWithBoth("Settled Co");
		const { queue, sent } = recordingQueue();
		await fetchWithEnv(
			{ FORWARDS: queue } as Partial<Env>,
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(tiktokWebhook([{ leadId: newLeadId() }])),
		);
		const [message] = sent;
		if (!message) throw new Error("no safety-net message");
		// Sent and settled before the message comes: the waitUntil send did it.
		expect(salesforce.dataCalls()).toHaveLength(1);
		expect(receiver.received).toHaveLength(1);

		const acks = await consume(message.body);

		expect(acks).toEqual(["net-1"]);
		expect(salesforce.dataCalls()).toHaveLength(1);
		expect(receiver.received).toHaveLength(1);
		expect(await companyAttempts(companyId)).toHaveLength(2);
	});

	it("sends through the safety net when the at-once send died holding its claim", async ({
		expect,
	}) => {
		const { companyId, salesforce } = await companyWithBoth("Crashed Send Co");
		await seedPendingForwards(companyId, 1, "crashed");
		// The waitUntil send claimed the forward and was killed before it sent: its lease ran out.
		const past = new Date(Date.now() - 1000).toISOString();
		await env.DB.prepare(
			"UPDATE forwards SET status = 'sending', claim_token = 'dead-isolate', lease_until = ? WHERE company_id = ?",
		)
			.bind(past, companyId)
			.run();
		const [forward] = await forwardRows(companyId);

		const acks = await consume({ clientIds: [forward?.client_id ?? 0] });

		expect(acks).toEqual(["net-1"]);
		expect(salesforce.records.size).toBe(1);
		expect((await forwardRows(companyId)).map((r) => r.status)).toEqual(["succeeded"]);
	});

	it("sends a forward once when the at-once send and the queue consumer race", async ({
		expect,
	}) => {
		const { companyId, salesforce, receiver } = await companyWithBoth("Race Co");
		salesforce.latencyMs = 30;
		await seedPendingForwards(companyId, 3, "race");
		await env.DB.prepare(
			`INSERT INTO forwards (client_id, company_id, destination, status)
			SELECT client_id, company_id, 'webhook', 'pending' FROM forwards WHERE company_id = ?`,
		)
			.bind(companyId)
			.run();
		const clientIds = [...new Set((await forwardRows(companyId)).map((r) => r.client_id))];
		const deps = deliverDeps(env, loadConfig(env), createLogger());

		await Promise.all([
			deliverNewClients(deps, clientIds, "wait_until"),
			consume({ clientIds }, "race-1"),
			deliverNewClients(deps, clientIds, "wait_until"),
			consume({ clientIds }, "race-2"),
		]);

		const rows = await forwardRows(companyId);
		expect(rows.map((r) => r.status)).toEqual(Array(6).fill("succeeded"));
		expect(salesforce.sentRecords()).toHaveLength(3);
		expect(receiver.received).toHaveLength(3);
		const attempts = await companyAttempts(companyId);
		expect(attempts).toHaveLength(6);
		expect(new Set(attempts.map((a) => a.forward_id)).size).toBe(6);
	});
});
