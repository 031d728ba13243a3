// The load schedule: every scenario is warmed up, then measured in rounds of short slices that cycle
// through the scenarios (bare → ack → ack-rows → ingest, then again, …), so drift in this VM's speed
// lands on all of them alike instead of on whichever scenario happened to run in a slow minute.
import { setTimeout as sleep } from "node:timers/promises";
import { runLoad } from "./load.mjs";
import { cpuMsOf } from "./workerd-cpu.mjs";

/**
 * After each slice: lets requests still in flight when autocannon stopped finish (and their CPU be
 * counted) before the next scenario's slice starts on the other Worker.
 */
const SETTLE_MS = 300;

/** Splits `seconds` per scenario into whole rounds of about `sliceSeconds` each. */
export function planRounds(seconds, sliceSeconds) {
	const rounds = Math.max(1, Math.round(seconds / sliceSeconds));
	return { rounds, sliceSeconds: seconds / rounds };
}

/** Warm-up of every scenario in turn, nothing recorded. */
export async function warmUp(scenarios, seconds, step) {
	for (const scenario of scenarios) {
		step(`warm-up: ${scenario.name}`);
		await runLoad({ ...scenario, seconds });
	}
}

/**
 * `rounds` rounds of one `sliceSeconds` slice per scenario, in the given order; resolves to
 * { [key]: slices }. Each slice carries the CPU its Worker's workerd spent from its start to the settle.
 */
export async function measureInterleaved(scenarios, { rounds, sliceSeconds }, step) {
	const slices = Object.fromEntries(scenarios.map((scenario) => [scenario.key, []]));
	for (let round = 1; round <= rounds; round += 1) {
		step(`round ${round}/${rounds}: ${scenarios.map((s) => s.key).join(" → ")}`);
		for (const scenario of scenarios) {
			slices[scenario.key].push(await measureSlice(scenario, sliceSeconds));
		}
	}
	return slices;
}

async function measureSlice(scenario, seconds) {
	const cpuBefore = cpuMsOf(scenario.workerdPid);
	const slice = await runLoad({ ...scenario, seconds });
	await sleep(SETTLE_MS);
	const cpuAfter = cpuMsOf(scenario.workerdPid);
	const cpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
	return { ...slice, cpuMs };
}
