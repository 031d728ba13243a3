// The alert sender through the cron: a run's problems (a failing check, failed receipts, dead forwards)
// go out as ONE message, the same problem is not repeated within ALERT_REPEAT_HOURS, a failing alert
// endpoint is retried next run and never stops the forwards job, and ALERT_FORMAT=json sends plain JSON.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { seedClient, seedCompany } from "../support/factories";
import { FAKE_REFRESH_TOKEN, FakeSalesforce } from "../support/fake-salesforce";
import {
	alertRows,
	fakeWorld,
	hoursAfter,
	runMonitoredCron,
	scannedAlertBodies,
} from "../support/health";
import { seedPage } from "../support/meta";
import { postTikTok } from "../support/requests";
import { forwardRows, putConnection, seedForwardedClient } from "../support/salesforce";
import { tiktokBatch } from "../support/tiktok-bodies";

const sentBodies = scannedAlertBodies([FAKE_REFRESH_TOKEN, "alertsFakeSecret"]);

/** A forward that went dead just now, with its client. */
async function seedDeadForward(companyId: number, at: Date): Promise<void> {
	const clientId = await seedClient(companyId, {
		fullName: "Dead Letter",
		email: "dead@example.com",
	});
	await env.DB.prepare(
		`INSERT INTO forwards (client_id, company_id, destination, status, attempts, last_error_code, updated_at)
		VALUES (?, ?, 'salesforce', 'dead', 8, 'REQUIRED_FIELD_MISSING', ?)`,
	)
		.bind(clientId, companyId, at.toISOString())
		.run();
}

describe("alert sender", () => {
	it("sends a run's three problems as one message, with links and without any lead data", async ({
		expect,
	}) => {
		const now = new Date();
		const companyId = await seedCompany({ name: "Northwind Dental" });
		await seedPage(companyId, "309876543210987"); // no token anywhere: its check fails
		const unroutable = await postTikTok(tiktokBatch(2, { advertiserId: "7000000000000000001" }));
		expect(unroutable.status).toBe(200);
		await seedDeadForward(companyId, now);
		const { sink } = fakeWorld(() => undefined);

		await runMonitoredCron(now);

		expect(sink.bodies).toHaveLength(1);
		const body = JSON.parse(sink.bodies[0] ?? "{}") as { text: string; blocks: unknown[] };
		expect(body.text).toMatch(/^Leadwire: 3 alerts: /);
		expect(sink.messages()[0]).toEqual([
			`:red_circle: Meta Page 309876543210987 token (company ${companyId}): no Page access token: install the Business Extension, set the integration account's token, or META_PAGE_ACCESS_TOKEN\n\`/api/admin/integration-accounts/1\``,
			":red_circle: Unresolved leads: 2 tiktok leads unresolved: TikTok advertiser 7000000000000000001 is not mapped to a company\n`/api/admin/unresolved?provider=tiktok&amp;cause=unmapped&amp;routing_key=7000000000000000001`",
			`:red_circle: 1 Salesforce forward of company ${companyId} went dead after every retry\n\`/api/admin/forwards?status=dead&amp;company_id=${companyId}\``,
		]);
		expect((await alertRows()).map((a) => [a.status, a.sent_at !== null, a.attempts])).toEqual([
			["failing", true, 1],
			["failing", true, 1],
			["failing", true, 1],
		]);
		sentBodies.push(...sink.bodies);

		// Five minutes later the same problems again: nothing new to say within ALERT_REPEAT_HOURS.
		await postTikTok(tiktokBatch(1, { advertiserId: "7000000000000000001" }));
		await runMonitoredCron(new Date(now.getTime() + 5 * 60_000));
		expect(sink.bodies).toHaveLength(1);
	});

	it("keeps an alert the endpoint refused for the next run, while the forwards job still sends", async ({
		expect,
	}) => {
		const now = new Date(Date.now() + 7 * 3_600_000); // past the first test's repeat window
		const companyId = await seedCompany({ name: "Harbor Clinic" });
		expect((await putConnection(companyId)).status).toBe(201);
		await seedForwardedClient(companyId, { fullName: "Omar Haddad" });
		await seedDeadForward(companyId, now);
		const salesforce = new FakeSalesforce();
		const { sink } = fakeWorld(() => undefined, { salesforce });
		sink.failures = 1;
		sink.failWith = "network";

		await runMonitoredCron(now);

		expect((await forwardRows(companyId)).map((f) => f.status).sort()).toEqual([
			"dead",
			"succeeded",
		]);
		expect(salesforce.records.size).toBe(1);
		const waiting = (await alertRows()).filter((a) => a.sent_at === null);
		expect(waiting.length).toBeGreaterThan(0);
		expect(waiting.every((a) => a.attempts === 1 && a.last_error === "NETWORK_ERROR")).toBe(true);
		expect(sink.bodies).toHaveLength(0);

		sink.failures = 1;
		sink.failWith = "http";
		await seedForwardedClient(companyId, { fullName: "Lina Park" });
		await runMonitoredCron(new Date(now.getTime() + 5 * 60_000));
		expect(salesforce.records.size).toBe(2);
		expect((await alertRows()).filter((a) => a.sent_at === null)).toEqual(
			waiting.map((a) =>
				expect.objectContaining({ id: a.id, attempts: 2, last_error: "HTTP 500" }),
			),
		);

		await runMonitoredCron(new Date(now.getTime() + 10 * 60_000));
		expect((await alertRows()).filter((a) => a.sent_at === null)).toEqual([]);
		expect(sink.bodies).toHaveLength(1);
		expect(sink.messages()[0]).toHaveLength(waiting.length);
		expect(salesforce.records.size).toBe(2);
		sentBodies.push(...sink.bodies);
	});

	it("posts plain JSON with absolute links when ALERT_FORMAT=json and PUBLIC_BASE_URL are set", async ({
		expect,
	}) => {
		const now = hoursAfter(new Date(), 20);
		const companyId = await seedCompany({ name: "Json Corp" });
		await seedDeadForward(companyId, now);
		const { sink } = fakeWorld(() => undefined);

		await runMonitoredCron(now, {
			ALERT_FORMAT: "json",
			PUBLIC_BASE_URL: "https://leads.example.com",
		} as Partial<Env>);

		const sent = sink.bodies.map((b) => JSON.parse(b) as { source: string; alerts: unknown[] });
		expect(sent).toHaveLength(1);
		expect(sent[0]?.source).toBe("leadwire");
		expect(sent[0]?.alerts).toContainEqual(
			expect.objectContaining({
				problem: `forwards_dead:${companyId}`,
				status: "failing",
				text: `1 Salesforce forward of company ${companyId} went dead after every retry`,
				link: `https://leads.example.com/api/admin/forwards?status=dead&company_id=${companyId}`,
			}),
		);
		sentBodies.push(...sink.bodies);
	});
});
