// The bench on a full database (issue 20): a relay and a floor of their own are measured empty, then
// filled (bench/fill.mjs) to 10k clients and to BENCH_ROWS; it reports single-lead ingest ÷ the
// same-rows ack on the empty and the full database, the operator reads and a cron run at 10k and
// at BENCH_ROWS, the D1 bytes per client, and EXPLAIN QUERY PLAN of every statement a delivery runs.
import { copyFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fillClients, filledClient, prepareRelayFill } from "./fill.mjs";
import { measureInterleaved, warmUp } from "./interleave.mjs";
import { nextLeadId, WEBHOOK_PATH, webhookBody, webhookHeaders } from "./leads.mjs";
import { createTracker, mergeSlices } from "./load.mjs";
import { startFloor, startRelay } from "./serve.mjs";
import { withWorkerdPid } from "./workerd-cpu.mjs";

/** The database the operator reads are first timed on. */
const SMALL_ROWS = 10_000;
/** Timed runs per operator read (after 3 untimed ones); the median is reported. */
const READ_RUNS = 15;
const CRON_RUNS = 7;
const ADMIN_TOKEN = "leadwire-bench-admin-token";
const CRON = "*/5 * * * *";
/** The filled client every search and lead page looks up: present at 10k and at any larger fill. */
const TARGET = 7_777;
/**
 * Leads answered (a follow-up task set done 30 s to 30 min after arrival) on the small and the full
 * relay alike before the reads: the speed-to-lead figures read the window's answered leads, so both
 * sizes get the same number and the stats row measures what history costs, not more traffic.
 */
const ANSWERED_LEADS = 2_000;
/** The monitor_state key of the last health run (src/health/run-health.ts). */
const HEALTH_LAST_RUN = "health_last_run";
/** Tables that grow with leads: a plan line that SCANs one of them reads it whole. */
const GROWING = [
	"clients",
	"client_phone_numbers",
	"integration_logs",
	"forwards",
	"form_submissions",
];

/**
 * Runs the whole full-database bench; every Miniflare it starts is disposed of on every path.
 * `plan` is the interleaving plan ({ rounds, sliceSeconds }) of the ingest ÷ ack measurements.
 */
export async function benchFullDatabase({
	relayScript,
	floorScript,
	compatibilityDate,
	migrationsDir,
	rows,
	plan,
	warmupSeconds,
	step,
}) {
	if (!(rows > SMALL_ROWS)) throw new Error(`BENCH_ROWS must be above ${SMALL_ROWS}`);
	const servers = [];
	const started = async (start) => {
		const server = await withWorkerdPid(start);
		servers.push(server);
		return server;
	};
	try {
		step(`full database: starting an empty and a full relay and floor (fill to ${rows} clients)`);
		const captureScript = await writeCaptureEntry(relayScript);
		const relayOptions = {
			scriptPath: captureScript,
			compatibilityDate,
			migrationsDir,
			vars: { ADMIN_TOKEN },
		};
		const floorOptions = { scriptPath: floorScript, compatibilityDate };
		const empty = {
			relay: await started(() => startRelay(relayOptions)),
			floor: await started(() => startFloor(floorOptions)),
		};
		const small = await started(() => startRelay(relayOptions));
		const full = {
			relay: await started(() => startRelay(relayOptions)),
			floor: await started(() => startFloor(floorOptions)),
		};
		const smallDb = await small.mf.getD1Database("DB");
		const relayDb = await full.relay.mf.getD1Database("DB");
		const floorDb = await full.floor.mf.getD1Database("DB");
		const sizes = { empty: await databaseBytes(relayDb) };

		step(`full database: filling a relay to ${SMALL_ROWS} clients, another and a floor to ${rows}`);
		await prepareRelayFill(smallDb, small.companyId);
		await prepareRelayFill(relayDb, full.relay.companyId);
		const fillSeconds = {
			small: await fillClients(smallDb, { from: 1, to: SMALL_ROWS, relay: true }),
			full: await fillClients(relayDb, { from: 1, to: rows, relay: true }),
			floor: await fillClients(floorDb, { from: 1, to: rows, relay: false }),
		};
		sizes.small = await databaseBytes(smallDb);
		sizes.full = await databaseBytes(relayDb);
		await answerNewestLeads(smallDb);
		await answerNewestLeads(relayDb);
		const reads = await measureReads(
			{ relay: small, target: await targetLead(smallDb) },
			{ relay: full.relay, target: await targetLead(relayDb) },
			step,
		);

		const ingestVsAck = await measureIngestVsAck(empty, full, plan, warmupSeconds, step);
		step(
			"full database: EXPLAIN QUERY PLAN of a single-lead delivery's and a cron run's statements",
		);
		return {
			rows,
			smallRows: SMALL_ROWS,
			fillSeconds,
			counts: await rowCounts(relayDb),
			sizes: {
				...sizes,
				bytesPerClient: Math.round((sizes.full - sizes.small) / (rows - SMALL_ROWS)),
				...(await searchIndexBytes(relayDb)),
			},
			ingestVsAck,
			reads,
			delivery: await deliveryPlans(full.relay, relayDb),
			cron: await cronPlans(full.relay, relayDb),
		};
	} finally {
		await disposeAll(servers);
	}
}

/**
 * The operator reads and a cron run alone (BENCH_ONLY=reads): a relay filled to 10k and one to
 * `rows` clients, as in benchFullDatabase, without the floor, the ingest ÷ ack rounds or the plans.
 */
export async function benchReadsOnly({
	relayScript,
	compatibilityDate,
	migrationsDir,
	rows,
	step,
}) {
	if (!(rows > SMALL_ROWS)) throw new Error(`BENCH_ROWS must be above ${SMALL_ROWS}`);
	const servers = [];
	try {
		const options = {
			scriptPath: relayScript,
			compatibilityDate,
			migrationsDir,
			vars: { ADMIN_TOKEN },
		};
		const small = await startRelay(options);
		servers.push(small);
		const full = await startRelay(options);
		servers.push(full);
		const smallDb = await small.mf.getD1Database("DB");
		const fullDb = await full.mf.getD1Database("DB");
		step(`reads only: filling a relay to ${SMALL_ROWS} clients and another to ${rows}`);
		await prepareRelayFill(smallDb, small.companyId);
		await prepareRelayFill(fullDb, full.companyId);
		await fillClients(smallDb, { from: 1, to: SMALL_ROWS, relay: true });
		await fillClients(fullDb, { from: 1, to: rows, relay: true });
		await answerNewestLeads(smallDb);
		await answerNewestLeads(fullDb);
		const reads = await measureReads(
			{ relay: small, target: await targetLead(smallDb) },
			{ relay: full, target: await targetLead(fullDb) },
			step,
		);
		return { rows, smallRows: SMALL_ROWS, answeredLeads: ANSWERED_LEADS, reads };
	} finally {
		await disposeAll(servers);
	}
}

/** Disposes of every Miniflare started, whatever happened to the others. */
async function disposeAll(servers) {
	const outcomes = await Promise.allSettled(servers.map((server) => server.mf.dispose()));
	for (const outcome of outcomes)
		if (outcome.status === "rejected")
			console.error("bench: Miniflare dispose failed", outcome.reason);
}

/**
 * Opens a follow-up task on the ANSWERED_LEADS newest clients and sets it done 30 s to 30 min after
 * the client arrived, as PATCH /api/admin/tasks/:id does: the trigger of migration 0018 records each
 * first response (what GET /api/admin/stats reads).
 */
async function answerNewestLeads(db) {
	await db.batch([
		db
			.prepare(
				`INSERT INTO tasks (client_id, due_at, status)
				SELECT id, created_at, 'open' FROM clients ORDER BY id DESC LIMIT ?`,
			)
			.bind(ANSWERED_LEADS),
		db.prepare(
			`UPDATE tasks SET status = 'done', completed_at = strftime('%Y-%m-%dT%H:%M:%fZ',
				(SELECT created_at FROM clients WHERE clients.id = tasks.client_id),
				'+' || (30 + client_id % 1770) || ' seconds')
			WHERE status = 'open'`,
		),
	]);
}

/**
 * The bundled relay behind a thin entry that, for a request carrying x-bench-capture, records every
 * statement it prepares (SQL and bound values) so the bench can ask SQLite for their plans.
 */
async function writeCaptureEntry(relayScript) {
	// .mjs: Miniflare reads an imported .js module as CommonJS.
	await copyFile(relayScript, join(dirname(relayScript), "relay.mjs"));
	const path = join(dirname(relayScript), "capture-entry.mjs");
	await writeFile(
		path,
		`import relay from "./relay.mjs";
const captured = [];
const batches = [];
function capturing(db) {
	return new Proxy(db, {
		get(target, property) {
			if (property === "batch") {
				return async (statements) => {
					const results = await target.batch(statements);
					batches.push(results.map((result) => ({ rowsRead: result.meta.rows_read, rowsWritten: result.meta.rows_written })));
					return results;
				};
			}
			if (property !== "prepare") {
				const value = Reflect.get(target, property);
				return typeof value === "function" ? value.bind(target) : value;
			}
			return (sql) => {
				const entry = { sql, params: [] };
				captured.push(entry);
				const statement = target.prepare(sql);
				return new Proxy(statement, {
					get(real, member) {
						if (member === "bind") return (...params) => { entry.params = params; return real.bind(...params); };
						const value = Reflect.get(real, member);
						return typeof value === "function" ? value.bind(real) : value;
					},
				});
			};
		},
	});
}
let captureCron = false;
export default {
	...relay,
	async fetch(request, env, ctx) {
		const url = new URL(request.url);
		if (url.pathname === "/__bench/captured")
			return Response.json({ statements: captured.splice(0), batches: batches.splice(0) });
		if (url.pathname === "/__bench/capture-next-cron") {
			captureCron = true;
			return new Response("ok");
		}
		if (!request.headers.has("x-bench-capture")) return relay.fetch(request, env, ctx);
		return relay.fetch(request, { ...env, DB: capturing(env.DB) }, ctx);
	},
	async scheduled(controller, env, ctx) {
		const capture = captureCron;
		captureCron = false;
		return relay.scheduled(controller, capture ? { ...env, DB: capturing(env.DB) } : env, ctx);
	},
};
`,
	);
	return path;
}

/**
 * Single-lead ingest and the same-rows ack on the empty and on the full database, warmed up and
 * measured interleaved round by round, so the VM's drift lands on all four alike.
 */
async function measureIngestVsAck(empty, full, plan, warmupSeconds, step) {
	const scenarios = [];
	for (const [label, pair] of [
		["empty", empty],
		["full", full],
	]) {
		scenarios.push(
			{
				key: `${label}AckRows`,
				name: `durable ack, the relay's rows (${label} database)`,
				path: "/ack-rows",
				url: pair.floor.url,
				workerdPid: pair.floor.workerdPid,
				tracker: createTracker(),
			},
			{
				key: `${label}Ingest`,
				name: `single-lead ingest (${label} database)`,
				path: `${WEBHOOK_PATH}?company_id=${pair.relay.companyId}`,
				url: pair.relay.url,
				workerdPid: pair.relay.workerdPid,
				tracker: createTracker(),
			},
		);
	}
	await warmUp(scenarios, warmupSeconds, step);
	const slices = await measureInterleaved(scenarios, plan, step);
	const ratioOf = (label) => {
		const ackRows = mergeSlices(slices[`${label}AckRows`]);
		const ingest = mergeSlices(slices[`${label}Ingest`]);
		const perRound = slices[`${label}Ingest`].map(
			(slice, i) =>
				slice.ok /
				slice.seconds /
				(slices[`${label}AckRows`][i].ok / slices[`${label}AckRows`][i].seconds),
		);
		return {
			ingestReqPerSec: ingest.reqPerSec,
			ackRowsReqPerSec: ackRows.reqPerSec,
			ratio: ingest.reqPerSec / ackRows.reqPerSec,
			ratioPerRound: perRound,
			ingestP50Ms: ingest.p50Ms,
			ackRowsP50Ms: ackRows.p50Ms,
			// workerd CPU per answer: less swayed by the other processes on this VM than req/s.
			ingestCpuMs: ingest.workerdCpuMsPer2xx,
			ackRowsCpuMs: ackRows.workerdCpuMsPer2xx,
		};
	};
	const emptyRatio = ratioOf("empty");
	const fullRatio = ratioOf("full");
	return { empty: emptyRatio, full: fullRatio, difference: fullRatio.ratio - emptyRatio.ratio };
}

/** The filled client every read looks up, as D1 holds it (id and company). */
async function targetLead(db) {
	const lead = filledClient(TARGET);
	const row = await db
		.prepare("SELECT id, company_id AS companyId FROM clients WHERE external_id = ?")
		.bind(lead.externalId)
		.first();
	if (!row) throw new Error(`the fill holds no ${lead.externalId}`);
	return { ...lead, id: row.id, companyId: row.companyId };
}

/**
 * Median times of the operator's reads and a cron run on the small and the full relay, run by run
 * in turn so the VM's drift falls on both alike; every read is checked to find the target lead.
 */
async function measureReads(small, full, step) {
	step(`full database: operator reads and a cron run at ${SMALL_ROWS} clients and full, in turn`);
	const smallReads = await readsOf(small);
	const fullReads = await readsOf(full);
	const results = {};
	for (const name of Object.keys(smallReads)) {
		const runs = name === "cron" ? CRON_RUNS : READ_RUNS;
		const [smallMs, fullMs] = await alternatingMediansMs(smallReads[name], fullReads[name], runs);
		results[name] = { smallMs, fullMs, ratio: fullMs / smallMs };
	}
	return results;
}

/** The timed reads of one relay, each throwing unless its answer holds the target lead. */
async function readsOf({ relay, target }) {
	const admin = async (path, check) => {
		const response = await fetch(new URL(path, relay.url), {
			headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
		});
		const body = await response.json();
		if (response.status !== 200 || !check(body))
			throw new Error(`${path} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
	};
	const finds = (body) => body.data.some((client) => client.id === target.id);
	const worker = await relay.mf.getWorker();
	const db = await relay.mf.getD1Database("DB");
	return {
		overview: () => admin("/api/admin/overview", (body) => Array.isArray(body.leads)),
		searchName: () => admin(`/api/admin/clients?q=${encodeURIComponent(target.fullName)}`, finds),
		searchPhone: () =>
			admin(
				`/api/admin/clients?company_id=${target.companyId}&q=${encodeURIComponent(target.localPhone)}`,
				finds,
			),
		leadPage: () => admin(`/api/admin/clients/${target.id}`, (body) => body.id === target.id),
		stats: () =>
			admin(
				"/api/admin/stats?days=30",
				(body) => body.per_day?.length === 30 && body.first_response?.answered === ANSWERED_LEADS,
			),
		cron: async () => {
			// Forget the monitor's last run, so every timed run does the health and silence checks too.
			await db.prepare("DELETE FROM monitor_state WHERE key = ?").bind(HEALTH_LAST_RUN).run();
			const result = await worker.scheduled({ cron: CRON, scheduledTime: new Date() });
			if (result.outcome !== "ok") throw new Error(`cron run: ${result.outcome}`);
		},
	};
}

/** Medians of `runs` timed calls of a and of b, called a, b, a, b… after 3 untimed calls each. */
async function alternatingMediansMs(a, b, runs) {
	for (let i = 0; i < 3; i++) {
		await a();
		await b();
	}
	const times = [[], []];
	const timed = async (run, into) => {
		const started = performance.now();
		await run();
		into.push(performance.now() - started);
	};
	for (let i = 0; i < runs; i++) {
		await timed(a, times[0]);
		await timed(b, times[1]);
	}
	return times.map((list) => {
		list.sort((x, y) => x - y);
		return Math.round(list[Math.floor(list.length / 2)] * 100) / 100;
	});
}

/**
 * One signed single-lead delivery sent with x-bench-capture; every statement it prepared (the
 * routing read, the receipt's batch, any waitUntil work) is explained on the full database.
 */
async function deliveryPlans(relay, db) {
	const body = webhookBody([nextLeadId()]);
	const response = await fetch(
		new URL(`${WEBHOOK_PATH}?company_id=${relay.companyId}`, relay.url),
		{
			method: "POST",
			headers: { ...webhookHeaders(body), "x-bench-capture": "1" },
			body,
		},
	);
	if (response.status !== 200) throw new Error(`captured delivery answered ${response.status}`);
	await new Promise((resolve) => setTimeout(resolve, 500)); // its waitUntil work
	return explainCaptured(relay, db);
}

/** Every statement one cron run prepared, explained on the full database. */
async function cronPlans(relay, db) {
	await db.prepare("DELETE FROM monitor_state WHERE key = ?").bind(HEALTH_LAST_RUN).run();
	await fetch(new URL("/__bench/capture-next-cron", relay.url));
	const worker = await relay.mf.getWorker();
	await worker.scheduled({ cron: CRON, scheduledTime: new Date() });
	return explainCaptured(relay, db);
}

/**
 * The captured statements' plans, and the rows D1 counted as read and written for their batches
 * (what D1 bills, and what the Free plan's daily row limits count).
 */
async function explainCaptured(relay, db) {
	const { statements, batches } = await (
		await fetch(new URL("/__bench/captured", relay.url))
	).json();
	const plans = [];
	for (const { sql, params } of statements) {
		if (!/^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)/i.test(sql)) continue;
		const { results } = await db
			.prepare(`EXPLAIN QUERY PLAN ${sql}`)
			.bind(...params)
			.all();
		const lines = results.map((row) => row.detail);
		const wholeReads = lines.filter((line) =>
			GROWING.some(
				(table) =>
					new RegExp(`^SCAN ${table}\\b(?! VIRTUAL)`, "i").test(line) ||
					aliasScan(line, sql, table),
			),
		);
		plans.push({ sql: sql.replace(/\s+/g, " ").trim(), lines, usesIndex: wholeReads.length === 0 });
	}
	const rows = batches.flat();
	return {
		plans,
		rowsRead: rows.reduce((sum, row) => sum + row.rowsRead, 0),
		rowsWritten: rows.reduce((sum, row) => sum + row.rowsWritten, 0),
	};
}

/** A SCAN of an alias the statement gives a growing table ("clients AS c" … "SCAN c"). */
function aliasScan(line, sql, table) {
	const scanned = /^SCAN (\w+)/.exec(line)?.[1];
	if (!scanned) return false;
	return new RegExp(`\\b${table}\\b(?:\\s+AS)?\\s+${scanned}\\b`, "i").test(sql);
}

/** The database's size in bytes, as D1 reports it after a statement. */
async function databaseBytes(db) {
	const result = await db.prepare("SELECT 1").run();
	return result.meta.size_after;
}

/** Bytes the search index takes (FTS5 keeps its segments in the *_data shadow tables). */
async function searchIndexBytes(db) {
	const bytes = async (table) =>
		(await db.prepare(`SELECT coalesce(sum(length(block)), 0) AS n FROM ${table}`).first()).n;
	return {
		clientsSearchBytes: await bytes("clients_search_data"),
		phonesSearchBytes: await bytes("phones_search_data"),
	};
}

async function rowCounts(db) {
	const count = async (table) => (await db.prepare(`SELECT count(*) AS n FROM ${table}`).first()).n;
	return {
		clients: await count("clients"),
		phones: await count("client_phone_numbers"),
		logs: await count("integration_logs"),
		forwards: await count("forwards"),
	};
}
