// /api/admin/forwards — Salesforce forwards: list (by status, company), one with its attempts, and
// retry one or every forward of a company (sent at once). A retried forward starts a fresh schedule.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import type { AppEnv } from "../../app-env";
import { deliverCompanyForwards, deliverDeps, dispatchForwards } from "../../forwarders/deliver";
import { companyExists } from "../../storage/companies";
import {
	type AttemptRecord,
	FORWARD_STATUSES,
	type ForwardRecord,
	getForward,
	listForwards,
	retryCompanyForwards,
	retryForward,
} from "../../storage/forward-queries";
import { FORWARD_LOG_ACTION } from "../../storage/forwards";
import { notFound, orNotFound } from "./http-errors";
import { pageBody, pageQueryShape, pageRequest } from "./pagination";
import { bodyIdSchema, idParam, idSchema, validate } from "./validate";

const listQuery = z.object({
	company_id: idSchema.optional(),
	status: z.enum(FORWARD_STATUSES).optional(),
	...pageQueryShape,
});

const retryAllBody = z.strictObject({ company_id: bodyIdSchema });

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
	.get("/", validate("query", listQuery), async (c) => {
		const query = c.req.valid("query");
		const filter = { companyId: query.company_id, status: query.status };
		const page = await listForwards(c.var.db, filter, pageRequest(query));
		return c.json(pageBody(page, forwardJson));
	})
	.post("/retry", validate("json", retryAllBody), async (c) => {
		const { company_id: companyId } = c.req.valid("json");
		if (!(await companyExists(c.var.db, companyId))) throw notFound("company", companyId);
		const retried = await retryCompanyForwards(c.var.db, companyId);
		const log = c.var.log.with({ action: FORWARD_LOG_ACTION, companyId });
		log.info("forwards requeued", { received: retried });
		// Sent now by the cron's own drain of the company's connection; what it leaves, the cron takes.
		if (retried > 0) {
			const deps = deliverDeps(c.env, c.var.config, c.var.log);
			c.executionCtx.waitUntil(
				deliverCompanyForwards(deps, companyId, new Date()).catch((error: unknown) =>
					log.error("salesforce send failed; the cron retries", { error: String(error) }),
				),
			);
		}
		return c.json({ retried });
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
		const forward = await retryForward(c.var.db, id);
		if (!forward) {
			orNotFound(await getForward(c.var.db, id), "forward", id);
			throw new HTTPException(409, { message: `forward ${id} is not failed or dead` });
		}
		// Sent now, like a new lead; the cron takes it otherwise.
		await dispatchForwards(c.executionCtx, deliverDeps(c.env, c.var.config, c.var.log), [
			forward.clientId,
		]);
		return c.json(forwardJson(forward));
	});
