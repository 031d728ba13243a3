// /api/admin/unresolved — leads that failed and are not clients yet: the open ones (newest first),
// grouped by cause with counts, dismiss one with a reason, and "route and replay" a routing key.
import { Hono } from "hono";
import { orNotFound } from "../../errors";
import type { AppEnv } from "../../http/app-env";
import { pageBody, pageRequest } from "../../http/pagination";
import {
	dismissBody,
	routeBody,
	unresolvedFilter,
	unresolvedGroupJson,
	unresolvedJson,
	unresolvedListQuery,
} from "../../http/schemas/unresolved";
import { idParam, validate } from "../../http/validate";
import { operatorContext } from "../../operator/context";
import { dismissLead, routeAndReplay } from "../../operator/unresolved";
import { getUnresolved, listUnresolved, listUnresolvedGroups } from "../../storage/unresolved";
import { accountJson } from "./integration-accounts";

export const unresolvedRoutes = new Hono<AppEnv>()
	.get("/", validate("query", unresolvedListQuery), async (c) => {
		const query = c.req.valid("query");
		const page = await listUnresolved(c.var.db, unresolvedFilter(query), pageRequest(query));
		return c.json(pageBody(page, unresolvedJson));
	})
	.get("/groups", async (c) => {
		const groups = await listUnresolvedGroups(c.var.db);
		return c.json({ data: groups.map(unresolvedGroupJson) });
	})
	.post("/route", validate("json", routeBody), async (c) => {
		const body = c.req.valid("json");
		const result = await routeAndReplay(operatorContext(c), {
			provider: body.provider,
			routingKey: body.routing_key,
			companyId: body.company_id,
		});
		return c.json({
			integration_account: accountJson(result.account),
			mapping_created: result.mapped,
			replayed: result.replayed,
			clients_created: result.clientsCreated,
			still_unresolved: result.stillUnresolved,
		});
	})
	.get("/:id", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		return c.json(
			unresolvedJson(orNotFound(await getUnresolved(c.var.db, id), "unresolved lead", id)),
		);
	})
	.post("/:id/dismiss", validate("param", idParam), validate("json", dismissBody), async (c) => {
		const { id } = c.req.valid("param");
		const lead = await dismissLead(operatorContext(c), id, c.req.valid("json").reason);
		return c.json(unresolvedJson(lead));
	});
