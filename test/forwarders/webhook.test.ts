// The signed webhook adapter alone, with an injected fetch: the versioned body, Standard Webhooks
// headers with a webhook-id stable per forward, and how each answer is classified (2xx sent with the
// receiver's id, 410 switches the destination off, 5xx and 429 retried with Retry-After, network
// errors retried, a URL the guard refuses never called).
import { describe, it } from "vitest";
import type { DestinationLead } from "../../src/forwarders/destination";
import { webhookKind, webhookSettings } from "../../src/forwarders/webhook";
import { newWebhookSecret } from "../../src/security/standard-webhooks";
import { verifyStandardWebhook } from "../support/fake-webhook-receiver";

const SECRET = newWebhookSecret();
const URL = "https://crm-hooks.example.com/leadwire";

const lead: DestinationLead = {
	clientId: 41,
	companyId: 3,
	companyName: "Northwind Dental",
	source: "tiktok",
	externalId: "7563000000000000001",
	fullName: "Maya Thompson",
	email: "maya.thompson@example.com",
	phone: "+971501234567",
	invalidPhone: null,
	formId: "form-1",
	answers: [{ name: "What treatment are you interested in?", values: ["Teeth whitening"] }],
	repEmail: "sam@northwind.example",
	repName: "Sam Rep",
	attribution: { campaign_name: "Spring" },
	isTest: false,
	createdAt: "2026-12-07T06:00:00.000Z",
};

function open(answers: (Response | Error)[], url = URL, allowLoopbackHttp = false) {
	const calls: Request[] = [];
	const destination = webhookKind.open(
		webhookSettings.parse({
			url,
			field_mapping: { treatment: "answer:what treatment are you interested in?" },
		}),
		{ signing_secret: SECRET },
		{
			fetch: async (input, init) => {
				calls.push(new Request(input, init));
				const next = answers.shift() ?? new Response(null, { status: 204 });
				if (next instanceof Error) throw next;
				return next;
			},
			now: () => new Date(),
			allowLoopbackHttp,
		},
	);
	return { destination, calls };
}

describe("the webhook destination", () => {
	it("POSTs the lead as leadwire.lead.v1, signed, with the forward's webhook-id", async ({
		expect,
	}) => {
		const { destination, calls } = open([Response.json({ id: "rec_981" }, { status: 201 })]);

		const result = await destination.send([{ forwardId: 7, lead }]);

		expect(result).toMatchObject({
			kind: "results",
			results: [{ kind: "sent", remoteId: "rec_981" }],
		});
		const [call] = calls;
		const body = await call?.text();
		expect(JSON.parse(body ?? "")).toEqual({
			type: "lead.created",
			schema: "leadwire.lead.v1",
			timestamp: lead.createdAt,
			data: {
				lead_id: 41,
				company_id: 3,
				company_name: "Northwind Dental",
				source: "tiktok",
				external_id: "7563000000000000001",
				form_id: "form-1",
				full_name: "Maya Thompson",
				email: "maya.thompson@example.com",
				phone: "+971501234567",
				invalid_phone: null,
				answers: lead.answers,
				attribution: { campaign_name: "Spring" },
				rep: { name: "Sam Rep", email: "sam@northwind.example" },
				is_test: false,
				created_at: lead.createdAt,
				fields: { treatment: "Teeth whitening" },
			},
		});
		const headers = call?.headers;
		expect(headers?.get("webhook-id")).toBe("msg_leadwire_forward_7");
		expect(
			await verifyStandardWebhook(
				SECRET,
				headers?.get("webhook-id") ?? "",
				headers?.get("webhook-timestamp") ?? "",
				body ?? "",
				headers?.get("webhook-signature") ?? "",
			),
		).toBe(true);
	});

	it("classifies each answer: 204 sent, 503 and 429 retried with Retry-After, a network error retried", async ({
		expect,
	}) => {
		const { destination, calls } = open([
			new Response(null, { status: 204 }),
			new Response("busy", { status: 503, headers: { "Retry-After": "120" } }),
			new Response("slow down", { status: 429, headers: { "Retry-After": "30" } }),
			new TypeError("connection reset"),
			new Response("no", { status: 400 }),
		]);

		const result = await destination.send(
			[1, 2, 3, 4, 5].map((forwardId) => ({ forwardId, lead })),
		);

		expect(result).toMatchObject({
			kind: "results",
			results: [
				{ kind: "sent", remoteId: null },
				{ kind: "transient", code: "HTTP_503", retryAfterSeconds: 120 },
				{ kind: "transient", code: "HTTP_429", retryAfterSeconds: 30 },
				{ kind: "transient", code: "NETWORK_ERROR" },
				{ kind: "transient", code: "HTTP_400" },
			],
		});
		expect(calls.map((c) => c.headers.get("webhook-id"))).toEqual(
			[1, 2, 3, 4, 5].map((id) => `msg_leadwire_forward_${id}`),
		);
	});

	it("switches the destination off on 410 Gone", async ({ expect }) => {
		const { destination } = open([new Response("gone", { status: 410 })]);

		expect(await destination.send([{ forwardId: 9, lead }])).toMatchObject({
			kind: "connection",
			problem: "switched_off",
			code: "HTTP_410",
			httpStatus: 410,
		});
	});

	it("never calls a URL the guard refuses at send time (loopback without the allowance)", async ({
		expect,
	}) => {
		const { destination, calls } = open([], "http://127.0.0.1:8788/hook");

		expect(await destination.send([{ forwardId: 9, lead }])).toMatchObject({
			kind: "connection",
			problem: "misconfigured",
			code: "URL_REFUSED",
		});
		expect(await destination.check()).toMatchObject({ ok: false, code: "URL_REFUSED" });
		expect(calls).toEqual([]);
		const allowed = open([], "http://127.0.0.1:8788/hook", true);
		expect(await allowed.destination.check()).toMatchObject({ ok: true });
	});
});
