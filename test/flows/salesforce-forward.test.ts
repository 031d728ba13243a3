// A TikTok lead of a company with a Salesforce connection becomes a Salesforce Lead in the webhook's
// waitUntil send: mapped fields, Salesforce id on the forward and the client, logs without PII.
// These deliveries unbind the FORWARDS queue (the path without Queues); forwards-queue.test.ts has
// the queue's own flows.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { captureConsole } from "../support/console";
import { failingLastStatementD1 } from "../support/d1-wrappers";
import { clientRows, seedCompany } from "../support/factories";
import {
	FAKE_CONSUMER_KEY,
	FAKE_CONSUMER_SECRET,
	FAKE_REFRESH_TOKEN,
	FakeSalesforce,
	FIRST_LEAD_ID,
} from "../support/fake-salesforce";
import { admin, fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { attemptRows, forwardRows, putConnection } from "../support/salesforce";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

async function postLead(
	companyId: number,
	leadId: string,
	extra: { field: string; value: string }[] = [],
) {
	const body = tiktokWebhook([{ leadId, extra }]);
	return fetchWithEnv(
		{ FORWARDS: undefined },
		`${TIKTOK_PATH}?company_id=${companyId}`,
		await tiktokInit(body),
	);
}

describe("Salesforce forwarding on the webhook path", () => {
	it("creates the Lead with mapped fields in waitUntil and stores its id", async ({ expect }) => {
		const companyId = await seedCompany({ name: "Northwind Dental" });
		expect(
			(
				await putConnection(companyId, {
					auto_assign: "TRUE",
					duplicate_allow_save: true,
					field_mapping: { Clinic__c: "answer:Preferred clinic" },
				})
			).status,
		).toBe(201);
		const fake = new FakeSalesforce().install();
		const leadId = newLeadId();

		const response = await postLead(companyId, leadId, [
			{ field: "Preferred clinic", value: "Dubai Marina" },
		]);

		expect(response.status).toBe(200);
		expect(fake.tokenCalls()).toHaveLength(1);
		const [call] = fake.dataCalls();
		expect(call?.method).toBe("POST");
		expect(call?.path).toBe("/services/data/v66.0/sobjects/Lead/");
		expect(call?.headers["sforce-auto-assign"]).toBe("TRUE");
		expect(call?.headers["sforce-duplicate-rule-header"]).toBe(
			"allowSave=true; includeRecordDetails=false; runAsCurrentUser=false",
		);
		expect(JSON.parse(call?.body ?? "")).toEqual({
			LastName: "Maya Thompson",
			Company: "Northwind Dental",
			Email: "maya.thompson@example.com",
			Phone: "+971501234567",
			LeadSource: "TikTok",
			Clinic__c: "Dubai Marina",
			Description:
				"name: Maya Thompson\nphone_number: +971501234567\nemail: maya.thompson@example.com\nPreferred clinic: Dubai Marina",
		});
		const [client] = await clientRows({ externalId: leadId });
		const [forward] = await forwardRows(companyId);
		expect(forward).toMatchObject({
			client_id: client?.id,
			status: "succeeded",
			attempts: 1,
			remote_id: FIRST_LEAD_ID,
		});
		expect(
			await env.DB.prepare("SELECT salesforce_id FROM clients WHERE id = ?")
				.bind(client?.id)
				.first(),
		).toEqual({
			salesforce_id: FIRST_LEAD_ID,
		});
		expect(await attemptRows(forward?.id)).toEqual([
			expect.objectContaining({
				attempt_number: 1,
				outcome: "succeeded",
				http_status: 201,
				error_code: null,
				trigger: "wait_until",
			}),
		]);
		const log = await env.DB.prepare(
			"SELECT * FROM integration_logs WHERE action = 'salesforce_forward'",
		).first<Record<string, unknown>>();
		expect(log).toMatchObject({
			company_id: companyId,
			provider: "salesforce",
			status: "success",
			external_id: FIRST_LEAD_ID,
		});
		expect(String(log?.message)).not.toContain("maya");
	});

	it("keeps every secret and token sealed: no D1 row, KV value or admin answer holds one in clear", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		await putConnection(companyId);
		const fake = new FakeSalesforce().install();
		fake.rotateRefreshTokens = true;
		await postLead(companyId, newLeadId());

		const tables = [
			"salesforce_connections",
			"forwards",
			"forward_attempts",
			"integration_logs",
			"clients",
		];
		const rows = await Promise.all(tables.map((t) => env.DB.prepare(`SELECT * FROM ${t}`).all()));
		const keys = await env.DEDUPE.list({ prefix: "sf-session:" });
		const values = await Promise.all(keys.keys.map((k) => env.DEDUPE.get(k.name)));
		const answers = await Promise.all(
			[
				`/companies/${companyId}/salesforce`,
				"/salesforce-connections",
				`/forwards?company_id=${companyId}`,
			].map(async (path) => (await admin(path)).text()),
		);
		const everything = JSON.stringify([rows, values, answers]);

		expect(keys.keys.length).toBeGreaterThan(0);
		expect((await forwardRows(companyId))[0]?.status).toBe("succeeded");
		for (const secret of [
			FAKE_CONSUMER_KEY,
			FAKE_CONSUMER_SECRET,
			FAKE_REFRESH_TOKEN,
			"FixtureAccessToken",
		]) {
			expect(everything).not.toContain(secret);
		}
	});

	it("writes salesforce_forward tail lines with ids and outcomes, never personal data or tokens", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		await putConnection(companyId);
		new FakeSalesforce().install();
		const lines = captureConsole();

		await postLead(companyId, newLeadId());

		const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
		expect(records).toContainEqual(
			expect.objectContaining({
				message: "salesforce_forward",
				action: "salesforce_forward",
				outcome: "succeeded",
				companyId,
			}),
		);
		const everything = lines.join("\n");
		for (const secret of [
			"Maya",
			"maya.thompson",
			"971501234567",
			FAKE_REFRESH_TOKEN,
			"FixtureAccessToken",
			FIRST_LEAD_ID,
		]) {
			expect(everything).not.toContain(secret);
		}
	});

	it("creates no forward for a company without a connection", async ({ expect }) => {
		const companyId = await seedCompany();
		const fake = new FakeSalesforce().install();

		await postLead(companyId, newLeadId());

		expect(await forwardRows(companyId)).toEqual([]);
		expect(fake.requests).toEqual([]);
	});

	it("upserts on the external-id field, so a resend cannot create a second record", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		await putConnection(companyId, { external_id_field: "Leadwire_Id__c", target_object: "Case" });
		const fake = new FakeSalesforce().install();
		const leadId = newLeadId();

		await postLead(companyId, leadId);

		const [client] = await clientRows({ externalId: leadId });
		const [call] = fake.dataCalls();
		expect(call?.method).toBe("PATCH");
		expect(call?.path).toBe(
			`/services/data/v66.0/sobjects/Case/Leadwire_Id__c/leadwire-${client?.id}`,
		);
		expect(JSON.parse(call?.body ?? "")).toMatchObject({
			SuppliedName: "Maya Thompson",
			Origin: "Web",
		});
		expect((await forwardRows(companyId))[0]).toMatchObject({
			status: "succeeded",
			remote_id: FIRST_LEAD_ID,
		});
	});

	it("writes the forward in the batch that creates the client: a failed batch leaves neither", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		await putConnection(companyId);
		const fake = new FakeSalesforce().install();
		const leadId = newLeadId();
		const body = tiktokWebhook([{ leadId }]);

		const response = await fetchWithEnv(
			{ DB: failingLastStatementD1() },
			`${TIKTOK_PATH}?company_id=${companyId}`,
			await tiktokInit(body),
		);

		expect(response.status).toBe(503);
		expect(await clientRows({ externalId: leadId })).toEqual([]);
		expect(await forwardRows(companyId)).toEqual([]);
		expect(fake.requests).toEqual([]);
	});
});
