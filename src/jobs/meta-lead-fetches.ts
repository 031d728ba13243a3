// Cron job: runs the due Graph reads of recorded Meta leads (src/intake/meta-lead-fetches.ts), a few
// claims per tick so one tick stays short.
import { loadConfig } from "../config";
import { forwardsQueue } from "../forwarders/forward-queue";
import {
	LEAD_FETCH_BATCH_SIZE,
	type LeadFetchDeps,
	runLeadFetches,
} from "../intake/meta-lead-fetches";
import { createDb } from "../storage/db";
import type { CronJob } from "./cron-job";

/** Claims of LEAD_FETCH_BATCH_SIZE reads per tick. */
const MAX_BATCHES = 4;

/** Cron: every due read, a few batches per tick. */
export const metaLeadFetchJob: CronJob = {
	name: "meta_lead_fetches",
	async run(env, now, log) {
		const deps: LeadFetchDeps = {
			db: createDb(env.DB),
			kv: env.DEDUPE,
			config: loadConfig(env),
			fetch: (input, init) => fetch(input, init),
			log: log.with({ job: "meta_lead_fetches" }),
			queue: forwardsQueue(env),
		};
		let claimed = 0;
		for (let batch = 0; batch < MAX_BATCHES; batch++) {
			const count = await runLeadFetches(deps, now);
			claimed += count;
			if (count < LEAD_FETCH_BATCH_SIZE) break;
		}
		deps.log.info("lead reads run", { outcome: "done", received: claimed });
	},
};
