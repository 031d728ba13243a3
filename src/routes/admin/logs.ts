// /api/admin/logs — integration logs, newest first. Lists flag `has_payload` but leave payloads out;
// GET /logs/:id returns the raw payload; POST /logs/:id/replay and POST /logs/replay re-run failed
// receipts through today's configuration (src/intake/replay.ts).
import { Hono } from "hono";
import { z } from "zod";
import { orNotFound } from "../../errors";
import type { AppEnv } from "../../http/app-env";
import { cursorSchema, encodeCursor, pageBody, pageRequest } from "../../http/pagination";
import { logFilter, logListQuery } from "../../http/schemas/logs";
import { bodyIdSchema, idParam, validate } from "../../http/validate";
import { checkReplayable, replayLog } from "../../intake/replay";
import type { ReplayResult } from "../../intake/replay-context";
import { replayContext, replayOneLog } from "../../operator/actions";
import { operatorContext } from "../../operator/context";
import {
	getLog,
	type LogDetail,
	type LogSummary,
	listLogs,
	listReplayable,
} from "../../storage/log-queries";
import { type LogReplay, listReplays } from "../../storage/unresolved";

/** Logs per bulk replay call: each replay is a few D1 round trips, well inside one request's limits. */
const MAX_REPLAY_BATCH = 50;

const bulkReplayBody = z.strictObject({
	company_id: bodyIdSchema.optional(),
	action: z.string().min(1).max(64).optional(),
	since: z.iso.datetime({ offset: true }).transform((time) => new Date(time).toISOString()),
	cursor: cursorSchema.optional(),
	limit: z.number().int().min(1).max(MAX_REPLAY_BATCH).default(25),
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
		replayed_at: log.replayedAt,
		replay_outcome: log.replayOutcome,
		replay_request_id: log.replayRequestId,
		url_company_id: log.urlCompanyId,
		cause: log.cause,
		routing_key: log.routingKey,
	};
}

function replayRowJson(replay: LogReplay) {
	return {
		id: replay.id,
		request_id: replay.requestId,
		outcome: replay.outcome,
		message: replay.message,
		created_at: replay.createdAt,
	};
}

function replayJson(log: LogSummary, result: ReplayResult) {
	return { log_id: log.id, outcome: result.outcome, message: result.message };
}

function logDetailJson(log: LogDetail, replays: LogReplay[]) {
	return { ...logJson(log), payload: log.payload, replays: replays.map(replayRowJson) };
}

export const logRoutes = new Hono<AppEnv>()
	.get("/", validate("query", logListQuery), async (c) => {
		const query = c.req.valid("query");
		const page = await listLogs(c.var.db, logFilter(query), pageRequest(query));
		return c.json(pageBody(page, logJson));
	})
	.get("/:id", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		const log = orNotFound(await getLog(c.var.db, id), "log", id);
		return c.json(logDetailJson(log, await listReplays(c.var.db, id)));
	})
	.post("/replay", validate("json", bulkReplayBody), async (c) => {
		const body = c.req.valid("json");
		const filter = {
			companyId: body.company_id,
			action: body.action,
			since: body.since,
			afterId: body.cursor,
		};
		const logs = await listReplayable(c.var.db, filter, body.limit);
		const data: ReturnType<typeof replayJson>[] = [];
		for (const log of logs) {
			const replayable = checkReplayable(log);
			if ("reason" in replayable) {
				data.push({ log_id: log.id, outcome: "failure", message: replayable.reason });
				continue;
			}
			const ctx = replayContext(operatorContext(c));
			data.push(replayJson(log, await replayLog(ctx, replayable, c.var.requestId)));
		}
		const last = logs.at(-1);
		const full = logs.length === body.limit && last !== undefined;
		return c.json({ data, next_cursor: full ? encodeCursor(last.id) : null });
	})
	.post("/:id/replay", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		const { log, result, updated } = await replayOneLog(operatorContext(c), id);
		const replays = await listReplays(c.var.db, id);
		return c.json({
			...replayJson(log, result),
			log: logJson(updated),
			replays: replays.map(replayRowJson),
		});
	});
