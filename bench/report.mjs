// Turns one bench run into the printed summary, bench/results.json and bench/RESULTS.md.
// Tables are padded the way Biome formats Markdown, so `npm run lint` accepts RESULTS.md as written.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fullDatabaseMarkdown } from "./full-db-report.mjs";

const SCENARIO_NAMES = {
	bare: "bare 200 (floor worker)",
	ack: "durable ack: 1 KV get + 1 D1 insert (floor worker)",
	ackRows: "durable ack, the relay's rows: 1 KV get + 1 D1 batch of 3 inserts (floor worker)",
	ackRowsVerified: "the same after HMAC verify + JSON parse of the body (floor worker)",
	ingest: "TikTok single-lead ingest (relay)",
};

/** The human summary, in Markdown so the same text serves the terminal and RESULTS.md. */
export function renderMarkdown(results) {
	const { machine, settings, cpu, rowsCheck } = results;
	const aboveFloor = cpu.single.cpuMsPerLead - cpu.floor.cpuMsPerLead;
	const lines = [
		"# Leadwire bench results",
		"",
		`${results.date} · Node ${machine.node} · ${machine.cores} cores (${machine.cpuModel}) · ` +
			`load average at start ${machine.loadAverage}`,
		`relay at ${settings.relayCommit} · Miniflare ${machine.miniflare} on 127.0.0.1 · ` +
			`${settings.connections} connections · ${settings.seconds} s per scenario in ` +
			`${settings.rounds} interleaved slices of ${fixed(settings.sliceSeconds, 1)} s after ` +
			`${settings.warmupSeconds} s warm-up`,
		"",
		...loadTable(results),
		"",
		...ratioTable(results),
		"",
		"The durable ack of the relay's rows is the floor the throughput goal is measured against: it " +
			"stores what the relay must store per lead (a client, its phone and a log row, one D1 batch of 3 " +
			"plain inserts into tables indexed like the relay's), so the step from durable ack to it is what " +
			"that contract costs, and ingest ÷ it is what the relay's own code costs on top. That floor " +
			"neither checks the signature nor parses the body; the diagnostic row after it does both, as " +
			"every webhook relay must before acknowledging, so ingest ÷ it is what the relay costs beyond " +
			"verifying, parsing and storing.",
		"",
		`Ingest ÷ durable ack of the relay's rows, round by round: ` +
			`${results.ratios.ingestVsAckRowsPerRound.map((ratio) => fixed(ratio, 2)).join(" · ")}.`,
		"",
		...cpuTable(results),
		"",
		`Relay single-lead CPU above the Node floor: ${aboveFloor.toFixed(3)} ms per lead (goal ≤ ` +
			`${results.goals.cpuAboveFloor.goal} ms: ${mark(results.goals.cpuAboveFloor.met)}).`,
		"",
		...bigDeliveryTable(results.batchDeliveries),
		"",
		`Rows check after the ingest load: ${rowsCheck.pass ? "PASS" : "FAIL"} — ${rowsCheck.summary}`,
		"",
		"Every request is a distinct, correctly signed single-lead TikTok webhook, also for the floors. " +
			"Miniflare runs D1 and KV inside the same workerd process as the Worker, so here every storage " +
			"round trip costs Worker throughput.",
		"",
		"The floor and the relay run side by side (one workerd each) and are measured interleaved: after " +
			"a warm-up of each, every round loads bare 200, then durable ack, then the durable ack of the " +
			"relay's rows, then its verified variant, then ingest for one short slice each, so the VM's " +
			"speed drift falls on all five " +
			"alike. req/s is all 2xx over all measured seconds of a scenario; p50/p99 are exact, over the per-request latency autocannon " +
			"reports for every answer of every slice. workerd CPU ms/2xx (a diagnostic, Linux only) is the " +
			"utime + stime that the loaded Worker's workerd process used during its slices (each up to " +
			"0.3 s after the load stopped, so in-flight work is counted), over its 2xx answers; it includes " +
			"Miniflare's D1 and KV work.",
		"",
		"Big deliveries run after the load on relays of their own, one invocation at a time: a delivery of " +
			"more than BIG_DELIVERY_LEADS (50) leads is answered once its body is stored, then each chunk " +
			"runs as one LEAD_CHUNKS queue invocation (the bench calls the Worker's queue handler with one " +
			"message, as the queue's max_batch_size = 1 does). Worker CPU is process.cpuUsage() around each " +
			"invocation of the Worker's own fetch and queue handlers on Node with fake D1, KV and queue that " +
			"answer at once (bench/chunk-cpu-entry.mjs: 20 acks of 1000 leads, 5 of 5000, 200 chunks): the " +
			"Worker's own work, which the Workers CPU limit counts, as D1 runs outside the Worker in " +
			"production; its max is mostly a garbage collection, so the goal is the median. The workerd " +
			"process CPU (5 deliveries of 1000 leads and their 100 chunks, 3 of 5000) is every thread's " +
			"time from /proc/<pid>/task/*/schedstat around each invocation on Miniflare, and includes " +
			"Miniflare's D1 (SQLite), queue and router. The at-once row is utime + stime over 5 deliveries.",
		"",
		"Handler CPU on Node is process.cpuUsage() around in-process deliveries to the Worker's own fetch " +
			"(src/index.ts), with fake D1 and KV that answer at once; the Node floor and the single-lead " +
			"relay run in 5 alternating slices of 2000 deliveries each (after a warm-up of each), so drift " +
			"in the machine's speed falls on both alike.",
		"",
		"Reproduce: `npm run bench` (`BENCH_SECONDS=N` measured per scenario, `BENCH_SLICE_SECONDS=N` " +
			"per slice; `BENCH_PROFILE=1` also writes CPU profiles to bench/out/profiles: the Node loops, and " +
			"the relay's isolate in workerd over 3000 single-lead deliveries on a relay of its own; " +
			"summarised by `node bench/profile-summary.mjs <file>`).",
		"",
		...fullDatabaseMarkdown(results.fullDatabase),
	];
	return lines.join("\n");
}

function loadTable({ scenarios }) {
	return markdownTable(
		[
			"scenario",
			"req/s",
			"p50 ms",
			"p99 ms",
			"2xx",
			"non-2xx",
			"errors (incl. timeouts)",
			"workerd CPU ms/2xx",
		],
		"lrrrrrrr",
		Object.entries(scenarios).map(([key, s]) => [
			SCENARIO_NAMES[key],
			fixed(s.reqPerSec, 0),
			fixed(s.p50Ms, 1),
			fixed(s.p99Ms, 1),
			s.ok,
			s.non2xx,
			s.errors,
			fixed(s.workerdCpuMsPer2xx, 3),
		]),
	);
}

function ratioTable({ ratios, goals }) {
	return markdownTable(["ratio (req/s)", "value", "goal"], "lrl", [
		[
			"ingest ÷ durable ack of the relay's rows",
			ratios.ingestVsAckRows.toFixed(2),
			`≥ ${goals.ingestVsAckRows.goal} ${mark(goals.ingestVsAckRows.met)}`,
		],
		[
			"ingest ÷ the same, after HMAC verify and JSON parse",
			ratios.ingestVsAckRowsVerified.toFixed(2),
			"diagnostic",
		],
		["ingest ÷ durable ack (1 insert)", ratios.ingestVsAck.toFixed(2), ""],
		["ingest ÷ bare 200", ratios.ingestVsBare.toFixed(2), ""],
		["durable ack ÷ bare 200", ratios.ackVsBare.toFixed(2), ""],
	]);
}

/**
 * Big TikTok deliveries (bench/big-deliveries.mjs), one invocation at a time: the Worker's own CPU
 * (Node, D1 answering at once) next to the Workers Free plan's limit, and the whole workerd process's
 * (Miniflare's D1 included); the same 1000 leads ingested at once for comparison.
 */
export function bigDeliveryTable(run) {
	const { own, chunked, largestAck, atOnce, freePlanCpuMs: limit, goals } = run;
	const against = (met) => `${limit} ms ${met ? "(within)" : "**(over)**"}`;
	const kb = (bytes) => `${Math.round(bytes / 1000)} kB`;
	const row = (name, worker, workerd, met) => [
		name,
		`${fixed(worker.medianMs, 1)} / ${fixed(worker.maxMs, 1)}`,
		`${fixed(workerd.medianMs, 1)} / ${fixed(workerd.maxMs, 1)}`,
		against(met),
	];
	return markdownTable(
		[
			"big TikTok delivery, one invocation",
			"Worker CPU ms (Node), median / max",
			"workerd process CPU ms, median / max",
			"Workers Free plan CPU limit (median)",
		],
		"lrrl",
		[
			row(
				`acknowledgement of ${own.ack.leads} leads, ${kb(own.ack.bodyBytes)} (verify, split, store)`,
				own.ack,
				chunked.ack,
				goals.ack,
			),
			row(
				`one chunk of ${own.chunk.leads} leads from LEAD_CHUNKS`,
				own.chunk,
				chunked.largestChunk,
				goals.largestChunk,
			),
			row(
				`acknowledgement of ${own.largestAck.leads} leads, ${kb(own.largestAck.bodyBytes)}`,
				own.largestAck,
				largestAck.ack,
				goals.largestAck,
			),
			[
				`${atOnce.leadsPerDelivery} leads ingested at once (BIG_DELIVERY_LEADS=0), mean`,
				"",
				fixed(atOnce.workerdCpuMsPerDelivery, 1),
				against(atOnce.workerdCpuMsPerDelivery <= limit),
			],
		],
	);
}

function cpuTable({ cpu }) {
	const row = (name, run) => [
		`${name} (${run.deliveries} deliveries)`,
		run.cpuMsPerLead.toFixed(3),
		run.wallMsPerLead.toFixed(3),
		`${run.d1BatchesPerDelivery} (${run.d1StatementsPerDelivery})`,
	];
	return markdownTable(
		[
			"handler CPU on Node, fake D1/KV",
			"CPU ms/lead",
			"wall ms/lead",
			"D1 batches (statements) per delivery",
		],
		"lrrr",
		[
			row("Node floor: Hono + read body + HMAC verify + c.json", cpu.floor),
			row("relay, single-lead delivery", cpu.single),
			row("relay, 1000-lead delivery", cpu.batch),
		],
	);
}

/** `value` with `digits` decimals; "n/a" when it is unknown. */
export function fixed(value, digits) {
	return value === null || !Number.isFinite(value) ? "n/a" : value.toFixed(digits);
}

function mark(met) {
	return met ? "met" : "**not met**";
}

/** A Markdown table with padded columns; `align` has one letter per column, l(eft) or r(ight). */
export function markdownTable(header, align, rows) {
	const cells = [header, ...rows].map((row) => row.map(String));
	const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => [...row[i]].length)));
	const pad = (text, i) => {
		const fill = " ".repeat(widths[i] - [...text].length);
		return align[i] === "r" ? fill + text : text + fill;
	};
	const line = (row) => `| ${row.map(pad).join(" | ")} |`;
	const rule = widths.map((width, i) =>
		align[i] === "r" ? `${"-".repeat(width - 1)}:` : "-".repeat(width),
	);
	return [line(cells[0]), `| ${rule.join(" | ")} |`, ...cells.slice(1).map(line)];
}

export async function writeReports(results, benchDir) {
	await writeFile(join(benchDir, "results.json"), `${JSON.stringify(results, null, "\t")}\n`);
	await writeFile(join(benchDir, "RESULTS.md"), renderMarkdown(results));
}
