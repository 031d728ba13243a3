// Small helpers for Drizzle query-builder results in the operator API's storage functions.

/** True when a write broke a UNIQUE index (D1 reports "UNIQUE constraint failed: table.column"). */
export function isUniqueViolation(error: unknown): boolean {
	for (let cause = error; cause instanceof Error; cause = cause.cause) {
		if (cause.message.includes("UNIQUE constraint failed")) return true;
	}
	return false;
}

/** The one row an INSERT ... RETURNING gave back. */
export function insertedRow<T>(rows: T[]): T {
	const [row] = rows;
	if (row === undefined) throw new Error("insert returned no row");
	return row;
}
