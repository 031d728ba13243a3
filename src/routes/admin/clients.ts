// /api/admin/clients — the leads stored in D1, newest first, with phones, assigned rep and answers.
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../app-env";
import { type ClientRecord, getClient, listClients } from "../../storage/client-queries";
import { orNotFound } from "./http-errors";
import { pageBody, pageQueryShape, pageRequest } from "./pagination";
import { idParam, idSchema, validate } from "./validate";

const listQuery = z.object({
	company_id: idSchema.optional(),
	source: z.string().min(1).max(64).optional(),
	...pageQueryShape,
});

export function clientJson(client: ClientRecord) {
	return {
		id: client.id,
		company_id: client.companyId,
		integration_account_id: client.integrationAccountId,
		source: client.source,
		external_id: client.externalId,
		full_name: client.fullName,
		email: client.email,
		form_id: client.formId,
		phones: client.phones,
		assigned_employee: client.assignedEmployee,
		answers: client.answers,
		created_at: client.createdAt,
	};
}

export const clientRoutes = new Hono<AppEnv>()
	.get("/", validate("query", listQuery), async (c) => {
		const query = c.req.valid("query");
		const filter = { companyId: query.company_id, source: query.source };
		const page = await listClients(c.var.db, filter, pageRequest(query));
		return c.json(pageBody(page, clientJson));
	})
	.get("/:id", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		return c.json(clientJson(orNotFound(await getClient(c.var.db, id), "client", id)));
	});
