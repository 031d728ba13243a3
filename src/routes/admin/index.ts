// /api/admin — the operator API (Bearer ADMIN_TOKEN, JSON in and out). Every resource sits behind
// requireAdminToken; one file per resource. Every answer, a 401 included, carries Hono's secure
// headers (nosniff) and Cache-Control: no-store: answers hold leads' personal data.
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../../http/app-env";
import { requireJsonBody } from "../../http/validate";
import { requireAdminToken } from "./auth";
import { backfillRoutes, backfillRunRoutes } from "./backfills";
import { clientRoutes } from "./clients";
import { companyRoutes } from "./companies";
import { companyDestinationRoutes } from "./destinations";
import { employeeRoutes } from "./employees";
import { forwardRoutes } from "./forwards";
import { alertAdminRoutes, healthAdminRoutes } from "./health";
import { integrationAccountRoutes } from "./integration-accounts";
import { leadBatchRoutes } from "./lead-batches";
import { logRoutes } from "./logs";
import { companyNotificationRoutes, notificationChannelRoutes } from "./notifications";
import { overviewRoutes } from "./overview";
import { rejectionRoutes } from "./rejections";
import { routingRoutes } from "./routing";
import { companySalesforceRoutes, salesforceConnectionRoutes } from "./salesforce";
import { statsRoutes } from "./stats";
import { taskRoutes } from "./tasks";
import { unresolvedRoutes } from "./unresolved";

export const adminRoutes = new Hono<AppEnv>({ strict: false })
	.use(secureHeaders())
	.use(async (c, next) => {
		await next();
		c.header("Cache-Control", "no-store");
	})
	.use(requireAdminToken)
	.use(requireJsonBody)
	.route("/companies", companyRoutes)
	.route("/companies/:id/salesforce", companySalesforceRoutes)
	.route("/companies/:id/destinations", companyDestinationRoutes)
	.route("/companies/:id", companyNotificationRoutes)
	.route("/notification-channels", notificationChannelRoutes)
	.route("/companies/:id/routing", routingRoutes)
	.route("/salesforce-connections", salesforceConnectionRoutes)
	.route("/forwards", forwardRoutes)
	.route("/employees", employeeRoutes)
	.route("/integration-accounts", integrationAccountRoutes)
	.route("/clients", clientRoutes)
	.route("/tasks", taskRoutes)
	.route("/logs", logRoutes)
	.route("/unresolved", unresolvedRoutes)
	.route("/overview", overviewRoutes)
	.route("/stats", statsRoutes)
	.route("/rejections", rejectionRoutes)
	.route("/health", healthAdminRoutes)
	.route("/alerts", alertAdminRoutes)
	.route("/backfill", backfillRoutes)
	.route("/backfills", backfillRunRoutes)
	.route("/lead-batches", leadBatchRoutes);
