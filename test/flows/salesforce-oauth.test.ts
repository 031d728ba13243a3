// Salesforce OAuth through the Worker: an expired session is refreshed once, a rotated refresh token
// is persisted sealed, and a revoked grant (or a disabled API) makes forwards wait — clearly reported —
// until the connection is saved again.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { secretBox } from "../../src/security/secret-box";
import { call } from "../support/admin-api";
import { captureConsole } from "../support/console";
import { seedCompany } from "../support/factories";
import { FAKE_REFRESH_TOKEN, FakeSalesforce, fixtureAnswer } from "../support/fake-salesforce";
import {
	attemptRows,
	connectionRow,
	forwardRows,
	later,
	putConnection,
	runCron,
	seedForwardedClient,
} from "../support/salesforce";
import { TEST_ENCRYPTION_KEY } from "../support/secrets";

async function connectedCompany(): Promise<number> {
	const companyId = await seedCompany();
	await putConnection(companyId);
	return companyId;
}

describe("Salesforce OAuth", () => {
	it("refreshes an expired session once and retries the call once", async ({ expect }) => {
		const companyId = await connectedCompany();
		const fake = new FakeSalesforce().install();
		const at = new Date("2026-12-02T09:00:00Z");
		await seedForwardedClient(companyId, { fullName: "First" });
		await runCron(at);
		fake.expireSessions();
		await seedForwardedClient(companyId, { fullName: "Second" });

		await runCron(later(at, 5));

		expect((await forwardRows(companyId)).map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
		expect(fake.tokenCalls()).toHaveLength(2);
		expect(fake.dataCalls().map((c) => JSON.parse(c.body).LastName)).toEqual([
			"First",
			"Second",
			"Second",
		]);
		expect(fake.records.size).toBe(2);
	});

	it("persists a rotated refresh token, sealed, and uses it for the next grant", async ({
		expect,
	}) => {
		const companyId = await connectedCompany();
		const fake = new FakeSalesforce().install();
		fake.rotateRefreshTokens = true;
		const at = new Date("2026-12-02T09:30:00Z");
		await seedForwardedClient(companyId, { fullName: "Rotated One" });

		await runCron(at);

		const row = await connectionRow(companyId);
		expect(JSON.stringify(row)).not.toContain("rotated");
		const stored = await secretBox(TEST_ENCRYPTION_KEY).open(String(row?.refresh_token_sealed));
		expect(stored).toBe(`${FAKE_REFRESH_TOKEN}.rotated.1`);

		fake.expireSessions();
		await seedForwardedClient(companyId, { fullName: "Rotated Two" });
		await runCron(later(at, 5));

		expect(fake.tokenCalls()[1]?.body).toContain(`refresh_token=${encodeURIComponent(stored)}`);
		expect((await forwardRows(companyId)).map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
	});

	it("makes forwards wait on invalid_grant, says so, and resumes once the connection is saved", async ({
		expect,
	}) => {
		const companyId = await connectedCompany();
		const fake = new FakeSalesforce().install();
		fake.revokeRefreshTokens();
		await seedForwardedClient(companyId, { fullName: "Patient Lead" });
		const lines = captureConsole();
		const at = new Date("2026-12-02T10:00:00Z");

		await runCron(at);
		await runCron(later(at, 60));

		const [waiting] = await forwardRows(companyId);
		expect(waiting).toMatchObject({
			status: "pending",
			attempts: 0,
			last_error_code: "invalid_grant",
		});
		expect(await attemptRows(waiting?.id)).toEqual([
			expect.objectContaining({
				outcome: "waiting",
				http_status: 400,
				error_code: "invalid_grant",
			}),
		]);
		expect(fake.tokenCalls()).toHaveLength(1);
		expect(fake.dataCalls()).toEqual([]);
		const status = await call<{
			status: string;
			status_reason: string;
			forwards: Record<string, number>;
		}>(`/companies/${companyId}/salesforce`);
		expect(status.body).toMatchObject({
			status: "needs_reauthorisation",
			status_reason: "invalid_grant",
			forwards: { pending: 1 },
		});
		expect(lines.map((l) => JSON.parse(l))).toContainEqual(
			expect.objectContaining({
				level: "error",
				message: "Salesforce needs re-authorisation: save the connection with a new refresh token",
				outcome: "needs_reauth",
				companyId,
			}),
		);
		const log = await env.DB.prepare(
			"SELECT status, message FROM integration_logs WHERE action = 'salesforce_forward' AND company_id = ?",
		)
			.bind(companyId)
			.first();
		expect(log).toEqual({
			status: "failure",
			message: `forward ${waiting?.id} waiting: Salesforce needs re-authorisation (invalid_grant)`,
		});

		fake.refreshTokens.add("5Aep861new.refresh.token");
		await putConnection(companyId, { refresh_token: "5Aep861new.refresh.token" });
		await runCron(later(at, 65));

		expect((await forwardRows(companyId))[0]).toMatchObject({ status: "succeeded", attempts: 1 });
		expect((await connectionRow(companyId))?.state).toBe("ok");
	});

	it("keeps forwards while the org's API is disabled, and sends them after an admin saves the connection", async ({
		expect,
	}) => {
		const companyId = await connectedCompany();
		const fake = new FakeSalesforce().install();
		fake.nextAnswers.push(fixtureAnswer("API_DISABLED_FOR_ORG"));
		await seedForwardedClient(companyId, { fullName: "Kept Lead" });
		const at = new Date("2026-12-02T11:00:00Z");

		await runCron(at);
		const during = await forwardRows(companyId);
		await runCron(later(at, 5));
		const callsWhileDisabled = fake.dataCalls().length;
		await putConnection(companyId);
		await runCron(later(at, 10));

		expect(during[0]).toMatchObject({
			status: "pending",
			attempts: 0,
			last_error_code: "API_DISABLED_FOR_ORG",
		});
		expect(callsWhileDisabled).toBe(1);
		const list = await call<{ data: { company_id: number; status: string }[] }>(
			"/salesforce-connections",
		);
		expect(list.body.data.find((c) => c.company_id === companyId)?.status).toBe("ok");
		expect((await forwardRows(companyId))[0]).toMatchObject({ status: "succeeded" });
	});
});
