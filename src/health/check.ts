// What every health check yields: a status and the reason in plain words (ids, dates and counts only,
// never a token, phone, email or payload), shared by the checks, the job and the alert sender.
import type { HealthStatus } from "../storage/schema";

export type { HealthStatus };

export interface CheckResult {
	status: HealthStatus;
	reason: string;
}

/** One check's result with what it is about, as the job stores it. */
export interface CheckOutcome extends CheckResult {
	/** Stable identity, e.g. "salesforce:company:3". */
	key: string;
	kind: string;
	companyId: number | null;
	subject: string;
	/** Console or operator API path that shows the problem. */
	link: string;
}

export const ok = (reason: string): CheckResult => ({ status: "ok", reason });
export const warning = (reason: string): CheckResult => ({ status: "warning", reason });
export const failing = (reason: string): CheckResult => ({ status: "failing", reason });
