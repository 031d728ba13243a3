// What an operator action needs from the request it runs in, whether it came through the operator
// API (JSON) or the console (forms): storage, config, logger, the receipt id and waitUntil.
import type { Context } from "hono";
import type { Config } from "../config";
import type { AppEnv } from "../http/app-env";
import type { Logger } from "../log";
import type { Db } from "../storage/db";

export interface OperatorContext {
	db: Db;
	env: Env;
	config: Config;
	log: Logger;
	requestId: string;
	/** Origin of the request, for webhook URLs when PUBLIC_BASE_URL is unset. */
	origin: string;
	executionCtx: { waitUntil(promise: Promise<unknown>): void };
}

export function operatorContext<E extends AppEnv>(c: Context<E>): OperatorContext {
	return {
		db: c.var.db,
		env: c.env,
		config: c.var.config,
		log: c.var.log,
		requestId: c.var.requestId,
		origin: new URL(c.req.url).origin,
		executionCtx: c.executionCtx,
	};
}
