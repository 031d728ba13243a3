// Big deliveries in D1: stored raw in chunks before the answer, claimed chunk by chunk by the queue
// consumer or the cron, and marked done in the very batch that writes the chunk's clients and logs,
// so a chunk run twice (a redelivered message, a crash after the commit) writes nothing twice.
import { desc, eq, lt, type SQL, sql } from "drizzle-orm";
import {
	type BatchQuery,
	type Db,
	guarded,
	prepared,
	runBatch,
	StorageUnavailableError,
} from "./db";
import { type Page, type PageRequest, toPage } from "./pages";
import { type LeadBatchStatus, leadBatchChunks, leadBatches } from "./schema";

export interface NewChunk {
	/** The chunk's exact slice of the raw body. */
	body: string;
	itemsFrom: number;
	itemsTo: number;
	leads: number;
}

export interface NewLeadBatch {
	requestId: string;
	provider: string;
	leadList: string;
	urlCompanyId: number | null;
	leads: number;
	chunks: NewChunk[];
}

export interface ChunkRef {
	batchId: number;
	/** 1-based, in the delivery's order. */
	seq: number;
}

/** D1 binds at most 100 values per statement: chunk rows go 5 values each, plus the request id. */
const CHUNK_ROWS_PER_INSERT = 19;

/** Stores the batch and all its chunks in one D1 batch (all or nothing); returns the batch's id. */
export function storeLeadBatch(db: Db, batch: NewLeadBatch): Promise<number> {
	const insertBatch = sql`
		INSERT INTO lead_batches (provider, request_id, url_company_id, lead_list, leads, chunks)
		VALUES (${batch.provider}, ${batch.requestId}, ${batch.urlCompanyId}, ${batch.leadList},
			${batch.leads}, ${batch.chunks.length})
		RETURNING id`;
	const inserts: BatchQuery[] = [insertBatch];
	for (let from = 0; from < batch.chunks.length; from += CHUNK_ROWS_PER_INSERT) {
		const rows = batch.chunks
			.slice(from, from + CHUNK_ROWS_PER_INSERT)
			.map(
				(chunk, i) =>
					sql`(${from + i + 1}, ${chunk.body}, ${chunk.itemsFrom}, ${chunk.itemsTo}, ${chunk.leads})`,
			);
		inserts.push(sql`
			INSERT INTO lead_batch_chunks (batch_id, seq, body, items_from, items_to, leads)
			SELECT b.id, v.column1, v.column2, v.column3, v.column4, v.column5
			FROM (VALUES ${sql.join(rows, sql`, `)}) AS v
			CROSS JOIN lead_batches AS b WHERE b.request_id = ${batch.requestId}`);
	}
	return guarded(async () => {
		const [inserted] = await runBatch(db, inserts);
		const id = (inserted?.[0] as { id?: number } | undefined)?.id;
		if (id === undefined) throw new Error("lead batch not stored");
		return id;
	});
}

/** A pending chunk as its run needs it, with its batch's facts. */
export interface ClaimedChunk extends ChunkRef {
	body: string;
	itemsFrom: number;
	itemsTo: number;
	leads: number;
	/** Runs started, this one included. */
	attempts: number;
	lastError: string | null;
	provider: string;
	requestId: string;
	urlCompanyId: number | null;
	leadList: string;
	chunks: number;
}

const claimChunkQuery = prepared(
	() => sql`
		UPDATE lead_batch_chunks SET attempts = attempts + 1
		WHERE batch_id = ${sql.placeholder("batchId")} AND seq = ${sql.placeholder("seq")}
			AND status = 'pending' AND body IS NOT NULL
		RETURNING batch_id AS batchId, seq, body, items_from AS itemsFrom, items_to AS itemsTo, leads,
			attempts, last_error AS lastError`,
);

const batchFactsQuery = prepared(
	() => sql`
		SELECT provider, request_id AS requestId, url_company_id AS urlCompanyId,
			lead_list AS leadList, chunks
		FROM lead_batches WHERE id = ${sql.placeholder("batchId")}`,
);

/**
 * Counts a run of a pending chunk and reads it; undefined when the chunk is done already (or
 * unknown). The count is what lets a chunk that keeps failing end as failure logs (see intake).
 */
export function claimChunk(db: Db, ref: ChunkRef): Promise<ClaimedChunk | undefined> {
	return guarded(async () => {
		const [chunkRows, batchRows] = await runBatch(db, [
			claimChunkQuery({ ...ref }),
			batchFactsQuery({ batchId: ref.batchId }),
		]);
		const chunk = chunkRows?.[0] as Omit<ClaimedChunk, keyof BatchFacts> | undefined;
		const facts = batchRows?.[0] as BatchFacts | undefined;
		return chunk && facts ? { ...chunk, ...facts } : undefined;
	});
}

type BatchFacts = Pick<
	ClaimedChunk,
	"provider" | "requestId" | "urlCompanyId" | "leadList" | "chunks"
>;

const countLogs = (status: string) => sql`(SELECT count(*) FROM integration_logs
	WHERE request_id = ${sql.placeholder("receiptId")} AND status = ${status})`;

/**
 * Marks the chunk done with the counts of the logs its receipt wrote; when the chunk is not pending
 * any more its status would become NULL, so the NOT NULL constraint aborts the whole batch: a chunk
 * already written by an earlier run (or a concurrent one) writes nothing again.
 */
const markChunkDone = prepared(
	() => sql`
		UPDATE lead_batch_chunks SET status = CASE WHEN status = 'pending' THEN 'done' END,
			body = NULL, done_at = ${sql.placeholder("now")},
			created = ${countLogs("success")}, duplicates = ${countLogs("duplicate")},
			failed = ${countLogs("failure")}
		WHERE batch_id = ${sql.placeholder("batchId")} AND seq = ${sql.placeholder("seq")}`,
);

/** Adds the chunk's counts to its batch; the last chunk done finishes the batch. */
const addToBatch = prepared(() => {
	const chunkColumn = (column: SQL) => sql`(SELECT ${column} FROM lead_batch_chunks
		WHERE batch_id = ${sql.placeholder("batchId")} AND seq = ${sql.placeholder("seq")})`;
	const last = sql`chunks_done + 1 >= chunks`;
	return sql`
		UPDATE lead_batches SET chunks_done = chunks_done + 1,
			created = created + ${chunkColumn(sql`created`)},
			duplicates = duplicates + ${chunkColumn(sql`duplicates`)},
			failed = failed + ${chunkColumn(sql`failed`)},
			status = CASE WHEN ${last} THEN 'done' ELSE status END,
			finished_at = CASE WHEN ${last} THEN ${sql.placeholder("now")} ELSE finished_at END
		WHERE id = ${sql.placeholder("batchId")}`;
});

/**
 * The statements that close a chunk, to run last in the batch that writes its receipt (after its
 * logs): written together or not at all.
 */
export function chunkDoneStatements(ref: ChunkRef, receiptId: string, now: Date): BatchQuery[] {
	const values = { ...ref, receiptId, now: now.toISOString() };
	return [markChunkDone(values), addToBatch(values)];
}

/** True when a batch aborted because its chunk was done already (see markChunkDone). */
export function isChunkAlreadyDone(error: unknown): boolean {
	const cause = error instanceof StorageUnavailableError ? error.cause : error;
	return /NOT NULL constraint failed: lead_batch_chunks\.status/.test(String(cause));
}

/** Keeps why the chunk's last run failed, for the operator (best effort: D1 may be why). */
export async function recordChunkError(db: Db, ref: ChunkRef, error: string): Promise<void> {
	await guarded(() =>
		db.d1
			.prepare("UPDATE lead_batch_chunks SET last_error = ? WHERE batch_id = ? AND seq = ?")
			.bind(error.slice(0, 500), ref.batchId, ref.seq)
			.run(),
	);
}

/**
 * Pending chunks, fewest runs first (lead_batch_chunks_pending_idx): the cron's pick. `storedBefore`
 * leaves younger chunks to the queue.
 */
export function pendingChunks(
	db: Db,
	{ limit, storedBefore }: { limit: number; storedBefore?: Date },
): Promise<ChunkRef[]> {
	const age = storedBefore ? sql`AND created_at < ${storedBefore.toISOString()}` : sql``;
	return guarded(async () => {
		const [rows] = await runBatch(db, [
			sql`SELECT batch_id AS batchId, seq FROM lead_batch_chunks
				WHERE status = 'pending' ${age} ORDER BY attempts, batch_id, seq LIMIT ${limit}`,
		]);
		return (rows ?? []) as ChunkRef[];
	});
}

export type LeadBatchRow = typeof leadBatches.$inferSelect;

export interface ChunkProgress {
	seq: number;
	leads: number;
	status: LeadBatchStatus;
	attempts: number;
	lastError: string | null;
	created: number | null;
	duplicates: number | null;
	failed: number | null;
	doneAt: string | null;
}

/** The newest batches first (keyset pages by id). */
export function listLeadBatches(db: Db, page: PageRequest): Promise<Page<LeadBatchRow>> {
	return guarded(async () => {
		const rows = await db.orm
			.select()
			.from(leadBatches)
			.where(page.beforeId === undefined ? undefined : lt(leadBatches.id, page.beforeId))
			.orderBy(desc(leadBatches.id))
			.limit(page.limit + 1);
		return toPage(rows, page.limit);
	});
}

/** One batch with every chunk's progress (never the bodies). */
export function getLeadBatch(
	db: Db,
	id: number,
): Promise<{ batch: LeadBatchRow; chunks: ChunkProgress[] } | undefined> {
	const { orm } = db;
	return guarded(async () => {
		const [batches, chunks] = await orm.batch([
			orm.select().from(leadBatches).where(eq(leadBatches.id, id)),
			orm
				.select({
					seq: leadBatchChunks.seq,
					leads: leadBatchChunks.leads,
					status: leadBatchChunks.status,
					attempts: leadBatchChunks.attempts,
					lastError: leadBatchChunks.lastError,
					created: leadBatchChunks.created,
					duplicates: leadBatchChunks.duplicates,
					failed: leadBatchChunks.failed,
					doneAt: leadBatchChunks.doneAt,
				})
				.from(leadBatchChunks)
				.where(eq(leadBatchChunks.batchId, id))
				.orderBy(leadBatchChunks.seq),
		]);
		const [batch] = batches;
		return batch && { batch, chunks };
	});
}
