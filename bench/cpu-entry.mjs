// Handler CPU per lead, measured in-process on Node with fake bindings (bench/fakes.mjs).
// bench/cpu.mjs bundles this file with esbuild and runs it as a child process; it prints one JSON line.
// With a directory argument, each measured loop is also CPU-profiled into <dir>/<scenario>.cpuprofile.
import { mkdir, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { Hono } from "hono";
import { createFetch } from "../src/app.ts";
import { verifyHmacSha256Hex } from "../src/security/hmac.ts";
import { createdRows, createFakeCtx, createFakeD1, createFakeKv } from "./fakes.mjs";
import { BENCH_SECRET, nextLeadId, WEBHOOK_PATH, webhookBody, webhookHeaders } from "./leads.mjs";

const WEBHOOK_URL = `http://relay.bench${WEBHOOK_PATH}?company_id=1`;

// The floor and the single-lead relay are measured in alternating slices (like the load scenarios), so
// drift in the machine's speed falls on both alike; the batch scenario runs after them.
const SLICES = 5;
const SCENARIOS = [
	{ name: "floor", leadsPerDelivery: 1, warmup: 2000, deliveries: 10000 },
	{ name: "single", leadsPerDelivery: 1, warmup: 2000, deliveries: 10000 },
	{ name: "batch", leadsPerDelivery: 1000, warmup: 5, deliveries: 20, slices: 1 },
];

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});

async function main() {
	silenceConsole();
	// The relay as the Worker serves it (src/index.ts): webhook deliveries on the app of webhook routes.
	const apps = {
		floor: createFloorApp(),
		single: { fetch: createFetch() },
		batch: { fetch: createFetch() },
	};
	const env = {
		DB: createFakeD1(),
		DEDUPE: createFakeKv(),
		TIKTOK_APP_SECRET: BENCH_SECRET,
		TIKTOK_LEADGEN_COMPANY_ID: "",
		TIKTOK_LEADGEN_ADVERTISER_MAPPING: "",
		MAX_BODY_BYTES: "3000000",
		// Every delivery ingested at once, so the 1000-lead row is the whole ingest's CPU (the chunked
		// path of big deliveries is measured on workerd: bench/batch-delivery.mjs).
		BIG_DELIVERY_LEADS: "0",
	};
	const profileDir = process.argv[2];
	const totals = {};
	for (const scenario of SCENARIOS) await warmUp(apps[scenario.name], env, scenario);
	const slices = Math.max(...SCENARIOS.map((scenario) => scenario.slices ?? SLICES));
	for (let slice = 0; slice < slices; slice++) {
		for (const scenario of SCENARIOS) {
			const count = scenario.slices ?? SLICES;
			if (slice >= count) continue;
			// The last slice of each scenario is the one profiled (when asked).
			const profile = profileDir && slice === count - 1 ? profileDir : undefined;
			const run = await measureSlice(apps[scenario.name], env, scenario, count, profile);
			totals[scenario.name] = addRuns(totals[scenario.name], run);
		}
	}
	const results = {};
	for (const scenario of SCENARIOS)
		results[scenario.name] = perLead(scenario, totals[scenario.name]);
	process.stdout.write(`${JSON.stringify(results)}\n`);
}

/**
 * The Node floor: what any signed-webhook handler pays on this platform (Hono routing, reading the body,
 * the relay's own HMAC check, a JSON answer) and nothing of parsing, routing or storage.
 */
function createFloorApp() {
	return new Hono().post("*", async (c) => {
		const body = new Uint8Array(await c.req.arrayBuffer());
		const ok = await verifyHmacSha256Hex(BENCH_SECRET, body, c.req.header("X-Open-Signature"));
		return c.json({ ok, created: ok ? 1 : 0 });
	});
}

/** The relay logs JSON lines per lead: they are built (and measured) but not written to stdout. */
function silenceConsole() {
	const ignore = () => {};
	console.log = ignore;
	console.info = ignore;
	console.warn = ignore;
	console.error = ignore;
}

async function warmUp(app, env, scenario) {
	const warmup = buildDeliveries(scenario.warmup, scenario.leadsPerDelivery);
	await checkFirstAnswer(app, env, createFakeCtx(), warmup.shift(), scenario.leadsPerDelivery);
	await runDeliveries(app, env, createFakeCtx(), warmup);
}

/** One slice of a scenario: 1/slices of its deliveries, timed (and profiled into `profileDir`). */
async function measureSlice(app, env, scenario, slices, profileDir) {
	const ctx = createFakeCtx();
	const deliveries = Math.round(scenario.deliveries / slices);
	const measured = buildDeliveries(deliveries, scenario.leadsPerDelivery);
	const batchesBefore = env.DB.batches;
	const statementsBefore = env.DB.statements;
	const profiler = profileDir ? await startProfiler() : undefined;
	const cpuBefore = process.cpuUsage();
	const wallBefore = performance.now();
	await runDeliveries(app, env, ctx, measured);
	const wallMs = performance.now() - wallBefore;
	const cpu = process.cpuUsage(cpuBefore);
	if (profiler) await stopProfiler(profiler, join(profileDir, `${scenario.name}.cpuprofile`));
	return {
		deliveries,
		cpuMs: (cpu.user + cpu.system) / 1000,
		wallMs,
		batches: env.DB.batches - batchesBefore,
		statements: env.DB.statements - statementsBefore,
	};
}

function addRuns(total, run) {
	if (!total) return run;
	const sum = {};
	for (const key of Object.keys(run)) sum[key] = total[key] + run[key];
	return sum;
}

function perLead(scenario, total) {
	const leads = total.deliveries * scenario.leadsPerDelivery;
	return {
		deliveries: total.deliveries,
		leadsPerDelivery: scenario.leadsPerDelivery,
		cpuMsPerLead: total.cpuMs / leads,
		wallMsPerLead: total.wallMs / leads,
		d1BatchesPerDelivery: total.batches / total.deliveries,
		d1StatementsPerDelivery: total.statements / total.deliveries,
	};
}

/** Signed requests and the rows the fake D1 answers for them, built before any timing starts. */
function buildDeliveries(count, leadsPerDelivery) {
	const deliveries = [];
	for (let i = 0; i < count; i++) {
		const leadIds = Array.from({ length: leadsPerDelivery }, nextLeadId);
		const body = webhookBody(leadIds);
		const request = new Request(WEBHOOK_URL, {
			method: "POST",
			headers: webhookHeaders(body),
			body,
		});
		deliveries.push({ request, created: createdRows(leadIds, 1) });
	}
	return deliveries;
}

async function runDeliveries(app, env, ctx, deliveries) {
	for (const delivery of deliveries) {
		const response = await send(app, env, ctx, delivery);
		if (response.status !== 200) throw new Error(`relay answered ${response.status}`);
	}
}

async function send(app, env, ctx, delivery) {
	env.DB.nextCreated = delivery.created;
	const response = await app.fetch(delivery.request, env, ctx);
	await Promise.all(ctx.pending.splice(0));
	return response;
}

/** Fails loudly if the fakes do not make the relay create every lead (the numbers would be meaningless). */
async function checkFirstAnswer(app, env, ctx, delivery, leadsPerDelivery) {
	const response = await send(app, env, ctx, delivery);
	const answer = await response.json();
	if (response.status !== 200 || answer.created !== leadsPerDelivery) {
		throw new Error(`unexpected answer ${response.status} ${JSON.stringify(answer)}`);
	}
}

async function startProfiler() {
	const session = new Session();
	session.connect();
	await session.post("Profiler.enable");
	await session.post("Profiler.start");
	return session;
}

async function stopProfiler(session, file) {
	const { profile } = await session.post("Profiler.stop");
	session.disconnect();
	await mkdir(join(file, ".."), { recursive: true });
	await writeFile(file, JSON.stringify(profile));
}
