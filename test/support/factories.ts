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

export async function count(table: string): Promise<number> {
	const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
	return row?.n ?? 0;
}
