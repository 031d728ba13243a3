// Builds webhook requests the way providers send them and drives the whole Worker.
import { exports } from "cloudflare:workers";
import { signHmacSha256Hex } from "../../src/providers/signature";
import { TEST_ADMIN_TOKEN, TEST_TIKTOK_APP_SECRET } from "./secrets";

export const TIKTOK_PATH = "/api/integrations/webhooks/tiktok-leadgen/";

/** POSTs a TikTok delivery signed with the test app secret (or the given signature). */
export async function postTikTok(
	body: string,
	options: { query?: string; signature?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
	const headers: Record<string, string> = {
		"Content-Type": "application/json",
		...options.headers,
	};
	const signature =
		options.signature === undefined
			? await signHmacSha256Hex(TEST_TIKTOK_APP_SECRET, body)
			: options.signature;
	if (signature !== null) headers["X-Open-Signature"] = signature;
	return exports.default.fetch(`https://relay.test${TIKTOK_PATH}${options.query ?? ""}`, {
		method: "POST",
		headers,
		body,
	});
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
