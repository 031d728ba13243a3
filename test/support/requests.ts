// Builds webhook requests the way providers send them and drives the whole Worker.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { createApp } from "../../src/app";
import { signHmacSha256Hex } from "../../src/security/hmac";
import { TEST_ADMIN_TOKEN, TEST_META_APP_SECRET, TEST_TIKTOK_APP_SECRET } from "./secrets";

export const TIKTOK_PATH = "/api/integrations/webhooks/tiktok-leadgen/";
export const META_PATH = "/api/integrations/webhooks/meta/";

export interface TikTokPostOptions {
	query?: string;
	/** Defaults to the right signature; null sends none. */
	signature?: string | null;
	headers?: Record<string, string>;
}

/** A signed JSON POST: `sign(body)` goes in `header` unless the options give a signature (or null: none). */
async function signedInit(
	body: string,
	header: string,
	sign: (body: string) => Promise<string>,
	options: TikTokPostOptions,
): Promise<RequestInit> {
	const headers: Record<string, string> = {
		"Content-Type": "application/json",
		...options.headers,
	};
	const signature = options.signature === undefined ? await sign(body) : options.signature;
	if (signature !== null) headers[header] = signature;
	return { method: "POST", headers, body };
}

/** A TikTok delivery's RequestInit, signed with the test app secret unless told otherwise. */
export function tiktokInit(body: string, options: TikTokPostOptions = {}): Promise<RequestInit> {
	return signedInit(
		body,
		"X-Open-Signature",
		(text) => signHmacSha256Hex(TEST_TIKTOK_APP_SECRET, text),
		options,
	);
}

/** POSTs a TikTok delivery through the deployed-shape Worker (exports.default.fetch). */
export async function postTikTok(body: string, options: TikTokPostOptions = {}): Promise<Response> {
	return exports.default.fetch(
		`https://relay.test${TIKTOK_PATH}${options.query ?? ""}`,
		await tiktokInit(body, options),
	);
}

/**
 * Drives a fresh app with some bindings replaced (config vars, a failing D1...), waiting for its
 * waitUntil work so KV writes are visible afterwards.
 */
export async function fetchWithEnv(
	overrides: Partial<Env>,
	path: string,
	init: RequestInit,
): Promise<Response> {
	const ctx = createExecutionContext();
	const response = await createApp().request(path, init, { ...env, ...overrides }, ctx);
	await waitOnExecutionContext(ctx);
	return response;
}

/** Calls the operator API with the test admin token. */
export function admin(
	path: string,
	init: { method?: string; body?: unknown } = {},
): Promise<Response> {
	return exports.default.fetch(`https://relay.test/api/admin${path}`, {
		method: init.method ?? "GET",
		headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "Content-Type": "application/json" },
		body: init.body === undefined ? undefined : JSON.stringify(init.body),
	});
}

/** A Meta delivery's RequestInit, signed `sha256=<hex>` with the fixtures' app secret unless told otherwise. */
export function metaInit(body: string, options: TikTokPostOptions = {}): Promise<RequestInit> {
	return signedInit(
		body,
		"X-Hub-Signature-256",
		async (text) => `sha256=${await signHmacSha256Hex(TEST_META_APP_SECRET, text)}`,
		options,
	);
}

/** POSTs a Meta delivery through the Worker (extra bindings in `env`) and waits for its waitUntil work. */
export async function postMeta(
	body: string,
	options: TikTokPostOptions & { env?: Partial<Env> } = {},
): Promise<Response> {
	return fetchWithEnv(
		options.env ?? {},
		`${META_PATH}${options.query ?? ""}`,
		await metaInit(body, options),
	);
}
