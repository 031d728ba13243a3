// A company's destinations in D1 (one row per company and kind): settings in clear, secrets sealed by
// the caller (this file never sees them in clear), and the state a send or an operator puts them in.
import { and, eq, ne } from "drizzle-orm";
import { type Db, guarded } from "./db";
import { SALESFORCE_DESTINATION } from "./forwards";
import { insertedRow } from "./orm-results";
import { type DestinationState, destinations } from "./schema";

export type DestinationRow = typeof destinations.$inferSelect;

/** What the operator API sets; `secretsSealed` left undefined keeps the stored secrets. */
export interface DestinationInput {
	settings: Record<string, unknown>;
	secretsSealed?: string;
}

export function listCompanyDestinations(db: Db, companyId: number): Promise<DestinationRow[]> {
	return guarded(() =>
		db.orm
			.select()
			.from(destinations)
			.where(eq(destinations.companyId, companyId))
			.orderBy(destinations.id),
	);
}

export function getDestination(
	db: Db,
	companyId: number,
	kind: string,
): Promise<DestinationRow | undefined> {
	return guarded(() =>
		db.orm
			.select()
			.from(destinations)
			.where(and(eq(destinations.companyId, companyId), eq(destinations.kind, kind)))
			.get(),
	);
}

/** Every destination but Salesforce's (whose connections are checked on their own), any state. */
export function listOtherDestinations(db: Db): Promise<DestinationRow[]> {
	return guarded(() =>
		db.orm
			.select()
			.from(destinations)
			.where(ne(destinations.kind, SALESFORCE_DESTINATION))
			.orderBy(destinations.id),
	);
}

/** Destinations whose forwards this relay sends now, Salesforce aside (it has its own connections). */
export function listSendingDestinations(db: Db): Promise<DestinationRow[]> {
	return guarded(() =>
		db.orm
			.select()
			.from(destinations)
			.where(and(eq(destinations.state, "on"), ne(destinations.kind, SALESFORCE_DESTINATION)))
			.orderBy(destinations.id),
	);
}

/**
 * Creates or replaces a company's destination of a kind. Saving is how an operator fixes or switches
 * one back on, so the state goes back to on and the forwards that waited are sent again.
 */
export function putDestination(
	db: Db,
	companyId: number,
	kind: string,
	input: DestinationInput,
): Promise<{ row: DestinationRow; created: boolean }> {
	const now = new Date().toISOString();
	const values = {
		settings: input.settings,
		...(input.secretsSealed === undefined ? {} : { secretsSealed: input.secretsSealed }),
		state: "on" as const,
		stateReason: null,
		stateChangedAt: now,
		updatedAt: now,
	};
	return guarded(async () => {
		const existing = await getDestination(db, companyId, kind);
		const row = insertedRow(
			await db.orm
				.insert(destinations)
				.values({ ...values, companyId, kind })
				.onConflictDoUpdate({ target: [destinations.companyId, destinations.kind], set: values })
				.returning(),
		);
		return { row, created: existing === undefined };
	});
}

/**
 * Moves a destination to a state. A send's verdict (`onlyFromOn`) never undoes an operator's later
 * save or switch-off; an operator's switch-off applies whatever the state.
 */
export function setDestinationState(
	db: Db,
	id: number,
	state: DestinationState,
	reason: string,
	{ onlyFromOn }: { onlyFromOn: boolean },
): Promise<DestinationRow | undefined> {
	const now = new Date().toISOString();
	return guarded(() =>
		db.orm
			.update(destinations)
			.set({ state, stateReason: reason, stateChangedAt: now, updatedAt: now })
			.where(and(eq(destinations.id, id), onlyFromOn ? eq(destinations.state, "on") : undefined))
			.returning()
			.get(),
	);
}

/** Forwards per destination kind and status of one company, e.g. { webhook: { pending: 3 } }. */
export async function destinationForwardCounts(
	db: Db,
	companyId: number,
): Promise<Map<string, Record<string, number>>> {
	const rows = await guarded(() =>
		db.d1
			.prepare(
				`SELECT destination, status, count(*) AS n FROM forwards
				WHERE company_id = ?1 GROUP BY destination, status`,
			)
			.bind(companyId)
			.all<{ destination: string; status: string; n: number }>(),
	);
	const counts = new Map<string, Record<string, number>>();
	for (const row of rows.results) {
		const own = counts.get(row.destination) ?? {};
		own[row.status] = row.n;
		counts.set(row.destination, own);
	}
	return counts;
}
