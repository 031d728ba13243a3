// The Worker's fetch: webhook deliveries go to the app of webhook routes alone (RegExpRouter), every
// other path to the whole app; both answer with the same middleware, 404 envelope and request ids.
import { env, exports } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createApp } from "../src/app";
import { TEST_ADMIN_TOKEN } from "./support/secrets";

describe("createFetch", () => {
	it("keeps the webhook routes within what RegExpRouter can match", async ({ expect }) => {
		// RegExpRouter compiles on the first match and throws for routes it cannot take.
		const response = await createApp("webhooks").request(
			"/api/integrations/webhooks/meta/",
			{},
			env,
		);
		expect(response.status).toBe(403);
	});

	it("serves the operator API on the whole app, even with a webhook path in its query", async ({
		expect,
	}) => {
		const response = await exports.default.fetch(
			"https://relay.test/api/admin/companies?next=/api/integrations/webhooks/",
			{ headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } },
		);
		expect(response.status).toBe(200);
		expect(response.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
	});

	it("serves /health on the whole app and a Meta handshake on the webhook app", async ({
		expect,
	}) => {
		const health = await exports.default.fetch("https://relay.test/health");
		const handshake = await exports.default.fetch(
			"https://relay.test/api/integrations/webhooks/meta/?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
		);
		expect(health.status).toBe(200);
		expect(handshake.status).toBe(403);
		expect(handshake.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
	});
});
