// The destinations card of a company's page: adding a signed webhook (its generated secret shown
// once, never on the page again), the URL guard's error next to the URL field, "Send a test" through
// the receiver's own signature check, and "Switch off".
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { HUBSPOT_HOST, routeFetchByHost, TWENTY_HOST } from "../support/crm-fetch";
import { seedCompany } from "../support/factories";
import { FAKE_HUBSPOT_TOKEN, FakeHubSpot } from "../support/fake-hubspot";
import { FAKE_TWENTY_KEY, FAKE_TWENTY_URL, FakeTwenty } from "../support/fake-twenty";
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

describe("the destinations card's HubSpot and Twenty forms", () => {
	async function storedRow(companyId: number, kind: string) {
		return env.DB.prepare("SELECT * FROM destinations WHERE company_id = ? AND kind = ?")
			.bind(companyId, kind)
			.first<{ settings: string; secrets_sealed: string | null }>();
	}

	it("adds HubSpot with a deal stage and owner, tests it, and never shows the token back", async ({
		expect,
	}) => {
		const id = await seedCompany({ name: "Console HubSpot Co" });
		const operator = await Operator.signIn();
		routeFetchByHost({ [HUBSPOT_HOST]: new FakeHubSpot() });

		const missing = await operator.post(`/console/companies/${id}/destinations/hubspot`, {
			access_token: FAKE_HUBSPOT_TOKEN,
			pipeline: "default",
			stage: "",
			assign_owner: "on",
		});
		expect(missing.status).toBe(400);
		expect(missing.html).toMatch(/id="hubspot-stage-error">/);
		expect(missing.html).not.toContain(FAKE_HUBSPOT_TOKEN);
		expect(await storedRow(id, "hubspot")).toBeNull();

		const saved = await operator.post(`/console/companies/${id}/destinations/hubspot`, {
			access_token: FAKE_HUBSPOT_TOKEN,
			pipeline: "default",
			stage: "appointmentscheduled",
			assign_owner: "on",
		});
		expect(saved.status).toBe(303);
		expect(textOf((await operator.follow(saved)).html)).toContain("HubSpot saved.");
		const row = await storedRow(id, "hubspot");
		expect(JSON.parse(row?.settings ?? "{}")).toEqual({
			field_mapping: {},
			unique_id_property: null,
			assign_owner: true,
			deal: { pipeline: "default", stage: "appointmentscheduled", id_property: null },
		});
		expect(JSON.stringify(row)).not.toContain(FAKE_HUBSPOT_TOKEN);
		const page = await operator.get(`/console/companies/${id}`);
		expect(page.html).not.toContain(FAKE_HUBSPOT_TOKEN);
		expect(page.html).toMatch(/id="hubspot-stage"[^>]*value="appointmentscheduled"/);
		expect(textOf(page.html)).toContain("Change HubSpot");

		// Changed without retyping the token: the stored one is kept, the deal is dropped.
		const changed = await operator.post(`/console/companies/${id}/destinations/hubspot`, {
			pipeline: "",
			stage: "",
		});
		expect(changed.status).toBe(303);
		expect(textOf((await operator.follow(changed)).html)).toContain("HubSpot saved.");
		expect(JSON.parse((await storedRow(id, "hubspot"))?.settings ?? "{}")).toMatchObject({
			assign_owner: false,
			deal: null,
		});
		const tested = await operator.post(`/console/companies/${id}/destinations/hubspot/test`, {});
		expect(textOf((await operator.follow(tested)).html)).toMatch(/HubSpot test: token valid/);
	});

	it("adds Twenty with its base URL and API key; a private base URL is refused next to it", async ({
		expect,
	}) => {
		const id = await seedCompany({ name: "Console Twenty Co" });
		const operator = await Operator.signIn();
		routeFetchByHost({ [TWENTY_HOST]: new FakeTwenty() });

		const refused = await operator.post(`/console/companies/${id}/destinations/twenty`, {
			base_url: "https://10.0.0.5",
			api_key: FAKE_TWENTY_KEY,
		});
		expect(refused.status).toBe(400);
		expect(refused.html).toMatch(
			/id="twenty-url-error">the base URL must point at a public host \(private\)/,
		);
		expect(refused.html).toMatch(/id="twenty-url"[^>]*value="https:\/\/10.0.0.5"/);
		expect(refused.html).not.toContain(FAKE_TWENTY_KEY);

		const saved = await operator.post(`/console/companies/${id}/destinations/twenty`, {
			base_url: FAKE_TWENTY_URL,
			api_key: FAKE_TWENTY_KEY,
			opportunity: "on",
			stage: "NEW",
		});
		expect(saved.status).toBe(303);
		expect(textOf((await operator.follow(saved)).html)).toContain("Twenty saved.");
		const row = await storedRow(id, "twenty");
		expect(JSON.parse(row?.settings ?? "{}")).toEqual({
			base_url: FAKE_TWENTY_URL,
			field_mapping: {},
			opportunity: { stage: "NEW" },
		});
		expect(JSON.stringify(row)).not.toContain(FAKE_TWENTY_KEY);
		const page = await operator.get(`/console/companies/${id}`);
		expect(page.html).not.toContain(FAKE_TWENTY_KEY);
		expect(textOf(page.html)).toContain(`Base URL ${FAKE_TWENTY_URL}`);
		const tested = await operator.post(`/console/companies/${id}/destinations/twenty/test`, {});
		expect(textOf((await operator.follow(tested)).html)).toMatch(/Twenty test: API key valid/);
	});
});
