// In-memory stand-ins for the Worker bindings, for measuring handler CPU on Node: a D1 whose batches
// answer instantly with plausible rows, a Map-backed KV and an ExecutionContext that keeps waitUntil work.

/** The one company every bench lead routes to (default account exists, no Salesforce connection). */
export const BENCH_COMPANY = { id: 1, defaultCountry: null, autoAssign: 0, defaultAccountId: 1 };

/** storage/routing.ts's snapshot row for BENCH_COMPANY: [accounts, companies] and default accounts. */
const ROUTING_ROW = {
	facts: JSON.stringify([
		[],
		[[BENCH_COMPANY.id, BENCH_COMPANY.defaultCountry, BENCH_COMPANY.autoAssign, 0]],
	]),
	defaultAccounts: JSON.stringify([[BENCH_COMPANY.id, BENCH_COMPANY.defaultAccountId]]),
};

/**
 * A D1 that records nothing: the routing snapshot gets the bench company, the clients INSERT gets
 * `nextCreated` (set per delivery by the caller), a big delivery's batch row gets id 1 and a chunk's
 * claim gets `nextChunk` (its row and its batch's), every other statement gets no rows.
 */
export function createFakeD1() {
	const d1 = {
		nextCreated: [],
		nextChunk: null,
		batches: 0,
		statements: 0,
		prepare(sql) {
			return { sql, params: [], bind: (...params) => ({ sql, params }) };
		},
		async batch(statements) {
			d1.batches += 1;
			d1.statements += statements.length;
			return statements.map((statement) => ({
				success: true,
				meta: {},
				results: rowsFor(statement.sql, d1),
			}));
		},
	};
	return d1;
}

function rowsFor(sql, d1) {
	if (sql.includes("AS clientId")) return d1.nextCreated;
	if (sql.includes("AS defaultAccounts")) return [ROUTING_ROW];
	if (sql.includes("INSERT INTO lead_batches")) return [{ id: 1 }];
	if (sql.includes("UPDATE lead_batch_chunks SET attempts"))
		return d1.nextChunk ? [d1.nextChunk.row] : [];
	if (sql.includes("FROM lead_batches WHERE id")) return d1.nextChunk ? [d1.nextChunk.batch] : [];
	return [];
}

/** The rows writeReceipt's closing SELECT returns for freshly created clients. */
export function createdRows(leadIds, firstClientId) {
	return leadIds.map((externalId, i) => ({
		clientId: firstClientId + i,
		companyId: BENCH_COMPANY.id,
		accountId: BENCH_COMPANY.defaultAccountId,
		externalId,
		assignedEmployeeId: null,
	}));
}

export function createFakeKv() {
	const map = new Map();
	return {
		map,
		async get(key) {
			return map.get(key) ?? null;
		},
		async put(key, value) {
			map.set(key, value);
		},
	};
}

/** An ExecutionContext whose waitUntil promises the caller awaits after each request. */
export function createFakeCtx() {
	const pending = [];
	return {
		pending,
		waitUntil: (promise) => pending.push(promise),
		passThroughOnException: () => {},
		props: {},
	};
}
