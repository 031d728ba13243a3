// Lead distribution through the operator API (teams, rules, rep settings, the dry run) and the D1 rows
// it leaves (who got each lead, each rep's follow-ups), for the distribution flow tests.
import { env } from "cloudflare:workers";
import { call } from "./admin-api";
import { clientRows } from "./factories";
import { fetchWithEnv, postTikTok, TIKTOK_PATH, tiktokInit } from "./requests";
import { newLeadId, tiktokEntries, tiktokEntry } from "./tiktok-bodies";

async function ok<T>(path: string, init: { method?: string; body?: unknown }): Promise<T> {
	const { status, body } = await call<T>(path, init);
	if (status >= 300)
		throw new Error(`${init.method ?? "GET"} ${path}: ${status} ${JSON.stringify(body)}`);
	return body;
}

export async function addTeam(companyId: number, name: string, memberIds: number[]) {
	const body = await ok<{ team_id: number }>(`/companies/${companyId}/routing/teams`, {
		method: "POST",
		body: { name, member_ids: memberIds },
	});
	return body.team_id;
}

export async function addRule(companyId: number, rule: Record<string, unknown>) {
	const body = await ok<{ rule_id: number }>(`/companies/${companyId}/routing/rules`, {
		method: "POST",
		body: rule,
	});
	return body.rule_id;
}

export function setRep(repId: number, settings: Record<string, unknown>) {
	return ok(`/employees/${repId}`, { method: "PATCH", body: settings });
}

export interface DryRunAnswer {
	rule: string;
	rep: { id: number; name: string } | null;
	unassigned_reason: string | null;
	steps: string[];
	skipped: { rep_id: number; name: string; reason: string }[];
}

export function dryRun(companyId: number, body: Record<string, unknown>) {
	return ok<DryRunAnswer>(`/companies/${companyId}/routing/test`, { method: "POST", body });
}

export interface TikTokLead {
	formId?: string;
	phone?: string;
	answers?: { field: string; value: string }[];
}

/**
 * One TikTok delivery of these leads to the company (form id = the entry's page_id); their ids. With
 * `d1`, through that D1 handle: a handle of its own stands for another Worker isolate (its own kept
 * distribution state and its own turn), so concurrent deliveries race as across isolates.
 */
export async function deliver(
	companyId: number,
	leads: TikTokLead[],
	d1?: D1Database,
): Promise<string[]> {
	const ids = leads.map(() => newLeadId());
	const entries = leads.map((lead, i) => {
		const entry = tiktokEntry({
			leadId: ids[i] ?? "",
			phone: lead.phone,
			extra: lead.answers,
		});
		return lead.formId ? entry.replace(/"page_id":\d+/, `"page_id":${lead.formId}`) : entry;
	});
	const body = tiktokEntries(entries);
	const query = `?company_id=${companyId}`;
	const response = d1
		? await fetchWithEnv({ DB: d1 }, `${TIKTOK_PATH}${query}`, await tiktokInit(body))
		: await postTikTok(body, { query });
	if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
	return ids;
}

/** The rep of each lead id, in the order given. */
export async function repsOf(companyId: number, ids: string[]): Promise<(number | null)[]> {
	const rows = await clientRows({ companyId });
	const byId = new Map(rows.map((row) => [row.external_id, row.assigned_employee_id]));
	return ids.map((id) => byId.get(id) ?? null);
}

/** How many of the company's clients each rep has. */
export async function leadsPerRep(companyId: number): Promise<Map<number | null, number>> {
	const counts = new Map<number | null, number>();
	for (const row of await clientRows({ companyId })) {
		counts.set(row.assigned_employee_id, (counts.get(row.assigned_employee_id) ?? 0) + 1);
	}
	return counts;
}

/** The open follow-up tasks of the company's clients: client id → rep ids of its open tasks. */
export async function openTasksByClient(
	companyId: number,
): Promise<Map<number, (number | null)[]>> {
	const { results } = await env.DB.prepare(
		`SELECT t.client_id AS clientId, t.employee_id AS employeeId FROM tasks t
		 JOIN clients c ON c.id = t.client_id WHERE c.company_id = ? AND t.status = 'open'`,
	)
		.bind(companyId)
		.all<{ clientId: number; employeeId: number | null }>();
	const tasks = new Map<number, (number | null)[]>();
	for (const row of results)
		tasks.set(row.clientId, [...(tasks.get(row.clientId) ?? []), row.employeeId]);
	return tasks;
}

/** A D1 handle of its own: what another isolate would hold (see `deliver`). */
export function otherIsolate(): D1Database {
	return new Proxy(env.DB, {
		get(target, property) {
			const value = Reflect.get(target, property);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

/**
 * `count` isolates (D1 handles of their own) whose first guarded write waits until every one of them
 * has decided (or 2 s passed): all decide on the same state, as deliveries arriving at once on as many
 * isolates would, so only the distribution guard keeps them from all writing.
 */
export function racingIsolates(count: number): D1Database[] {
	let arrived = 0;
	let open = () => {};
	const allDecided = new Promise<void>((resolve) => {
		open = resolve;
		setTimeout(resolve, 2000);
	});
	return Array.from({ length: count }, () => {
		const sqlOf = new WeakMap<D1PreparedStatement, string>();
		let waited = false;
		return new Proxy(env.DB, {
			get(target, property) {
				if (property === "prepare") {
					return (query: string) => {
						const statement = target.prepare(query);
						const bind = statement.bind.bind(statement);
						statement.bind = (...values: unknown[]) => {
							const bound = bind(...values);
							sqlOf.set(bound, query);
							return bound;
						};
						return statement;
					};
				}
				if (property === "batch") {
					return async (statements: D1PreparedStatement[]) => {
						const guarded = statements.some((s) =>
							/UPDATE companies SET distribution_version = CASE/.test(sqlOf.get(s) ?? ""),
						);
						if (guarded && !waited) {
							waited = true;
							arrived += 1;
							if (arrived === count) open();
							await allDecided;
						}
						return target.batch(statements);
					};
				}
				const value = Reflect.get(target, property);
				return typeof value === "function" ? value.bind(target) : value;
			},
		});
	});
}
