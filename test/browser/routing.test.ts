// Lead routing on a company's page in real headless Chromium against `npm run dev`: each rep's leads
// today against the cap after two signed TikTok leads, a bad rule condition answered beside its field,
// and "Who would get this lead?" naming the rep and why the other was skipped, at 1280 and 375 px.
// Screenshots go to SCREENSHOT_DIR (else a temp folder).
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL } from "./dev-server";
import { type Browser, devVars, digits, launchChromium, postSigned, tiktokLead } from "./support";

const SCREENSHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), "leadwire-screenshots");
const { adminToken, tiktokSecret } = devVars();
const run = digits(6);

let browser: Browser;
let page: Page;
let companyId = 0;
const reps: Record<string, number> = {};

async function adminApi<T>(method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(`${BASE_URL}/api/admin${path}`, {
		method,
		headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(15_000),
	});
	if (!response.ok)
		throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
	return (await response.json()) as T;
}

beforeAll(async () => {
	browser = await launchChromium(BASE_URL);
	page = await browser.context.newPage();
	mkdirSync(SCREENSHOTS, { recursive: true });
	const company = await adminApi<{ id: number }>("POST", "/companies", {
		name: `Routing ${run}`,
		auto_assign: true,
		time_zone: "Asia/Dubai",
	});
	companyId = company.id;
	for (const name of ["Ana", "Ben"]) {
		const rep = await adminApi<{ id: number }>("POST", "/employees", {
			company_id: companyId,
			name: `${name} ${run}`,
		});
		reps[name] = rep.id;
	}
	await adminApi("PATCH", `/employees/${reps.Ana}`, { daily_cap: 2, weekly_cap: 10 });
	await adminApi("PATCH", `/employees/${reps.Ben}`, { away_until: "2099-01-01T00:00:00Z" });
	for (let i = 0; i < 2; i++) {
		const sent = await postSigned(
			`${BASE_URL}/api/integrations/webhooks/tiktok-leadgen/?company_id=${companyId}`,
			tiktokLead({
				leadId: digits(19),
				advertiserId: digits(19),
				name: `Lead ${i} ${run}`,
				phone: "+971501234567",
				email: `lead${i}.${run}@example.com`,
			}),
			tiktokSecret,
		);
		expect(sent).toMatchObject({ status: 200, json: { created: 1 } });
	}
});

afterAll(async () => {
	await browser?.close();
});

describe("lead routing in Chromium", () => {
	it("shows the reps' leads against their caps and answers Who would get this lead?", async () => {
		await page.goto(`${BASE_URL}/console/companies/${companyId}`);
		await page.getByLabel("Admin token").fill(adminToken);
		await page.keyboard.press("Enter");
		await page.waitForURL(`${BASE_URL}/console/companies/${companyId}`);

		const loads = page.getByRole("table", { name: "Reps' leads against their caps" });
		const anaRow = loads.getByRole("row", { name: new RegExp(`Ana ${run}`) });
		expect(await anaRow.textContent()).toMatch(/2 \/ 2.*2 \/ 10.*2.*at daily cap \(2\/2 today\)/);
		const benRow = loads.getByRole("row", { name: new RegExp(`Ben ${run}`) });
		expect(await benRow.textContent()).toContain("away until 2099-01-01T00:00:00.000Z");

		await page.locator("#test-phone").fill("050 123 4567");
		await page.locator("#test-at").fill(new Date(Date.now() + 86_400_000).toISOString());
		await page.getByRole("button", { name: "Who would get it?" }).click();
		await page.waitForLoadState();
		const result = page.locator("#dry-run-result");
		// Ana is at her daily cap today; the next day she can take it again, and Ben is away.
		expect(await result.textContent()).toContain(`Ana ${run} — company default`);
		expect(await result.textContent()).toMatch(new RegExp(`Ben ${run}\\s*: away until 2099`));
		await page.screenshot({ path: join(SCREENSHOTS, "routing.png"), fullPage: true });
		await page.setViewportSize({ width: 375, height: 800 });
		await result.scrollIntoViewIfNeeded();
		await page.screenshot({ path: join(SCREENSHOTS, "routing-375.png") });
		await loads.scrollIntoViewIfNeeded();
		await page.screenshot({ path: join(SCREENSHOTS, "routing-loads-375.png") });
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth > document.documentElement.clientWidth,
		);
		expect(overflow).toBe(false);
		await page.setViewportSize({ width: 1280, height: 900 });
	});

	it("answers a bad rule condition beside the field, keeping what was typed", async () => {
		await page.locator("summary", { hasText: "Add a rule" }).click();
		await page.locator("#rule-name").fill("UAE phones");
		await page.locator("#rule-conditions").fill("phone_country is AE");
		await page.locator("#rule-target").selectOption({ label: `Rep Ana ${run}` });
		await page.getByRole("button", { name: "Add rule" }).click();
		await page.waitForLoadState();
		expect(await page.locator("#rule-conditions-error").textContent()).toContain(
			"line 1 “phone_country is AE”",
		);
		expect(await page.locator("#rule-conditions").getAttribute("aria-invalid")).toBe("true");
		expect(await page.locator("#rule-conditions").inputValue()).toBe("phone_country is AE");
		await page.locator("#rule-conditions").fill("phone_country one of AE");
		await page.getByRole("button", { name: "Add rule" }).click();
		await page.waitForLoadState();
		expect(await page.locator("p.notice").first().textContent()).toContain(
			"Rule UAE phones added.",
		);
	});
});
