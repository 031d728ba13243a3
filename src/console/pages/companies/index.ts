// /console/companies: mounts the company list, each company's page and the POST routes of its
// sections (handed the page to render a failed form again). Forms are checked with the API's zod schemas.
import { Hono } from "hono";
import type { Dispatch } from "../../../operator/test-lead";
import type { ConsoleEnv } from "../../console-env";
import { companyListRoutes } from "./company-list";
import { companyPage } from "./company-page";
import { companyId } from "./company-route";
import { settingsRoutes } from "./company-settings";
import { destinationRoutes } from "./destinations";
import { accountRoutes } from "./integration-accounts";
import { notificationRoutes } from "./notifications";
import { repRoutes } from "./reps";
import { routingRoutes } from "./routing";
import { salesforceRoutes } from "./salesforce";
import { testLeadRoutes } from "./test-lead";

export function companyPages(dispatch: Dispatch) {
	return new Hono<ConsoleEnv>()
		.route("/", companyListRoutes)
		.get("/:id", (c) => companyPage(c, companyId(c)))
		.route("/", settingsRoutes(companyPage))
		.route("/", repRoutes(companyPage))
		.route("/", routingRoutes(companyPage))
		.route("/", accountRoutes(companyPage))
		.route("/", salesforceRoutes(companyPage))
		.route("/", destinationRoutes(companyPage))
		.route("/", notificationRoutes(companyPage))
		.route("/", testLeadRoutes(dispatch));
}
