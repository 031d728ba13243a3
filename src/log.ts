// One JSON object per line for `wrangler tail --format json` and Workers Logs.
// Fields are a closed set of ids and outcomes: no secret, phone, email or body can be passed in.
export interface LogFields {
	requestId?: string;
	provider?: string;
	action?: string;
	outcome?: string;
	reason?: string;
	companyId?: number;
	clientId?: number;
	forwardId?: number;
	notificationId?: number;
	integrationAccountId?: number;
	leadId?: string;
	status?: number;
	method?: string;
	path?: string;
	durationMs?: number;
	received?: number;
	created?: number;
	/** Meta leads recorded and waiting for their Graph read. */
	recorded?: number;
	duplicates?: number;
	failed?: number;
	ignored?: number;
	/** Rows a cron job cleared or replayed. */
	count?: number;
	error?: string;
	/** Cron job name, e.g. "salesforce_forwards". */
	job?: string;
	/** A big delivery's lead_batches id, its leads, its chunks and one chunk's number (1-based). */
	batchId?: number;
	leads?: number;
	chunks?: number;
	chunk?: number;
	queued?: boolean;
}

type Level = "info" | "warn" | "error";

export type Logger = {
	[L in Level]: (message: string, fields?: LogFields) => void;
} & { with(fields: LogFields): Logger };

/** A logger whose lines all carry `base` (requestId, provider...). */
export function createLogger(base: LogFields = {}): Logger {
	const write = (level: Level, message: string, fields?: LogFields) => {
		const line = JSON.stringify({ level, message, ...base, ...fields });
		if (level === "error") console.error(line);
		else if (level === "warn") console.warn(line);
		else console.log(line);
	};
	return {
		info: (message, fields) => write("info", message, fields),
		warn: (message, fields) => write("warn", message, fields),
		error: (message, fields) => write("error", message, fields),
		with: (fields) => createLogger({ ...base, ...fields }),
	};
}
