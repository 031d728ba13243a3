// Destinations beside Salesforce: a company with Salesforce and a signed webhook gets both, each
// forward retried on its own; the receiver verifies the signature with its own Standard Webhooks
// code; the URL guard answers 400 next to the field; a 410 switches the webhook off; a redelivered
// lead sends nothing twice.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { seedCompany } from "../support/factories";
import { FakeSalesforce } from "../support/fake-salesforce";
import {
	FakeWebhookReceiver,
	installFetch,
	RECEIVER_URL,
	verifyStandardWebhook,
} from "../support/fake-webhook-receiver";
import { checkRows } from "../support/health";
import { runCron as runHealthCron } from "../support/meta";
import { admin, fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import {
	attemptRows,
	type ForwardView,
	forwardRows,
	later,
	putConnection,
	runCron,
} from "../support/salesforce";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

interface Company {
	companyId: number;
	salesforce: FakeSalesforce;
	receiver: FakeWebhookReceiver;
}

/** A company with its Salesforce connection and a webhook destination, set through the API. */
async function companyWithSalesforceAndWebhook(name: string): Promise<Company> {
	const companyId = await seedCompany({ name });
	const salesforce = new FakeSalesforce();
	const receiver = new FakeWebhookReceiver();
	installFetch(receiver, (request) => salesforce.handle(request));
	if ((await putConnection(companyId)).status !== 201) throw new Error("connection not saved");
	const put = await putWebhook(companyId, { url: RECEIVER_URL });
	if (put.status !== 201) throw new Error(`webhook not saved: ${put.status}`);
	const body = (await put.json()) as { secrets: { signing_secret: string } };
	receiver.secret = body.secrets.signing_secret;
	return { companyId, salesforce, receiver };
}

function putWebhook(companyId: number, settings: Record<string, unknown>): Promise<Response> {
	return admin(`/companies/${companyId}/destinations/webhook`, {
		method: "PUT",
		body: { settings },
	});
}

/** POSTs TikTok leads for the company and waits for the waitUntil sends. */
async function deliver(companyId: number, body: string): Promise<Response> {
	return fetchWithEnv({}, `${TIKTOK_PATH}?company_id=${companyId}`, await tiktokInit(body));
}

function byDestination(rows: ForwardView[]) {
	return Object.fromEntries(
		rows.map((row) => [
			(row as ForwardView & { destination: string }).destination,
			[row.status, row.attempts],
		]),
	);
}

async function destinationState(companyId: number, kind: string) {
	return env.DB.prepare(
		"SELECT state, state_reason FROM destinations WHERE company_id = ? AND kind = ?",
	)
		.bind(companyId, kind)
		.first<{ state: string; state_reason: string | null }>();
}

describe("a company with Salesforce and a signed webhook", () => {
	it("delivers a lead to both, the webhook signed so the receiver's own check passes", async ({
		expect,
	}) => {
		const { companyId, salesforce, receiver } = await companyWithSalesforceAndWebhook("Both Co");

		const response = await deliver(
			companyId,
			tiktokWebhook([{ leadId: newLeadId(), email: "ana.costa@example.com", name: "Ana Costa" }]),
		);

		expect(response.status).toBe(200);
		const rows = await forwardRows(companyId);
		expect(byDestination(rows)).toEqual({
			salesforce: ["succeeded", 1],
			webhook: ["succeeded", 1],
		});
		expect(salesforce.sentRecords()).toEqual([
			expect.objectContaining({ Email: "ana.costa@example.com", LastName: "Ana Costa" }),
		]);
		expect(receiver.received).toHaveLength(1);
		const [message] = receiver.received;
		expect(message?.verified).toBe(true);
		expect(message?.id).toBe(`msg_leadwire_forward_${rows.find((r) => r.remote_id === null)?.id}`);
		// The check can fail: another secret, or a changed body, does not verify.
		const other = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
		const { id = "", timestamp = "", body = "", signature = "" } = message ?? {};
		expect(await verifyStandardWebhook(other, id, timestamp, body, signature)).toBe(false);
		expect(await verifyStandardWebhook(receiver.secret, id, timestamp, `${body} `, signature)).toBe(
			false,
		);
		const [lead] = receiver.leads();
		expect(lead).toMatchObject({
			type: "lead.created",
			schema: "leadwire.lead.v1",
			data: {
				company_id: companyId,
				source: "tiktok",
				full_name: "Ana Costa",
				email: "ana.costa@example.com",
				phone: "+971501234567",
				is_test: false,
			},
		});
	});

	it("retries a failed webhook on its own: Salesforce is not called again", async ({ expect }) => {
		const { companyId, salesforce, receiver } =
			await companyWithSalesforceAndWebhook("Hook Down Co");
		receiver.nextAnswers.push({ status: 503, headers: { "Retry-After": "30" } });
		const at = new Date();

		await deliver(companyId, tiktokWebhook([{ leadId: newLeadId() }]));

		expect(byDestination(await forwardRows(companyId))).toEqual({
			salesforce: ["succeeded", 1],
			webhook: ["retry", 1],
		});
		await runCron(later(at, 10));

		expect(byDestination(await forwardRows(companyId))).toEqual({
			salesforce: ["succeeded", 1],
			webhook: ["succeeded", 2],
		});
		expect(salesforce.dataCalls()).toHaveLength(1);
		// The retry is recognisably the same message: one webhook-id, both attempts verified.
		expect(receiver.received.map((r) => r.verified)).toEqual([true, true]);
		expect(receiver.acceptedIds()).toHaveLength(1);
		const webhook = (await forwardRows(companyId)).find((r) => r.remote_id === null);
		expect(
			(await attemptRows(webhook?.id)).map((a) => [a.outcome, a.http_status, a.trigger]),
		).toEqual([
			["retry", 503, "wait_until"],
			["succeeded", 204, "cron"],
		]);
	});

	it("retries a failed Salesforce send on its own: the webhook is not sent again", async ({
		expect,
	}) => {
		const { companyId, salesforce, receiver } =
			await companyWithSalesforceAndWebhook("Org Down Co");
		salesforce.downForCalls = 1;
		const at = new Date();

		await deliver(companyId, tiktokWebhook([{ leadId: newLeadId() }]));

		expect(byDestination(await forwardRows(companyId))).toEqual({
			salesforce: ["retry", 1],
			webhook: ["succeeded", 1],
		});
		await runCron(later(at, 10));

		expect(byDestination(await forwardRows(companyId))).toEqual({
			salesforce: ["succeeded", 2],
			webhook: ["succeeded", 1],
		});
		expect(receiver.received).toHaveLength(1);
		expect(salesforce.records.size).toBe(1);
	});

	it("sends nothing twice for a redelivered lead", async ({ expect }) => {
		const { companyId, salesforce, receiver } =
			await companyWithSalesforceAndWebhook("Redeliver Co");
		const body = tiktokWebhook([{ leadId: newLeadId() }]);

		expect((await deliver(companyId, body)).status).toBe(200);
		expect((await deliver(companyId, body)).status).toBe(200);
		await runCron(later(new Date(), 10));

		expect(await forwardRows(companyId)).toHaveLength(2);
		expect(receiver.received).toHaveLength(1);
		expect(salesforce.dataCalls()).toHaveLength(1);
	});

	it("switches the webhook off on 410 Gone: its forward waits, new leads get none", async ({
		expect,
	}) => {
		const { companyId, salesforce, receiver } = await companyWithSalesforceAndWebhook("Gone Co");
		receiver.nextAnswers.push({ status: 410 });

		await deliver(companyId, tiktokWebhook([{ leadId: newLeadId() }]));

		expect(await destinationState(companyId, "webhook")).toEqual({
			state: "off",
			state_reason: "HTTP_410",
		});
		expect(byDestination(await forwardRows(companyId))).toEqual({
			salesforce: ["succeeded", 1],
			webhook: ["pending", 0],
		});
		await runCron(later(new Date(), 10));
		await deliver(companyId, tiktokWebhook([{ leadId: newLeadId() }]));
		expect(receiver.received).toHaveLength(1);
		expect((await forwardRows(companyId)).map((r) => r.status)).toEqual([
			"succeeded",
			"pending",
			"succeeded",
		]);
		expect(salesforce.records.size).toBe(2);

		// Saving it again switches it back on; the cron sends the forward that waited.
		expect((await putWebhook(companyId, { url: RECEIVER_URL })).status).toBe(200);
		await runCron(later(new Date(), 10));
		expect(receiver.acceptedIds()).toHaveLength(1);
		expect(receiver.received).toHaveLength(2);
		expect((await destinationState(companyId, "webhook"))?.state).toBe("on");
	});
});

describe("the webhook destination's health check", () => {
	it("runs the kind's check (a signed ping) and says when the destination is switched off", async ({
		expect,
	}) => {
		const { companyId, receiver } = await companyWithSalesforceAndWebhook("Health Hook Co");
		const health = { HEALTH_CHECK_INTERVAL_MINUTES: "60" } as Partial<Env>;

		await runHealthCron(new Date(), health);

		const key = `destination:webhook:${companyId}`;
		const [check] = (await checkRows("destination")).filter((row) => row.check_key === key);
		expect(check).toMatchObject({ status: "ok", reason: expect.stringMatching(/^answered 204/) });
		// Other tests' companies point at the same host with their own secrets: this company's ping
		// is the one its secret verifies.
		const ours = () => receiver.received.filter((r) => r.verified);
		expect(ours().map((r) => JSON.parse(r.body).type)).toEqual(["leadwire.ping"]);

		await admin(`/companies/${companyId}/destinations/webhook/off`, { method: "POST" });
		await runHealthCron(later(new Date(), 61), health);
		const [off] = (await checkRows("destination")).filter((row) => row.check_key === key);
		expect(off).toMatchObject({
			status: "warning",
			reason: "switched off (switched off by an operator)",
		});
		expect(ours()).toHaveLength(1);
	});
});

describe("the webhook destination's URL guard", () => {
	it.for([
		["https://10.0.0.1/hook", "private"],
		["https://169.254.169.254/latest/meta-data", "link-local"],
		["https://[::1]/hook", "loopback"],
		["https://localhost/hook", "localhost"],
		["http://localhost:8080/hook", "https"],
		["http://crm-hooks.example.com/leadwire", "https"],
	])("refuses %s with a 400 next to settings.url", async ([url = "", reason = ""], { expect }) => {
		const companyId = await seedCompany({ name: "Guarded Co" });

		const response = await putWebhook(companyId, { url });

		expect(response.status).toBe(400);
		const body = (await response.json()) as {
			error: { issues: { path: (string | number)[]; message: string }[] };
		};
		expect(body.error.issues).toEqual([
			expect.objectContaining({
				path: ["settings", "url"],
				message: expect.stringContaining(reason),
			}),
		]);
		expect(await destinationState(companyId, "webhook")).toBeNull();
	});

	it("accepts a public https URL and keeps its generated secret sealed", async ({ expect }) => {
		const companyId = await seedCompany({ name: "Public Hook Co" });

		const response = await putWebhook(companyId, { url: RECEIVER_URL });

		expect(response.status).toBe(201);
		const body = (await response.json()) as { secrets: { signing_secret: string } };
		expect(body.secrets.signing_secret).toMatch(/^whsec_/);
		const row = await env.DB.prepare("SELECT * FROM destinations WHERE company_id = ?")
			.bind(companyId)
			.first<Record<string, unknown>>();
		expect(JSON.stringify(row)).not.toContain(body.secrets.signing_secret);
		const list = await admin(`/companies/${companyId}/destinations`);
		expect(JSON.stringify(await list.json())).not.toContain(body.secrets.signing_secret);
	});
});
