// The FORWARDS queue's pure parts: how clients are cut into messages, and when a message is done.
import { describe, expect, it } from "vitest";
import {
	enqueueForwards,
	type ForwardMessage,
	type ForwardsQueue,
	messageVerdict,
} from "../../src/forwarders/forward-queue";
import type { ForwardState } from "../../src/storage/forwards";

function recordingQueue(): { queue: ForwardsQueue; calls: MessageSendRequest<ForwardMessage>[][] } {
	const calls: MessageSendRequest<ForwardMessage>[][] = [];
	const queue = {
		send: async () => {
			throw new Error("enqueueForwards should only use sendBatch");
		},
		sendBatch: async (messages: Iterable<MessageSendRequest<ForwardMessage>>) => {
			calls.push([...messages]);
		},
	} as unknown as ForwardsQueue;
	return { queue, calls };
}

const now = new Date("2026-12-04T10:00:00.000Z");
const state = (over: Partial<ForwardState>): ForwardState => ({
	clientId: 1,
	destination: "salesforce",
	status: "pending",
	nextAttemptAt: null,
	leaseUntil: null,
	...over,
});

describe("enqueueForwards", () => {
	it("puts at most 200 clients in a message, so one message is one Salesforce call", async () => {
		const { queue, calls } = recordingQueue();
		await enqueueForwards(
			queue,
			Array.from({ length: 450 }, (_, i) => i + 1),
		);
		expect(calls).toHaveLength(1);
		expect(calls[0]?.map((m) => m.body.clientIds.length)).toEqual([200, 200, 50]);
		expect(calls[0]?.[2]?.body.clientIds.at(-1)).toBe(450);
	});

	it("sends more than 100 messages in several sendBatch calls (the Queues limit)", async () => {
		const { queue, calls } = recordingQueue();
		await enqueueForwards(
			queue,
			Array.from({ length: 25_000 }, (_, i) => i + 1),
		);
		expect(calls.map((c) => c.length)).toEqual([100, 25]);
	});
});

describe("messageVerdict", () => {
	it("acks when every forward is settled or waits for an admin", () => {
		expect(
			messageVerdict(
				[
					state({ status: "succeeded" }),
					state({ status: "dead" }),
					state({ status: "failed" }),
					state({ status: "duplicate" }),
					// Connection waiting for re-authorisation: the cron sweeps it once fixed.
					state({ status: "retry", nextAttemptAt: null }),
				],
				now,
			),
		).toEqual({ ack: true });
		expect(messageVerdict([], now)).toEqual({ ack: true });
	});

	it("retries at the earliest next attempt", () => {
		expect(
			messageVerdict(
				[
					state({ status: "retry", nextAttemptAt: "2026-12-04T10:00:30.000Z" }),
					state({ status: "retry", nextAttemptAt: "2026-12-04T10:05:00.000Z" }),
					state({ status: "succeeded" }),
				],
				now,
			),
		).toEqual({ ack: false, delaySeconds: 30 });
	});

	it("waits out a live claim's lease (another sender, or a crashed run of this consumer)", () => {
		expect(
			messageVerdict([state({ status: "sending", leaseUntil: "2026-12-04T10:05:00.000Z" })], now),
		).toEqual({ ack: false, delaySeconds: 300 });
	});

	it("acks a forward still due after the send: its connection cannot send now, the cron sweeps it", () => {
		expect(
			messageVerdict([state({ status: "retry", nextAttemptAt: "2026-12-04T09:00:00.000Z" })], now),
		).toEqual({ ack: true });
	});

	it("caps long waits at the 12 h Queues allows", () => {
		expect(
			messageVerdict([state({ status: "retry", nextAttemptAt: "2026-12-05T10:00:00.000Z" })], now),
		).toEqual({ ack: false, delaySeconds: 43_200 });
	});
});
