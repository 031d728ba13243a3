// /api/admin/forwards through the Worker: list by status and company, one forward with its attempts,
// retry one or every forward of a company (sent again right away).
import { env } from "cloudflare:workers";
import { describe, it, vi } from "vitest";
import worker from "../../../src/index";
import { allPages, call } from "../../support/admin-api";
import { seedCompany } from "../../support/factories";
import { FakeSalesforce } from "../../support/fake-salesforce";
import { fetchWithEnv } from "../../support/requests";
import { forwardRows, putConnection, runCron, seedForwardedClient } from "../../support/salesforce";
import { TEST_ADMIN_TOKEN } from "../../support/secrets";

interface ForwardJson {
	id: number;
	client_id: number;
	company_id: number;
	status: string;
	attempts: number;
	last_error_code: string | null;
	remote_id: string | null;
	attempt_history?: {
		attempt_number: number;
		outcome: string;
		http_status: number | null;
		error_code: string | null;
		trigger: string;
	}[];
}

async function setStatus(clientId: number, status: string) {
	await env.DB.prepare("UPDATE forwards SET status = ?, attempts = 3 WHERE client_id = ?")
		.bind(status, clientId)
		.run();
}

describe("admin forwards", () => {
	it("lists forwards filtered by status and company, page by page", async ({ expect }) => {
		const companyA = await seedCompany();
		const companyB = await seedCompany();
		const failedA = await seedForwardedClient(companyA);
		await seedForwardedClient(companyA);
		await seedForwardedClient(companyB);
		await setStatus(failedA, "failed");

		const failed = await call<{ data: ForwardJson[] }>(
			`/forwards?status=failed&company_id=${companyA}`,
		);
		const ofB = await call<{ data: ForwardJson[] }>(`/forwards?company_id=${companyB}`);
		const pages = await allPages(`/forwards?company_id=${companyA}`, 1);

		expect(failed.body.data).toEqual([
			expect.objectContaining({ client_id: failedA, status: "failed", company_id: companyA }),
		]);
		expect(ofB.body.data).toHaveLength(1);
		expect(pages).toHaveLength(2);
		expect((await call("/forwards?status=lost")).status).toBe(400);
	});

	it("shows a forward with every attempt", async ({ expect }) => {
		const companyId = await seedCompany();
		await putConnection(companyId);
		const fake = new FakeSalesforce().install();
		fake.downForCalls = 1;
		const clientId = await seedForwardedClient(companyId);
		const at = new Date("2026-12-02T08:00:00Z");
		await runCron(at);
		await runCron(new Date(at.getTime() + 600_000));
		const [forward] = await forwardRows(companyId);

		const detail = await call<ForwardJson>(`/forwards/${forward?.id}`);

		expect(detail.body).toMatchObject({ client_id: clientId, status: "succeeded", attempts: 2 });
		expect(detail.body.attempt_history).toEqual([
			expect.objectContaining({
				attempt_number: 1,
				outcome: "retry",
				http_status: 503,
				error_code: "HTML_ERROR_PAGE",
				trigger: "cron",
			}),
			expect.objectContaining({
				attempt_number: 2,
				outcome: "succeeded",
				http_status: 201,
				error_code: null,
			}),
		]);
		expect((await call("/forwards/999999")).status).toBe(404);
	});

	it("retries one failed forward and sends it right away; refuses one that is not failed or dead", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		await putConnection(companyId);
		const fake = new FakeSalesforce().install();
		const clientId = await seedForwardedClient(companyId, { fullName: "Fixed Mapping" });
		await setStatus(clientId, "failed");
		const [forward] = await forwardRows(companyId);

		// Unbound queue: the retried forward goes out in this request's waitUntil.
		const response = await fetchWithEnv(
			{ FORWARDS: undefined },
			`/api/admin/forwards/${forward?.id}/retry`,
			{
				method: "POST",
				headers: {
					Authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
					"Content-Type": "application/json",
				},
			},
		);

		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ status: "pending", attempts: 0 });
		expect((await forwardRows(companyId))[0]).toMatchObject({ status: "succeeded", attempts: 1 });
		expect(fake.sentRecords()).toEqual([expect.objectContaining({ LastName: "Fixed Mapping" })]);
		expect((await call(`/forwards/${forward?.id}/retry`, { method: "POST" })).status).toBe(409);
	});

	it("retries every failed and dead forward of a company", async ({ expect }) => {
		const companyId = await seedCompany();
		const other = await seedCompany();
		const clients = await Promise.all([1, 2, 3, 4].map(() => seedForwardedClient(companyId)));
		const otherClient = await seedForwardedClient(other);
		await setStatus(clients[0] ?? 0, "failed");
		await setStatus(clients[1] ?? 0, "dead");
		await setStatus(clients[2] ?? 0, "succeeded");
		await setStatus(otherClient, "dead");

		const response = await call<{ retried: number }>("/forwards/retry", {
			method: "POST",
			body: { company_id: companyId },
		});

		expect(response).toEqual({ status: 200, body: { retried: 2 } });
		expect((await forwardRows(companyId)).map((r) => [r.status, r.attempts])).toEqual([
			["pending", 0],
			["pending", 0],
			["succeeded", 3],
			["pending", 0],
		]);
		expect((await forwardRows(other))[0]?.status).toBe("dead");
		expect(
			(await call("/forwards/retry", { method: "POST", body: { company_id: 999_999 } })).status,
		).toBe(404);
	});

	it("sends a company's retried and waiting forwards at once, not at the next cron run", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const other = await seedCompany();
		await putConnection(companyId);
		await putConnection(other);
		const fake = new FakeSalesforce().install();
		const dead = await seedForwardedClient(companyId, { fullName: "Dead Lead" });
		const waiting = await seedForwardedClient(companyId, { fullName: "Waiting Lead" });
		const otherDead = await seedForwardedClient(other, { fullName: "Other Company" });
		await setStatus(dead, "dead");
		await setStatus(otherDead, "dead");
		await env.DB.prepare(
			"UPDATE forwards SET status = 'retry', attempts = 2, next_attempt_at = '2099-01-01T00:00:00.000Z' WHERE client_id = ?",
		)
			.bind(waiting)
			.run();
		const scheduled = vi.spyOn(worker, "scheduled");

		const response = await fetchWithEnv({}, "/api/admin/forwards/retry", {
			method: "POST",
			headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "Content-Type": "application/json" },
			body: JSON.stringify({ company_id: companyId }),
		});

		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ retried: 2 });
		expect(scheduled).not.toHaveBeenCalled();
		expect(
			fake
				.sentRecords()
				.map((r) => r.LastName)
				.sort(),
		).toEqual(["Dead Lead", "Waiting Lead"]);
		const rows = await forwardRows(companyId);
		expect(rows.map((r) => [r.client_id, r.status, r.attempts])).toEqual([
			[dead, "succeeded", 1],
			[waiting, "succeeded", 3],
		]);
		const [first] = rows;
		const detail = await call<ForwardJson>(`/forwards/${first?.id}`);
		expect(detail.body.attempt_history?.at(-1)).toMatchObject({
			outcome: "succeeded",
			trigger: "wait_until",
		});
		expect((await forwardRows(other))[0]).toMatchObject({ status: "dead", attempts: 3 });
	});
});
