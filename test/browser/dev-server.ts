// Global setup of the browser suite: starts the relay the README's way (`npm run dev`, local D1/KV
// on 127.0.0.1:8787) with two local-only overrides, waits for /health, and stops the whole process
// group afterwards, whatever happened.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BASE_URL = "http://127.0.0.1:8787";
const START_TIMEOUT_MS = 120_000;

/**
 * `--var` overrides for this run only: no single-company fallback (so a lead can be unroutable), and
 * http://127.0.0.1 Salesforce login URLs for the fake org (SALESFORCE_ALLOW_LOOPBACK_HTTP).
 */
const DEV_VARS = ["TIKTOK_LEADGEN_COMPANY_ID:", "SALESFORCE_ALLOW_LOOPBACK_HTTP:true"];

let relay: ChildProcess | undefined;

async function isUp(): Promise<boolean> {
	try {
		const response = await fetch(`${BASE_URL}/health`, { signal: AbortSignal.timeout(2000) });
		return response.status < 500;
	} catch {
		return false;
	}
}

export async function setup(): Promise<void> {
	// A relay stopped just before (CI's smoke step) may take a moment to release the port.
	for (let i = 0; i < 20 && (await isUp()); i++) {
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	if (await isUp()) {
		throw new Error(
			`${BASE_URL} is already serving: stop that relay first (the suite starts its own)`,
		);
	}
	const logFile = join(tmpdir(), "leadwire-browser-dev.log");
	const log = createWriteStream(logFile);
	const args = ["run", "dev", "--", ...DEV_VARS.flatMap((pair) => ["--var", pair])];
	relay = spawn("npm", args, {
		detached: true, // its own process group: wrangler and workerd stop with it
		stdio: ["ignore", "pipe", "pipe"],
		env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
	});
	relay.stdout?.pipe(log);
	relay.stderr?.pipe(log);
	const deadline = Date.now() + START_TIMEOUT_MS;
	while (Date.now() < deadline) {
		if (relay.exitCode !== null) break;
		if (await isUp()) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	await teardown();
	throw new Error(
		`npm run dev did not serve ${BASE_URL} within ${START_TIMEOUT_MS / 1000} s; see ${logFile}`,
	);
}

export async function teardown(): Promise<void> {
	const child = relay;
	relay = undefined;
	if (!child?.pid || child.exitCode !== null) return;
	const exited = new Promise((resolve) => child.once("exit", resolve));
	try {
		process.kill(-child.pid, "SIGTERM");
	} catch {
		return;
	}
	const timer = setTimeout(() => {
		try {
			if (child.pid) process.kill(-child.pid, "SIGKILL");
		} catch {
			// already gone
		}
	}, 10_000);
	await exited;
	clearTimeout(timer);
}
