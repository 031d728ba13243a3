// Seeds and reads D1 rows directly, so tests assert on what an operator would see in the database.
import { env } from "cloudflare:workers";

export async function seedCompany(
	fields: { name?: string; autoAssign?: boolean; defaultCountry?: string | null } = {},
): Promise<number> {
	const row = await env.DB.prepare(
		"INSERT INTO companies (name, auto_assign, default_country) VALUES (?, ?, ?) RETURNING id",
	)
		.bind(
			fields.name ?? "Northwind Dental",
			fields.autoAssign ? 1 : 0,
			fields.defaultCountry ?? null,
		)
		.first<{ id: number }>();
	if (!row) throw new Error("company not inserted");
	return row.id;
}

export async function seedEmployee(
	companyId: number,
	name: string,
	isActive = true,
): Promise<number> {
	const row = await env.DB.prepare(
		"INSERT INTO employees (company_id, name, email, is_active) VALUES (?, ?, ?, ?) RETURNING id",
	)
		.bind(companyId, name, `${name.toLowerCase()}@example.com`, isActive ? 1 : 0)
		.first<{ id: number }>();
	if (!row) throw new Error("employee not inserted");
	return row.id;
}

export async function seedAccount(
	companyId: number,
	externalId: string,
	provider = "tiktok",
): Promise<number> {
	const row = await env.DB.prepare(
		"INSERT INTO integration_accounts (company_id, provider, name, external_id) VALUES (?, ?, ?, ?) RETURNING id",
	)
		.bind(companyId, provider, "TikTok advertiser", externalId)
		.first<{ id: number }>();
	if (!row) throw new Error("account not inserted");
	return row.id;
}

export interface ClientView {
	id: number;
	company_id: number;
	integration_account_id: number;
	source: string;
	external_id: string;
	full_name: string | null;
	email: string | null;
	form_id: string | null;
	assigned_employee_id: number | null;
	answers: string | null;
	/** JSON: the form, campaign, ad set and ad the provider named. */
	attribution: string | null;
	is_test: number;
	/** Why lead distribution gave the lead to nobody ("no eligible rep"). */
	unassigned_reason: string | null;
	phones: string | null;
}

/** Clients with their phones (comma-joined), optionally for one lead id. */
export async function clientRows(
	where: { externalId?: string; companyId?: number } = {},
): Promise<ClientView[]> {
	const { results } = await env.DB.prepare(
		`SELECT c.*, (SELECT group_concat(phone_number) FROM client_phone_numbers p WHERE p.client_id = c.id) AS phones
		 FROM clients c WHERE (?1 IS NULL OR c.external_id = ?1) AND (?2 IS NULL OR c.company_id = ?2) ORDER BY c.id`,
	)
		.bind(where.externalId ?? null, where.companyId ?? null)
		.all<ClientView>();
	return results;
}

export interface LogView {
	id: number;
	company_id: number | null;
	provider: string;
	action: string;
	status: string;
	message: string | null;
	external_id: string | null;
	payload: string | null;
	request_id: string | null;
}

export async function logRows(where: { requestId?: string } = {}): Promise<LogView[]> {
	const { results } = await env.DB.prepare(
		"SELECT * FROM integration_logs WHERE (?1 IS NULL OR request_id = ?1) ORDER BY id",
	)
		.bind(where.requestId ?? null)
		.all<LogView>();
	return results;
}

/** Refusals counted for a provider and reason, summed over every hour (rejection_counts). */
export async function rejectionCount(provider: string, reason: string): Promise<number> {
	const row = await env.DB.prepare(
		"SELECT coalesce(sum(count), 0) AS n FROM rejection_counts WHERE provider = ? AND reason = ?",
	)
		.bind(provider, reason)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

/** The sample logs of a refusal: the first of each hour per provider and reason. */
export async function rejectionSamples(provider: string, reason: string): Promise<LogView[]> {
	return (await logRows()).filter(
		(log) => log.provider === provider && log.message?.startsWith(`${reason} (first this hour`),
	);
}

export async function count(table: string): Promise<number> {
	const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
	return row?.n ?? 0;
}

/** One row of `table` by id, exactly as D1 stores it (booleans as 0/1). */
export async function rowById<T = Record<string, unknown>>(
	table: string,
	id: number,
): Promise<T | null> {
	return env.DB.prepare(`SELECT * FROM ${table} WHERE id = ?`).bind(id).first<T>();
}

export interface ClientSeed {
	source?: string;
	externalId?: string;
	fullName?: string | null;
	email?: string | null;
	accountId?: number | null;
	assignedEmployeeId?: number | null;
	/** Stored as given in the answers text column. */
	answers?: string | null;
	phones?: string[];
	/** A lead sent with the console's "Send a test lead". */
	isTest?: boolean;
	/** ISO time the lead arrived; defaults to now. */
	createdAt?: string;
}

let seededClients = 0;

/** Inserts a client and its phone numbers; returns the client id. */
export async function seedClient(companyId: number, fields: ClientSeed = {}): Promise<number> {
	seededClients += 1;
	const row = await env.DB.prepare(
		`INSERT INTO clients (company_id, integration_account_id, source, external_id, full_name, email,
			assigned_employee_id, answers, is_test, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))) RETURNING id`,
	)
		.bind(
			companyId,
			fields.accountId ?? null,
			fields.source ?? "tiktok",
			fields.externalId ?? `lead-${companyId}-${seededClients}`,
			fields.fullName ?? null,
			fields.email ?? null,
			fields.assignedEmployeeId ?? null,
			fields.answers ?? null,
			fields.isTest ? 1 : 0,
			fields.createdAt ?? null,
		)
		.first<{ id: number }>();
	if (!row) throw new Error("client not inserted");
	const phones = fields.phones ?? [];
	if (phones.length > 0) {
		await env.DB.batch(
			phones.map((phone) =>
				env.DB.prepare(
					"INSERT INTO client_phone_numbers (client_id, phone_number) VALUES (?, ?)",
				).bind(row.id, phone),
			),
		);
	}
	return row.id;
}

export interface LogSeed {
	companyId?: number | null;
	provider?: string;
	action?: string;
	status?: "success" | "failure" | "duplicate" | "ignored";
	message?: string | null;
	externalId?: string | null;
	payload?: string | null;
	requestId?: string | null;
	/** ISO time; defaults to now. */
	createdAt?: string;
	/** ISO time of a replay already made of this log. */
	replayedAt?: string;
}

/** Inserts an integration log; returns its id. */
export async function seedLog(fields: LogSeed = {}): Promise<number> {
	const row = await env.DB.prepare(
		`INSERT INTO integration_logs (company_id, provider, action, status, message, external_id, payload,
			request_id, created_at, replayed_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), ?)
		 RETURNING id`,
	)
		.bind(
			fields.companyId ?? null,
			fields.provider ?? "tiktok",
			fields.action ?? "tiktok_lead_received",
			fields.status ?? "success",
			fields.message ?? null,
			fields.externalId ?? null,
			fields.payload ?? null,
			fields.requestId ?? null,
			fields.createdAt ?? null,
			fields.replayedAt ?? null,
		)
		.first<{ id: number }>();
	if (!row) throw new Error("log not inserted");
	return row.id;
}

/** Inserts a follow-up task; returns its id. */
export async function seedTask(
	clientId: number,
	fields: { employeeId?: number | null; status?: "open" | "done"; dueAt?: string } = {},
): Promise<number> {
	const row = await env.DB.prepare(
		"INSERT INTO tasks (client_id, employee_id, due_at, status) VALUES (?, ?, ?, ?) RETURNING id",
	)
		.bind(
			clientId,
			fields.employeeId ?? null,
			fields.dueAt ?? "2026-12-01T10:00:00.000Z",
			fields.status ?? "open",
		)
		.first<{ id: number }>();
	if (!row) throw new Error("task not inserted");
	return row.id;
}

/**
 * Sets a task done at `completedAt` as PATCH /api/admin/tasks/:id does (status and completed_at in
 * one UPDATE), so the trigger of migration 0018 records the client's first response.
 */
export async function completeTask(taskId: number, completedAt: string): Promise<void> {
	await env.DB.prepare("UPDATE tasks SET status = 'done', completed_at = ? WHERE id = ?")
		.bind(completedAt, taskId)
		.run();
}

/**
 * A lead that arrived at `at` with a follow-up task for its rep, set done `afterSeconds` later (the
 * trigger records its first response); without `afterSeconds` the task stays open: it waits.
 */
export async function seedAnsweredLead(
	companyId: number,
	lead: {
		at: string;
		afterSeconds?: number;
		employeeId?: number;
		source?: string;
		isTest?: boolean;
	},
): Promise<number> {
	const clientId = await seedClient(companyId, {
		createdAt: lead.at,
		assignedEmployeeId: lead.employeeId ?? null,
		source: lead.source,
		isTest: lead.isTest,
	});
	const taskId = await seedTask(clientId, { employeeId: lead.employeeId ?? null });
	if (lead.afterSeconds !== undefined) {
		const done = new Date(Date.parse(lead.at) + lead.afterSeconds * 1000).toISOString();
		await completeTask(taskId, done);
	}
	return clientId;
}
