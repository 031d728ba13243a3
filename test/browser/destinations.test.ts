// The Destinations card in headless Chromium against `npm run dev`: a private URL is refused next to
// its field, a local receiver (http://127.0.0.1, allowed by SALESFORCE_ALLOW_LOOPBACK_HTTP in dev) is
// saved with a generated secret shown once, "Send a test" reaches it signed, a lead sent to the company
// arrives at the receiver with a signature its own Standard Webhooks check accepts, the lead page
// names the webhook forward, and the card reads at 375 px. Screenshots go to SCREENSHOT_DIR.
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyStandardWebhook } from "../support/fake-webhook-receiver";
import { BASE_URL } from "./dev-server";
import {
	type Browser,
	createCompany,
	devVars,
	digits,
	eventually,
	launchChromium,
	listenLocally,
	postSigned,
	signInTo,
	tiktokLead,
} from "./support";

const SCREENSHOTS = process.env.SCREENSHOT_DIR || join(tmpdir(), "leadwire-screenshots");
const { adminToken, tiktokSecret } = devVars();
const run = digits(6);

interface Received {
	id: string;
	body: string;
	verified: boolean;
}

let browser: Browser;
let page: Page;
let receiver: Server;
let receiverUrl = "";
let secret = "";
const received: Received[] = [];
let companyId = 0;

async function notice(): Promise<string> {
	return (await page.locator("p.notice").first().textContent())?.trim() ?? "";
}

beforeAll(async () => {
	receiver = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks).toString("utf8");
		const header = (name: string) => String(req.headers[name] ?? "");
		const verified = await verifyStandardWebhook(
			secret,
			header("webhook-id"),
			header("webhook-timestamp"),
			body,
			header("webhook-signature"),
		);
		received.push({ id: header("webhook-id"), body, verified });
		res.writeHead(verified ? 204 : 401);
		res.end();
	});
	receiverUrl = `${await listenLocally(receiver)}/hooks/leadwire`;
	companyId = await createCompany(BASE_URL, adminToken, `Hook Clinic ${run}`);
	browser = await launchChromium(BASE_URL);
	page = await browser.context.newPage();
	mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
	await browser?.close();
	await new Promise((resolve) => receiver?.close(resolve));
});

describe("destinations in Chromium", () => {
	it("refuses a private URL next to its field, then saves a local receiver with its secret shown once", async () => {
		await signInTo(page, BASE_URL, adminToken, `/console/companies/${companyId}`);

		await page.getByLabel("HTTPS URL").fill("https://10.0.0.1/hook");
		await page.getByRole("button", { name: "Save webhook" }).click();
		await page.waitForLoadState();
		expect(await page.locator("#dest-url-error").textContent()).toContain(
			"must point at a public host (private)",
		);
		expect(await page.locator("#dest-url").getAttribute("aria-invalid")).toBe("true");

		await page.getByLabel("HTTPS URL").fill(receiverUrl);
		await page.getByRole("button", { name: "Save webhook" }).click();
		await page.waitForURL(`${BASE_URL}/console/companies/${companyId}`);
		const saved = await notice();
		secret = /shown this once: (whsec_\S+)/.exec(saved)?.[1] ?? "";
		expect(secret).toMatch(/^whsec_/);
		await page.reload();
		expect(await page.content()).not.toContain(secret);
		const card = page.locator("section", { has: page.locator("#destinations") });
		expect(await card.textContent()).toContain(receiverUrl);
	});

	it("sends a signed test, then a lead the receiver verifies, named on the lead page", async () => {
		await page.getByRole("button", { name: "Send a test to Webhook" }).click();
		await page.waitForLoadState();
		expect(await notice()).toMatch(/^Webhook test: answered 204/);
		expect(received.map((r) => r.verified)).toEqual([true]);

		const leadId = digits(19);
		const sent = await postSigned(
			`${BASE_URL}/api/integrations/webhooks/tiktok-leadgen/?company_id=${companyId}`,
			tiktokLead({
				leadId,
				advertiserId: digits(19),
				name: `Hook Lead ${run}`,
				phone: `+97150${digits(7).slice(0, 7)}`,
				email: `hook.${run}@example.com`,
			}),
			tiktokSecret,
		);
		expect(sent.status).toBe(200);
		await eventually(async () => received.length === 2, "the lead at the receiver");
		const lead = received[1];
		expect(lead?.verified).toBe(true);
		const body = JSON.parse(lead?.body ?? "{}") as { schema: string; data: { lead_id: number } };
		expect(body.schema).toBe("leadwire.lead.v1");
		expect(lead?.id).toMatch(/^msg_leadwire_forward_\d+$/);

		await page.goto(`${BASE_URL}/console/leads/${body.data.lead_id}`);
		const forwards = page.locator("td[data-label='Destination']");
		expect(await forwards.allTextContents()).toContain("Webhook");
		await page.screenshot({ path: join(SCREENSHOTS, "destinations-lead.png"), fullPage: true });
	});

	it("reads at 375 px and switches the webhook off", async () => {
		await page.setViewportSize({ width: 375, height: 800 });
		await page.goto(`${BASE_URL}/console/companies/${companyId}`);
		const card = page.locator("section", { has: page.locator("#destinations") });
		await card.scrollIntoViewIfNeeded();
		const width = await card.evaluate((section) => section.scrollWidth <= section.clientWidth + 1);
		expect(width).toBe(true);
		await card.screenshot({ path: join(SCREENSHOTS, "destinations-375.png") });
		await page.getByRole("button", { name: "Switch off Webhook" }).click();
		await page.waitForLoadState();
		expect(await notice()).toBe("Webhook switched off: new leads are not sent.");
		expect(await card.locator(".badge").first().textContent()).toBe("off");
		await page.setViewportSize({ width: 1280, height: 900 });
		await card.screenshot({ path: join(SCREENSHOTS, "destinations.png") });
	});
});
