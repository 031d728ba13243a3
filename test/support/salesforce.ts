// Salesforce test helpers: a company connection set through the operator API, forwards seeded
// straight into D1, the cron run the way Cloudflare runs it, and rows read back.
import {
	createExecutionContext,
	createScheduledController,
	waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import { seedClient } from "./factories";
import {
	FAKE_CONSUMER_KEY,
	FAKE_CONSUMER_SECRET,
	FAKE_LOGIN_URL,
	FAKE_REFRESH_TOKEN,
} from "./fake-salesforce";
import { admin } from "./requests";

/** PUTs a company's connection pointing at the fake org; answers the response. */
export async function putConnection(
	companyId: number,
	overrides: Record<string, unknown> = {},
): Promise<Response> {
	return admin(`/companies/${companyId}/salesforce`, {
		method: "PUT",
		body: {
			login_url: FAKE_LOGIN_URL,
			consumer_key: FAKE_CONSUMER_KEY,
			consumer_secret: FAKE_CONSUMER_SECRET,
			refresh_token: FAKE_REFRESH_TOKEN,
			...overrides,
		},
	});
}

/** Runs the Cron Trigger at `at` and waits for its work. */
export async function runCron(at: Date): Promise<void> {
	const controller = createScheduledController({
		scheduledTime: at.getTime(),
		cron: "*/5 * * * *",
	});
	const ctx = createExecutionContext();
	await worker.scheduled(controller, env, ctx);
	await waitOnExecutionContext(ctx);
}

/** Seeds `n` clients of a company, each with a pending Salesforce forward, in one batch per 500. */
export async function seedPendingForwards(
	companyId: number,
	n: number,
	prefix = "bulk",
): Promise<void> {
	for (let start = 0; start < n; start += 500) {
		const size = Math.min(500, n - start);
		const leads = Array.from({ length: size }, (_, i) => ({
			externalId: `${prefix}-${start + i}`,
			fullName: `Lead ${start + i}`,
			email: `lead${start + i}@example.com`,
		}));
		const json = JSON.stringify(leads);
		await env.DB.batch([
			env.DB.prepare(
				`INSERT INTO clients (company_id, source, external_id, full_name, email, receipt_id)
				SELECT ?1, 'tiktok', j.value ->> '$.externalId', j.value ->> '$.fullName', j.value ->> '$.email', ?2
				FROM json_each(?3) AS j`,
			).bind(companyId, `${prefix}-${start}`, json),
			env.DB.prepare(
				`INSERT INTO forwards (client_id, company_id, destination, status)
				SELECT id, company_id, 'salesforce', 'pending' FROM clients WHERE receipt_id = ?1`,
			).bind(`${prefix}-${start}`),
		]);
	}
}

/** One client with a pending forward; returns the client id. */
export async function seedForwardedClient(
	companyId: number,
	fields: Parameters<typeof seedClient>[1] = {},
): Promise<number> {
	const clientId = await seedClient(companyId, fields);
	await env.DB.prepare(
		"INSERT INTO forwards (client_id, company_id, destination, status) VALUES (?, ?, 'salesforce', 'pending')",
	)
		.bind(clientId, companyId)
		.run();
	return clientId;
}

export interface ForwardView {
	id: number;
	client_id: number;
	company_id: number;
	status: string;
	attempts: number;
	next_attempt_at: string | null;
	lease_until: string | null;
	claim_token: string | null;
	last_error_code: string | null;
	last_error: string | null;
	remote_id: string | null;
}

export async function forwardRows(companyId?: number): Promise<ForwardView[]> {
	const { results } = await env.DB.prepare(
		"SELECT * FROM forwards WHERE (?1 IS NULL OR company_id = ?1) ORDER BY id",
	)
		.bind(companyId ?? null)
		.all<ForwardView>();
	return results;
}

export interface AttemptView {
	forward_id: number;
	attempt_number: number;
	outcome: string;
	http_status: number | null;
	error_code: string | null;
	duration_ms: number;
	trigger: string;
}

export async function attemptRows(forwardId?: number): Promise<AttemptView[]> {
	const { results } = await env.DB.prepare(
		"SELECT * FROM forward_attempts WHERE (?1 IS NULL OR forward_id = ?1) ORDER BY id",
	)
		.bind(forwardId ?? null)
		.all<AttemptView>();
	return results;
}

export async function connectionRow(companyId: number): Promise<Record<string, unknown> | null> {
	return env.DB.prepare("SELECT * FROM salesforce_connections WHERE company_id = ?")
		.bind(companyId)
		.first();
}

/** Minutes after `from`, for cron runs past a backoff. */
export function later(from: Date, minutes: number): Date {
	return new Date(from.getTime() + minutes * 60_000);
}

/**
 * Waits (bounded) until the FORWARDS queue consumer has settled every forward of the company (or of
 * all companies): none pending, sending or due for a retry. Requests answer before the queue sends.
 */
export async function forwardsSettled(
	companyId?: number,
	timeoutMs = 20_000,
): Promise<ForwardView[]> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const rows = await forwardRows(companyId);
		if (rows.length > 0 && rows.every((f) => !["pending", "retry", "sending"].includes(f.status))) {
			return rows;
		}
		if (Date.now() > until) throw new Error(`forwards not settled: ${JSON.stringify(rows)}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
