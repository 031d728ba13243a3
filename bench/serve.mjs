// Builds the relay exactly as `wrangler deploy` would (--dry-run --outdir) and serves it, and the floor
// Worker, with Miniflare on 127.0.0.1: D1 and KV live in Miniflare's temp dir, gone on dispose.
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";
import { BENCH_SECRET } from "./leads.mjs";
import { setUpRouting } from "./routing-setup.mjs";

const BUILD_TIMEOUT_MS = 120_000;

/** Runs `wrangler deploy --dry-run`; returns the path of the bundled Worker. */
export async function buildRelay(rootDir, outDir) {
	const wrangler = join(rootDir, "node_modules", "wrangler", "bin", "wrangler.js");
	await promisify(execFile)(
		process.execPath,
		[wrangler, "deploy", "--dry-run", "--outdir", outDir],
		{
			cwd: rootDir,
			timeout: BUILD_TIMEOUT_MS,
			killSignal: "SIGKILL",
			// No banner (and so no update check), no telemetry: the bench stays on 127.0.0.1.
			env: {
				...process.env,
				WRANGLER_HIDE_BANNER: "true",
				WRANGLER_SEND_METRICS: "false",
				WRANGLER_SEND_ERROR_REPORTS: "false",
			},
		},
	);
	return join(outDir, "index.js");
}

/** compatibility_date from wrangler.toml, so Miniflare runs the relay as it is deployed. */
export async function readCompatibilityDate(rootDir) {
	const config = await readFile(join(rootDir, "wrangler.toml"), "utf8");
	const match = config.match(/^compatibility_date\s*=\s*"([^"]+)"/m);
	if (!match) throw new Error("wrangler.toml has no compatibility_date");
	return match[1];
}

/**
 * The relay with migrated D1 and one seeded company; returns { mf, url, companyId }. With an
 * `inspectorPort`, workerd serves the DevTools protocol there (bench/workerd-profile.mjs); `vars`
 * adds or replaces bindings (e.g. ADMIN_TOKEN for the operator reads of bench/full-db.mjs),
 * `queueProducers` binds queues (no consumer: the bench runs them), unless `queueConsumers` names
 * the relay as the consumer of some (bench/crm-latency.mjs); `routing` sets the company's lead
 * distribution up as BENCH_ROUTING says (bench/routing-setup.mjs).
 */
export function startRelay({
	scriptPath,
	compatibilityDate,
	migrationsDir,
	inspectorPort,
	vars = {},
	queueProducers,
	queueConsumers,
	routing = false,
}) {
	const options = {
		...(inspectorPort ? { inspectorPort } : {}),
		...(queueProducers ? { queueProducers } : {}),
		...(queueConsumers ? { queueConsumers } : {}),
		d1Databases: { DB: "bench-relay-db" },
		kvNamespaces: { DEDUPE: "bench-relay-kv" },
		bindings: {
			TIKTOK_APP_SECRET: BENCH_SECRET,
			TIKTOK_LEADGEN_COMPANY_ID: "",
			TIKTOK_LEADGEN_ADVERTISER_MAPPING: "",
			MAX_BODY_BYTES: "3000000",
			...vars,
		},
	};
	return startWorker({ scriptPath, compatibilityDate, options }, async (db) => {
		await applyMigrations(db, migrationsDir);
		const company = await db
			.prepare("INSERT INTO companies (name) VALUES ('Bench Co') RETURNING id")
			.first();
		if (routing) await setUpRouting(db, company.id);
		return { companyId: company.id };
	});
}

/** The floor Worker (bench/floor-worker.mjs) with its bench tables; returns { mf, url }. */
export function startFloor({ scriptPath, compatibilityDate }) {
	const options = {
		d1Databases: { DB: "bench-floor-db" },
		kvNamespaces: { KV: "bench-floor-kv" },
		bindings: { BENCH_SECRET },
	};
	return startWorker({ scriptPath, compatibilityDate, options }, async (db) => {
		await db.batch(FLOOR_TABLES.map((statement) => db.prepare(statement)));
		return {};
	});
}

const CREATED_AT = "created_at text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL";

/**
 * bench_acks for /ack; for /ack-rows, tables with the columns and indexes of the relay's clients,
 * client_phone_numbers and integration_logs (migrations/), without the foreign keys to tables the
 * floor does not have.
 */
const FLOOR_TABLES = [
	`CREATE TABLE bench_acks (id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
		signature text NOT NULL, payload text NOT NULL, ${CREATED_AT})`,
	`CREATE TABLE bench_clients (id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
		company_id integer NOT NULL, integration_account_id integer, source text NOT NULL,
		external_id text, full_name text, email text, assigned_employee_id integer, form_id text,
		answers text, receipt_id text, salesforce_id text, ${CREATED_AT})`,
	`CREATE UNIQUE INDEX bench_clients_account_external_uq
		ON bench_clients (integration_account_id, external_id)`,
	"CREATE INDEX bench_clients_company_idx ON bench_clients (company_id, id)",
	"CREATE INDEX bench_clients_receipt_idx ON bench_clients (receipt_id)",
	"CREATE INDEX bench_clients_company_email_idx ON bench_clients (company_id, email)",
	`CREATE TABLE bench_client_phone_numbers (id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
		client_id integer NOT NULL REFERENCES bench_clients (id), phone_number text NOT NULL)`,
	`CREATE UNIQUE INDEX bench_client_phone_numbers_client_phone_uq
		ON bench_client_phone_numbers (client_id, phone_number)`,
	"CREATE INDEX bench_client_phone_numbers_phone_idx ON bench_client_phone_numbers (phone_number)",
	`CREATE TABLE bench_integration_logs (id integer PRIMARY KEY AUTOINCREMENT NOT NULL,
		company_id integer, provider text NOT NULL, action text NOT NULL, status text NOT NULL,
		message text, external_id text, payload text, request_id text, ${CREATED_AT},
		replayed_at text, replay_outcome text, replay_request_id text)`,
	"CREATE INDEX bench_integration_logs_company_idx ON bench_integration_logs (company_id, id)",
	"CREATE INDEX bench_integration_logs_status_idx ON bench_integration_logs (status, id)",
	"CREATE INDEX bench_integration_logs_action_idx ON bench_integration_logs (action, id)",
	`CREATE INDEX bench_integration_logs_payload_age_idx ON bench_integration_logs (created_at)
		WHERE payload IS NOT NULL`,
];

/**
 * Serves one bundled Worker with Miniflare on 127.0.0.1 (ephemeral port), lets `prepare` set up its
 * D1, and disposes of Miniflare if anything fails on the way. Returns { mf, url, ...prepared }.
 */
async function startWorker({ scriptPath, compatibilityDate, options }, prepare) {
	const mf = new Miniflare({
		host: "127.0.0.1",
		port: 0,
		modules: true,
		modulesRoot: dirname(scriptPath),
		scriptPath,
		compatibilityDate,
		handleRuntimeStdio: keepErrorTail,
		...options,
	});
	try {
		const url = await mf.ready;
		const prepared = await prepare(await mf.getD1Database("DB"));
		return { mf, url, ...prepared };
	} catch (error) {
		await mf.dispose();
		throw error;
	}
}

/** Applies migrations/*.sql in name order, one statement per drizzle-kit statement-breakpoint. */
async function applyMigrations(db, migrationsDir) {
	const files = (await readdir(migrationsDir)).filter((name) => name.endsWith(".sql")).sort();
	for (const file of files) {
		const text = await readFile(join(migrationsDir, file), "utf8");
		const statements = text
			.split("--> statement-breakpoint")
			.map((statement) => statement.trim())
			.filter((statement) => statement !== "");
		await db.batch(statements.map((statement) => db.prepare(statement)));
	}
}

/**
 * workerd's stdout carries the relay's log lines: read and dropped so it cannot block. The end of
 * stderr is kept and printed if workerd exits early, so a failed start explains itself.
 */
function keepErrorTail(stdout, stderr) {
	let tail = "";
	stdout.resume();
	stderr.on("data", (chunk) => {
		tail = (tail + chunk).slice(-2000);
	});
	stderr.on("end", () => {
		if (tail.trim() !== "") console.error(`workerd stderr (last lines):\n${tail}`);
	});
}
