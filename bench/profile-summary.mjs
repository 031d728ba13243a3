// Summarises a CPU profile written by `BENCH_PROFILE=1 npm run bench` (bench/out/profiles/*.cpuprofile):
// busy time by package, and inclusive time of the heaviest functions (each counted once per stack).
// Idle samples and the profiler's own start-up are left out.
// Usage: node bench/profile-summary.mjs bench/out/profiles/single.cpuprofile [how many functions]
import { readFile } from "node:fs/promises";

const [file, limit = "30"] = process.argv.slice(2);
if (!file) {
	console.error("usage: node bench/profile-summary.mjs <file.cpuprofile> [how many functions]");
	process.exit(1);
}
const profile = JSON.parse(await readFile(file, "utf8"));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map(
	profile.nodes.flatMap((node) => (node.children ?? []).map((child) => [child, node.id])),
);
const selfTime = busyTimes(sampleTimes(profile));
const total = [...selfTime.values()].reduce((sum, time) => sum + time, 0);

console.log(`${file}: ${(total / 1000).toFixed(0)} ms busy\n\nself time by package:`);
printTop(
	sumBy(selfTime, (id) => [packageOf(nodes.get(id).callFrame)]),
	12,
);
console.log("\ninclusive time by function:");
printTop(sumBy(selfTime, stackNames), Number(limit));

/** Microseconds spent with each node on top of the stack. */
function sampleTimes({ samples, timeDeltas }) {
	const times = new Map();
	for (let i = 0; i < samples.length; i++) {
		times.set(samples[i], (times.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));
	}
	return times;
}

/** Drops idle samples and those taken inside the bench's own startProfiler(). */
function busyTimes(times) {
	const busy = new Map();
	for (const [id, time] of times) {
		const names = [...stackNames(id)];
		const skip =
			nodes.get(id).callFrame.functionName === "(idle)" ||
			names.some((name) => name.startsWith("startProfiler "));
		if (!skip) busy.set(id, time);
	}
	return busy;
}

function sumBy(times, keysOf) {
	const sums = new Map();
	for (const [id, time] of times) {
		for (const key of keysOf(id)) sums.set(key, (sums.get(key) ?? 0) + time);
	}
	return sums;
}

/** Every distinct function on the stack of a sample, so recursion is not counted twice. */
function stackNames(id) {
	const names = new Set();
	for (let current = id; current !== undefined; current = parents.get(current)) {
		const frame = nodes.get(current).callFrame;
		names.add(
			`${frame.functionName || "(anonymous)"} (${packageOf(frame)}:${frame.lineNumber + 1})`,
		);
	}
	return names;
}

function packageOf({ url, functionName }) {
	const inPackage = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
	if (inPackage) return inPackage[1];
	if (url.startsWith("node:")) return "node internals";
	if (url.endsWith("cpu-entry.mjs")) return "src (bundled)";
	return url === "" ? `(${functionName})` : url;
}

function printTop(sums, count) {
	const sorted = [...sums].sort((a, b) => b[1] - a[1]).slice(0, count);
	for (const [key, time] of sorted) {
		console.log(`${((100 * time) / total).toFixed(1).padStart(6)}%  ${key}`);
	}
}
