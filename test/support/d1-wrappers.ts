// D1 bindings with one behaviour changed, for tests: count statements, fail, or fail mid-batch.
import { env } from "cloudflare:workers";

/** The real D1 with `batch` replaced; every other member passes through. */
function withBatch(batch: (statements: D1PreparedStatement[]) => Promise<D1Result[]>): D1Database {
	return new Proxy(env.DB, {
		get(target, property) {
			if (property === "batch") return batch;
			const value = Reflect.get(target, property);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

/** Real D1 that records how many statements each batch carried. */
export function countingD1(): { db: D1Database; batches: number[] } {
	const batches: number[] = [];
	const db = withBatch((statements) => {
		batches.push(statements.length);
		return env.DB.batch(statements);
	});
	return { db, batches };
}

/** Real D1 that records the SQL of every statement prepared on it. */
export function recordingD1(): { db: D1Database; prepared: string[] } {
	const prepared: string[] = [];
	const db = new Proxy(env.DB, {
		get(target, property) {
			if (property === "prepare") {
				return (query: string) => {
					prepared.push(query);
					return target.prepare(query);
				};
			}
			const value = Reflect.get(target, property);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
	return { db, prepared };
}

/** D1 that is down: every batch rejects, as when D1 is unreachable or overloaded. */
export function unavailableD1(): D1Database {
	return withBatch(async () => {
		throw new Error("D1_ERROR: Network connection lost.");
	});
}

/**
 * D1 refusing the first batch for good, as real D1 does a value over 2,000,000 bytes (local D1 takes
 * it); later batches reach the real D1.
 */
export function tooBigD1(): D1Database {
	let refused = false;
	return withBatch(async (statements) => {
		if (refused) return env.DB.batch(statements);
		refused = true;
		throw new Error("D1_ERROR: string or blob too big: SQLITE_TOOBIG");
	});
}

/**
 * Real D1 whose batches end with a statement that fails, so the earlier statements of the same
 * batch have run and must be rolled back.
 */
export function failingLastStatementD1(): D1Database {
	return withBatch((statements) =>
		env.DB.batch([...statements, env.DB.prepare("INSERT INTO no_such_table VALUES (1)")]),
	);
}

/** Real D1 that runs `change` once, right after its first batch: D1 changing under a delivery. */
export function changingAfterFirstBatch(change: () => Promise<unknown>): D1Database {
	let changed = false;
	return withBatch(async (statements) => {
		const results = await env.DB.batch(statements);
		if (!changed) {
			changed = true;
			await change();
		}
		return results;
	});
}

/**
 * Real D1 whose batch number `lost` (1-based) commits but answers with an error, as when the
 * connection drops after D1 applied the batch.
 */
export function answerLostD1(lost: number): D1Database {
	let calls = 0;
	return withBatch(async (statements) => {
		const results = await env.DB.batch(statements);
		calls += 1;
		if (calls === lost) throw new Error("D1_ERROR: Network connection lost.");
		return results;
	});
}

/** A statement as the storage code sent it: its SQL text and the values bound to it. */
export interface SentStatement {
	sql: string;
	params: unknown[];
}

/**
 * Real D1 that records every statement prepared on it with its bound values, so a test can ask
 * SQLite how it runs exactly what the storage code sent (EXPLAIN QUERY PLAN).
 */
export function capturingD1(): { db: D1Database; sent: SentStatement[] } {
	const sent: SentStatement[] = [];
	const db = new Proxy(env.DB, {
		get(target, property) {
			if (property === "prepare") {
				return (query: string) => {
					const statement = target.prepare(query);
					const entry: SentStatement = { sql: query, params: [] };
					sent.push(entry);
					return new Proxy(statement, {
						get(real, member) {
							if (member === "bind") {
								return (...params: unknown[]) => {
									entry.params = params;
									return real.bind(...params);
								};
							}
							const value = Reflect.get(real, member);
							return typeof value === "function" ? value.bind(real) : value;
						},
					});
				};
			}
			const value = Reflect.get(target, property);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
	return { db, sent };
}

/**
 * Real D1 whose first batch of at least `size` statements commits but answers with an error (a
 * chunk's receipt: its claim and routing reads are smaller), as when the Worker dies after D1 applied
 * the batch; smaller and later batches reach the real D1.
 */
export function answerLostOnBatchOf(size: number): D1Database {
	let lost = false;
	return withBatch(async (statements) => {
		const results = await env.DB.batch(statements);
		if (!lost && statements.length >= size) {
			lost = true;
			throw new Error("D1_ERROR: Network connection lost.");
		}
		return results;
	});
}

/** Real D1 that rejects every batch of at least `size` statements unrun; smaller ones pass. */
export function failingBatchOf(size: number): D1Database {
	return withBatch(async (statements) => {
		if (statements.length >= size) throw new Error("D1_ERROR: Network connection lost.");
		return env.DB.batch(statements);
	});
}

/** Real D1 refusing for good (SQLITE_TOOBIG) its first batch of at least `size` statements. */
export function refusingBatchOf(size: number): D1Database {
	let refused = false;
	return withBatch(async (statements) => {
		if (refused || statements.length < size) return env.DB.batch(statements);
		refused = true;
		throw new Error("D1_ERROR: string or blob too big: SQLITE_TOOBIG");
	});
}
