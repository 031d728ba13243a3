// /api/admin/forwards — Salesforce forwards: list (by status, company), one with its attempts, and
// retry one or every forward of a company (sent at once). A retried forward starts a fresh schedule.
import { Hono } from "hono";
import { orNotFound } from "../../errors";
import type { AppEnv } from "../../http/app-env";
import { pageBody, pageRequest } from "../../http/pagination";
import { forwardFilter, forwardListQuery, retryAllBody } from "../../http/schemas/forwards";
import { idParam, validate } from "../../http/validate";
import { retryAllForwards, retryOneForward } from "../../operator/actions";
import { operatorContext } from "../../operator/context";
import {
	type AttemptRecord,
	type ForwardRecord,
	getForward,
	listForwards,
} from "../../storage/forward-queries";

export function forwardJson(forward: ForwardRecord) {
	return {
		id: forward.id,
		client_id: forward.clientId,
		company_id: forward.companyId,
		destination: forward.destination,
		status: forward.status,
		attempts: forward.attempts,
		next_attempt_at: forward.nextAttemptAt,
		last_error_code: forward.lastErrorCode,
		last_error: forward.lastError,
		remote_id: forward.remoteId,
		created_at: forward.createdAt,
		updated_at: forward.updatedAt,
	};
}

function attemptJson(attempt: AttemptRecord) {
	return {
		attempt_number: attempt.attemptNumber,
		outcome: attempt.outcome,
		http_status: attempt.httpStatus,
		error_code: attempt.errorCode,
		duration_ms: attempt.durationMs,
		trigger: attempt.trigger,
		created_at: attempt.createdAt,
	};
}

export const forwardRoutes = new Hono<AppEnv>()
	.get("/", validate("query", forwardListQuery), async (c) => {
		const query = c.req.valid("query");
		const page = await listForwards(c.var.db, forwardFilter(query), pageRequest(query));
		return c.json(pageBody(page, forwardJson));
	})
	.post("/retry", validate("json", retryAllBody), async (c) => {
		const { company_id: companyId } = c.req.valid("json");
		return c.json({ retried: await retryAllForwards(operatorContext(c), companyId) });
	})
	.get("/:id", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		const found = orNotFound(await getForward(c.var.db, id), "forward", id);
		return c.json({
			...forwardJson(found.forward),
			attempt_history: found.attempts.map(attemptJson),
		});
	})
	.post("/:id/retry", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		return c.json(forwardJson(await retryOneForward(operatorContext(c), id)));
	});
