// /api/admin/lead-batches — big deliveries ingested in chunks: the list (newest first) and one batch
// with each chunk's progress, so an operator sees a batch in flight, finished, or a chunk that fails.
import { Hono } from "hono";
import { z } from "zod";
import { orNotFound } from "../../errors";
import type { AppEnv } from "../../http/app-env";
import { pageBody, pageQueryShape, pageRequest } from "../../http/pagination";
import { idParam, validate } from "../../http/validate";
import {
	type ChunkProgress,
	getLeadBatch,
	type LeadBatchRow,
	listLeadBatches,
} from "../../storage/lead-batches";

function batchJson(batch: LeadBatchRow) {
	return {
		id: batch.id,
		provider: batch.provider,
		request_id: batch.requestId,
		url_company_id: batch.urlCompanyId,
		status: batch.status,
		leads: batch.leads,
		chunks: batch.chunks,
		chunks_done: batch.chunksDone,
		created: batch.created,
		duplicates: batch.duplicates,
		failed: batch.failed,
		created_at: batch.createdAt,
		finished_at: batch.finishedAt,
	};
}

function chunkJson(chunk: ChunkProgress) {
	return {
		seq: chunk.seq,
		leads: chunk.leads,
		status: chunk.status,
		attempts: chunk.attempts,
		last_error: chunk.lastError,
		created: chunk.created,
		duplicates: chunk.duplicates,
		failed: chunk.failed,
		done_at: chunk.doneAt,
	};
}

export const leadBatchRoutes = new Hono<AppEnv>()
	.get("/", validate("query", z.object(pageQueryShape)), async (c) => {
		const query = c.req.valid("query");
		return c.json(pageBody(await listLeadBatches(c.var.db, pageRequest(query)), batchJson));
	})
	.get("/:id", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		const found = orNotFound(await getLeadBatch(c.var.db, id), "lead batch", id);
		return c.json({ ...batchJson(found.batch), chunk_list: found.chunks.map(chunkJson) });
	});
