// The big-delivery part of the bench: the Worker's own CPU per invocation on Node with D1 answering at
// once (bench/chunk-cpu-entry.mjs: D1 runs outside the Worker in production), and the whole workerd
// process's on relays of their own (Miniflare's D1 included): one that chunks (LEAD_CHUNKS bound, its
// chunks run by the bench one queue invocation each) and one that ingests at once (BIG_DELIVERY_LEADS=0).
// `BENCH_ONLY=batch npm run bench` runs this part alone (bench/run.mjs) and prints its table.
import { join } from "node:path";
import {
	LEAD_CHUNKS_PRODUCER,
	measureBatchDeliveries,
	measureBigDeliveries,
	measureLargestAck,
} from "./batch-delivery.mjs";
import { measureHandlerCpu } from "./cpu.mjs";
import { startRelay } from "./serve.mjs";
import { withWorkerdPid } from "./workerd-cpu.mjs";

/** The Workers Free plan's CPU time per invocation (HTTP request, queue batch, cron run). */
export const FREE_PLAN_CPU_MS = 10;

export async function measureBigDeliveryScenarios({ scriptPath, compatibilityDate, rootDir }) {
	const migrationsDir = join(rootDir, "migrations");
	const benchDir = join(rootDir, "bench");
	const own = await measureHandlerCpu(benchDir, join(benchDir, "out"), "chunk-cpu-entry.mjs");
	const servers = [];
	try {
		const chunking = await withWorkerdPid(() =>
			startRelay({
				scriptPath,
				compatibilityDate,
				migrationsDir,
				queueProducers: LEAD_CHUNKS_PRODUCER,
			}),
		);
		servers.push(chunking);
		const chunked = await measureBigDeliveries(chunking);
		const largestAck = await measureLargestAck(chunking);
		const atOnceRelay = await withWorkerdPid(() =>
			startRelay({
				scriptPath,
				compatibilityDate,
				migrationsDir,
				vars: { BIG_DELIVERY_LEADS: "0" },
			}),
		);
		servers.push(atOnceRelay);
		const atOnce = await measureBatchDeliveries(atOnceRelay);
		const within = (summary) => summary.medianMs !== null && summary.medianMs <= FREE_PLAN_CPU_MS;
		return {
			own,
			chunked,
			largestAck,
			atOnce,
			freePlanCpuMs: FREE_PLAN_CPU_MS,
			// The Worker's own median CPU against the limit (its max is mostly a garbage collection).
			goals: {
				ack: within(own.ack),
				largestChunk: within(own.chunk),
				largestAck: within(own.largestAck),
			},
		};
	} finally {
		await Promise.allSettled(servers.map((server) => server.mf.dispose()));
	}
}
