// `npm run bench`: the relay's single-lead TikTok ingest against the floor (a bare 200 and a minimal
// durable ack) on the same Miniflare in the same run, plus handler CPU per lead on Node.
// Writes bench/results.json and bench/RESULTS.md; exits 1 if the stored rows do not match the 200s.
import { execFileSync } from "node:child_process";
import { mkdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { measureHandlerCpu } from "./cpu.mjs";
import { WEBHOOK_PATH } from "./leads.mjs";
import { createTracker, runLoad } from "./load.mjs";
import { renderMarkdown, writeReports } from "./report.mjs";
import { checkRows } from "./rows-check.mjs";
import { buildRelay, readCompatibilityDate, startFloor, startRelay } from "./serve.mjs";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT_DIR = dirname(BENCH_DIR);
const OUT_DIR = join(BENCH_DIR, "out");

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Math.min(2, SECONDS);
const GOALS = { ingestVsAck: 0.8, cpuMsPerLead: 0.2 };
/** The whole run must end within this; on expiry the process exits and Miniflare's exit hook kills workerd. */
const WATCHDOG_MS = (420 + 3 * (SECONDS + WARMUP_SECONDS) * 2) * 1000;

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});

async function main() {
	if (!(SECONDS > 0)) throw new Error("BENCH_SECONDS must be a positive number");
	const watchdog = setTimeout(() => {
		console.error(`bench: still running after ${WATCHDOG_MS / 1000} s, stopping`);
		process.exit(1);
	}, WATCHDOG_MS);
	watchdog.unref();

	const loadAverage = os.loadavg()[0].toFixed(2);
	await rm(OUT_DIR, { recursive: true, force: true });
	await mkdir(OUT_DIR, { recursive: true });
	const compatibilityDate = await readCompatibilityDate(ROOT_DIR);

	step("bundling the relay (wrangler deploy --dry-run)");
	const relayScript = await buildRelay(ROOT_DIR, join(OUT_DIR, "relay"));
	step("measuring handler CPU per lead on Node (fake D1 and KV)");
	const cpu = await measureHandlerCpu(BENCH_DIR, OUT_DIR);
	const floor = await benchFloor(compatibilityDate);
	const relay = await benchRelay(relayScript, compatibilityDate);

	const results = await collectResults({ loadAverage, floor, relay, cpu });
	console.log(`\n${renderMarkdown(results)}`);
	await writeReports(results, BENCH_DIR);
	console.log("wrote bench/results.json and bench/RESULTS.md");
	if (process.env.BENCH_PROFILE === "1") {
		console.log(
			"CPU profiles: node bench/profile-summary.mjs bench/out/profiles/single.cpuprofile",
		);
	}
	if (!results.rowsCheck.pass) process.exitCode = 1;
}

function step(message) {
	console.log(`bench: ${message}...`);
}

/** Warm-up run (not reported), then the measured run. */
async function warmAndRun(options) {
	await runLoad({ ...options, seconds: WARMUP_SECONDS });
	return runLoad({ ...options, seconds: SECONDS });
}

async function benchFloor(compatibilityDate) {
	const scriptPath = join(BENCH_DIR, "floor-worker.mjs");
	const floor = await startFloor({ scriptPath, compatibilityDate });
	try {
		const tracker = createTracker();
		step("load: bare 200");
		const bare = await warmAndRun({ url: floor.url, path: "/bare", tracker });
		step("load: durable ack");
		const ack = await warmAndRun({ url: floor.url, path: "/ack", tracker });
		return { bare, ack };
	} finally {
		await floor.mf.dispose();
	}
}

async function benchRelay(scriptPath, compatibilityDate) {
	const migrationsDir = join(ROOT_DIR, "migrations");
	const relay = await startRelay({ scriptPath, compatibilityDate, migrationsDir });
	try {
		const tracker = createTracker();
		const path = `${WEBHOOK_PATH}?company_id=${relay.companyId}`;
		step("load: TikTok single-lead ingest");
		const ingest = await warmAndRun({ url: relay.url, path, tracker });
		const rowsCheck = await checkRows(relay.mf, tracker);
		return { ingest, rowsCheck };
	} finally {
		await relay.mf.dispose();
	}
}

async function collectResults({ loadAverage, floor, relay, cpu }) {
	const scenarios = { bare: floor.bare, ack: floor.ack, ingest: relay.ingest };
	const ratios = {
		ingestVsAck: relay.ingest.reqPerSec / floor.ack.reqPerSec,
		ingestVsBare: relay.ingest.reqPerSec / floor.bare.reqPerSec,
		ackVsBare: floor.ack.reqPerSec / floor.bare.reqPerSec,
	};
	const goal = (value, max) => ({ goal: max, met: value <= max });
	return {
		date: new Date().toISOString(),
		machine: {
			node: process.version,
			cores: os.cpus().length,
			cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
			loadAverage,
			miniflare: await packageVersion("miniflare"),
		},
		settings: {
			relayCommit: relayCommit(),
			seconds: SECONDS,
			warmupSeconds: WARMUP_SECONDS,
			connections: relay.ingest.connections,
		},
		scenarios,
		ratios,
		cpu,
		rowsCheck: relay.rowsCheck,
		goals: {
			ingestVsAck: { goal: GOALS.ingestVsAck, met: ratios.ingestVsAck >= GOALS.ingestVsAck },
			cpuSingle: goal(cpu.single.cpuMsPerLead, GOALS.cpuMsPerLead),
			cpuBatch: goal(cpu.batch.cpuMsPerLead, GOALS.cpuMsPerLead),
		},
	};
}

/** The commit the relay was built from, marked "+changes" when src/ differs from it. */
function relayCommit() {
	try {
		const git = (...args) => execFileSync("git", args, { cwd: ROOT_DIR, encoding: "utf8" }).trim();
		const dirty = git("status", "--porcelain", "--", "src", "migrations", "wrangler.toml") !== "";
		return `${git("rev-parse", "--short", "HEAD")}${dirty ? "+changes" : ""}`;
	} catch {
		return "unknown";
	}
}

async function packageVersion(name) {
	const file = join(ROOT_DIR, "node_modules", name, "package.json");
	return JSON.parse(await readFile(file, "utf8")).version;
}
