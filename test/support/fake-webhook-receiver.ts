// A fake receiver of Leadwire's signed webhooks, as an operator's backend would run one: it verifies
// the Standard Webhooks signature with its own implementation (written here from the spec, not
// src/security/standard-webhooks.ts: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
// "Verifying webhook authenticity"), dedupes on webhook-id as the spec asks receivers to, and
// answers 204 by default. Tests script other answers: 503 with Retry-After, and 410 Gone, which
// webhook senders take as "disable this endpoint" (e.g. developer.ironcladapp.com "Webhook Deactivation").
import { vi } from "vitest";

export const RECEIVER_URL = "https://crm-hooks.example.com/leadwire";

export interface ReceivedWebhook {
	id: string;
	timestamp: string;
	signature: string;
	body: string;
	/** The receiver's own check of the signature against its secret. */
	verified: boolean;
}

export class FakeWebhookReceiver {
	readonly received: ReceivedWebhook[] = [];
	/** Answers for the next calls, in order; afterwards 204. */
	readonly nextAnswers: { status: number; headers?: Record<string, string> }[] = [];
	secret = "";

	constructor(readonly url = RECEIVER_URL) {}

	/** webhook-ids the receiver acted on (a redelivered id is dropped, per the spec). */
	acceptedIds(): string[] {
		return [...new Set(this.received.filter((r) => r.verified).map((r) => r.id))];
	}

	leads(): { type: string; schema: string; data: Record<string, unknown> }[] {
		return this.received.map((r) => JSON.parse(r.body));
	}

	async handle(request: Request): Promise<Response> {
		const body = await request.text();
		const id = request.headers.get("webhook-id") ?? "";
		const timestamp = request.headers.get("webhook-timestamp") ?? "";
		const signature = request.headers.get("webhook-signature") ?? "";
		const verified = await verifyStandardWebhook(this.secret, id, timestamp, body, signature);
		this.received.push({ id, timestamp, signature, body, verified });
		const answer = this.nextAnswers.shift();
		if (answer) {
			return new Response(answer.status === 410 ? "endpoint removed" : "try later", answer);
		}
		return verified
			? new Response(null, { status: 204 })
			: new Response("bad signature", { status: 401 });
	}
}

/**
 * The receiving side of the spec, independently: the secret's base64 part after `whsec_` is the
 * HMAC-SHA256 key, the signed content is `${id}.${timestamp}.${body}`, and the header holds one or
 * more space-separated `v1,<base64>` signatures, any of which may match. Timestamps older than five
 * minutes are refused (the spec's replay tolerance).
 */
export async function verifyStandardWebhook(
	secret: string,
	id: string,
	timestamp: string,
	body: string,
	header: string,
): Promise<boolean> {
	if (!secret.startsWith("whsec_") || !id || !/^\d+$/.test(timestamp)) return false;
	if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
	const keyBytes = Uint8Array.from(atob(secret.slice(6)), (c) => c.charCodeAt(0));
	const key = await crypto.subtle.importKey(
		"raw",
		keyBytes,
		{ name: "HMAC", hash: "SHA-256" },
		false,
		["verify"],
	);
	const content = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
	for (const part of header.split(" ")) {
		const [version, signature] = part.split(",", 2);
		if (version !== "v1" || !signature) continue;
		const mac = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0));
		if (await crypto.subtle.verify("HMAC", key, mac, content)) return true;
	}
	return false;
}

/** Routes the code under test's fetches: the receiver's host to it, anything else to `others`. */
export function installFetch(
	receiver: FakeWebhookReceiver,
	others: (request: Request) => Promise<Response>,
): void {
	const host = new URL(receiver.url).host;
	vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const request = new Request(input, init);
		return new URL(request.url).host === host ? receiver.handle(request) : others(request);
	});
}
