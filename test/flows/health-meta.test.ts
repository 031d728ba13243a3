// Meta Page health through the cron against a fake Graph: an expiring Page token turns the token check
// warning and raises exactly one alert (throttled while it stays so), a lost leadgen subscription and
// missing leads_retrieval fail, a renewed token recovers with one recovery alert; Business Extension
// installs are checked, and their Pages with the install's token.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { secretBox } from "../../src/security/secret-box";
import { seedCompany } from "../support/factories";
import { APP_ID, debugTokenReply, expiresIn, subscribedAppsReply } from "../support/fake-health";
import {
	alertRows,
	checkRows,
	fakeWorld,
	hoursAfter,
	runMonitoredCron,
	scannedAlertBodies,
} from "../support/health";
import { seedPage } from "../support/meta";
import { admin } from "../support/requests";
import { TEST_ENCRYPTION_KEY, TEST_META_APP_SECRET } from "../support/secrets";

const PAGE = "109876543210987";
const PAGE_TOKEN = "EAAGpageTokenForHealthTests00000000000000000";
const RENEWED_TOKEN = "EAAGrenewedPageTokenForHealthTests000000000";
const START = new Date("2026-12-03T09:00:00Z");
const sentBodies = scannedAlertBodies([PAGE_TOKEN, RENEWED_TOKEN, TEST_META_APP_SECRET]);

describe("Meta Page token health", () => {
	it("warns once about a token expiring in 3 days, stays quiet while it persists, then tells the recovery", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "Northwind Dental" });
		const accountId = await seedPage(companyId, PAGE, PAGE_TOKEN);
		const { sink, graph } = fakeWorld((call) => {
			if (call.path === "/v25.0/debug_token") {
				const token = call.url.searchParams.get("input_token");
				return debugTokenReply(PAGE, {
					expiresAt: token === RENEWED_TOKEN ? 0 : expiresIn(START, 3),
				});
			}
			if (call.path === `/v25.0/${PAGE}/subscribed_apps`) return subscribedAppsReply(["leadgen"]);
			return undefined;
		});

		await runMonitoredCron(START);
		await runMonitoredCron(hoursAfter(START, 1));
		await runMonitoredCron(hoursAfter(START, 2));

		const token = (await checkRows("meta_token"))[0];
		expect(token).toMatchObject({
			check_key: `meta_token:${PAGE}`,
			status: "warning",
			reason: "the Page token expires on 2026-12-06 (in 3 days): renew it",
			link: `/api/admin/integration-accounts/${accountId}`,
		});
		expect(await checkRows("meta_subscription")).toEqual([
			expect.objectContaining({ status: "ok" }),
		]);
		expect(sink.bodies).toHaveLength(1);
		expect(sink.messages()).toEqual([
			[
				`:warning: Meta Page ${PAGE} token (company ${companyId}): the Page token expires on 2026-12-06 (in 3 days): renew it\n\`/api/admin/integration-accounts/${accountId}\``,
			],
		]);
		// debug_token is asked with the app token, about the Page token.
		const debug = graph.calls.find((c) => c.path === "/v25.0/debug_token");
		expect(debug?.url.searchParams.get("input_token")).toBe(PAGE_TOKEN);
		expect(debug?.accessToken).toBe(`${APP_ID}|${TEST_META_APP_SECRET}`);

		const renewed = await admin(`/integration-accounts/${accountId}/access-token`, {
			method: "PUT",
			body: { access_token: RENEWED_TOKEN },
		});
		expect(renewed.status).toBe(200);
		await runMonitoredCron(hoursAfter(START, 3));

		expect((await checkRows("meta_token"))[0]).toMatchObject({ status: "ok" });
		expect(sink.bodies).toHaveLength(2);
		expect(sink.messages()[1]).toEqual([
			expect.stringMatching(/^:white_check_mark: Recovered: Meta Page \d+ token .*never expires/),
		]);
		sentBodies.push(...sink.bodies);
	});

	it("fails when the app lost the Page's leadgen subscription or the token lacks leads_retrieval", async ({
		expect,
	}) => {
		const page = "209876543210987";
		const companyId = await seedCompany({ name: "Harbor Clinic" });
		await seedPage(companyId, page, PAGE_TOKEN);
		const { sink } = fakeWorld((call) => {
			if (call.path === "/v25.0/debug_token") {
				return debugTokenReply(page, {
					scopes: ["pages_show_list", "pages_read_engagement"],
				});
			}
			if (call.path.endsWith("/subscribed_apps")) {
				return subscribedAppsReply(call.path.includes(page) ? null : ["leadgen"]);
			}
			return undefined;
		});

		await runMonitoredCron(hoursAfter(START, 10));

		const rows = await checkRows();
		expect(rows.filter((r) => r.check_key.endsWith(page))).toEqual([
			expect.objectContaining({
				check_key: `meta_subscription:${page}`,
				status: "failing",
				reason: expect.stringContaining("the app is not subscribed to the Page"),
			}),
			expect.objectContaining({
				check_key: `meta_token:${page}`,
				status: "failing",
				reason: "the Page token lacks the leads_retrieval permission: leads cannot be read",
			}),
		]);
		// Both Pages' problems of this run in one message.
		expect(sink.bodies).toHaveLength(1);
		expect(sink.messages()[0]?.filter((text) => text.includes(page))).toHaveLength(2);
		expect((await alertRows()).every((a) => a.sent_at !== null)).toBe(true);
		sentBodies.push(...sink.bodies);
	});
});

describe("Business Extension installs", () => {
	it("checks the Pages an install connected with its token, and fails an uninstalled one", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "FBE Co" });
		const installToken = "EAAGinstallSystemUserToken000000000000000";
		const sealed = await secretBox(TEST_ENCRYPTION_KEY).seal(installToken);
		await env.DB.batch([
			env.DB.prepare(
				`INSERT INTO fbe_installs (business_id, company_id, access_token_sealed, token_type, page_ids, status, installed_at)
				VALUES ('biz-live', ?, ?, 'SYSTEM_USER', '["709876543210987"]', 'installed', '2026-11-01T00:00:00.000Z')`,
			).bind(companyId, sealed),
			env.DB.prepare(
				`INSERT INTO fbe_installs (business_id, company_id, access_token_sealed, page_ids, status, uninstalled_at)
				VALUES ('biz-gone', ?, NULL, '[]', 'uninstalled', '2026-12-01T08:00:00.000Z')`,
			).bind(companyId),
		]);
		const { graph } = fakeWorld((call) => {
			if (call.path === "/v25.0/debug_token") return debugTokenReply("709876543210987");
			if (call.path.endsWith("/subscribed_apps")) return subscribedAppsReply(["leadgen"]);
			return undefined;
		});

		await runMonitoredCron(hoursAfter(START, 30));

		const rows = await checkRows();
		expect(
			rows.filter(
				(r) => r.check_key.includes("709876543210987") || r.check_key.startsWith("fbe_install"),
			),
		).toEqual([
			expect.objectContaining({
				check_key: "fbe_install:biz-gone",
				status: "failing",
				reason:
					"the Business Extension was uninstalled on 2026-12-01: its Pages' leads are not read",
			}),
			expect.objectContaining({ check_key: "fbe_install:biz-live", status: "ok" }),
			expect.objectContaining({ check_key: "meta_subscription:709876543210987", status: "ok" }),
			expect.objectContaining({ check_key: "meta_token:709876543210987", status: "ok" }),
		]);
		const debug = graph.calls.find((c) => c.url.searchParams.get("input_token") === installToken);
		expect(debug).toBeDefined();
	});
});
