// The console's Health page over real local D1 and fake Graph: the stored checks and the empty state,
// Run checks now (the API's own run, CSRF-protected), the backfill form (the API's zod schema and
// run), the per-account daily backfill switch, and a failing check on the overview.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { seedAccount, seedCompany } from "../support/factories";
import { type GraphCall, graphLead } from "../support/fake-graph";
import { debugTokenReply, edgePage, expiresIn, subscribedAppsReply } from "../support/fake-health";
import { ALERTS_ON, checkRows, fakeWorld } from "../support/health";
import { seedPage } from "../support/meta";
import { Operator, textOf } from "../support/operator-console";

const PAGE = "709876543210987";
const BACKFILL_PAGE = "729876543210987";
const FORM = "787654321098765";
const PAGE_TOKEN = "EAAGpageTokenForConsoleHealth00000000000000";
const LEAD_IDS = ["1023456789400001", "1023456789400002", "1023456789400003"];

/** A Page whose token expires in 3 days (warning), subscribed with leadgen, one form of 3 leads. */
function expiringPage(call: GraphCall) {
	if (call.path === "/v25.0/debug_token") {
		return debugTokenReply(PAGE, { expiresAt: expiresIn(new Date(), 3) });
	}
	if (call.path.endsWith("/subscribed_apps")) return subscribedAppsReply(["leadgen"]);
	if (call.path.endsWith("/leadgen_forms")) {
		return edgePage(call.path, [{ id: FORM, name: "Consultation", status: "ACTIVE" }], undefined);
	}
	if (call.path === `/v25.0/${FORM}/leads`) {
		return edgePage(
			call.path,
			LEAD_IDS.map((id) => JSON.parse(graphLead(id).body)),
			undefined,
		);
	}
	return undefined;
}

async function storeCheck(fields: {
	key: string;
	kind: string;
	companyId: number | null;
	subject: string;
	status: string;
	reason: string;
}) {
	await env.DB.prepare(
		"INSERT INTO health_checks (check_key, kind, company_id, subject, status, reason, link, checked_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, '/api/admin/health', '2026-12-04T10:00:00.000Z', '2026-12-04T09:00:00.000Z')",
	)
		.bind(fields.key, fields.kind, fields.companyId, fields.subject, fields.status, fields.reason)
		.run();
}

describe("console: health", () => {
	it("shows an empty state, then the stored checks with badges, filterable by status", async () => {
		await env.DB.prepare("DELETE FROM health_checks").run();
		const operator = await Operator.signIn();
		const empty = await operator.get("/console/health");
		expect(empty.status).toBe(200);
		expect(textOf(empty.html)).toContain("No checks match.");
		expect(empty.html).toContain('href="/console/health" aria-current="page"');

		const companyId = await seedCompany({ name: "عيادة Health Co" });
		await storeCheck({
			key: "salesforce:company:1",
			kind: "salesforce",
			companyId,
			subject: "Salesforce connection of عيادة Health Co",
			status: "failing",
			reason: "the refresh token was refused (invalid_grant)",
		});
		await storeCheck({
			key: "meta_subscription:1",
			kind: "meta_subscription",
			companyId,
			subject: "Page 1 leadgen subscription",
			status: "ok",
			reason: "subscribed with leadgen",
		});
		const page = await operator.get("/console/health");
		const text = textOf(page.html);
		expect(text).toContain(
			"failing Salesforce connection of عيادة Health Co salesforce the refresh token was refused (invalid_grant) 2026-12-04 09:00 UTC",
		);
		expect(text).toContain("ok Page 1 leadgen subscription");
		expect(page.html).toContain('<span class="badge failing">failing</span> <a href=');
		expect(page.html).toContain(`href="/console/companies/${companyId}" dir="auto"`);

		const failing = textOf((await operator.get("/console/health?status=failing")).html);
		expect(failing).toContain("Salesforce connection of عيادة Health Co");
		expect(failing).not.toContain("Page 1 leadgen subscription");
		const bad = await operator.get("/console/health?status=broken");
		expect(textOf(bad.html)).toContain("No checks match.");
		expect(bad.html).toContain('class="field-error"');
	});

	// Before any account exists in this file's D1: a run with no check to make is not a success.
	it("says Nothing to check, in a neutral notice and on the page, when a run had nothing to check", async () => {
		fakeWorld(() => undefined);
		const operator = await Operator.signIn();
		const ran = await operator.post("/console/health/run", {});
		expect(ran.status).toBe(303);
		const shown = await operator.follow(ran);
		expect(shown.html).toMatch(/<p class="notice info" role="status">Nothing to check: /);
		expect(textOf(shown.html)).not.toContain("Checks run:");
		expect(shown.html).toMatch(/<p class="empty"[^>]*>Nothing to check: /);
	});

	it("runs the checks now like POST /api/admin/health/run, and refuses a POST without the CSRF token", async () => {
		const { sink } = fakeWorld(expiringPage);
		const companyId = await seedCompany({ name: "Run Now Co" });
		await seedPage(companyId, PAGE, PAGE_TOKEN);
		const operator = await Operator.signIn(ALERTS_ON);

		const refused = await operator.post("/console/health/run", {}, { csrf: null });
		expect(refused.status).toBe(403);
		expect((await checkRows("meta_token")).some((r) => r.check_key.endsWith(PAGE))).toBe(false);

		const ran = await operator.post("/console/health/run", {});
		expect(ran.status).toBe(303);
		expect(ran.location).toBe("/console/health");
		const token = (await checkRows("meta_token")).find((r) => r.check_key.endsWith(PAGE));
		expect(token).toMatchObject({ status: "warning" });
		expect(token?.reason).toMatch(/expires/);
		const subscription = (await checkRows("meta_subscription")).find((r) =>
			r.check_key.endsWith(PAGE),
		);
		expect(subscription).toMatchObject({ status: "ok" });
		expect(sink.messages()).toHaveLength(1);

		const shown = textOf((await operator.follow(ran)).html);
		expect(shown).toMatch(/Checks run: \d+ ok, 1 warning, 0 failing; 1 alert queued, 1 sent\./);
		expect(shown).toMatch(/warning \S*.* meta_token .*expires/);
		// The alert it sent is listed as sent.
		expect(shown).toMatch(/Recent alerts .* warning \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
	});

	it("checks the backfill form with the API's schema, then backfills a Meta Page from Graph", async () => {
		fakeWorld(expiringPage);
		const companyId = await seedCompany({ name: "Backfill Console Co" });
		const accountId = await seedPage(companyId, BACKFILL_PAGE, PAGE_TOKEN);
		const tiktokId = await seedAccount(companyId, "7398120456712349999", "tiktok");
		const tokenless = await seedPage(companyId, "729876543210988");
		const operator = await Operator.signIn();

		// The form offers only what a backfill can read: not TikTok, not a Page without a token.
		const form = (await operator.get("/console/health")).html;
		const offered = [...form.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));
		expect(offered).toContain(accountId);
		expect(offered).not.toContain(tiktokId);
		expect(offered).not.toContain(tokenless);

		const backwards = await operator.post("/console/health/backfill", {
			integration_account_id: String(accountId),
			since: "2026-12-02T00:00",
			until: "2026-12-01T00:00",
		});
		expect(backwards.status).toBe(400);
		expect(backwards.html).toMatch(
			/id="bf-until"[^>]*aria-invalid="true"[\s\S]*?<span class="field-error" id="bf-until-error">since must be before until<\/span>/,
		);
		const tooLong = await operator.post("/console/health/backfill", {
			integration_account_id: String(accountId),
			since: "2026-01-01T00:00",
			until: "2026-12-01T00:00",
		});
		expect(textOf(tooLong.html)).toContain("the window is at most 90 days");
		const tiktok = await operator.post("/console/health/backfill", {
			integration_account_id: String(tiktokId),
			since: "2026-11-30T00:00",
			until: "2026-12-01T00:00",
		});
		expect(textOf(tiktok.html)).toContain("TikTok leads cannot be read again");
		const runsBefore = await env.DB.prepare(
			"SELECT COUNT(*) AS n FROM backfill_runs WHERE integration_account_id IN (?, ?)",
		)
			.bind(accountId, tiktokId)
			.first<{ n: number }>();
		expect(runsBefore?.n).toBe(0);

		const ran = await operator.post("/console/health/backfill", {
			integration_account_id: String(accountId),
			since: "2026-11-30T00:00",
			until: "2026-12-02T00:00",
		});
		expect(ran.status).toBe(303);
		const run = await env.DB.prepare(
			"SELECT trigger, window_start, window_end, status, found, created, duplicates, failures FROM backfill_runs WHERE integration_account_id = ?",
		)
			.bind(accountId)
			.first();
		expect(run).toEqual({
			trigger: "manual",
			window_start: "2026-11-30T00:00:00.000Z",
			window_end: "2026-12-02T00:00:00.000Z",
			status: "succeeded",
			found: 3,
			created: 3,
			duplicates: 0,
			failures: 0,
		});
		const clients = await env.DB.prepare(
			"SELECT external_id FROM clients WHERE integration_account_id = ? ORDER BY external_id",
		)
			.bind(accountId)
			.all<{ external_id: string }>();
		expect(clients.results.map((row) => row.external_id)).toEqual(LEAD_IDS);

		const shown = textOf((await operator.follow(ran)).html);
		expect(shown).toMatch(/Backfill \d+ done: found 3, created 3, 0 duplicates, 0 failures\./);
		expect(shown).toContain(
			"Page 729876543210987 manual 2026-11-30 00:00 UTC – 2026-12-02 00:00 UTC 3 3 0 0 succeeded",
		);
	});

	it("switches the daily backfill of a Meta account from its company page", async () => {
		const companyId = await seedCompany({ name: "Auto Switch Co" });
		const accountId = await seedPage(companyId, "719876543210987");
		await seedAccount(companyId, "7398120456712348888", "tiktok");
		const operator = await Operator.signIn();
		const setting = async () =>
			(
				await env.DB.prepare(
					"SELECT auto_backfill FROM integration_account_settings WHERE integration_account_id = ?",
				)
					.bind(accountId)
					.first<{ auto_backfill: number }>()
			)?.auto_backfill;

		const before = await operator.get(`/console/companies/${companyId}`);
		const forms = before.html.match(/accounts\/\d+\/auto-backfill/g) ?? [];
		expect(forms).toEqual([`accounts/${accountId}/auto-backfill`]);
		const path = `/console/companies/${companyId}/accounts/${accountId}/auto-backfill`;

		const on = await operator.post(path, { enabled: "true" });
		expect(on.status).toBe(303);
		expect(await setting()).toBe(1);
		expect(textOf((await operator.follow(on)).html)).toContain(
			"Daily backfill of Page 719876543210987 on",
		);

		expect((await operator.post(path, { enabled: "true" }, { csrf: null })).status).toBe(403);
		await operator.post(path, { enabled: "false" });
		expect(await setting()).toBe(0);
	});

	it("lists a failing check in the overview's needs action, linked to the Health page", async () => {
		const companyId = await seedCompany({ name: "Overview Health Co" });
		await storeCheck({
			key: "salesforce:overview-health",
			kind: "salesforce",
			companyId,
			subject: "Salesforce connection of Overview Health Co",
			status: "failing",
			reason: "API_DISABLED_FOR_ORG",
		});
		const operator = await Operator.signIn();
		const page = await operator.get("/console");
		expect(textOf(page.html)).toContain(
			"Health check failing: Salesforce connection of Overview Health Co — API_DISABLED_FOR_ORG",
		);
		expect(page.html).toContain('href="/console/health?status=failing"');
	});
});
