// Salesforce connection health through the cron against a fake org: a revoked refresh token turns the
// check failing and alerts once, a new token saved through the operator API recovers it and the
// recovery is alerted; low daily API requests warn; a disabled API fails.
import { describe, it } from "vitest";
import { seedCompany } from "../support/factories";
import { FAKE_REFRESH_TOKEN, FakeSalesforce, fixtureAnswer } from "../support/fake-salesforce";
import {
	checkRows,
	fakeWorld,
	hoursAfter,
	runMonitoredCron,
	scannedAlertBodies,
} from "../support/health";
import { putConnection } from "../support/salesforce";

const START = new Date("2026-12-03T09:00:00Z");
const NEW_REFRESH_TOKEN = "5Aep861fake.refresh.token.after.reauth";
const sentBodies = scannedAlertBodies([FAKE_REFRESH_TOKEN, NEW_REFRESH_TOKEN]);

describe("Salesforce connection health", () => {
	it("fails on a revoked refresh token, alerts once, recovers with a new token and alerts the recovery", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Northwind Dental" });
		expect((await putConnection(companyId)).status).toBe(201);
		const salesforce = new FakeSalesforce();
		const { sink } = fakeWorld(() => undefined, { salesforce });

		await runMonitoredCron(START);
		expect(await checkRows("salesforce")).toEqual([
			expect.objectContaining({
				check_key: `salesforce:company:${companyId}`,
				status: "ok",
				reason: "refresh works, API enabled, 13547 of 15000 daily API requests left",
			}),
		]);
		expect(sink.bodies).toHaveLength(0);

		salesforce.revokeRefreshTokens();
		await runMonitoredCron(hoursAfter(START, 1));
		await runMonitoredCron(hoursAfter(START, 2));

		expect(await checkRows("salesforce")).toEqual([
			expect.objectContaining({
				status: "failing",
				reason:
					"the refresh token was refused (invalid_grant): re-authorise the connection and save the new token",
				changed_at: hoursAfter(START, 1).toISOString(),
			}),
		]);
		expect(sink.messages()).toEqual([
			[
				`:red_circle: Salesforce connection of company ${companyId}: the refresh token was refused (invalid_grant): re-authorise the connection and save the new token\n\`/api/admin/companies/${companyId}/salesforce\``,
			],
		]);

		salesforce.refreshTokens.add(NEW_REFRESH_TOKEN);
		expect((await putConnection(companyId, { refresh_token: NEW_REFRESH_TOKEN })).status).toBe(200);
		await runMonitoredCron(hoursAfter(START, 3));

		expect(await checkRows("salesforce")).toEqual([expect.objectContaining({ status: "ok" })]);
		expect(sink.messages()).toHaveLength(2);
		expect(sink.messages()[1]).toEqual([
			expect.stringMatching(
				new RegExp(
					`^:white_check_mark: Recovered: Salesforce connection of company ${companyId}: refresh works`,
				),
			),
		]);
		const grants = salesforce
			.tokenCalls()
			.map((call) => new URLSearchParams(call.body).get("refresh_token"));
		expect(grants.at(-1)).toBe(NEW_REFRESH_TOKEN);
		sentBodies.push(...sink.bodies);
	});

	it("warns under 10 % of daily API requests left and fails when the org's API is disabled", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Low Quota Ltd" });
		expect((await putConnection(companyId)).status).toBe(201);
		const salesforce = new FakeSalesforce();
		salesforce.refreshTokens.add(NEW_REFRESH_TOKEN);
		salesforce.usage = { used: 14_000, max: 15_000 };
		fakeWorld(() => undefined, { salesforce });

		await runMonitoredCron(hoursAfter(START, 10));
		const key = `salesforce:company:${companyId}`;
		expect((await checkRows("salesforce")).find((r) => r.check_key === key)).toMatchObject({
			status: "warning",
			// Both companies' limits calls count against the one fake org.
			reason: expect.stringMatching(/^99\d of 15000 daily API requests left \(under 10 %\)$/),
		});

		salesforce.usage = { used: 10, max: 15_000 };
		for (let i = 0; i < 4; i++) salesforce.nextAnswers.push(fixtureAnswer("API_DISABLED_FOR_ORG"));
		await runMonitoredCron(hoursAfter(START, 11));
		expect((await checkRows("salesforce")).find((r) => r.check_key === key)).toMatchObject({
			status: "failing",
			reason: "the org's REST API is disabled (API_DISABLED_FOR_ORG): enable API access",
		});
	});
});
