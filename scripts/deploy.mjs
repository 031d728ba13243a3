// `npm run deploy`: one command from a fresh clone to a running relay. Creates what the account lacks
// (queues; the D1 database, so migrations land before the Worker serves), applies migrations/ remotely,
// warns about unset secrets by name, then deploys (the KV namespace is provisioned by wrangler itself).
// `--dry-run` runs no remote step: it prints the plan and bundles the Worker (wrangler deploy --dry-run).
// WRANGLER (a command line) replaces the wrangler binary; the tests point it at a recording stub.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { experimental_readRawConfig } from "wrangler";

/** Secrets each feature needs; unset ones are named in a warning, never fatal (features stay off). */
const SECRETS = [
	["ADMIN_TOKEN", "operator API and console are disabled"],
	["ENCRYPTION_KEY", "Salesforce forwarding and stored tokens are disabled"],
	["TIKTOK_APP_SECRET", "TikTok deliveries are accepted unsigned"],
	["META_APP_SECRET", "every Meta POST is refused"],
	["META_VERIFY_TOKEN", "the Meta webhook handshake is refused"],
	["WEBHOOK_SIGNING_KEY", "per-company URLs are accepted unsigned"],
];

const { values } = parseArgs({
	options: {
		"dry-run": { type: "boolean", default: false },
		config: { type: "string", default: "wrangler.toml" },
	},
});
const dryRun = values["dry-run"];
const configPath = values.config;

const wranglerCommand = (
	process.env.WRANGLER ?? `${process.execPath} node_modules/wrangler/bin/wrangler.js`
)
	.split(" ")
	.filter(Boolean);

function wrangler(args, { quiet = false } = {}) {
	const [command, ...base] = wranglerCommand;
	return execFileSync(command, [...base, ...args, "--config", configPath], {
		encoding: "utf8",
		// Quiet steps are read (lists); the others talk to the operator (prompts, progress).
		stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
		env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
	});
}

function step(text) {
	console.log(`\n▶ ${text}`);
}

/** The config as wrangler reads it (TOML, parsed by wrangler's own reader). */
function readConfig() {
	return experimental_readRawConfig({ config: configPath }).rawConfig;
}

/**
 * Writes `key = "id"` into the binding's [[table]] entry, on the line after its `binding = "…"`,
 * keeping the file's comments and layout (wrangler's experimental_patchConfig refuses a .toml file
 * with comments). Then reads the file back through wrangler to check the id landed on that binding.
 */
function writeId(table, binding, key, id) {
	const lines = readFileSync(configPath, "utf8").split("\n");
	const bindingLine = new RegExp(`^binding\\s*=\\s*"${binding}"\\s*(#.*)?$`);
	let inTable = false;
	const at = lines.findIndex((line) => {
		const text = line.trim();
		if (text.startsWith("[")) {
			inTable = text.replace(/#.*$/, "").replace(/\s+/g, "") === `[[${table}]]`;
		}
		return inTable && bindingLine.test(text);
	});
	if (at < 0) throw new Error(`${configPath} has no [[${table}]] binding ${binding}`);
	const indent = lines[at].match(/^[ \t]*/)?.[0] ?? "";
	lines.splice(at + 1, 0, `${indent}${key} = ${JSON.stringify(id)}`);
	writeFileSync(configPath, lines.join("\n"));
	const written = readConfig()[table]?.find((b) => b.binding === binding)?.[key];
	if (written !== id) throw new Error(`${configPath}: ${binding} ${key} did not read back`);
	console.log(`  ${binding}: wrote ${key} ${id} into ${configPath}`);
}

function parseJson(output, what) {
	const start = output.search(/[[{]/);
	if (start < 0) throw new Error(`wrangler ${what} printed no JSON`);
	return JSON.parse(output.slice(start));
}

function ensureQueues(config) {
	const queues = [
		...(config.queues?.producers ?? []).map((p) => p.queue),
		...(config.queues?.consumers ?? []).flatMap((c) => [c.queue, c.dead_letter_queue]),
	].filter((name, i, all) => name && all.indexOf(name) === i);
	if (queues.length === 0) {
		console.log(
			"  no queues bound: forwards run from waitUntil and the cron, big deliveries' chunks from the cron",
		);
		return;
	}
	if (dryRun) {
		console.log(`  would create if missing: ${queues.join(", ")}`);
		return;
	}
	const listed = wrangler(["queues", "list"], { quiet: true });
	for (const name of queues) {
		if (new RegExp(`(^|[\\s│|])${name}([\\s│|]|$)`, "m").test(listed)) {
			console.log(`  ${name}: exists`);
		} else {
			wrangler(["queues", "create", name]);
		}
	}
}

function ensureDatabase(config) {
	const db = config.d1_databases?.find((d) => d.binding === "DB");
	if (!db) throw new Error(`${configPath} has no D1 binding DB`);
	if (db.database_id) {
		console.log(`  ${db.database_name}: ${db.database_id}`);
		return;
	}
	if (dryRun) {
		console.log(`  would find or create D1 database ${db.database_name}`);
		return;
	}
	const existing = parseJson(wrangler(["d1", "list", "--json"], { quiet: true }), "d1 list").find(
		(d) => d.name === db.database_name,
	);
	if (existing) {
		writeId("d1_databases", "DB", "database_id", existing.uuid);
		return;
	}
	const created = wrangler(["d1", "create", db.database_name], { quiet: true });
	const id = created.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/)?.[0];
	if (!id) throw new Error(`wrangler d1 create printed no database id:\n${created}`);
	writeId("d1_databases", "DB", "database_id", id);
}

function linkKvNamespace(config) {
	const kv = config.kv_namespaces?.find((k) => k.binding === "DEDUPE");
	if (!kv || kv.id) return;
	// The name wrangler's provisioning gives it: <worker>-<binding, lower-case>.
	const title = `${config.name}-dedupe`;
	if (dryRun) {
		console.log(`  would link KV namespace ${title} if it exists, else wrangler provisions it`);
		return;
	}
	const found = parseJson(wrangler(["kv", "namespace", "list"], { quiet: true }), "kv list").find(
		(n) => n.title === title,
	);
	if (found) writeId("kv_namespaces", "DEDUPE", "id", found.id);
	else console.log(`  ${title}: created by wrangler deploy (automatic provisioning)`);
}

function warnUnsetSecrets(config) {
	if (dryRun) {
		console.log(`  would check: ${SECRETS.map(([name]) => name).join(", ")}`);
		return;
	}
	let set = [];
	try {
		set = parseJson(wrangler(["secret", "list"], { quiet: true }), "secret list").map(
			(s) => s.name,
		);
	} catch {
		console.log(`  ${config.name} is not deployed yet: no secret is set`);
	}
	const unset = SECRETS.filter(([name]) => !set.includes(name));
	for (const [name, effect] of unset) {
		console.warn(`  ⚠ ${name} is not set (${effect}): npx wrangler secret put ${name}`);
	}
	if (unset.length === 0) console.log("  every secret is set");
}

try {
	const config = readConfig();
	step("queues");
	ensureQueues(config);
	step("D1 database");
	ensureDatabase(config);
	step("KV namespace");
	linkKvNamespace(config);
	step("migrations");
	if (dryRun) console.log("  would run: wrangler d1 migrations apply DB --remote");
	else wrangler(["d1", "migrations", "apply", "DB", "--remote"]);
	step("secrets");
	warnUnsetSecrets(config);
	step(dryRun ? "bundle (wrangler deploy --dry-run)" : "deploy");
	const outdir = process.env.DEPLOY_OUTDIR;
	wrangler(dryRun ? ["deploy", "--dry-run", ...(outdir ? ["--outdir", outdir] : [])] : ["deploy"]);
	console.log(dryRun ? "\nDry run done: nothing was created or deployed." : "\nDeployed.");
} catch (error) {
	console.error(`\ndeploy failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
