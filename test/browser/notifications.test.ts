// Notifications in Chromium against the running relay: an operator adds a rep's signed-webhook
// channel on the company's page, sends a test notification through it, and, once a website lead
// came in, sees on the lead's page what was told to whom (at 1280 and 375 px wide). The webhook
// receiver is a local HTTP server, allowed as http://127.0.0.1 by SALESFORCE_ALLOW_LOOPBACK_HTTP.
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_URL } from "./dev-server";
import { type Browser, devVars, digits, eventually, launchChromium } from "./support";

const SCREENSHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), "leadwire-screenshots");
const { adminToken } = devVars();
const run = digits(6);

interface Received {
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

let browser: Browser;
let page: Page;
let receiver: Server;
let receiverUrl = "";
const received: Received[] = [];

async function api(path: string, body: unknown): Promise<Record<string, unknown>> {
	const response = await fetch(`${BASE_URL}/api/admin${path}`, {
		method: "POST",
		headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
		body: JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
	return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
	receiver = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
		res.writeHead(204).end();
	});
	await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/leadwire`;
	browser = await launchChromium(BASE_URL);
	page = await browser.context.newPage();
	mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
	await browser?.close();
	await new Promise((resolve) => receiver?.close(resolve));
});

describe("notifications in Chromium", () => {
	let companyId = 0;
	let clientId = 0;

	it("adds a rep's webhook channel and sends a test notification through it", async () => {
		const company = await api("/companies", { name: `Notify ${run}`, auto_assign: true });
		companyId = Number(company.id);
		await api("/employees", { company_id: companyId, name: `Nadia ${run}` });

		await page.goto(`${BASE_URL}/console/sign-in?next=%2Fconsole%2Fcompanies%2F${companyId}`);
		await page.getByLabel("Admin token").fill(adminToken);
		await page.keyboard.press("Enter");
		await page.waitForURL(`${BASE_URL}/console/companies/${companyId}`);

		await page.locator("#channel-owner").selectOption({ label: `Nadia ${run}` });
		await page.locator("#channel-kind").selectOption("webhook");
		await page.locator("#channel-target").fill(receiverUrl);
		await page.getByRole("button", { name: "Add channel" }).click();
		await page.waitForLoadState();
		expect(await page.locator("p.notice").first().textContent()).toMatch(
			/Channel added\. Its signing secret \(shown once\): whsec_/,
		);

		await page.getByRole("button", { name: "Send a test notification" }).click();
		await page.waitForLoadState();
		expect(await page.locator("p.notice").first().textContent()).toContain(
			"Test notification sent.",
		);
		expect(received).toHaveLength(1);
		expect(JSON.parse(received[0]?.body ?? "{}")).toMatchObject({ type: "lead.test" });
		expect(received[0]?.headers["webhook-signature"]).toMatch(/^v1,/);
		await page.locator("#notifications").scrollIntoViewIfNeeded();
		await page.screenshot({ path: join(SCREENSHOTS, "company-notifications.png"), fullPage: true });
	});

	it("shows a website lead's notifications on its page", async () => {
		const phone = `+97150${run}1`;
		const posted = await fetch(
			`${BASE_URL}/api/integrations/webhooks/forms/?company_id=${companyId}`,
			{
				method: "POST",
				headers: { "Content-Type": "application/json" },
				body: JSON.stringify({ name: `Layla ${run}`, email: `layla.${run}@example.com`, phone }),
			},
		);
		expect(posted.status).toBe(200);
		await eventually(async () => received.length === 2, "the lead's webhook notification");
		const event = JSON.parse(received[1]?.body ?? "{}") as {
			type: string;
			data: { lead_id: number; lead: { phone_link: string } };
		};
		expect(event.type).toBe("lead.new_lead");
		expect(event.data.lead.phone_link).toBe(`tel:${phone}`);
		clientId = event.data.lead_id;

		await page.goto(`${BASE_URL}/console/leads/${clientId}`);
		const section = page.locator("section", { has: page.locator("#lead-notifications") });
		const row = section.locator("tbody tr").first();
		expect(await row.locator('[data-label="Told"]').textContent()).toBe("New lead");
		expect(await row.locator('[data-label="To"]').textContent()).toContain(`Nadia ${run}`);
		expect(await row.locator('[data-label="Status"]').textContent()).toBe("succeeded");
		await section.scrollIntoViewIfNeeded();
		await page.screenshot({ path: join(SCREENSHOTS, "lead-notifications.png"), fullPage: true });

		await page.setViewportSize({ width: 375, height: 800 });
		await page.reload();
		await section.scrollIntoViewIfNeeded();
		expect(await section.locator('[data-label="Status"]').first().isVisible()).toBe(true);
		await page.screenshot({
			path: join(SCREENSHOTS, "lead-notifications-375.png"),
			fullPage: true,
		});
		await page.setViewportSize({ width: 1280, height: 900 });
	});
});
