// /api/admin — the operator API (Bearer ADMIN_TOKEN). Resources are mounted here.
import { Hono } from "hono";
import type { AppEnv } from "../../app-env";

export const adminRoutes = new Hono<AppEnv>({ strict: false });
