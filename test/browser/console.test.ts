// The operator console in real headless Chromium against `npm run dev`: sign in (keyboard only),
// create a company with two reps, copy its TikTok URL, send a signed lead to it, find the lead by a
// local-format phone, send an unroutable lead, map its advertiser, replay the failure and see the
// client; an unmapped lead whose replay fails again stays on the overview and the Unresolved list
// until "Route advertiser X to" maps it and replays it; retry a failed forward against a fake
// Salesforce org, read a lead with ad names at 375 px (no text cell under 120 px), sign out (the old
// cookie, put back, opens only the sign-in page); and the refusals (no CSRF token, no session).
// Screenshots of the overview, a lead (also at 375 px), the receipts and the Unresolved list go to
// SCREENSHOT_DIR (`npm run screenshots` sets docs/screenshots; otherwise a temp folder, so a run
// leaves git clean).
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	FAKE_CONSUMER_KEY,
	FAKE_CONSUMER_SECRET,
	FAKE_REFRESH_TOKEN,
	FIRST_LEAD_ID,
} from "../support/fake-salesforce";
import { BASE_URL } from "./dev-server";
import { type FakeSalesforceServer, startFakeSalesforce } from "./fake-salesforce-server";
import {
	type Browser,
	devVars,
	digits,
	eventually,
	launchChromium,
	postSigned,
	tiktokLead,
} from "./support";

const SCREENSHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), "leadwire-screenshots");
const { adminToken, tiktokSecret } = devVars();
const run = digits(6);
const companyName = `عيادة النور ${run} Clinic`;
// A Dubai mobile number, unique per run: typed back later in local format (050 …).
const localPhone = `050 ${digits(3).slice(1)}${run.slice(0, 1)} ${run.slice(1, 5)}`;
const e164 = `+971${localPhone.replace(/\D/g, "").slice(1)}`;

let browser: Browser;
let page: Page;
let salesforce: FakeSalesforceServer;
let companyUrl = "";
let tiktokUrl = "";
let sessionCookie = "";

async function notice(): Promise<string> {
	return (await page.locator("p.notice").first().textContent())?.trim() ?? "";
}

/** A signed TikTok lead of a fresh advertiser nobody mapped: it fails, answered 200. */
async function sendUnmappedLead(firstName: string, phone: string) {
	const advertiserId = digits(19);
	const leadId = digits(19);
	const sent = await postSigned(
		`${BASE_URL}/api/integrations/webhooks/tiktok-leadgen/`,
		tiktokLead({
			leadId,
			advertiserId,
			name: `${firstName} ${run}`,
			phone,
			email: `${firstName.toLowerCase()}.${run}@example.com`,
		}),
		tiktokSecret,
	);
	expect(sent).toMatchObject({ status: 200, json: { failed: 1 } });
	return { advertiserId, leadId };
}

beforeAll(async () => {
	salesforce = await startFakeSalesforce();
	browser = await launchChromium(BASE_URL);
	page = await browser.context.newPage();
	mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
	await browser?.close();
	await salesforce?.close();
});

describe("operator console in Chromium", () => {
	it("signs in with the keyboard alone and lands where it was going", async () => {
		await page.goto(`${BASE_URL}/console/companies`);
		expect(page.url()).toBe(`${BASE_URL}/console/sign-in?next=%2Fconsole%2Fcompanies`);
		await page.keyboard.press("Tab");
		expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("token");
		await page.keyboard.type("not-the-token");
		await page.keyboard.press("Enter");
		await page.waitForLoadState();
		expect(await notice()).toBe("That token is not valid. Check it and try again.");
		await page.getByLabel("Admin token").fill(adminToken);
		await page.keyboard.press("Enter");
		await page.waitForURL(`${BASE_URL}/console/companies`);
		const cookies = await browser.context.cookies(`${BASE_URL}/console`);
		const session = cookies.find((cookie) => cookie.name === "leadwire_console");
		expect(session?.httpOnly).toBe(true);
		expect(session?.sameSite).toBe("Strict");
		sessionCookie = `leadwire_console=${session?.value}`;
	});

	it("creates a company with two reps, showing a field error first", async () => {
		await page.locator("#new-name").fill(companyName);
		await page.locator("#new-country").fill("ZZ");
		await page.getByRole("button", { name: "Create company" }).click();
		await page.waitForLoadState();
		expect(await page.locator("#new-country-error").textContent()).toContain("not a country code");
		expect(await page.locator("#new-country").getAttribute("aria-invalid")).toBe("true");
		expect(await page.locator("#new-name").inputValue()).toBe(companyName);
		await page.locator("#new-country").fill("ae");
		await page.getByRole("button", { name: "Create company" }).click();
		await page.waitForURL(/\/console\/companies\/\d+$/);
		companyUrl = page.url();
		expect(await page.locator("h1").textContent()).toBe(companyName);
		expect(await notice()).toContain("created");
		for (const [name, email] of [
			["Ana Rep", "ana@example.com"],
			["بشرى Rep", ""],
		]) {
			await page.getByLabel("Rep name").fill(name ?? "");
			await page.getByLabel("Rep email (optional)").fill(email ?? "");
			await page.getByRole("button", { name: "Add rep" }).click();
			await page.waitForLoadState();
			expect(await notice()).toBe(`Rep ${name} added.`);
		}
		expect(await page.getByRole("button", { name: /^Deactivate .* Rep$/ }).count()).toBe(2);
		const direction = await page.locator("h1").evaluate((h1) => getComputedStyle(h1).direction);
		// dir="auto": the Arabic-first name reads right to left inside the left-to-right page.
		expect(direction).toBe("rtl");
		expect(await page.locator("html").evaluate((html) => getComputedStyle(html).direction)).toBe(
			"ltr",
		);
	});

	it("copies the TikTok URL and a lead sent to it is found by its local-format phone", async () => {
		await page.getByRole("button", { name: "Copy TikTok Lead Gen URL" }).click();
		const copied = await page.evaluate(() => navigator.clipboard.readText());
		const shown = (await page.locator("#url-tiktok").textContent())?.trim();
		expect(copied).toBe(shown);
		const companyId = companyUrl.split("/").at(-1) ?? "";
		expect(copied).toBe(
			`${BASE_URL}/api/integrations/webhooks/tiktok-leadgen/?company_id=${companyId}`,
		);
		tiktokUrl = copied;

		const leadId = digits(19);
		const sent = await postSigned(
			copied,
			tiktokLead({
				leadId,
				advertiserId: digits(19),
				name: `Layla ${run}`,
				phone: e164,
				email: `layla.${run}@example.com`,
			}),
			tiktokSecret,
		);
		expect(sent).toMatchObject({ status: 200, json: { created: 1 } });

		await page.getByRole("link", { name: "Leads", exact: true }).first().click();
		await page.getByLabel("Name, email or phone").fill(localPhone);
		await page.getByLabel("Company").selectOption({ label: companyName });
		await page.getByRole("button", { name: "Search" }).click();
		await page.waitForLoadState();
		const rows = page.locator("tbody tr");
		expect(await rows.count()).toBe(1);
		expect(await rows.first().textContent()).toContain(e164);
		await rows
			.first()
			.getByRole("link", { name: `Layla ${run}` })
			.click();
		await page.waitForURL(/\/console\/leads\/\d+$/);
		const facts = await page.locator("dl.facts").first().textContent();
		expect(facts).toContain(e164);
		expect(facts).toMatch(/Assigned rep\s*(Ana Rep|بشرى Rep)/);
	});

	it("sends an unroutable lead, maps its advertiser, replays it and sees the client", async () => {
		const { advertiserId, leadId } = await sendUnmappedLead("Omar", "+971 4 123 4567");
		await page.goto(`${BASE_URL}/console`);
		expect(await page.locator("section:has(#needs-action)").textContent()).toContain(
			`unresolved lead — TikTok advertiser ${advertiserId} is not mapped to a company`,
		);
		await page.screenshot({ path: `${SCREENSHOTS}/overview.png`, fullPage: true });

		await page.goto(`${BASE_URL}/console/receipts`);
		await page.getByLabel("Status").selectOption("failure");
		await page.getByLabel("Provider").selectOption("tiktok");
		await page.getByRole("button", { name: "Filter" }).click();
		await page.waitForLoadState();
		const failure = page.locator("tbody tr").first();
		expect(await failure.textContent()).toContain("failure");
		await page.screenshot({ path: `${SCREENSHOTS}/receipts.png`, fullPage: true });
		await failure.getByRole("link").first().click();
		await page.waitForURL(/\/console\/receipts\/\d+$/);
		const receiptUrl = page.url();
		expect(await page.locator("dl.facts").textContent()).toContain(leadId);

		await page.goto(companyUrl);
		await page.locator("#acc-provider").selectOption("tiktok");
		await page.locator("#acc-name").fill("TikTok ads account");
		await page.locator("#acc-external").fill(advertiserId);
		await page.getByRole("button", { name: "Map account" }).click();
		await page.waitForLoadState();
		expect(await notice()).toBe(`tiktok ${advertiserId} now routes here.`);

		await page.goto(receiptUrl);
		await page.getByRole("button", { name: "Replay" }).click();
		await page.waitForLoadState();
		expect(await notice()).toMatch(/^Replayed: created — 1 created/);
		await page.getByRole("link", { name: `Leads with lead id ${leadId}` }).click();
		await page.waitForLoadState();
		const row = page.locator("tbody tr");
		expect(await row.count()).toBe(1);
		expect(await row.textContent()).toContain(`Omar ${run}`);
		expect(await row.textContent()).toContain(companyName);
	});

	it("keeps an unmapped lead whose replay failed on the overview and the Unresolved list until it is routed there", async () => {
		const { advertiserId, leadId } = await sendUnmappedLead("Huda", "+971 50 765 4321");
		const reason = `TikTok advertiser ${advertiserId} is not mapped to a company`;

		// Replayed before anyone mapped the advertiser: it fails again.
		await page.goto(`${BASE_URL}/console/unresolved`);
		await page.getByRole("link", { name: `TikTok ${leadId}` }).click();
		await page.waitForURL(/\/console\/receipts\/\d+$/);
		expect(await page.locator("dl.facts").textContent()).toContain(reason);
		await page.getByRole("button", { name: "Replay" }).click();
		await page.waitForLoadState();
		expect(await notice()).toBe(
			`Replayed: failure — 0 created, 0 duplicates, 1 failed (${reason})`,
		);
		const payload = await page.locator("pre").textContent();
		expect(payload).toMatch(new RegExp(`\n {2,}"id": "?${leadId}"?,\n`));
		await page.screenshot({ path: `${SCREENSHOTS}/receipt.png`, fullPage: true });

		await page.goto(`${BASE_URL}/console`);
		const needsAction = await page.locator("section:has(#needs-action)").textContent();
		expect(needsAction).toContain(`1 unresolved lead — ${reason}`);
		expect(needsAction).not.toContain("Nothing needs action");

		await page.locator(`#needs-action ~ ul a[href*="routing_key=${advertiserId}"]`).click();
		await page.waitForURL(/\/console\/unresolved\?/);
		const group = page.locator("ul.groups > li", { hasText: advertiserId });
		expect(await group.textContent()).toContain(`1 lead: ${reason}`);
		const leads = page.locator("section:has(#leads) tbody tr");
		expect(await leads.count()).toBe(1);
		expect(await leads.first().textContent()).toMatch(
			new RegExp(`TikTok ${leadId}.*${reason}\\s*2`),
		);
		await page.screenshot({ path: `${SCREENSHOTS}/unresolved.png`, fullPage: true });
		await page.setViewportSize({ width: 375, height: 800 });
		await page.reload();
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			375,
		);
		await page.screenshot({ path: `${SCREENSHOTS}/unresolved-375.png`, fullPage: true });
		await page.setViewportSize({ width: 1280, height: 900 });

		await page.goto(`${BASE_URL}/console/unresolved`);
		await group.getByLabel(`Route TikTok advertiser ${advertiserId} to`).selectOption({
			label: companyName,
		});
		await group.getByRole("button", { name: "Route and replay" }).click();
		await page.waitForLoadState();
		expect(await notice()).toBe(
			`Routed TikTok advertiser ${advertiserId} to ${companyName}. Replayed 1 lead: 1 client created.`,
		);
		expect(await group.count()).toBe(0);
		expect(await page.locator("section:has(#leads)").textContent()).not.toContain(leadId);
		await page.goto(companyUrl);
		expect(await page.locator("section:has(#accounts)").textContent()).toContain(advertiserId);

		// The lead arrived when TikTok first sent it, and its page shows that failed receipt.
		await page.goto(`${BASE_URL}/console/leads?external_id=${leadId}`);
		await page.locator("tbody tr").first().getByRole("link").first().click();
		await page.waitForURL(/\/console\/leads\/\d+$/);
		const facts = await page.locator("dl.facts").first().textContent();
		expect(facts).toMatch(/Received.*Became a client/s);
		const receipts = page.locator("section:has(#lead-logs) tbody tr");
		expect(await receipts.count()).toBe(3);
		expect(await page.locator("section:has(#lead-logs)").textContent()).toContain(reason);
	});

	it("retries a failed Salesforce forward against the fake org", async () => {
		salesforce.org.rejectRecord = () => ({ code: "REQUIRED_FIELD_MISSING", fields: ["Company"] });
		await page.goto(companyUrl);
		await page.getByLabel("Login URL").fill(salesforce.url);
		await page.getByLabel("Consumer key").fill(FAKE_CONSUMER_KEY);
		await page.getByLabel("Consumer secret").fill(FAKE_CONSUMER_SECRET);
		await page.getByLabel("Refresh token").fill(FAKE_REFRESH_TOKEN);
		await page.getByRole("button", { name: "Save connection" }).click();
		await page.waitForLoadState();
		expect(await notice()).toBe("Salesforce connected.");
		expect(await page.content()).not.toContain(FAKE_CONSUMER_SECRET);
		await page.getByRole("button", { name: "Test now" }).click();
		await page.waitForLoadState();
		expect(await notice()).toMatch(/^Salesforce test: token grant succeeded/);

		await page.getByRole("button", { name: "Send a test lead" }).click();
		await page.waitForURL(/\/console\/leads\/\d+$/);
		expect(await notice()).toMatch(/^Test lead \d{19} arrived through the TikTok webhook/);
		const leadUrl = page.url();
		const testFacts = await page.locator("dl.facts").first().textContent();
		expect(testFacts).toContain("Not assigned (test leads take no turn)");
		expect(await page.locator("dl.facts .badge.test").textContent()).toBe("Test");
		await eventually(async () => {
			await page.goto(leadUrl);
			return (
				(await page
					.locator("#lead-forwards ~ * .badge, section:has(#lead-forwards) .badge")
					.first()
					.textContent()) === "failed"
			);
		}, "the forward to fail");
		expect(await page.locator("section:has(#lead-forwards)").textContent()).toContain(
			"REQUIRED_FIELD_MISSING",
		);

		salesforce.org.rejectRecord = () => undefined;
		await page.goto(`${companyUrl.replace(/\/companies\/(\d+)$/, "/forwards?company_id=$1")}`);
		await page
			.getByRole("button", { name: /^Retry forward \d+ now$/ })
			.first()
			.click();
		await page.waitForLoadState();
		expect(await notice()).toMatch(/^Forward \d+ is being sent again now\.$/);
		await eventually(async () => {
			await page.goto(leadUrl);
			return (
				(await page.locator("section:has(#lead-forwards) .badge").first().textContent()) ===
				"succeeded"
			);
		}, "the retried forward to succeed");
		expect(await page.locator("section:has(#lead-forwards)").textContent()).toContain(
			FIRST_LEAD_ID,
		);
	});

	it("shows a lead's form and ad names, and reads it at 375 px: labels above values, no text cell under 120 px", async () => {
		const leadId = digits(19);
		const sent = await postSigned(
			tiktokUrl,
			tiktokLead({
				leadId,
				advertiserId: digits(19),
				name: `Nadia ${run}`,
				phone: `+97150${digits(7).slice(1)}`,
				email: `nadia.${run}@example.com`,
				entry: {
					page_name: "Autumn Consultation Form",
					campaign_id: "1842093710293847",
					campaign_name: "Leads - Autumn 2026",
					adgroup_name: "UAE 25-45",
					ad_name: "Video A - Whitening",
				},
				questions: [
					{
						field:
							"Which treatment are you most interested in, and when would you like to come in?",
						value: "Teeth whitening, ideally on a weekday evening after six",
					},
					{ field: "Preferred branch", value: "Dubai Marina" },
				],
			}),
			tiktokSecret,
		);
		expect(sent).toMatchObject({ status: 200, json: { created: 1 } });
		await page.goto(`${BASE_URL}/console/leads?external_id=${leadId}`);
		await page.getByRole("link", { name: `Nadia ${run}` }).click();
		await page.waitForURL(/\/console\/leads\/\d+$/);
		const facts = await page.locator("dl.facts").first().textContent();
		expect(facts).toContain("Autumn Consultation Form");
		expect(facts).toContain("Leads - Autumn 2026 (1842093710293847)");
		expect(facts).toContain("UAE 25-45");
		expect(facts).toContain("Video A - Whitening");
		expect(await page.content()).not.toContain("tiktok_lead_received");
		await eventually(async () => {
			await page.reload();
			return (await page.locator("section:has(#lead-forwards) tbody tr").count()) > 0;
		}, "the lead's Salesforce forward row");
		await page.screenshot({ path: `${SCREENSHOTS}/lead.png`, fullPage: true });

		await page.setViewportSize({ width: 375, height: 800 });
		await page.reload();
		const cells = await page.evaluate(() =>
			[...document.querySelectorAll("main dt, main dd, main th, main td")].flatMap((cell) => {
				const box = cell.getBoundingClientRect();
				const text = cell.textContent?.trim() ?? "";
				return box.width > 0 && box.height > 0 && text !== ""
					? [{ tag: cell.tagName, text: text.slice(0, 40), width: Math.round(box.width) }]
					: [];
			}),
		);
		expect(cells.length).toBeGreaterThan(20);
		expect(cells.filter((cell) => cell.width < 120)).toEqual([]);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			375,
		);
		// Labels above values: the long question sits wholly above its answer.
		const question = page.locator("dt", { hasText: "Which treatment are you most interested in" });
		const [asked, answered] = await Promise.all([
			question.boundingBox(),
			question.locator("xpath=following-sibling::dd[1]").boundingBox(),
		]);
		expect(asked && answered && asked.y + asked.height <= answered.y).toBe(true);
		await page.screenshot({ path: `${SCREENSHOTS}/lead-375.png`, fullPage: true });
		await page.setViewportSize({ width: 1280, height: 900 });
	});

	it("shows the overview, and works at 375 px wide (the Health page too)", async () => {
		await page.goto(`${BASE_URL}/console`);
		expect(await page.locator("section:has(#new-leads)").textContent()).toContain(companyName);
		await page.setViewportSize({ width: 375, height: 800 });
		for (const path of [
			"/console",
			"/console/leads",
			"/console/health",
			companyUrl.replace(BASE_URL, ""),
		]) {
			await page.goto(`${BASE_URL}${path}`);
			const width = await page.evaluate(() => document.documentElement.scrollWidth);
			expect(width, path).toBeLessThanOrEqual(375);
			if (path === "/console/leads") {
				// Name, phone and assigned rep fit without scrolling the table sideways.
				const hidden = await page.evaluate(() => {
					const wrap = document.querySelector("main .table-wrap");
					return wrap ? wrap.scrollWidth - wrap.clientWidth : -1;
				});
				expect(hidden).toBe(0);
				expect(await page.locator("thead th:visible").allTextContents()).toContain("Assigned rep");
				await page.screenshot({ path: `${SCREENSHOTS}/leads-375.png`, fullPage: true });
			}
		}
		await page.screenshot({ path: `${SCREENSHOTS}/company-375.png`, fullPage: true });
		await page.goto(`${BASE_URL}/console/health`);
		expect(await page.locator("h1").textContent()).toBe("Health");
		expect(await page.getByRole("button", { name: "Run checks now" }).count()).toBe(1);
		// Backfill offers only Meta Pages with a token, never the TikTok account this run mapped.
		const offered = await page.locator("#bf-account option").allTextContents();
		expect(offered.filter((label) => label.startsWith("tiktok"))).toEqual([]);
		await page.getByRole("button", { name: "Run checks now" }).click();
		await page.waitForURL(`${BASE_URL}/console/health`);
		expect(await page.locator(".notice").textContent()).toMatch(
			/^Checks run: \d+ ok, \d+ warning, \d+ failing;/,
		);
		await page.screenshot({ path: `${SCREENSHOTS}/health-375.png`, fullPage: true });
		await page.setViewportSize({ width: 1280, height: 900 });
	});

	it("shows a phone that does not parse as typed with an invalid phone badge, at 375 px too", async () => {
		const companyId = companyUrl.split("/").at(-1) ?? "";
		const sent = await postSigned(
			`${BASE_URL}/api/integrations/webhooks/tiktok-leadgen/?company_id=${companyId}`,
			tiktokLead({
				leadId: digits(19),
				advertiserId: digits(19),
				name: `Typed ${run}`,
				phone: "12345",
				email: `typed.${run}@example.com`,
			}),
			tiktokSecret,
		);
		expect(sent).toMatchObject({ status: 200, json: { created: 1 } });
		await page.setViewportSize({ width: 375, height: 800 });
		await page.goto(`${BASE_URL}/console/leads?q=${encodeURIComponent(`Typed ${run}`)}`);
		const row = page.locator("tbody tr").first();
		expect(await row.locator(".badge").textContent()).toBe("invalid phone");
		expect(await row.textContent()).toContain("12345");
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			375,
		);
		await page.screenshot({ path: `${SCREENSHOTS}/leads-invalid-phone-375.png`, fullPage: true });
		await row.getByRole("link", { name: `Typed ${run}` }).click();
		await page.waitForURL(/\/console\/leads\/\d+$/);
		expect(await page.locator("dl.facts").first().textContent()).toMatch(
			/Phones\s*invalid phone 12345/,
		);
		await page.screenshot({ path: `${SCREENSHOTS}/lead-invalid-phone-375.png`, fullPage: true });
		await page.setViewportSize({ width: 1280, height: 900 });
	});

	it("refuses a form POST without the CSRF token and a request without a session", async () => {
		const noToken = await fetch(`${BASE_URL}/console/companies`, {
			method: "POST",
			redirect: "manual",
			headers: {
				Cookie: sessionCookie,
				Origin: BASE_URL,
				"Content-Type": "application/x-www-form-urlencoded",
			},
			body: new URLSearchParams({ name: `Forged ${run}` }),
		});
		expect(noToken.status).toBe(403);
		const noSession = await fetch(`${BASE_URL}/console/companies`, { redirect: "manual" });
		expect(noSession.status).toBe(303);
		expect(noSession.headers.get("Location")).toBe("/console/sign-in?next=%2Fconsole%2Fcompanies");
		await page.goto(`${BASE_URL}/console/companies`);
		expect(await page.locator("body").textContent()).not.toContain(`Forged ${run}`);
	});

	it("signs out, and the old session cookie, put back, opens only the sign-in page", async () => {
		const [oldCookie] = (await browser.context.cookies(`${BASE_URL}/console`)).filter(
			(cookie) => cookie.name === "leadwire_console",
		);
		if (!oldCookie) throw new Error("no session cookie before signing out");
		await page.getByRole("button", { name: "Sign out" }).click();
		await page.waitForURL(`${BASE_URL}/console/sign-in`);
		await page.goto(`${BASE_URL}/console/leads`);
		expect(page.url()).toBe(`${BASE_URL}/console/sign-in?next=%2Fconsole%2Fleads`);

		// A copied cookie stops working at once: the server revoked its session.
		await browser.context.addCookies([oldCookie]);
		await page.goto(`${BASE_URL}/console/leads`);
		expect(page.url()).toBe(`${BASE_URL}/console/sign-in?next=%2Fconsole%2Fleads`);
		expect(await page.getByLabel("Admin token").count()).toBe(1);
		const reused = await fetch(`${BASE_URL}/console/leads`, {
			redirect: "manual",
			headers: { Cookie: sessionCookie },
		});
		expect(reused.status).toBe(303);
		expect(reused.headers.get("Location")).toBe("/console/sign-in?next=%2Fconsole%2Fleads");
	});
});
