// The Destinations card's HubSpot and Twenty forms in headless Chromium against `npm run dev`: a
// HubSpot deal without its stage is refused next to the stage field (the token typed is not shown
// back), Twenty is saved with a local server as its base URL (http://127.0.0.1 is allowed in dev)
// and "Send a test" reaches it with the API key, and the card reads at 375 px. Screenshots go to
// SCREENSHOT_DIR.
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL } from "./dev-server";
import {
	type Browser,
	createCompany,
	devVars,
	digits,
	launchChromium,
	listenLocally,
	signInTo,
} from "./support";

const SCREENSHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), "leadwire-screenshots");
const { adminToken } = devVars();
const run = digits(6);
const HUBSPOT_TOKEN = `pat-eu1-${digits(8)}-0000-4000-8000-${digits(12)}`;
const TWENTY_KEY = `eyJhbGciOiJIUzI1NiJ9.browser-${run}.c2lnbmF0dXJl`;

let browser: Browser;
let page: Page;
let twenty: Server;
let twentyUrl = "";
/** The Authorization headers the local Twenty server was called with. */
const authorizations: string[] = [];
let companyId = 0;

async function notice(): Promise<string> {
	return (await page.locator("p.notice").first().textContent())?.trim() ?? "";
}

beforeAll(async () => {
	// Twenty's REST answer to GET /rest/people (the check's read), as test/support/fake-twenty.ts cites.
	twenty = createServer((req, res) => {
		authorizations.push(String(req.headers.authorization ?? ""));
		const known = req.headers.authorization === `Bearer ${TWENTY_KEY}`;
		res.writeHead(known ? 200 : 401, { "Content-Type": "application/json" });
		res.end(JSON.stringify(known ? { data: { people: [] }, totalCount: 0 } : {}));
	});
	twentyUrl = await listenLocally(twenty);
	companyId = await createCompany(BASE_URL, adminToken, `CRM Clinic ${run}`);
	browser = await launchChromium(BASE_URL);
	page = await browser.context.newPage();
	mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
	await browser?.close();
	await new Promise((resolve) => twenty?.close(resolve));
});

describe("the HubSpot and Twenty forms in Chromium", () => {
	it("refuses a HubSpot deal without its stage next to the field, the token not shown back", async () => {
		await signInTo(page, BASE_URL, adminToken, `/console/companies/${companyId}`);

		await page.locator("#hubspot-token").fill(HUBSPOT_TOKEN);
		await page.locator("#hubspot-pipeline").fill("default");
		await page.getByRole("button", { name: "Save HubSpot" }).click();
		await page.waitForLoadState();
		expect(await page.locator("#hubspot-stage-error").textContent()).toBeTruthy();
		expect(await page.locator("#hubspot-stage").getAttribute("aria-invalid")).toBe("true");
		expect(await page.locator("#hubspot-pipeline").inputValue()).toBe("default");
		expect(await page.content()).not.toContain(HUBSPOT_TOKEN);

		await page.locator("#hubspot-token").fill(HUBSPOT_TOKEN);
		await page.locator("#hubspot-stage").fill("appointmentscheduled");
		await page.getByRole("button", { name: "Save HubSpot" }).click();
		await page.waitForURL(`${BASE_URL}/console/companies/${companyId}`);
		expect(await notice()).toBe("HubSpot saved.");
		expect(await page.content()).not.toContain(HUBSPOT_TOKEN);
	});

	it("saves Twenty with a local base URL and tests it with the key", async () => {
		await page.locator("#twenty-url").fill(twentyUrl);
		await page.locator("#twenty-key").fill(TWENTY_KEY);
		await page.getByRole("button", { name: "Save Twenty" }).click();
		await page.waitForURL(`${BASE_URL}/console/companies/${companyId}`);
		expect(await notice()).toBe("Twenty saved.");
		expect(await page.content()).not.toContain(TWENTY_KEY);

		await page.getByRole("button", { name: "Send a test to Twenty" }).click();
		await page.waitForLoadState();
		expect(await notice()).toBe("Twenty test: API key valid, Twenty reachable");
		expect(authorizations).toEqual([`Bearer ${TWENTY_KEY}`]);
	});

	it("reads at 375 px", async () => {
		await page.setViewportSize({ width: 375, height: 800 });
		await page.goto(`${BASE_URL}/console/companies/${companyId}`);
		const card = page.locator("section", { has: page.locator("#destinations") });
		await card.scrollIntoViewIfNeeded();
		const fits = await card.evaluate((section) => section.scrollWidth <= section.clientWidth + 1);
		expect(fits).toBe(true);
		await card.screenshot({ path: join(SCREENSHOTS, "crm-destinations-375.png") });
		await page.setViewportSize({ width: 1280, height: 900 });
		await card.screenshot({ path: join(SCREENSHOTS, "crm-destinations.png") });
	});
});
