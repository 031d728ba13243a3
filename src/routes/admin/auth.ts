// Guards every /api/admin route: 403 admin_disabled while no ADMIN_TOKEN is set, otherwise
// `Authorization: Bearer <ADMIN_TOKEN>` checked by hono/bearer-auth (constant-time compare).
import { bearerAuth } from "hono/bearer-auth";
import { createMiddleware } from "hono/factory";
import { errorBody } from "../../errors";
import type { AppEnv } from "../../http/app-env";

const ADMIN_DISABLED = {
	error: {
		code: "admin_disabled",
		message:
			"The admin API is disabled: set the ADMIN_TOKEN secret (wrangler secret put ADMIN_TOKEN)",
	},
};

/** Every auth failure is a 401 with the JSON envelope (bearer-auth would answer 400 to a bad header). */
function unauthorized(message: string) {
	return () => Response.json(errorBody(401, message), { status: 401 });
}

const FAILURES = {
	noAuthenticationHeader: { message: unauthorized("missing Authorization: Bearer token") },
	invalidAuthenticationHeader: { message: unauthorized("malformed Authorization header") },
	invalidToken: { message: unauthorized("invalid admin token") },
};

export const requireAdminToken = createMiddleware<AppEnv>(async (c, next) => {
	const token = c.var.config.adminToken;
	if (token === undefined) return c.json(ADMIN_DISABLED, 403);
	return bearerAuth<AppEnv>({ token, ...FAILURES })(c, next);
});
