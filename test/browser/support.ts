// Helpers of the browser suite: headless Chromium from Debian's package (never a downloaded one),
// the local secrets `npm run dev` serves with, and TikTok deliveries signed like TikTok's.
import { createHmac, randomInt } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
];

export interface Browser {
	context: BrowserContext;
	close(): Promise<void>;
}

/** A fresh profile (its own --user-data-dir) that may read and write the clipboard of `origin`. */
export async function launchChromium(origin: string): Promise<Browser> {
	if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: apt-get install -y chromium`);
	const profile = mkdtempSync(join(tmpdir(), "leadwire-chromium-"));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: { width: 1280, height: 900 },
		timeout: 30_000,
	});
	await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
	context.setDefaultTimeout(15_000);
	context.setDefaultNavigationTimeout(20_000);
	return {
		context,
		close: async () => {
			await context.close().catch(() => undefined);
			rmSync(profile, { recursive: true, force: true });
		},
	};
}

/** The secrets `npm run dev` serves with (.dev.vars, created from .dev.vars.example). */
export function devVars(): { adminToken: string; tiktokSecret: string } {
	const vars = parseEnv(readFileSync(".dev.vars", "utf8"));
	const adminToken = vars.ADMIN_TOKEN;
	const tiktokSecret = vars.TIKTOK_APP_SECRET;
	if (!adminToken || !tiktokSecret) {
		throw new Error(".dev.vars needs ADMIN_TOKEN and TIKTOK_APP_SECRET (see .dev.vars.example)");
	}
	return { adminToken, tiktokSecret };
}

/** A random id of `length` digits, first digit 7 (TikTok ids are 19 digits, above 2^53). */
export function digits(length: number): string {
	let text = "7";
	while (text.length < length) text += String(randomInt(10));
	return text;
}

/**
 * A Subscription-API webhook body with the ids as bare JSON numbers, as TikTok sends them; `entry`
 * adds fields to the entry (e.g. page_name, campaign_name), `questions` more answers.
 */
export function tiktokLead(lead: {
	leadId: string;
	advertiserId: string;
	name: string;
	phone: string;
	email: string;
	entry?: Record<string, string>;
	questions?: { field: string; value: string }[];
}): string {
	const now = Math.floor(Date.now() / 1000);
	const changes = JSON.stringify([
		{ field: "name", value: lead.name },
		{ field: "phone_number", value: lead.phone },
		{ field: "email", value: lead.email },
		...(lead.questions ?? []),
	]);
	const extra = Object.entries(lead.entry ?? {})
		.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)},`)
		.join("");
	return (
		`{"object":1,"entry":[{"id":${lead.leadId},"lead_source":"INSTANT_FORM",` +
		`"advertiser_id":${lead.advertiserId},${extra}"create_time":${now},"changes":${changes}}],"time":${now}}`
	);
}

/** POSTs a delivery signed with X-Open-Signature; answers the status and JSON body. */
export async function postSigned(
	url: string,
	body: string,
	secret: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
	const response = await fetch(url, {
		method: "POST",
		headers: {
			"Content-Type": "application/json",
			"X-Open-Signature": createHmac("sha256", secret).update(body).digest("hex"),
		},
		body,
		signal: AbortSignal.timeout(15_000),
	});
	return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Polls `check` until it is true, for work the relay does after answering (waitUntil). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Creates a company through the running relay's admin API; its id. */
export async function createCompany(origin: string, adminToken: string, name: string) {
	const created = await fetch(`${origin}/api/admin/companies`, {
		method: "POST",
		headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
		body: JSON.stringify({ name }),
	});
	return ((await created.json()) as { id: number }).id;
}

/** Starts `server` on a free 127.0.0.1 port (a local stand-in the dev relay may call); its origin. */
export async function listenLocally(server: Server): Promise<string> {
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Signs in to the console with the admin token and lands on `path`. */
export async function signInTo(page: Page, origin: string, adminToken: string, path: string) {
	await page.goto(`${origin}/console/sign-in?next=${encodeURIComponent(path)}`);
	await page.getByLabel("Admin token").fill(adminToken);
	await page.keyboard.press("Enter");
	await page.waitForURL(`${origin}${path}`);
}
