// scripts/deploy.mjs against a recording wrangler stub: the steps run in order, create only what the
// account lacks, write ids into (a copy of) wrangler.toml, and name unset secrets. Run by node --test.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { experimental_readRawConfig } from "wrangler";

const root = new URL("../../", import.meta.url).pathname;
const stub = join(root, "test/scripts/wrangler-stub.mjs");

function deploy(account, extraArgs = []) {
	const dir = mkdtempSync(join(tmpdir(), "leadwire-deploy-"));
	const config = join(dir, "wrangler.toml");
	copyFileSync(join(root, "wrangler.toml"), config);
	const log = join(dir, "calls.jsonl");
	const output = execFileSync(
		process.execPath,
		[join(root, "scripts/deploy.mjs"), "--config", config, ...extraArgs],
		{
			cwd: root,
			encoding: "utf8",
			stdio: ["ignore", "pipe", "pipe"],
			env: {
				...process.env,
				WRANGLER: `${process.execPath} ${stub}`,
				STUB_LOG: log,
				STUB_ACCOUNT: JSON.stringify(account),
			},
		},
	);
	let calls = [];
	try {
		calls = readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map(JSON.parse);
	} catch {}
	return {
		output,
		calls: calls.map((c) => c.join(" ")),
		config: readFileSync(config, "utf8"),
		parsed: experimental_readRawConfig({ config }).rawConfig,
	};
}

test("a fresh account: queues and D1 are created, migrations applied before the deploy", () => {
	const { calls, config, parsed } = deploy({});
	assert.deepEqual(calls, [
		"queues list",
		"queues create leadwire-forwards",
		"queues create leadwire-lead-chunks",
		"queues create leadwire-lead-sla",
		"queues create leadwire-forwards-dlq",
		"d1 list --json",
		"d1 create leadwire",
		"kv namespace list",
		"d1 migrations apply DB --remote",
		"secret list",
		"deploy",
	]);
	// On the line after the [[d1_databases]] entry's binding, and wrangler reads it there.
	assert.match(
		config,
		/^\[\[d1_databases\]\]\nbinding = "DB"\ndatabase_id = "6f0c1b9e-2d4a-4c8e-9b1a-3e5d7f9a1c2b"\n/m,
	);
	assert.equal(parsed.d1_databases[0].database_id, "6f0c1b9e-2d4a-4c8e-9b1a-3e5d7f9a1c2b");
	assert.equal(parsed.kv_namespaces[0].id, undefined);
	// The comments survive the edit.
	assert.match(config, /^# Dedupe fast path/m);
});

test("an account that has everything by name: nothing is created, ids are linked", () => {
	const { calls, config, parsed } = deploy({
		queues: [
			"leadwire-forwards",
			"leadwire-lead-chunks",
			"leadwire-lead-sla",
			"leadwire-forwards-dlq",
		],
		databases: [{ name: "leadwire", uuid: "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e" }],
		namespaces: [{ title: "leadwire-dedupe", id: "4f9c0b1a2d3e4f5a6b7c8d9e0f1a2b3c" }],
		deployed: true,
		secrets: ["ADMIN_TOKEN", "ENCRYPTION_KEY"],
	});
	assert.deepEqual(calls, [
		"queues list",
		"d1 list --json",
		"kv namespace list",
		"d1 migrations apply DB --remote",
		"secret list",
		"deploy",
	]);
	assert.match(config, /^binding = "DB"\ndatabase_id = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"\n/m);
	assert.match(config, /^binding = "DEDUPE"\nid = "4f9c0b1a2d3e4f5a6b7c8d9e0f1a2b3c"\n/m);
	assert.equal(parsed.d1_databases[0].database_id, "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e");
	assert.equal(parsed.kv_namespaces[0].id, "4f9c0b1a2d3e4f5a6b7c8d9e0f1a2b3c");
	// Nothing else moved: the file is the original with the two id lines added.
	const original = readFileSync(join(root, "wrangler.toml"), "utf8");
	assert.equal(config.replace(/^(database_id|id) = .*\n/gm, ""), original);
});

test("unset secrets are named in a warning, set ones are not", () => {
	const dir = mkdtempSync(join(tmpdir(), "leadwire-deploy-"));
	const config = join(dir, "wrangler.toml");
	copyFileSync(join(root, "wrangler.toml"), config);
	const result = execFileSync(
		"sh",
		["-c", `"${process.execPath}" scripts/deploy.mjs --config "${config}" 2>&1`],
		{
			cwd: root,
			encoding: "utf8",
			env: {
				...process.env,
				WRANGLER: `${process.execPath} ${stub}`,
				STUB_ACCOUNT: JSON.stringify({
					deployed: true,
					secrets: ["ADMIN_TOKEN", "META_APP_SECRET"],
				}),
			},
		},
	);
	assert.match(result, /ENCRYPTION_KEY is not set/);
	assert.match(result, /TIKTOK_APP_SECRET is not set/);
	assert.doesNotMatch(result, /ADMIN_TOKEN is not set/);
	assert.doesNotMatch(result, /META_APP_SECRET is not set/);
});

test("a failed migration stops the deploy: the Worker never runs on an old schema", () => {
	const dir = mkdtempSync(join(tmpdir(), "leadwire-deploy-"));
	const log = join(dir, "calls.jsonl");
	const config = join(dir, "wrangler.toml");
	copyFileSync(join(root, "wrangler.toml"), config);
	assert.throws(() =>
		execFileSync(process.execPath, [join(root, "scripts/deploy.mjs"), "--config", config], {
			cwd: root,
			stdio: "pipe",
			env: {
				...process.env,
				WRANGLER: `${process.execPath} ${stub}`,
				STUB_LOG: log,
				STUB_ACCOUNT: JSON.stringify({ migrationsFail: true }),
			},
		}),
	);
	const calls = readFileSync(log, "utf8").trim().split("\n");
	assert.equal(calls.at(-1), JSON.stringify(["d1", "migrations", "apply", "DB", "--remote"]));
});

test("--dry-run makes no remote call and only bundles", () => {
	const { calls, output } = deploy({}, ["--dry-run"]);
	assert.deepEqual(calls, ["deploy --dry-run"]);
	assert.match(
		output,
		/would create if missing: leadwire-forwards, leadwire-lead-chunks, leadwire-lead-sla, leadwire-forwards-dlq/,
	);
});
