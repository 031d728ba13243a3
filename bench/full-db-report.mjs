// The full-database part of bench/RESULTS.md (bench/full-db.mjs): ingest ÷ the same-rows ack on the
// empty and the full database, the operator reads and a cron run at 10k and at BENCH_ROWS, the D1
// bytes per client, and the query plan of every statement a delivery and a cron run prepared.
import { fixed, markdownTable } from "./report.mjs";

/** Issue 20's goals: ingest ÷ ack on the full database within 0.1 of the empty one; reads within 2×. */
export const FULL_DATABASE_GOALS = { ingestVsAckDifference: 0.1, readRatio: 2 };

const READ_NAMES = {
	overview: "console overview (`GET /api/admin/overview`)",
	searchName: "lead search by full name (`GET /api/admin/clients?q=`)",
	searchPhone: "lead search by a phone in local format, one company",
	leadPage: "a lead's page (`GET /api/admin/clients/:id`)",
	stats: "speed-to-lead figures, 30 days (`GET /api/admin/stats?days=30`)",
	cron: "a cron run (every job, the health and silence checks included)",
};

/** Markdown lines; none when the full-database bench was skipped (BENCH_ROWS=0). */
export function fullDatabaseMarkdown(full) {
	if (!full) return [];
	const { ingestVsAck, sizes, counts } = full;
	const within = Math.abs(ingestVsAck.difference) <= FULL_DATABASE_GOALS.ingestVsAckDifference;
	const million = (bytes) => `${fixed(bytes / 1e6, 1)} MB`;
	return [
		`## On a full database: ${full.rows.toLocaleString("en")} clients`,
		"",
		`D1 filled with set-based INSERT … SELECT over a recursive CTE (bench/fill.mjs) to ` +
			`${counts.clients.toLocaleString("en")} clients of 6 companies created over 90 days, one phone ` +
			`each (${counts.phones.toLocaleString("en")}), 1.5 logs per client ` +
			`(${counts.logs.toLocaleString("en")}; one failure in 200 keeps its payload) and a sent ` +
			`Salesforce forward for two companies' clients (${counts.forwards.toLocaleString("en")}); ` +
			`fills took ${fixed(full.fillSeconds.small, 1)} s to ${full.smallRows.toLocaleString("en")}, ` +
			`${fixed(full.fillSeconds.full, 1)} s on to ${full.rows.toLocaleString("en")} and ` +
			`${fixed(full.fillSeconds.floor, 1)} s for the floor's tables.`,
		"",
		...markdownTable(
			[
				"single-lead ingest ÷ same-rows ack",
				"ingest req/s",
				"ack req/s",
				"ratio",
				"per round",
				"workerd CPU ms ingest / ack",
			],
			["l", "r", "r", "r", "l", "r"],
			[
				ratioRow("empty database", ingestVsAck.empty),
				ratioRow(`${full.rows.toLocaleString("en")} clients`, ingestVsAck.full),
			],
		),
		"",
		`Full minus empty: ${fixed(ingestVsAck.difference, 2)} (goal within ` +
			`${FULL_DATABASE_GOALS.ingestVsAckDifference}: ${within ? "met" : "**not met**"}). The four ` +
			"scenarios (ack and ingest, empty and full, each on a Miniflare of its own) run interleaved in " +
			"the same rounds.",
		"",
		...readsTable(full),
		"",
		`D1 size: ${million(sizes.small)} at ${full.smallRows.toLocaleString("en")} clients, ` +
			`${million(sizes.full)} at ${full.rows.toLocaleString("en")}: ` +
			`**${sizes.bytesPerClient.toLocaleString("en")} bytes per client** with its phone, logs, forward, ` +
			`indexes and search index (the trigram search tables alone: ${million(sizes.clientsSearchBytes)} ` +
			`names and emails, ${million(sizes.phonesSearchBytes)} phones).`,
		"",
		"### Query plans of a single-lead delivery on the full database",
		"",
		"Every statement the relay prepared for one signed single-lead TikTok delivery (captured by a thin " +
			"entry around the bundled relay, bench/full-db.mjs), explained with its own bound values on " +
			"the full database. A statement reads a growing table whole only if its plan SCANs it. D1 " +
			`counted ${full.delivery.rowsRead} rows read and ${full.delivery.rowsWritten} rows written for ` +
			"the delivery's batches (index and search-index rows included).",
		"",
		...planLines(full.delivery.plans),
		"### Query plans of a cron run on the full database",
		"",
		`D1 counted ${full.cron.rowsRead} rows read and ${full.cron.rowsWritten} rows written for the ` +
			"run's batches (statements run outside a batch are explained but not counted).",
		"",
		...planLines(full.cron.plans),
	];
}

/**
 * The operator reads' medians at 10k and at BENCH_ROWS clients (also BENCH_ONLY=reads). Both relays
 * have the same number of answered leads (bench/full-db.mjs ANSWERED_LEADS).
 */
export function readsTable(full) {
	return markdownTable(
		[
			"median of 15 (cron: 7)",
			`${full.smallRows.toLocaleString("en")} clients`,
			`${full.rows.toLocaleString("en")} clients`,
			"ratio",
			"goal ≤ 2×",
		],
		["l", "r", "r", "r", "l"],
		Object.entries(full.reads).map(([name, read]) => [
			READ_NAMES[name] ?? name,
			`${fixed(read.smallMs, 1)} ms`,
			`${fixed(read.fullMs, 1)} ms`,
			`${fixed(read.ratio, 2)}×`,
			read.ratio <= FULL_DATABASE_GOALS.readRatio ? "met" : "**not met**",
		]),
	);
}

function ratioRow(label, run) {
	return [
		label,
		fixed(run.ingestReqPerSec, 1),
		fixed(run.ackRowsReqPerSec, 1),
		`${fixed(run.ratio, 2)}×`,
		run.ratioPerRound.map((ratio) => fixed(ratio, 2)).join(" · "),
		`${fixed(run.ingestCpuMs, 2)} / ${fixed(run.ackRowsCpuMs, 2)}`,
	];
}

function planLines(plans) {
	return plans.flatMap((plan, i) => [
		`${i + 1}. ${plan.usesIndex ? "indexed" : "**reads a growing table whole**"}: \`${shortSql(plan.sql)}\``,
		"",
		"   ```",
		...plan.lines.map((line) => `   ${line}`),
		"   ```",
		"",
	]);
}

/** The statement's first 160 characters: enough to tell which one it is. */
function shortSql(sql) {
	const text = sql.replaceAll("`", "'");
	return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
