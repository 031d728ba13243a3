// GET /health answers without touching storage; unknown paths get the JSON 404 envelope.
import { exports } from "cloudflare:workers";
import { describe, it } from "vitest";

describe("health and unknown routes", () => {
	it("answers /health with ok and a request id", async ({ expect }) => {
		const response = await exports.default.fetch("https://relay.test/health");
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ ok: true });
		expect(response.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
	});

	it("answers an unknown path with a JSON 404", async ({ expect }) => {
		const response = await exports.default.fetch(
			"https://relay.test/api/integrations/webhooks/nope",
			{
				method: "POST",
			},
		);
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual({
			error: { code: "not_found", message: "no route for POST /api/integrations/webhooks/nope" },
		});
	});
});
