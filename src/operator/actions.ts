// The operator's actions shared by the operator API (src/routes/admin) and the console
// (src/console): one implementation each, so a rule (what may be retried, replayed, mapped) lives
// once. Request aborts are HTTPExceptions, as the API answers them; the console shows their message.
import { HTTPException } from "hono/http-exception";
import { isLoopbackUrl } from "../config";
import { conflict, notFound, orNotFound, unknownCompany } from "../errors";
import { deliverCompanyForwards, deliverDeps, dispatchForwards } from "../forwarders/deliver";
import { webhookUrls } from "../http/webhook-urls";
import { checkReplayable, replayLog } from "../intake/replay";
import type { ReplayResult } from "../intake/replay-context";
import { companyExists, getCompany } from "../storage/companies";
import { createEmployee, type Employee } from "../storage/employees";
import {
	type ForwardRecord,
	getForward,
	retryCompanyForwards,
	retryForward,
} from "../storage/forward-queries";
import { FORWARD_LOG_ACTION } from "../storage/forwards";
import {
	type AccountWrite,
	createAccount,
	type IntegrationAccount,
	updateAccount,
} from "../storage/integration-accounts";
import { getLog, type LogSummary } from "../storage/log-queries";
import type { OperatorContext } from "./context";

/** Replays one failed receipt (POST /api/admin/logs/:id/replay); 404 unknown, 409 not replayable. */
export async function replayOneLog(
	ctx: OperatorContext,
	id: number,
): Promise<{ log: LogSummary; result: ReplayResult; updated: LogSummary }> {
	const log = orNotFound(await getLog(ctx.db, id), "log", id);
	const replayable = checkReplayable(log);
	if ("reason" in replayable) throw conflict(replayable.reason);
	const result = await replayLog(replayContext(ctx), replayable, ctx.requestId);
	const updated = orNotFound(await getLog(ctx.db, id), "log", id);
	return { log, result, updated };
}

export function replayContext(ctx: OperatorContext) {
	return { db: ctx.db, kv: ctx.env.DEDUPE, config: ctx.config, env: ctx.env, now: new Date() };
}

/** Puts one failed or dead forward back in line and sends it now; 404 unknown, 409 not failed. */
export async function retryOneForward(ctx: OperatorContext, id: number): Promise<ForwardRecord> {
	const forward = await retryForward(ctx.db, id);
	if (!forward) {
		orNotFound(await getForward(ctx.db, id), "forward", id);
		throw new HTTPException(409, { message: `forward ${id} is not failed or dead` });
	}
	// Sent now, like a new lead; the cron takes it otherwise.
	await dispatchForwards(ctx.executionCtx, deliverDeps(ctx.env, ctx.config, ctx.log), [
		forward.clientId,
	]);
	return forward;
}

/**
 * Puts every failed and dead forward of a company back in line and sends them now (the cron's own
 * drain of the company's connection; what it leaves, the cron takes); 404 unknown company.
 */
export async function retryAllForwards(ctx: OperatorContext, companyId: number): Promise<number> {
	if (!(await companyExists(ctx.db, companyId))) throw notFound("company", companyId);
	const retried = await retryCompanyForwards(ctx.db, companyId);
	const log = ctx.log.with({ action: FORWARD_LOG_ACTION, companyId });
	log.info("forwards requeued", { received: retried });
	if (retried > 0) {
		const deps = deliverDeps(ctx.env, ctx.config, ctx.log);
		ctx.executionCtx.waitUntil(
			deliverCompanyForwards(deps, companyId, new Date()).catch((error: unknown) =>
				log.error("salesforce send failed; the cron retries", { error: String(error) }),
			),
		);
	}
	return retried;
}

/** The ready-to-paste webhook URLs of a company, signed when WEBHOOK_SIGNING_KEY is set. */
export async function companyWebhookUrls(ctx: OperatorContext, companyId: number) {
	orNotFound(await getCompany(ctx.db, companyId), "company", companyId);
	const { signingKey, publicBaseUrl } = ctx.config.webhooks;
	const urls = await webhookUrls(publicBaseUrl ?? ctx.origin, companyId, signingKey);
	return { signed: signingKey !== undefined, urls };
}

export async function addEmployee(
	ctx: OperatorContext,
	input: { companyId: number; name: string; email?: string | null; isActive?: boolean },
): Promise<Employee> {
	if (!(await companyExists(ctx.db, input.companyId))) throw unknownCompany(input.companyId);
	return createEmployee(ctx.db, input);
}

export async function addIntegrationAccount(
	ctx: OperatorContext,
	input: {
		companyId: number;
		provider: string;
		name: string;
		externalId: string;
		isActive?: boolean;
	},
): Promise<IntegrationAccount> {
	if (!(await companyExists(ctx.db, input.companyId))) throw unknownCompany(input.companyId);
	return savedAccount(await createAccount(ctx.db, input), null);
}

export async function editIntegrationAccount(
	ctx: OperatorContext,
	id: number,
	patch: { companyId?: number; name?: string; externalId?: string; isActive?: boolean },
): Promise<IntegrationAccount> {
	if (patch.companyId !== undefined && !(await companyExists(ctx.db, patch.companyId))) {
		throw unknownCompany(patch.companyId);
	}
	return savedAccount(await updateAccount(ctx.db, id, patch), id);
}

/** The saved account, or the 404/409 the write ran into. */
function savedAccount(write: AccountWrite, id: number | null): IntegrationAccount {
	switch (write.outcome) {
		case "saved":
			return write.account;
		case "duplicate": {
			const owner = write.existingId === null ? "another account" : `account ${write.existingId}`;
			throw conflict(
				`${write.provider} external_id ${write.externalId} is already mapped by integration ${owner}`,
			);
		}
		case "not_found":
			throw notFound("integration account", id ?? 0);
	}
}

/**
 * A 400 naming one field (or a nested one: ["settings", "url"]), shaped like a zod issue so both the
 * API and the console place it.
 */
export function fieldError(field: string | string[], message: string): HTTPException {
	const path = typeof field === "string" ? [field] : field;
	return new HTTPException(400, {
		message: "invalid request",
		cause: { issues: [{ path, message, code: "custom" }] },
	});
}

/** http://127.0.0.1 login URLs only where SALESFORCE_ALLOW_LOOPBACK_HTTP is set (local development). */
export function checkLoginUrlAllowed(ctx: OperatorContext, loginUrl: string): void {
	if (isLoopbackUrl(loginUrl) && !ctx.config.salesforce.allowLoopbackHttp) {
		throw fieldError(
			"login_url",
			"must be an https Salesforce login URL (http://127.0.0.1 needs SALESFORCE_ALLOW_LOOPBACK_HTTP=true, local only)",
		);
	}
}
