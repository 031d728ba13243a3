// The monitor in the operator API and the cron's schedule: GET /api/admin/health lists the checks,
// POST /api/admin/health/run runs them now and sends the alerts, the cron runs them only every
// HEALTH_CHECK_INTERVAL_MINUTES, TikTok subscriptions are checked with the advertiser's token, and
// the daily automatic backfill is switched per account and runs once a day over the last 48 h.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { count, seedAccount, seedCompany } from "../support/factories";
import { type GraphCall, graphLead } from "../support/fake-graph";
import {
	debugTokenReply,
	edgePage,
	FakeTikTokSubscriptions,
	subscribedAppsReply,
} from "../support/fake-health";
import {
	ALERTS_ON,
	checkRows,
	fakeWorld,
	hoursAfter,
	runMonitoredCron,
	scannedAlertBodies,
} from "../support/health";
import { seedPage } from "../support/meta";
import { admin, fetchWithEnv } from "../support/requests";
import { TEST_ADMIN_TOKEN } from "../support/secrets";

const ADVERTISER = "7398120456712340987";
const TIKTOK_TOKEN = "act.tiktokAdvertiserTokenForTests000000000";
const PAGE = "509876543210987";
const PAGE_TOKEN = "EAAGpageTokenForApiTests0000000000000000000";

const sentBodies = scannedAlertBodies([TIKTOK_TOKEN, PAGE_TOKEN]);

function healthyPage(call: GraphCall) {
	if (call.path === "/v25.0/debug_token") return debugTokenReply(PAGE);
	if (call.path.endsWith("/subscribed_apps")) return subscribedAppsReply(["leadgen"]);
	if (call.path.endsWith("/leadgen_forms")) {
		return edgePage(
			call.path,
			[{ id: "887654321098765", name: "Form", status: "ACTIVE" }],
			undefined,
		);
	}
	if (call.path.endsWith("/leads")) {
		return edgePage(
			call.path,
			[
				JSON.parse(graphLead("1023456789300001").body),
				JSON.parse(graphLead("1023456789300002").body),
			],
			undefined,
		);
	}
	return undefined;
}

describe("health in the operator API", () => {
	it("checks a TikTok advertiser's LEAD subscription with its token, on demand and through GET", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "TikTok Co" });
		const accountId = await seedAccount(companyId, ADVERTISER, "tiktok");
		const set = await admin(`/integration-accounts/${accountId}/access-token`, {
			method: "PUT",
			body: { access_token: TIKTOK_TOKEN },
		});
		expect(set.status).toBe(200);
		const tiktok = new FakeTikTokSubscriptions([{ advertiserId: ADVERTISER }]);
		const { sink } = fakeWorld(() => undefined, { tiktok: (request) => tiktok.handle(request) });
		const overrides = { ...ALERTS_ON, TIKTOK_APP_ID: "7100000000000000001" } as Partial<Env>;
		const run = () =>
			fetchWithEnv(overrides, "/api/admin/health/run", {
				method: "POST",
				headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
			});

		const first = await run();
		expect(first.status).toBe(200);
		expect(await first.json()).toMatchObject({
			failing: 0,
			alerts_sent: 0,
			data: [
				expect.objectContaining({
					key: `tiktok_subscription:${ADVERTISER}`,
					status: "ok",
					reason: `a LEAD subscription exists for advertiser ${ADVERTISER}`,
					link: `/api/admin/integration-accounts/${accountId}`,
				}),
			],
		});
		const call = tiktok.calls[0];
		expect(call?.headers.get("Access-Token")).toBe(TIKTOK_TOKEN);
		expect(new URL(call?.url ?? "").searchParams.get("subscribe_entity")).toBe("LEAD");

		tiktok.revoked = true;
		const second = await run();
		expect(await second.json()).toMatchObject({ failing: 1, alerts_queued: 1, alerts_sent: 1 });
		expect(sink.messages()).toEqual([
			[
				`:red_circle: TikTok advertiser ${ADVERTISER} LEAD subscription (company ${companyId}): TikTok refused the subscription check (code 40105): check the app and token\n\`/api/admin/integration-accounts/${accountId}\``,
			],
		]);
		sentBodies.push(...sink.bodies);

		const listed = await admin("/health?status=failing");
		expect(await listed.json()).toMatchObject({
			last_run_at: expect.any(String),
			data: [expect.objectContaining({ key: `tiktok_subscription:${ADVERTISER}` })],
		});
		const alerts = await admin("/alerts");
		expect(await alerts.json()).toMatchObject({
			data: [expect.objectContaining({ status: "failing", sent_at: expect.any(String) })],
		});
		expect((await admin("/health?status=bad")).status).toBe(400);
	});

	it("runs the checks from the cron only when HEALTH_CHECK_INTERVAL_MINUTES have passed", async ({
		expect,
	}) => {
		const start = new Date("2026-12-10T08:00:00Z");
		const { graph } = fakeWorld(healthyPage);
		const companyId = await seedCompany({ name: "Interval Co" });
		await seedPage(companyId, PAGE, PAGE_TOKEN);
		const debugCalls = () => graph.calls.filter((c) => c.path === "/v25.0/debug_token").length;

		await runMonitoredCron(start);
		await runMonitoredCron(new Date(start.getTime() + 5 * 60_000));
		await runMonitoredCron(new Date(start.getTime() + 55 * 60_000));
		expect(debugCalls()).toBe(1);
		await runMonitoredCron(hoursAfter(start, 1));
		expect(debugCalls()).toBe(2);
		expect((await checkRows("meta_token")).find((r) => r.check_key.endsWith(PAGE))).toMatchObject({
			status: "ok",
		});
	});

	it("switches the daily 48 h backfill per account and runs it once a day from the cron", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Auto Backfill Co" });
		const page = "609876543210987";
		const accountId = await seedPage(companyId, page, PAGE_TOKEN);
		const tiktokAccount = await seedAccount(companyId, "7398120456712340000", "tiktok");
		const { graph } = fakeWorld(healthyPage);

		expect(await (await admin(`/integration-accounts/${accountId}/auto-backfill`)).json()).toEqual({
			integration_account_id: accountId,
			enabled: false,
		});
		const on = await admin(`/integration-accounts/${accountId}/auto-backfill`, {
			method: "PUT",
			body: { enabled: true },
		});
		expect(await on.json()).toEqual({ integration_account_id: accountId, enabled: true });
		const refused = await admin(`/integration-accounts/${tiktokAccount}/auto-backfill`, {
			method: "PUT",
			body: { enabled: true },
		});
		expect(refused.status).toBe(422);

		const at = new Date("2026-12-11T06:00:00Z");
		await runMonitoredCron(at);
		await runMonitoredCron(hoursAfter(at, 1));
		const runs = await env.DB.prepare(
			"SELECT trigger, window_start, window_end, status, found, created FROM backfill_runs WHERE integration_account_id = ?",
		)
			.bind(accountId)
			.all();
		expect(runs.results).toEqual([
			{
				trigger: "auto",
				window_start: hoursAfter(at, -48).toISOString(),
				window_end: at.toISOString(),
				status: "succeeded",
				found: 2,
				created: 2,
			},
		]);
		const leadsCall = graph.calls.find((c) => c.path.endsWith("/leads"));
		expect(leadsCall?.url.searchParams.get("filtering")).toContain(
			String(Math.floor(hoursAfter(at, -48).getTime() / 1000)),
		);

		await runMonitoredCron(hoursAfter(at, 24));
		expect(await count("backfill_runs")).toBe(2);
		const off = await admin(`/integration-accounts/${accountId}/auto-backfill`, {
			method: "PUT",
			body: { enabled: false },
		});
		expect(off.status).toBe(200);
		await runMonitoredCron(hoursAfter(at, 48));
		expect(await count("backfill_runs")).toBe(2);
	});
});
