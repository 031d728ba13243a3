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
	if (sql.includes("AS defaultAccounts")) return [ROUTING_ROW];
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
