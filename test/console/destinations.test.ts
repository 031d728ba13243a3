// The destinations card of a company's page: adding a signed webhook (its generated secret shown
// once, never on the page again), the URL guard's error next to the URL field, "Send a test" through
// the receiver's own signature check, and "Switch off".
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { seedCompany } from "../support/factories";
import { FakeWebhookReceiver, installFetch, RECEIVER_URL } from "../support/fake-webhook-receiver";
import { Operator, textOf } from "../support/operator-console";

describe("the destinations card", () => {
	it("adds a webhook, tests it, switches it off; refuses a private URL next to its field", async ({
		expect,
	}) => {
		const id = await seedCompany({ name: "Console Hook Co" });
		const operator = await Operator.signIn();
		const receiver = new FakeWebhookReceiver();
		installFetch(
			receiver,
			async (request) => new Response(`unexpected ${request.url}`, { status: 599 }),
		);

		const refused = await operator.post(`/console/companies/${id}/destinations/webhook`, {
			url: "https://10.0.0.1/hook",
		});
		expect(refused.status).toBe(400);
		expect(refused.html).toMatch(/id="dest-url-error">must point at a public host \(private\)/);

		const saved = await operator.post(`/console/companies/${id}/destinations/webhook`, {
			url: RECEIVER_URL,
		});
		expect(saved.status).toBe(303);
		const notice = textOf((await operator.follow(saved)).html);
		const secret = /shown this once: (whsec_\S+)/.exec(notice)?.[1] ?? "";
		expect(secret).toMatch(/^whsec_/);
		receiver.secret = secret;
		const page = await operator.get(`/console/companies/${id}`);
		expect(textOf(page.html)).toContain(`Webhook State on URL ${RECEIVER_URL}`);
		expect(page.html).not.toContain(secret);

		const tested = await operator.post(`/console/companies/${id}/destinations/webhook/test`, {});
		expect(textOf((await operator.follow(tested)).html)).toMatch(/Webhook test: answered 204/);
		expect(receiver.received.map((r) => r.verified)).toEqual([true]);
		expect(JSON.parse(receiver.received[0]?.body ?? "{}")).toMatchObject({ type: "leadwire.ping" });

		const off = await operator.post(`/console/companies/${id}/destinations/webhook/off`, {});
		expect(textOf((await operator.follow(off)).html)).toContain("Webhook switched off");
		const row = await env.DB.prepare("SELECT state FROM destinations WHERE company_id = ?")
			.bind(id)
			.first<{ state: string }>();
		expect(row?.state).toBe("off");
	});
});
