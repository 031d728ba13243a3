// Speed to lead in real headless Chromium against `npm run dev`: a website-form lead (which opens a
// follow-up task for its rep) whose task is then set done through PATCH /api/admin/tasks/:id shows
// its first-response time on its page; the overview draws the leads-per-day and first-response
// charts (a bar for every day of the window, today's standing) and switches to 30 days; at 375 px
// nothing is wider than the screen. Screenshots (desktop and 375 px) go to SCREENSHOT_DIR.
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL } from "./dev-server";
import { type Browser, devVars, digits, launchChromium } from "./support";

const SCREENSHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), "leadwire-screenshots");
const { adminToken } = devVars();
const run = digits(6);

let browser: Browser;
let page: Page;
let leadId = 0;

/** The operator API of the running relay, as an operator's script calls it. */
async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(`${BASE_URL}/api/admin${path}`, {
		method,
		headers: {
			Authorization: `Bearer ${adminToken}`,
			...(body === undefined ? {} : { "Content-Type": "application/json" }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(15_000),
	});
	if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
	return (await response.json()) as T;
}

/** The SVG bars of the chart `id` on the page now: their count and each one's drawn height. */
async function barHeights(id: string): Promise<number[]> {
	return page
		.locator(`svg[aria-labelledby="${id}-title ${id}-desc"] rect.bar`)
		.evaluateAll((rects) => rects.map((rect) => Number(rect.getAttribute("height"))));
}

beforeAll(async () => {
	browser = await launchChromium(BASE_URL);
	page = await browser.context.newPage();
	mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
	await browser?.close();
});

describe("speed to lead in Chromium", () => {
	it("answers a website-form lead through the API and shows its first-response time", async () => {
		const company = await api<{ id: number }>("POST", "/companies", {
			name: `Speedy Dental ${run}`,
			auto_assign: true,
		});
		await api("POST", "/employees", { company_id: company.id, name: `Rania ${run}` });
		const { urls } = await api<{ urls: { forms: string } }>(
			"GET",
			`/companies/${company.id}/webhook-urls`,
		);
		const sent = await fetch(urls.forms.replace(/^https?:\/\/[^/]+/, BASE_URL), {
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ name: `Layla ${run}`, phone: `+97150${run}1`, message: "Call me" }),
		});
		expect(sent.status).toBe(200);
		const clients = await api<{ data: { id: number }[] }>(
			"GET",
			`/clients?company_id=${company.id}`,
		);
		leadId = clients.data[0]?.id ?? 0;
		const tasks = await api<{ data: { id: number }[] }>("GET", `/tasks?client_id=${leadId}`);
		const taskId = tasks.data[0]?.id;
		expect(taskId).toBeDefined();

		await page.goto(`${BASE_URL}/console/sign-in?next=%2Fconsole%2Fleads%2F${leadId}`);
		await page.getByLabel("Admin token").fill(adminToken);
		await page.keyboard.press("Enter");
		await page.waitForURL(`${BASE_URL}/console/leads/${leadId}`);
		expect(await firstResponse()).toBe("Waiting: no follow-up task done yet");

		await api("PATCH", `/tasks/${taskId}`, { status: "done" });
		const lead = await api<{ first_response_seconds: number }>("GET", `/clients/${leadId}`);
		await page.reload();
		// Answered within the test's few seconds: "N s", then when (UTC).
		expect(await firstResponse()).toMatch(/^\d+ s \(answered \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
		expect(await firstResponse()).toContain(`${Math.round(lead.first_response_seconds)} s`);
	});

	it("draws the overview's charts with a bar per day, and switches to 30 days", async () => {
		await page.goto(`${BASE_URL}/console`);
		const leads = await barHeights("leads-per-day");
		expect(leads).toHaveLength(7);
		// Today's bar (the last) stands: the lead above arrived today.
		expect(leads.at(-1)).toBeGreaterThan(0);
		const times = await barHeights("response-per-day");
		expect(times.length).toBeGreaterThanOrEqual(2); // today's p90 and median at least
		expect(await page.locator("#leads-per-day-title").textContent()).toBe(
			"Leads per day, last 7 days",
		);
		const section = page.locator("section:has(#speed-to-lead)");
		expect(await section.locator("dl.figures").textContent()).toMatch(/Leads\s*\d+/);
		await section.scrollIntoViewIfNeeded();
		await page.screenshot({ path: `${SCREENSHOTS}/speed-to-lead.png`, fullPage: true });

		await page.getByRole("link", { name: "Last 30 days" }).click();
		await page.waitForURL(`${BASE_URL}/console?days=30`);
		expect(await barHeights("leads-per-day")).toHaveLength(30);
		expect(await page.locator("#leads-per-day-title").textContent()).toBe(
			"Leads per day, last 30 days",
		);
	});

	it("fits the charts and tables in 375 px", async () => {
		await page.setViewportSize({ width: 375, height: 800 });
		await page.goto(`${BASE_URL}/console?days=30`);
		const chart = await page.locator("svg[aria-labelledby^='leads-per-day']").boundingBox();
		expect(chart && chart.width > 250 && chart.x + chart.width <= 375).toBe(true);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			375,
		);
		await page.locator("section:has(#speed-to-lead)").screenshot({
			path: `${SCREENSHOTS}/speed-to-lead-375.png`,
		});
		await page.goto(`${BASE_URL}/console/leads/${leadId}`);
		await page.screenshot({ path: `${SCREENSHOTS}/lead-first-response-375.png`, fullPage: true });
		await page.setViewportSize({ width: 1280, height: 900 });
	});
});

/** The lead page's "First response" fact. */
async function firstResponse(): Promise<string> {
	const fact = page.locator("dt", { hasText: "First response" });
	return ((await fact.locator("xpath=following-sibling::dd[1]").textContent()) ?? "").trim();
}
