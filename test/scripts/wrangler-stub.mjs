// A stand-in for the wrangler CLI in deploy-script tests: records each call (one JSON line in
// $STUB_LOG) and answers like wrangler 4.86 does for an account described by $STUB_ACCOUNT.
import { appendFileSync } from "node:fs";

const args = process.argv.slice(2);
const withoutConfig = args.slice(
	0,
	args.indexOf("--config") < 0 ? args.length : args.indexOf("--config"),
);
appendFileSync(process.env.STUB_LOG ?? "/dev/null", `${JSON.stringify(withoutConfig)}\n`);
const account = JSON.parse(process.env.STUB_ACCOUNT ?? "{}");
const command = withoutConfig.join(" ");

const answers = {
	"queues list": () =>
		[
			"┌──────────┬─────────────────────┬──────────┐",
			"│ id       │ name                │ producers │",
			...(account.queues ?? []).map((name) => `│ 1a2b3c   │ ${name} │ 1 │`),
			"└──────────┴─────────────────────┴──────────┘",
		].join("\n"),
	"d1 list --json": () => JSON.stringify(account.databases ?? []),
	"kv namespace list": () => JSON.stringify(account.namespaces ?? []),
	"secret list": () => {
		if (!account.deployed) {
			process.stderr.write("✘ [ERROR] This Worker does not exist on your account. [code: 10007]\n");
			process.exit(1);
		}
		return JSON.stringify((account.secrets ?? []).map((name) => ({ name, type: "secret_text" })));
	},
};

if (command.startsWith("d1 migrations apply") && account.migrationsFail) {
	process.stderr.write(
		'✘ [ERROR] Migration 0008_x.sql failed with the following errors: near "TABEL"\n',
	);
	process.exit(1);
} else if (command.startsWith("d1 create ")) {
	console.log(`✅ Successfully created DB '${withoutConfig[2]}' in region WEUR
{
  "d1_databases": [
    { "binding": "DB", "database_name": "${withoutConfig[2]}", "database_id": "6f0c1b9e-2d4a-4c8e-9b1a-3e5d7f9a1c2b" }
  ]
}`);
} else if (answers[command]) {
	console.log(answers[command]());
}
