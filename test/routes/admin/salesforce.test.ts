// /api/admin/companies/:id/salesforce and /api/admin/salesforce-connections: set and read a
// connection; secrets sealed in D1 and never answered; saving again keeps unsent secrets.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { call, type ErrorEnvelope, issuePaths } from "../../support/admin-api";
import { recordingD1 } from "../../support/d1-wrappers";
import { seedClient, seedCompany } from "../../support/factories";
import {
	FAKE_CONSUMER_KEY,
	FAKE_CONSUMER_SECRET,
	FAKE_REFRESH_TOKEN,
} from "../../support/fake-salesforce";
import { admin, fetchWithEnv } from "../../support/requests";
import { putConnection } from "../../support/salesforce";
import { TEST_ADMIN_TOKEN } from "../../support/secrets";

const SECRETS = [FAKE_CONSUMER_KEY, FAKE_CONSUMER_SECRET, FAKE_REFRESH_TOKEN];

describe("admin Salesforce connection", () => {
	it("sets a connection (201) with defaults and answers only whether secrets are set", async ({
		expect,
	}) => {
		const companyId = await seedCompany();

		const response = await putConnection(companyId, {
			login_url: "https://northwind-dental.my.salesforce.com/",
			field_mapping: { Clinic__c: "answer:Preferred clinic" },
			external_id_field: "Leadwire_Id__c",
		});
		const text = await response.text();

		expect(response.status).toBe(201);
		expect(JSON.parse(text)).toMatchObject({
			company_id: companyId,
			source: "api",
			status: "ok",
			login_url: "https://northwind-dental.my.salesforce.com",
			api_version: "v66.0",
			target_object: "Lead",
			field_mapping: { Clinic__c: "answer:Preferred clinic" },
			external_id_field: "Leadwire_Id__c",
			auto_assign: null,
			duplicate_allow_save: false,
			consumer_key_set: true,
			consumer_secret_set: true,
			refresh_token_set: true,
		});
		for (const secret of SECRETS) expect(text).not.toContain(secret);
	});

	it("keeps secrets sealed in D1: no row holds them in clear", async ({ expect }) => {
		const companyId = await seedCompany();
		await putConnection(companyId);

		const row = await env.DB.prepare("SELECT * FROM salesforce_connections WHERE company_id = ?")
			.bind(companyId)
			.first<Record<string, unknown>>();
		const dump = JSON.stringify(row);

		for (const secret of SECRETS) expect(dump).not.toContain(secret);
		expect(row?.refresh_token_sealed).toMatch(/^v1\.[^.]+\.[^.]+$/);
		const get = await admin(`/companies/${companyId}/salesforce`);
		const body = await get.text();
		for (const secret of SECRETS) expect(body).not.toContain(secret);
		expect(JSON.parse(body)).toMatchObject({ status: "ok", forwards: {} });
	});

	it("updates without resending secrets, and requires them the first time", async ({ expect }) => {
		const companyId = await seedCompany();
		const first = await call<ErrorEnvelope>(`/companies/${companyId}/salesforce`, {
			method: "PUT",
			body: { login_url: "https://test.salesforce.com" },
		});
		expect(first.status).toBe(400);
		expect(issuePaths(first.body)).toEqual(["consumer_key", "consumer_secret", "refresh_token"]);

		await putConnection(companyId);
		const sealedBefore = await env.DB.prepare(
			"SELECT refresh_token_sealed FROM salesforce_connections WHERE company_id = ?",
		)
			.bind(companyId)
			.first();
		const update = await call<{ target_object: string; refresh_token_set: boolean }>(
			`/companies/${companyId}/salesforce`,
			{ method: "PUT", body: { login_url: "https://test.salesforce.com", target_object: "Case" } },
		);

		expect(update.status).toBe(200);
		expect(update.body).toMatchObject({ target_object: "Case", refresh_token_set: true });
		expect(
			await env.DB.prepare(
				"SELECT refresh_token_sealed FROM salesforce_connections WHERE company_id = ?",
			)
				.bind(companyId)
				.first(),
		).toEqual(sealedBefore);
	});

	it("refuses login URLs that are not Salesforce over https, and unknown mapping fields", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		for (const login_url of [
			"http://login.salesforce.com",
			"https://evil.example.com",
			"https://login.salesforce.com.evil.io",
		]) {
			const response = await call<ErrorEnvelope>(`/companies/${companyId}/salesforce`, {
				method: "PUT",
				body: { login_url, consumer_key: "k", consumer_secret: "s", refresh_token: "r" },
			});
			expect(response.status, login_url).toBe(400);
			expect(issuePaths(response.body)).toEqual(["login_url"]);
		}
		const mapping = await call<ErrorEnvelope>(`/companies/${companyId}/salesforce`, {
			method: "PUT",
			body: {
				login_url: "https://login.salesforce.com",
				consumer_key: "k",
				consumer_secret: "s",
				refresh_token: "r",
				field_mapping: { Email: "password" },
			},
		});
		expect(issuePaths(mapping.body)).toEqual(["field_mapping.Email"]);
	});

	it("answers 404 for an unknown company or a company without a connection", async ({ expect }) => {
		const companyId = await seedCompany();
		expect((await putConnection(999_999)).status).toBe(404);
		expect((await admin(`/companies/${companyId}/salesforce`)).status).toBe(404);
	});

	it("lists every connection with its status", async ({ expect }) => {
		const companyId = await seedCompany();
		await putConnection(companyId);

		const list = await call<{ data: { company_id: number; status: string }[] }>(
			"/salesforce-connections",
		);

		expect(list.status).toBe(200);
		expect(list.body.data).toContainEqual(
			expect.objectContaining({ company_id: companyId, status: "ok" }),
		);
	});

	it("lists every connection with its forward counts, counted in one query", async ({ expect }) => {
		const own = await seedCompany();
		const viaDefault = await seedCompany();
		await putConnection(own);
		await env.DB.prepare(
			"INSERT INTO salesforce_connections (company_id, scope, login_url, api_version, target_object) VALUES (NULL, 'default', 'https://login.salesforce.com', 'v66.0', 'Lead')",
		).run();
		const forwardOf = async (companyId: number, status: string) => {
			const clientId = await seedClient(companyId);
			await env.DB.prepare(
				"INSERT INTO forwards (client_id, company_id, destination, status) VALUES (?, ?, 'salesforce', ?)",
			)
				.bind(clientId, companyId, status)
				.run();
		};
		await forwardOf(own, "pending");
		await forwardOf(own, "pending");
		await forwardOf(own, "dead");
		await forwardOf(viaDefault, "succeeded");
		const { db, prepared } = recordingD1();

		const response = await fetchWithEnv({ DB: db }, "/api/admin/salesforce-connections", {
			headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
		});

		const { data } = await response.json<{
			data: { company_id: number | null; forwards: Record<string, number> }[];
		}>();
		const byCompany = new Map(data.map((row) => [row.company_id, row.forwards]));
		expect(byCompany.get(own)).toEqual({ pending: 2, dead: 1 });
		// The default connection sends for every company without its own (earlier tests' too).
		expect(byCompany.get(null)).toMatchObject({ succeeded: 1 });
		expect(byCompany.get(null)).not.toHaveProperty("dead");
		expect(prepared.filter((query) => /FROM forwards/.test(query))).toHaveLength(1);
		const one = await call<{ forwards: Record<string, number> }>(`/companies/${own}/salesforce`);
		expect(one.body.forwards).toEqual({ pending: 2, dead: 1 });
	});
});
