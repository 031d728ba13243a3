// /api/admin/companies/:id/salesforce — a company's Salesforce connection (PUT sets, GET reads) and
// /api/admin/salesforce-connections — every connection's status. Secrets are sealed on the way in
// and never come back out: answers say only whether each is set.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../../http/app-env";
import { connectionJson } from "../../http/schemas/salesforce";
import { idParam, validate } from "../../http/validate";
import { operatorContext } from "../../operator/context";
import { connectionBody, saveConnection, testConnection } from "../../operator/salesforce";
import {
	type ConnectionRow,
	companyScope,
	forwardCounts,
	forwardCountsByConnection,
	getConnection,
	listConnections,
} from "../../storage/salesforce-connections";

async function withCounts(c: { var: AppEnv["Variables"] }, row: ConnectionRow) {
	return { ...connectionJson(row), forwards: await forwardCounts(c.var.db, row) };
}

export const companySalesforceRoutes = new Hono<AppEnv>()
	.get("/", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		const row = await getConnection(c.var.db, companyScope(id));
		if (!row)
			throw new HTTPException(404, { message: `company ${id} has no Salesforce connection` });
		return c.json(await withCounts(c, row));
	})
	.put("/", validate("param", idParam), validate("json", connectionBody), async (c) => {
		const { id } = c.req.valid("param");
		const { row, created } = await saveConnection(operatorContext(c), id, c.req.valid("json"));
		return c.json(connectionJson(row), created ? 201 : 200);
	})
	.post("/test", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		return c.json(await testConnection(operatorContext(c), id));
	});

export const salesforceConnectionRoutes = new Hono<AppEnv>().get("/", async (c) => {
	const [rows, counts] = await Promise.all([
		listConnections(c.var.db),
		forwardCountsByConnection(c.var.db),
	]);
	return c.json({
		data: rows.map((row) => ({ ...connectionJson(row), forwards: counts.get(row.id) ?? {} })),
	});
});
