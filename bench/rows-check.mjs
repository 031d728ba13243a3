// The ingest load's correctness check: the leads the relay acknowledged with 200 are exactly the
// rows in D1 `clients` (read through Miniflare), so the throughput counted is throughput of stored leads.

/**
 * Every lead answered 200 must be a row in `clients`, and every row a lead answered 200, except leads
 * still in flight when a timed load stopped: they may be stored though their answer was never read.
 * A run where no lead was acknowledged fails too.
 */
export async function checkRows(mf, tracker) {
	const db = await mf.getD1Database("DB");
	const { results } = await db.prepare("SELECT external_id AS id FROM clients").all();
	const stored = new Set(results.map((row) => row.id));
	const count = (ids, keep) => [...ids].filter(keep).length;
	const unanswered = (id) => !tracker.acked.has(id) && !tracker.refused.has(id);
	const check = {
		rows: results.length,
		acked200: tracker.acked.size,
		storedInFlight: count(stored, (id) => tracker.sent.has(id) && unanswered(id)),
		lost: count(tracker.acked, (id) => !stored.has(id)),
		storedButRefused: count(tracker.refused, (id) => stored.has(id)),
		neverSent: count(stored, (id) => !tracker.sent.has(id)),
		duplicateRows: results.length - stored.size,
	};
	const pass =
		check.acked200 > 0 &&
		check.rows === check.acked200 + check.storedInFlight &&
		check.lost + check.storedButRefused + check.neverSent + check.duplicateRows === 0;
	const summary =
		`${check.rows} rows in clients = ${check.acked200} unique leads answered 200 + ` +
		`${check.storedInFlight} in flight when a timed load stopped (stored, answer never read); ` +
		`answered 200 but not stored: ${check.lost}; stored but answered non-200: ` +
		`${check.storedButRefused}; rows for leads never sent: ${check.neverSent}; ` +
		`duplicate rows: ${check.duplicateRows}`;
	return { pass, ...check, summary };
}
