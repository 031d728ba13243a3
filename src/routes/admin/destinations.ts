// /api/admin/companies/:id/destinations — a company's destinations: list, add or edit one kind
// (PUT, which also switches it back on), test it (its check() now) and switch it off. Secrets are
// sealed on the way in and never come back out, except a generated webhook signing secret, once.
import { Hono } from "hono";
import { z } from "zod";
import { DESTINATION_KINDS } from "../../forwarders/destination-kinds";
import type { AppEnv } from "../../http/app-env";
import { destinationJson } from "../../http/schemas/destinations";
import { idSchema, validate } from "../../http/validate";
import { operatorContext } from "../../operator/context";
import {
	destinationBody,
	saveDestination,
	switchOffDestination,
	testDestination,
} from "../../operator/destinations";
import { destinationForwardCounts, listCompanyDestinations } from "../../storage/destinations";
import { SALESFORCE_DESTINATION } from "../../storage/forwards";

const kindParam = z.object({ id: idSchema, kind: z.string().regex(/^[a-z_]{1,32}$/) });

export const companyDestinationRoutes = new Hono<AppEnv>()
	.get("/", validate("param", z.object({ id: idSchema })), async (c) => {
		const { id } = c.req.valid("param");
		const [rows, counts] = await Promise.all([
			listCompanyDestinations(c.var.db, id),
			destinationForwardCounts(c.var.db, id),
		]);
		return c.json({
			data: rows.map((row) => destinationJson(row, counts.get(row.kind))),
			kinds: [SALESFORCE_DESTINATION, ...DESTINATION_KINDS],
		});
	})
	.put("/:kind", validate("param", kindParam), validate("json", destinationBody), async (c) => {
		const { id, kind } = c.req.valid("param");
		const saved = await saveDestination(operatorContext(c), id, kind, c.req.valid("json"));
		const json = destinationJson(saved.row);
		const answer = saved.generatedSecrets ? { ...json, secrets: saved.generatedSecrets } : json;
		return c.json(answer, saved.created ? 201 : 200);
	})
	.post("/:kind/test", validate("param", kindParam), async (c) => {
		const { id, kind } = c.req.valid("param");
		return c.json(await testDestination(operatorContext(c), id, kind));
	})
	.post("/:kind/off", validate("param", kindParam), async (c) => {
		const { id, kind } = c.req.valid("param");
		return c.json(destinationJson(await switchOffDestination(operatorContext(c), id, kind)));
	});
