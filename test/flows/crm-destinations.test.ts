// HubSpot and Twenty destinations through the whole Worker: set through the admin API (the token
// sealed, never answered back), a TikTok lead forwarded to the fake CRM with the lead's email, phone
// and assigned rep, the CRM's id on the forward; a redelivery or a 429 then a retry by the cron
// makes no second record.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { HUBSPOT_HOST, routeFetchByHost, TWENTY_HOST } from "../support/crm-fetch";
import { seedCompany, seedEmployee } from "../support/factories";
import { burstLimitAnswer, FAKE_HUBSPOT_TOKEN, FakeHubSpot } from "../support/fake-hubspot";
import { FAKE_TWENTY_KEY, FAKE_TWENTY_URL, FakeTwenty } from "../support/fake-twenty";
import { checkRows } from "../support/health";
import { runCron as runHealthCron } from "../support/meta";
import { admin, fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { attemptRows, forwardRows, forwardsSettled, later, runCron } from "../support/salesforce";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

function putDestination(
	companyId: number,
	kind: string,
	body: { settings: Record<string, unknown>; secrets?: Record<string, unknown> },
): Promise<Response> {
	return admin(`/companies/${companyId}/destinations/${kind}`, { method: "PUT", body });
}

async function deliver(companyId: number, body: string): Promise<Response> {
	return fetchWithEnv({}, `${TIKTOK_PATH}?company_id=${companyId}`, await tiktokInit(body));
}

/** What an operator reads for the lead: GET /api/admin/clients/:id's forwards. */
async function clientForwards(clientId: number) {
	const response = await admin(`/clients/${clientId}`);
	const body = (await response.json()) as {
		forwards: { destination: string; status: string; remote_id: string | null }[];
	};
	return body.forwards.map((f) => [f.destination, f.status, f.remote_id]);
}

async function destinationRowText(companyId: number): Promise<string> {
	const { results } = await env.DB.prepare("SELECT * FROM destinations WHERE company_id = ?")
		.bind(companyId)
		.all();
	return JSON.stringify(results);
}

describe("a company with a HubSpot destination", () => {
	async function hubspotCompany(name: string, settings: Record<string, unknown> = {}) {
		const companyId = await seedCompany({ name, autoAssign: true });
		const fake = new FakeHubSpot();
		routeFetchByHost({ [HUBSPOT_HOST]: fake });
		const put = await putDestination(companyId, "hubspot", {
			settings,
			secrets: { access_token: FAKE_HUBSPOT_TOKEN },
		});
		return { companyId, fake, put };
	}

	it("is saved with its token sealed: not in D1 in clear, not in the API's answers", async ({
		expect,
	}) => {
		const { companyId, put } = await hubspotCompany("Sealed HubSpot Co");

		expect(put.status).toBe(201);
		expect(JSON.stringify(await put.json())).not.toContain(FAKE_HUBSPOT_TOKEN);
		expect(await destinationRowText(companyId)).not.toContain(FAKE_HUBSPOT_TOKEN);
		const list = await admin(`/companies/${companyId}/destinations`);
		expect(JSON.stringify(await list.json())).not.toContain(FAKE_HUBSPOT_TOKEN);
	});

	it("refuses an unknown setting (the camelCase name) next to the field", async ({ expect }) => {
		const { put } = await hubspotCompany("Typo HubSpot Co", { assignOwner: false });

		expect(put.status).toBe(400);
		const body = (await put.json()) as { error: { issues: { path: string[]; message: string }[] } };
		expect(body.error.issues).toEqual([
			expect.objectContaining({
				path: ["settings"],
				message: expect.stringContaining('"assignOwner"'),
			}),
		]);
	});

	it("upserts the lead's contact with its email, phone and the rep as owner; a redelivery adds none", async ({
		expect,
	}) => {
		const { companyId, fake } = await hubspotCompany("HubSpot Co");
		await seedEmployee(companyId, "Rania");
		fake.owners.push({ id: "81230042", email: "rania@example.com", userId: 5120042 });
		const body = tiktokWebhook([
			{ leadId: newLeadId(), name: "Lina Haddad", email: "lina.haddad@example.com" },
		]);

		expect((await deliver(companyId, body)).status).toBe(200);

		const [upsert] = fake.callsTo("/contacts/batch/upsert");
		expect(upsert?.body).toEqual({
			inputs: [
				expect.objectContaining({
					idProperty: "email",
					id: "lina.haddad@example.com",
					properties: expect.objectContaining({
						email: "lina.haddad@example.com",
						phone: "+971501234567",
						firstname: "Lina",
						lastname: "Haddad",
						hubspot_owner_id: "81230042",
					}),
				}),
			],
		});
		const contact = fake.contactByEmail("lina.haddad@example.com");
		expect(contact?.properties.hubspot_owner_id).toBe("81230042");
		const [forward] = await forwardRows(companyId);
		expect(forward).toMatchObject({ status: "succeeded", remote_id: contact?.id });
		expect(await clientForwards(forward?.client_id ?? 0)).toEqual([
			["hubspot", "succeeded", contact?.id],
		]);

		expect((await deliver(companyId, body)).status).toBe(200);
		await runCron(later(new Date(), 10));

		expect(fake.contacts.size).toBe(1);
		expect(fake.callsTo("/contacts/batch/upsert")).toHaveLength(1);
		expect(await forwardRows(companyId)).toHaveLength(1);
	});

	it("sends a 1000-lead delivery in at most 10 batch upserts of at most 100, one contact each", {
		timeout: 60_000,
	}, async ({ expect }) => {
		const { companyId, fake } = await hubspotCompany("HubSpot Burst Co");
		const leads = Array.from({ length: 1000 }, (_, i) => ({
			leadId: newLeadId(),
			email: `burst.${i}@example.com`,
		}));

		// Ingested at once whatever its size (BIG_DELIVERY_LEADS 0): more than the at-once send takes,
		// so the FORWARDS queue drains the forwards in the destination's batches.
		const response = await fetchWithEnv(
			{ BIG_DELIVERY_LEADS: "0" },
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(tiktokWebhook(leads)),
		);

		expect(response.status).toBe(200);
		const forwards = await forwardsSettled(companyId, 45_000);
		expect(forwards).toHaveLength(1000);
		expect(forwards.every((f) => f.status === "succeeded" && f.remote_id)).toBe(true);
		const upserts = fake.callsTo("/contacts/batch/upsert");
		expect(upserts.length).toBeLessThanOrEqual(10);
		const sizes = upserts.map((call) => (call.body as { inputs: unknown[] }).inputs.length);
		expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
		expect(sizes.reduce((a, b) => a + b, 0)).toBe(1000);
		expect(fake.contacts.size).toBe(1000);
	});

	it("waits out a 429 and the cron's retry creates each contact once", async ({ expect }) => {
		const { companyId, fake } = await hubspotCompany("Busy HubSpot Co");
		fake.canned.push(burstLimitAnswer("/contacts/batch/upsert"));
		const at = new Date();

		await deliver(
			companyId,
			tiktokWebhook([
				{ leadId: newLeadId(), email: "omar.said@example.com" },
				{ leadId: newLeadId(), email: "sara.nasser@example.com", phone: "+971502345678" },
			]),
		);

		expect((await forwardRows(companyId)).map((f) => [f.status, f.last_error_code])).toEqual([
			["retry", "RATE_LIMIT"],
			["retry", "RATE_LIMIT"],
		]);
		expect(fake.contacts.size).toBe(0);
		await runCron(later(at, 10));

		const forwards = await forwardRows(companyId);
		expect(forwards.map((f) => [f.status, f.attempts])).toEqual([
			["succeeded", 2],
			["succeeded", 2],
		]);
		expect([...fake.contacts.values()].map((c) => c.properties.email).sort()).toEqual([
			"omar.said@example.com",
			"sara.nasser@example.com",
		]);
		expect(fake.callsTo("/contacts/batch/upsert")).toHaveLength(2);
		expect((await attemptRows(forwards[0]?.id)).map((a) => [a.outcome, a.http_status])).toEqual([
			["retry", 429],
			["succeeded", 200],
		]);
	});
});

describe("a company with a Twenty destination", () => {
	async function twentyCompany(name: string, settings: Record<string, unknown>) {
		const companyId = await seedCompany({ name });
		const fake = new FakeTwenty();
		routeFetchByHost({ [TWENTY_HOST]: fake });
		const put = await putDestination(companyId, "twenty", {
			settings,
			secrets: { api_key: FAKE_TWENTY_KEY },
		});
		return { companyId, fake, put };
	}

	it("creates one Person with the lead's email and phone; a redelivery makes no second", async ({
		expect,
	}) => {
		const { companyId, fake, put } = await twentyCompany("Twenty Co", {
			base_url: FAKE_TWENTY_URL,
		});
		expect(put.status).toBe(201);
		expect(JSON.stringify(await put.json())).not.toContain(FAKE_TWENTY_KEY);
		expect(await destinationRowText(companyId)).not.toContain(FAKE_TWENTY_KEY);
		const body = tiktokWebhook([
			{ leadId: newLeadId(), name: "Yusuf Karim", email: "yusuf.karim@example.com" },
		]);

		expect((await deliver(companyId, body)).status).toBe(200);

		expect([...fake.people.values()]).toEqual([
			expect.objectContaining({
				name: { firstName: "Yusuf", lastName: "Karim" },
				emails: expect.objectContaining({ primaryEmail: "yusuf.karim@example.com" }),
				phones: expect.objectContaining({
					primaryPhoneNumber: "501234567",
					primaryPhoneCallingCode: "+971",
				}),
			}),
		]);
		const [person] = fake.people.keys();
		const [forward] = await forwardRows(companyId);
		expect(forward).toMatchObject({ status: "succeeded", remote_id: person });
		expect(await clientForwards(forward?.client_id ?? 0)).toEqual([
			["twenty", "succeeded", person],
		]);

		expect((await deliver(companyId, body)).status).toBe(200);
		await runCron(later(new Date(), 10));

		expect(fake.people.size).toBe(1);
		expect(fake.callsTo("POST", "/people")).toHaveLength(1);
	});

	it.for([
		["https://10.0.0.1", "private"],
		["http://crm.example.com", "https"],
	])(
		"refuses base_url %s next to settings.base_url",
		async ([url = "", reason = ""], { expect }) => {
			const { put } = await twentyCompany("Guarded Twenty Co", { base_url: url });

			expect(put.status).toBe(400);
			const body = (await put.json()) as {
				error: { issues: { path: string[]; message: string }[] };
			};
			expect(body.error.issues).toEqual([
				expect.objectContaining({
					path: ["settings", "base_url"],
					message: expect.stringContaining(reason),
				}),
			]);
		},
	);

	it("refuses a loopback base_url without the local-development allowance", async ({ expect }) => {
		const { put } = await twentyCompany("Loopback Twenty Co", {
			base_url: "http://127.0.0.1:3000",
		});

		expect(put.status).toBe(400);
		expect(JSON.stringify(await put.json())).toContain("SALESFORCE_ALLOW_LOOPBACK_HTTP");
	});
});

describe("the HubSpot and Twenty destinations' health checks", () => {
	it("run each kind's check(): passing with a valid credential, failing once it is revoked", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Checked CRM Co" });
		const hubspot = new FakeHubSpot();
		const twenty = new FakeTwenty();
		routeFetchByHost({ [HUBSPOT_HOST]: hubspot, [TWENTY_HOST]: twenty });
		await putDestination(companyId, "hubspot", {
			settings: {},
			secrets: { access_token: FAKE_HUBSPOT_TOKEN },
		});
		await putDestination(companyId, "twenty", {
			settings: { base_url: FAKE_TWENTY_URL },
			secrets: { api_key: FAKE_TWENTY_KEY },
		});
		const health = { HEALTH_CHECK_INTERVAL_MINUTES: "60" } as Partial<Env>;
		const ours = async () =>
			Object.fromEntries(
				(await checkRows("destination"))
					.filter((row) => row.check_key.endsWith(`:${companyId}`))
					.map((row) => [row.check_key, [row.status, row.reason]]),
			);

		await runHealthCron(new Date(), health);

		expect(await ours()).toEqual({
			[`destination:hubspot:${companyId}`]: [
				"ok",
				expect.stringMatching(/^token valid, \d+ calls left today/),
			],
			[`destination:twenty:${companyId}`]: ["ok", expect.stringMatching(/^API key valid/)],
		});

		hubspot.tokens.clear();
		twenty.keys.clear();
		await runHealthCron(later(new Date(), 61), health);

		expect(await ours()).toEqual({
			[`destination:hubspot:${companyId}`]: [
				"failing",
				expect.stringContaining("HubSpot refused the access token"),
			],
			[`destination:twenty:${companyId}`]: [
				"failing",
				expect.stringContaining("Twenty refused the API key"),
			],
		});
	});
});
