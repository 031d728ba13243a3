// The speed-to-lead watch through the LEAD_SLA queue: a new lead's message is sent delayed until its
// SLA is due; the consumer, called as Cloudflare calls it, does nothing early, reassigns once when
// due (a redelivered message changes nothing) and sends the message back until no due time is left.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it, vi } from "vitest";
import worker from "../../src/index";
import { LEAD_SLA_QUEUE } from "../../src/notifiers/sla-queue";
import { FakeNotifyWorld } from "../support/fake-notify";
import { postForm } from "../support/forms";
import {
	clientState,
	LEAD,
	minutesAfter,
	NOTIFY_ENV,
	notificationRows,
	notifyingCompany,
} from "../support/notifications";

/** Runs one message through the Worker's queue handler; answers its outcome and retry delay. */
async function deliver(clientId: number, attempts: number) {
	const batch = createMessageBatch(LEAD_SLA_QUEUE, [
		{ id: `sla-${clientId}`, timestamp: new Date(), attempts, body: { clientId } },
	]);
	const [message] = batch.messages;
	if (!message) throw new Error("no message");
	const retry = vi.spyOn(message, "retry");
	const ctx = createExecutionContext();
	await worker.queue(batch, { ...env, ...NOTIFY_ENV });
	const result = await getQueueResult(batch, ctx);
	return {
		acked: result.explicitAcks.includes(message.id),
		retryDelay: retry.mock.calls[0]?.[0]?.delaySeconds,
	};
}

describe("the LEAD_SLA queue", () => {
	it("gets a new lead's check, delayed until its SLA is due", async ({ expect }) => {
		new FakeNotifyWorld().install();
		const company = await notifyingCompany({
			sla_minutes: 15,
			escalate_after: 0,
			reminder_hours: 0,
		});
		const sent: MessageSendRequest[] = [];
		const queue = {
			sendBatch: async (messages: MessageSendRequest[]) => void sent.push(...messages),
		};

		await postForm(company.companyId, LEAD, {
			env: { ...NOTIFY_ENV, LEAD_SLA: queue as unknown as Queue },
		});

		expect(sent).toHaveLength(1);
		expect(sent[0]?.body).toEqual({ clientId: expect.any(Number) });
		expect(sent[0]?.delaySeconds).toBeGreaterThan(890);
		expect(sent[0]?.delaySeconds).toBeLessThanOrEqual(900);
	});

	it("does nothing early, reassigns once when due, and watches the next rep", async ({
		expect,
	}) => {
		const world = new FakeNotifyWorld().install();
		const company = await notifyingCompany({
			sla_minutes: 15,
			escalate_after: 0,
			reminder_hours: 0,
		});
		const response = await postForm(company.companyId, LEAD, { env: NOTIFY_ENV });
		expect(response.status).toBe(200);
		const clientId = (
			await env.DB.prepare("SELECT id FROM clients WHERE company_id = ?")
				.bind(company.companyId)
				.first<{ id: number }>()
		)?.id as number;
		const start = new Date();

		const early = await deliver(clientId, 1);
		expect(early.acked).toBe(false);
		expect(early.retryDelay).toBeGreaterThan(800);
		expect((await clientState(clientId))?.assignee).toBe(company.ana);

		vi.useFakeTimers({ now: minutesAfter(start, 16), toFake: ["Date"] });
		try {
			const due = await deliver(clientId, 2);
			const again = await deliver(clientId, 3);
			expect(due.retryDelay).toBeGreaterThan(800);
			expect(again.retryDelay).toBeGreaterThan(800);
		} finally {
			vi.useRealTimers();
		}

		expect(await clientState(clientId)).toMatchObject({ assignee: company.ben, reassignments: 1 });
		const told = (await notificationRows(clientId)).filter((row) => row.round === 1);
		expect(told.map((row) => row.kind).sort()).toEqual([
			"reassigned_from",
			"reassigned_from",
			"reassigned_from",
			"reassigned_to",
		]);
		expect(world.emailsTo(company.to.benEmail)).toHaveLength(1);
	});
});
