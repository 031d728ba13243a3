// Forged traffic costs a counter, not a row: a request with a missing or wrong signature (TikTok,
// Meta) or a bad signed-URL `sig` (any webhook) is answered 401 with its tail line, bumps one
// rejection_counts row per hour, provider and reason, and only the first of each hour leaves a log.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createApp } from "../../src/app";
import { captureConsole } from "../support/console";
import { unavailableD1 } from "../support/d1-wrappers";
import { count, rejectionCount, rejectionSamples } from "../support/factories";
import { FORMS_PATH, formInit } from "../support/forms";
import { META_PATH, metaInit, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { TEST_ADMIN_TOKEN, TEST_WEBHOOK_SIGNING_KEY } from "../support/secrets";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

/** One env object for every request, so the Worker parses its config once (as in production). */
const signedEnv = { ...env, WEBHOOK_SIGNING_KEY: TEST_WEBHOOK_SIGNING_KEY };
const app = createApp();

async function send(path: string, init: RequestInit, bindings: Env = signedEnv) {
	const ctx = createExecutionContext();
	const response = await app.request(path, init, bindings, ctx);
	await waitOnExecutionContext(ctx);
	return response;
}

const tiktokBody = tiktokWebhook([{ leadId: newLeadId(), email: "zara@example.com" }]);
const metaBody = JSON.stringify({
	object: "page",
	entry: [
		{
			id: "1023456789012345",
			time: 1733300000,
			changes: [
				{
					field: "leadgen",
					value: { leadgen_id: "9988776655", page_id: "1023456789012345", form_id: "1" },
				},
			],
		},
	],
});

interface Forgery {
	name: string;
	provider: string;
	action: string;
	reason: string;
	/** A fresh forged request each call (a body is read once). */
	request(): Promise<{ path: string; init: RequestInit }>;
}

const FORGERIES: Forgery[] = [
	{
		name: "TikTok with a wrong signature",
		provider: "tiktok",
		action: "tiktok_lead_received",
		reason: "invalid signature",
		request: async () => ({
			path: TIKTOK_PATH,
			init: await tiktokInit(tiktokBody, { signature: "ab".repeat(32) }),
		}),
	},
	{
		name: "TikTok without a signature",
		provider: "tiktok",
		action: "tiktok_lead_received",
		reason: "missing signature",
		request: async () => ({
			path: TIKTOK_PATH,
			init: await tiktokInit(tiktokBody, { signature: null }),
		}),
	},
	{
		name: "TikTok with a forged URL sig",
		provider: "tiktok",
		action: "tiktok_lead_received",
		reason: "invalid url signature",
		request: async () => ({
			path: `${TIKTOK_PATH}?company_id=7&sig=${"0".repeat(64)}`,
			init: await tiktokInit(tiktokBody),
		}),
	},
	{
		name: "Meta with a wrong signature",
		provider: "meta",
		action: "meta_webhook",
		reason: "invalid signature",
		request: async () => ({
			path: META_PATH,
			init: await metaInit(metaBody, { signature: `sha256=${"cd".repeat(32)}` }),
		}),
	},
	{
		name: "Meta without a signature",
		provider: "meta",
		action: "meta_webhook",
		reason: "missing signature",
		request: async () => ({ path: META_PATH, init: await metaInit(metaBody, { signature: null }) }),
	},
	{
		name: "Meta with a company_id and no URL sig",
		provider: "meta",
		action: "meta_webhook",
		reason: "missing url signature",
		request: async () => ({ path: `${META_PATH}?company_id=7`, init: await metaInit(metaBody) }),
	},
	{
		name: "a form with a forged URL sig",
		provider: "webform",
		action: "form_submission_received",
		reason: "invalid url signature",
		request: async () => ({
			path: `${FORMS_PATH}?company_id=7&sig=zz`,
			init: formInit({ name: "Zara Quinn", phone: "+971501234567" }),
		}),
	},
	{
		name: "a form without a URL sig",
		provider: "webform",
		action: "form_submission_received",
		reason: "missing url signature",
		request: async () => ({
			path: `${FORMS_PATH}?company_id=7`,
			init: formInit({ name: "Zara Quinn" }, "urlencoded"),
		}),
	},
];

/** Sends `n` forged requests, `concurrency` at a time; returns their statuses and bodies. */
async function flood(forgery: Forgery, n: number, concurrency = 100) {
	const answers: { status: number; message: string }[] = [];
	for (let start = 0; start < n; start += concurrency) {
		const size = Math.min(concurrency, n - start);
		const batch = await Promise.all(
			Array.from({ length: size }, async () => {
				const { path, init } = await forgery.request();
				const response = await send(path, init);
				const body = await response.json<{ error: { message: string } }>();
				return { status: response.status, message: body.error.message };
			}),
		);
		answers.push(...batch);
	}
	return answers;
}

describe("forged requests per endpoint", () => {
	for (const forgery of FORGERIES) {
		it(`${forgery.name}: 401 and a tail line each, one counter, one sample log`, async ({
			expect,
		}) => {
			const lines = captureConsole();
			const logsBefore = await count("integration_logs");
			const before = await rejectionCount(forgery.provider, forgery.reason);

			const answers = await flood(forgery, 25);

			expect(new Set(answers.map((a) => `${a.status} ${a.message}`))).toEqual(
				new Set([`401 ${forgery.reason}`]),
			);
			expect(await rejectionCount(forgery.provider, forgery.reason)).toBe(before + 25);
			expect(await count("integration_logs")).toBe(logsBefore + 1);
			expect(await rejectionSamples(forgery.provider, forgery.reason)).toEqual([
				expect.objectContaining({
					provider: forgery.provider,
					action: forgery.action,
					status: "failure",
					company_id: null,
					payload: null,
				}),
			]);
			expect(await count("clients")).toBe(0);
			const tail = lines.filter((line) => line.includes('"delivery rejected"'));
			expect(tail).toHaveLength(25);
			expect(JSON.parse(tail[0] ?? "{}")).toMatchObject({
				level: "warn",
				provider: forgery.provider,
				outcome: "failure",
				reason: forgery.reason,
			});
			expect(tail.join("\n")).not.toContain("zara@example.com");
		});
	}

	it("still answers 401 when D1 cannot count the refusal", async ({ expect }) => {
		captureConsole();
		const { path, init } = await (FORGERIES[0] as Forgery).request();
		const response = await send(path, init, { ...signedEnv, DB: unavailableD1() });
		expect(response.status).toBe(401);
	});
});

describe("a flood of 10,000 forged POSTs across the webhook endpoints", () => {
	it("leaves a handful of log rows and counters with the right totals, shown by the operator API", async ({
		expect,
	}) => {
		const lines = captureConsole();
		const logsBefore = await count("integration_logs");
		const before = await Promise.all(FORGERIES.map((f) => rejectionCount(f.provider, f.reason)));
		const perForgery = 10_000 / FORGERIES.length;

		const answers = (
			await Promise.all(FORGERIES.map((forgery) => flood(forgery, perForgery, 50)))
		).flat();

		expect(answers).toHaveLength(10_000);
		expect(answers.every((a) => a.status === 401)).toBe(true);
		const after = await Promise.all(FORGERIES.map((f) => rejectionCount(f.provider, f.reason)));
		expect(after.map((n, i) => n - (before[i] ?? 0))).toEqual(FORGERIES.map(() => perForgery));
		// One sample per provider and reason per hour: the earlier tests' samples already cover this
		// hour, so only an hour that turned during the run adds rows.
		const added = (await count("integration_logs")) - logsBefore;
		expect(added).toBeLessThanOrEqual(FORGERIES.length);
		expect(await count("clients")).toBe(0);
		expect(lines.filter((line) => line.includes('"delivery rejected"'))).toHaveLength(10_000);

		const response = await send("/api/admin/rejections", {
			headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
		});
		const body = await response.json<{
			total: number;
			data: { hour: string; provider: string; reason: string; count: number }[];
		}>();
		expect(response.status).toBe(200);
		// The per-endpoint tests' refusals too (the one D1 could not count is not there).
		expect(body.total).toBe(10_000 + FORGERIES.length * 25);
		expect(body.data.length).toBeLessThanOrEqual(FORGERIES.length * 2);
		expect(body.data[0]?.hour).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00Z$/);
	}, 120_000);
});
