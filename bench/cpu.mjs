// Bundles bench/cpu-entry.mjs (which imports the relay's src/app.ts) for Node with esbuild and runs it
// in a fresh child process, so the CPU numbers are not disturbed by the load generator.
// BENCH_PROFILE=1 also profiles the measured loops into bench/out/profiles (see bench/profile-summary.mjs).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";

const TIMEOUT_MS = 300_000;

/** Runs bench/<entry> (cpu-entry.mjs unless told) bundled; answers the JSON line it prints last. */
export async function measureHandlerCpu(benchDir, outDir, entry = "cpu-entry.mjs") {
	const outfile = join(outDir, entry);
	await build({
		entryPoints: [join(benchDir, entry)],
		outfile,
		bundle: true,
		platform: "node",
		format: "esm",
		target: "node20",
		// Packages stay in node_modules, so a CPU profile names the package that spends the time.
		packages: "external",
		logLevel: "warning",
	});
	const profileArgs = process.env.BENCH_PROFILE === "1" ? [join(outDir, "profiles")] : [];
	const { stdout } = await promisify(execFile)(process.execPath, [outfile, ...profileArgs], {
		timeout: TIMEOUT_MS,
		killSignal: "SIGKILL",
		maxBuffer: 1024 * 1024,
	});
	return JSON.parse(stdout.trim().split("\n").at(-1));
}
