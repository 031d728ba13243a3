// The Hono environment every route shares: Worker bindings plus per-request variables.
import type { Config } from "../config";
import type { Logger } from "../log";
import type { Db } from "../storage/db";

export interface AppEnv {
	Bindings: Env;
	Variables: {
		requestId: string;
		config: Config;
		log: Logger;
		db: Db;
	};
}
