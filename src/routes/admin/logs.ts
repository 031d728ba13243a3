// /api/admin/logs — integration logs, newest first. Lists flag `has_payload` but leave payloads out;
// GET /logs/:id returns the raw payload so an operator can replay a failed receipt.
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../app-env";
import {
	getLog,
	LOG_STATUSES,
	type LogDetail,
	type LogSummary,
	listLogs,
} from "../../storage/log-queries";
import { orNotFound } from "./http-errors";
import { pageBody, pageQueryShape, pageRequest } from "./pagination";
import { idParam, idSchema, validate } from "./validate";

const listQuery = z.object({
	company_id: idSchema.optional(),
	status: z.enum(LOG_STATUSES).optional(),
	action: z.string().min(1).max(64).optional(),
	...pageQueryShape,
});

export function logJson(log: LogSummary) {
	return {
		id: log.id,
		company_id: log.companyId,
		provider: log.provider,
		action: log.action,
		status: log.status,
		message: log.message,
		external_id: log.externalId,
		request_id: log.requestId,
		created_at: log.createdAt,
		has_payload: log.hasPayload,
	};
}

function logDetailJson(log: LogDetail) {
	return { ...logJson(log), payload: log.payload };
}

export const logRoutes = new Hono<AppEnv>()
	.get("/", validate("query", listQuery), async (c) => {
		const query = c.req.valid("query");
		const filter = { companyId: query.company_id, status: query.status, action: query.action };
		const page = await listLogs(c.var.db, filter, pageRequest(query));
		return c.json(pageBody(page, logJson));
	})
	.get("/:id", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		return c.json(logDetailJson(orNotFound(await getLog(c.var.db, id), "log", id)));
	});
