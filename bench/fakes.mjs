// In-memory stand-ins for the Worker bindings, for measuring handler CPU on Node: a D1 whose batches
// answer instantly with plausible rows, a Map-backed KV and an ExecutionContext that keeps waitUntil work.

/** The one company every bench lead routes to, as storage/routing.ts reads it (default account exists). */
export const BENCH_COMPANY = { id: 1, defaultCountry: null, autoAssign: 0, defaultAccountId: 1 };

/**
 * A D1 that records nothing: the routing query gets the bench company, the receipt's closing SELECT gets
 * `nextCreated` (set per delivery by the caller), every other statement gets no rows.
 */
export function createFakeD1() {
	const d1 = {
		nextCreated: [],
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
				results: rowsFor(statement.sql, d1.nextCreated),
			}));
		},
	};
	return d1;
}

function rowsFor(sql, created) {
	if (sql.includes("AS clientId")) return created;
	if (sql.includes("FROM companies c")) return [BENCH_COMPANY];
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
