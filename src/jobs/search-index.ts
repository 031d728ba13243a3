// Cron job: merges the lead search indexes' segments a bounded amount per tick, work FTS5 would
// otherwise do inside every delivery's batch (automerge is off: migrations/0016_client_search.sql).
import { createDb } from "../storage/db";
import { mergeSearchIndexes } from "../storage/search-index";
import type { CronJob } from "./cron-job";

export const searchIndexJob: CronJob = {
	name: "search_index",
	async run(env, _now, log) {
		await mergeSearchIndexes(createDb(env.DB));
		log.info("search index merged", { job: searchIndexJob.name, outcome: "merged" });
	},
};
