// CPU time of the workerd processes Miniflare spawns, from /proc/<pid>/stat (utime + stime, all
// threads). Linux only: elsewhere every function answers as if no workerd were found (null / []).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = clockTicksPerSecond();

/** The pids of this process's direct workerd children (Miniflare spawns workerd itself). */
export function workerdChildPids() {
	if (process.platform !== "linux") return [];
	const pids = [];
	for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
		const stat = readStat(pid);
		if (stat?.comm.startsWith("workerd") && stat.ppid === process.pid) pids.push(Number(pid));
	}
	return pids;
}

/**
 * Starts something that spawns one workerd (`start` resolves once it is up) and returns its result
 * with `workerdPid`: the one new workerd child, or null if there is not exactly one (or not Linux).
 */
export async function withWorkerdPid(start) {
	const before = new Set(workerdChildPids());
	const started = await start();
	const spawned = workerdChildPids().filter((pid) => !before.has(pid));
	return { ...started, workerdPid: spawned.length === 1 ? spawned[0] : null };
}

/** User + system CPU ms the process has used so far; null if it is unknown. */
export function cpuMsOf(pid) {
	if (pid === null) return null;
	const stat = readStat(String(pid));
	return stat ? ((stat.utime + stat.stime) * 1000) / TICKS_PER_SECOND : null;
}

/**
 * CPU ns the process's threads have run so far, from /proc/<pid>/task/<tid>/schedstat (nanoseconds,
 * where utime + stime count in 10 ms ticks): fine enough for one chunk's few ms. Null if unknown.
 */
export function cpuNsOf(pid) {
	if (pid === null || process.platform !== "linux") return null;
	try {
		let total = 0;
		for (const tid of readdirSync(`/proc/${pid}/task`)) {
			total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
		}
		return total;
	} catch {
		return null;
	}
}

/** Fields of /proc/<pid>/stat that matter here; comm is parenthesised and may hold spaces. */
function readStat(pid) {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, "utf8");
		const close = text.lastIndexOf(")");
		const fields = text.slice(close + 2).split(" ");
		return {
			comm: text.slice(text.indexOf("(") + 1, close),
			ppid: Number(fields[1]),
			utime: Number(fields[11]),
			stime: Number(fields[12]),
		};
	} catch {
		return null;
	}
}

/** `getconf CLK_TCK` (the unit of utime/stime); 100, Linux's usual value, if it cannot be read. */
function clockTicksPerSecond() {
	if (process.platform !== "linux") return 100;
	try {
		const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
		return ticks > 0 ? ticks : 100;
	} catch {
		return 100;
	}
}
