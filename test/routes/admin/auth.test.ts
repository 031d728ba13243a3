// The admin API's door: Bearer ADMIN_TOKEN (401 otherwise), and 403 admin_disabled with no token set.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { createApp } from "../../../src/app";
import { type ErrorEnvelope, rawAdmin } from "../../support/admin-api";
import { count } from "../../support/factories";
import { admin } from "../../support/requests";
import { TEST_ADMIN_TOKEN } from "../../support/secrets";

async function withoutAdminToken(path: string, init: RequestInit): Promise<Response> {
	const ctx = createExecutionContext();
	const response = await createApp().request(path, init, { ...env, ADMIN_TOKEN: "" }, ctx);
	await waitOnExecutionContext(ctx);
	return response;
}

describe("admin auth", () => {
	it("answers 401 with the error envelope when there is no Authorization header", async ({
		expect,
	}) => {
		const response = await rawAdmin("/companies");
		expect(response.status).toBe(401);
		expect(response.headers.get("WWW-Authenticate")).toContain("Bearer");
		const body = await response.json<ErrorEnvelope>();
		expect(body.error.code).toBe("unauthorized");
	});

	it("answers 401 to a wrong token and to a non-Bearer scheme", async ({ expect }) => {
		for (const authorization of ["Bearer not-the-token", `Basic ${TEST_ADMIN_TOKEN}`, "Bearer"]) {
			const response = await rawAdmin("/companies", { headers: { Authorization: authorization } });
			expect(response.status, authorization).toBe(401);
			const body = await response.json<ErrorEnvelope>();
			expect(body.error.code, authorization).toBe("unauthorized");
		}
	});

	it("runs nothing for an unauthenticated write", async ({ expect }) => {
		const before = await count("companies");
		const response = await rawAdmin("/companies", {
			method: "POST",
			headers: { Authorization: "Bearer nope", "Content-Type": "application/json" },
			body: JSON.stringify({ name: "Intruder Ltd" }),
		});
		expect(response.status).toBe(401);
		expect(await count("companies")).toBe(before);
	});

	it("lets the right token through", async ({ expect }) => {
		const response = await admin("/companies");
		expect(response.status).toBe(200);
		expect(response.headers.get("X-Request-Id")).toBeTruthy();
	});

	it("answers with nosniff and no-store, a 401 included: answers hold leads' data", async ({
		expect,
	}) => {
		for (const response of [await admin("/companies"), await rawAdmin("/companies")]) {
			expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
			expect(response.headers.get("Cache-Control")).toBe("no-store");
			expect(response.headers.get("X-Frame-Options")).toBe("SAMEORIGIN");
		}
	});

	it("guards unknown admin paths too, then answers 404", async ({ expect }) => {
		expect((await rawAdmin("/nowhere")).status).toBe(401);
		const response = await admin("/nowhere");
		expect(response.status).toBe(404);
		expect((await response.json<ErrorEnvelope>()).error.code).toBe("not_found");
	});

	it("answers 403 admin_disabled to every request when ADMIN_TOKEN is not set", async ({
		expect,
	}) => {
		const requests: [string, RequestInit][] = [
			["/api/admin/companies", {}],
			["/api/admin/companies", { headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } }],
			["/api/admin/logs/1", { headers: { Authorization: "Bearer " } }],
		];
		for (const [path, init] of requests) {
			const response = await withoutAdminToken(path, init);
			expect(response.status, path).toBe(403);
			expect(await response.json()).toEqual({
				error: {
					code: "admin_disabled",
					message:
						"The admin API is disabled: set the ADMIN_TOKEN secret (wrangler secret put ADMIN_TOKEN)",
				},
			});
		}
	});
});
