// What the health job, the alert sender and backfill need from the Worker: storage, config, an
// injectable fetch (tests fake the providers) and the tail logger.
import type { Config } from "../config";
import type { Fetch } from "../forwarders/forwarder";
import type { Logger } from "../log";
import { createDb, type Db } from "../storage/db";

export interface HealthDeps {
	db: Db;
	kv: KVNamespace;
	config: Config;
	fetch: Fetch;
	log: Logger;
}

/** Deps from the Worker's bindings; fetch goes through globalThis at call time. */
export function healthDeps(env: Env, config: Config, log: Logger): HealthDeps {
	return {
		db: createDb(env.DB),
		kv: env.DEDUPE,
		config,
		fetch: (input, init) => fetch(input, init),
		log,
	};
}
