// How SQLite runs the hot statements, asked with EXPLAIN QUERY PLAN on exactly what the storage code
// sent (SQL and bound values, captured from D1): each index of docs/scaling.md serves its query, and
// no statement of a single-lead delivery reads a table that grows with leads from end to end.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { getClientRelated } from "../../src/storage/client-detail";
import { listClients } from "../../src/storage/client-queries";
import { clearOldConsoleRows } from "../../src/storage/console-sessions";
import { createDb, type Db } from "../../src/storage/db";
import { listForwards } from "../../src/storage/forward-queries";
import { claimClientForwards, claimDueForwards } from "../../src/storage/forwards";
import { leadFlows } from "../../src/storage/health";
import { dueLeads } from "../../src/storage/lead-sla";
import { listLogs } from "../../src/storage/log-queries";
import { claimDueNotifications, claimNotificationsOf } from "../../src/storage/notifications";
import { getOverview } from "../../src/storage/overview";
import { forwardCounts, getConnection } from "../../src/storage/salesforce-connections";
import { getSpeedStats } from "../../src/storage/speed-stats";
import { capturingD1, type SentStatement } from "../support/d1-wrappers";
import { clientRows, seedCompany, seedEmployee } from "../support/factories";
import { FakeNotifyWorld } from "../support/fake-notify";
import { notifyingCompany } from "../support/notifications";
import { fetchWithEnv, TIKTOK_PATH, tiktokInit } from "../support/requests";
import { addRule, addTeam } from "../support/routing";
import { putConnection } from "../support/salesforce";
import { newLeadId, tiktokWebhook } from "../support/tiktok-bodies";

/** Tables that grow with every lead: reading one whole costs more as leads pile up. */
const GROWING = [
	"clients",
	"client_phone_numbers",
	"integration_logs",
	"forwards",
	"forward_attempts",
	"tasks",
	"form_submissions",
	"meta_lead_fetches",
	"whatsapp_contacts",
	"whatsapp_messages",
	"unresolved_leads",
	"log_replays",
	"notifications",
	"lead_sla",
	"action_link_uses",
];

const NOT_ALIASES = new Set(["where", "on", "cross", "join", "set", "indexed", "select", "values"]);

interface Plan {
	sql: string;
	lines: string[];
}

async function planOf(statement: SentStatement): Promise<Plan> {
	const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
		.bind(...statement.params)
		.all<{ detail: string }>();
	return { sql: statement.sql.replace(/\s+/g, " ").trim(), lines: results.map((r) => r.detail) };
}

/** Runs `work` on a D1 that records what it sends; answers the plan of every statement sent. */
async function plansOf(work: (db: Db, d1: D1Database) => Promise<unknown>): Promise<Plan[]> {
	const { db, sent } = capturingD1();
	await work(createDb(db), db);
	return Promise.all(sent.map(planOf));
}

/** The names a statement gives growing tables (the table, or its alias). */
function growingNames(sql: string): Set<string> {
	const names = new Set<string>();
	for (const table of GROWING) {
		for (const match of sql.matchAll(new RegExp(`\\b${table}\\b(?:\\s+AS)?\\s+(\\w+)`, "gi"))) {
			names.add(table);
			const alias = match[1]?.toLowerCase();
			if (alias && !NOT_ALIASES.has(alias)) names.add(alias);
		}
		if (new RegExp(`\\b${table}\\b`, "i").test(sql)) names.add(table);
	}
	return names;
}

/** Plan lines that read a growing table whole: a SCAN of it or of one of its full indexes. */
function fullReads(plan: Plan): string[] {
	const names = growingNames(plan.sql);
	return plan.lines.filter((line) => {
		const scanned = /^SCAN (\S+)/.exec(line)?.[1];
		return scanned !== undefined && names.has(scanned.toLowerCase());
	});
}

function planFor(plans: Plan[], sqlPattern: RegExp): Plan {
	const plan = plans.find((p) => sqlPattern.test(p.sql));
	if (!plan) throw new Error(`no statement matching ${sqlPattern}`);
	return plan;
}

async function deliverOne(companyId: number, d1?: D1Database): Promise<string> {
	const leadId = newLeadId();
	const init = await tiktokInit(tiktokWebhook([{ leadId, phone: "+971501234567" }]));
	const response = await fetchWithEnv(
		d1 ? { DB: d1 } : {},
		`${TIKTOK_PATH}?company_id=${companyId}`,
		init,
	);
	if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
	return leadId;
}

/** A company that auto-assigns and had two leads already (the second found its default account). */
async function busyCompany(): Promise<number> {
	const companyId = await seedCompany({ autoAssign: true });
	await seedEmployee(companyId, "Rania");
	for (let i = 0; i < 2; i++) await deliverOne(companyId);
	return companyId;
}

describe("query plans of a single-lead TikTok delivery", () => {
	it("read no growing table whole", async ({ expect }) => {
		const companyId = await busyCompany();
		const plans = await plansOf((_db, d1) => deliverOne(companyId, d1));

		expect(plans.length).toBeGreaterThanOrEqual(5);
		expect(plans.flatMap((plan) => fullReads(plan).map((line) => `${line} ← ${plan.sql}`))).toEqual(
			[],
		);
	});

	it("record the rep's turn and counts from the receipt's own clients, not the company's", async ({
		expect,
	}) => {
		const companyId = await busyCompany();
		const [rep] = (await clientRows({ companyId })).map((c) => c.assigned_employee_id);
		const team = await addTeam(companyId, "Everyone", [rep ?? 0]);
		await addRule(companyId, { name: "Everyone", team_id: team, method: "round_robin" });
		const plans = await plansOf((_db, d1) => deliverOne(companyId, d1));

		for (const pattern of [
			/^INSERT INTO rep_daily_leads/,
			/^UPDATE routing_rules SET turn/,
			/^UPDATE companies SET distribution_version = \? \+ 1/,
			/^INSERT INTO tasks/,
		]) {
			// The counts and turns find each assigned lead by receipt and lead id (never a scan of the
			// receipt's rows per lead: 1000 leads would read a million).
			const plan = planFor(plans, pattern);
			expect(plan.lines.join("\n")).toMatch(
				/SEARCH c USING INDEX clients_receipt_idx \(receipt_id=\?( AND external_id=\?)?\)/,
			);
			expect(plan.lines.join("\n")).not.toMatch(/clients_company_/);
		}
	});

	it("read the company's distribution state by index: open follow-ups and this week's counts per rep", async ({
		expect,
	}) => {
		const companyId = await busyCompany();
		const plans = await plansOf((_db, d1) => deliverOne(companyId, d1));

		const reps = planFor(plans, /FROM employees AS e WHERE e.company_id/);
		expect(reps.lines).toContain(
			"SEARCH t USING COVERING INDEX tasks_employee_status_idx (employee_id=? AND status=?)",
		);
		expect(reps.lines).toContain(
			"SEARCH d USING INDEX sqlite_autoindex_rep_daily_leads_1 (employee_id=? AND day>?)",
		);
		expect(planFor(plans, /FROM routing_rules WHERE company_id/).lines).toContain(
			"SEARCH routing_rules USING INDEX routing_rules_company_idx (company_id=?)",
		);
	});

	it("resolve the lead's unresolved row by its key, in the same batch", async ({ expect }) => {
		const companyId = await busyCompany();
		const plans = await plansOf((_db, d1) => deliverOne(companyId, d1));

		const resolve = planFor(plans, /^UPDATE unresolved_leads SET resolved_at/);
		expect(resolve.lines).toContain(
			"SEARCH unresolved_leads USING INDEX unresolved_leads_key_idx (lead_key=?)",
		);
	});
});

describe("query plans of an unroutable TikTok delivery", () => {
	it("open the unresolved lead from the receipt's own logs, reading no growing table whole", async ({
		expect,
	}) => {
		const init = await tiktokInit(
			tiktokWebhook([{ leadId: newLeadId(), advertiserId: "7398120456799990001" }]),
		);
		const plans = await plansOf(async (_db, d1) => {
			const response = await fetchWithEnv({ DB: d1 }, TIKTOK_PATH, init);
			if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
		});

		const open = planFor(plans, /^INSERT INTO unresolved_leads/);
		expect(open.lines).toContain(
			"SEARCH l USING INDEX integration_logs_request_idx (request_id=?)",
		);
		expect(plans.flatMap((plan) => fullReads(plan).map((line) => `${line} ← ${plan.sql}`))).toEqual(
			[],
		);
	});
});

describe("query plans of the overview and the silence check", () => {
	it("read whole hours from lead_counts and only the edge hours' clients", async ({ expect }) => {
		const overview = await plansOf((db) => getOverview(db, new Date()));
		const flows = await plansOf((db) => leadFlows(db, new Date(), 7));
		const leads = planFor(overview, /FROM lead_counts/);
		const silence = planFor(flows, /FROM lead_counts/);

		const rollup = "SEARCH lead_counts USING INDEX sqlite_autoindex_lead_counts_1 (hour>?)";
		const edgeHour = "USING COVERING INDEX clients_created_idx (created_at>? AND created_at<?)";
		expect(leads.lines).toContain(rollup);
		expect(leads.lines.filter((line) => line === `SEARCH clients ${edgeHour}`)).toHaveLength(2);
		expect(silence.lines).toContain(rollup);
		expect(silence.lines).toContain(`SEARCH c ${edgeHour}`);
		expect([...fullReads(leads), ...fullReads(silence)]).toEqual([]);
	});

	it("delete expired console sessions through console_sessions_expires_idx", async ({ expect }) => {
		const plans = await plansOf((db) => clearOldConsoleRows(db, new Date().toISOString()));

		expect(planFor(plans, /delete from "console_sessions"/i).lines).toEqual([
			"SEARCH console_sessions USING INDEX console_sessions_expires_idx (expires_at<?)",
		]);
	});

	it("count open unresolved leads on the partial index alone (resolved ones are not read)", async ({
		expect,
	}) => {
		const overview = await plansOf((db) => getOverview(db, new Date()));

		const unresolved = planFor(overview, /FROM unresolved_leads/);
		expect(unresolved.lines).toContain(
			"SCAN unresolved_leads USING INDEX unresolved_leads_open_idx",
		);
	});
});

describe("query plans of the speed-to-lead figures", () => {
	it("read the window's days from lead_counts and its answered leads from their partial index", async ({
		expect,
	}) => {
		for (const companyId of [undefined, 1]) {
			const plans = await plansOf((db) => getSpeedStats(db, new Date(), 30, companyId));
			const days = planFor(plans, /FROM lead_counts/);
			const answered = planFor(plans, /FROM clients INDEXED BY clients_responded_idx/);

			expect(days.lines[0]).toMatch(
				/^SEARCH lead_counts USING INDEX sqlite_autoindex_lead_counts_1 \(hour>\? AND hour<\?\)/,
			);
			expect(answered.lines).toContain(
				"SEARCH clients USING COVERING INDEX clients_responded_idx (created_at>? AND created_at<?)",
			);
			expect(plans.flatMap(fullReads)).toEqual([]);
		}
	});
});

describe("query plans of a lead's page", () => {
	it("find the lead's logs by lead id, receipt and submission keys, not its company's", async ({
		expect,
	}) => {
		const companyId = await busyCompany();
		const [client] = await clientRows({ companyId });
		const plans = await plansOf((db) => getClientRelated(db, client?.id ?? 0));

		const logs = planFor(plans, /from "integration_logs"/).lines;
		expect(logs).toContain("SEARCH l USING INDEX integration_logs_external_idx (external_id=?)");
		expect(logs).toContain("SEARCH l USING INDEX integration_logs_request_idx (request_id=?)");
		expect(logs).toContain("SEARCH s USING INDEX form_submissions_client_idx (client_id=?)");
		expect(logs).toContain(
			"SEARCH u USING INDEX unresolved_leads_client_idx (resolved_client_id=?)",
		);
		expect(logs.join("\n")).not.toMatch(/integration_logs_company_idx/);
		expect(plans.flatMap(fullReads)).toEqual([]);
	});
});

describe("query plans of a lead search", () => {
	const page = { limit: 50, beforeId: undefined };
	const ftsMatch = (table: string) => new RegExp(`^SCAN ${table} VIRTUAL TABLE INDEX \\d+:M`);

	it("find names and emails through the trigram index, then each match by id", async ({
		expect,
	}) => {
		const companyId = await busyCompany();
		const plans = await plansOf((db) => listClients(db, { companyId, q: "maya thompson" }, page));

		const found = planFor(plans, /from "clients" left join/).lines;
		expect(found).toContainEqual(expect.stringMatching(ftsMatch("clients_search")));
		expect(found).toContain(
			"SEARCH clients USING INDEX clients_company_idx (company_id=? AND id=?)",
		);
		expect(plans.flatMap(fullReads)).toEqual([]);
	});

	it("find a whole phone number through the phone index", async ({ expect }) => {
		const companyId = await busyCompany();
		const plans = await plansOf((db) =>
			listClients(db, { companyId, q: "050 123 4567", phone: { e164: "+971501234567" } }, page),
		);

		const found = planFor(plans, /from "clients" left join/).lines;
		expect(found).toContain(
			"SEARCH client_phone_numbers USING INDEX client_phone_numbers_phone_idx (phone_number=?)",
		);
		expect(found).toContain(
			"SEARCH clients USING INDEX clients_company_idx (company_id=? AND id=?)",
		);
		expect(plans.flatMap(fullReads)).toEqual([]);
	});

	it("find part of a phone number through the phones' trigram index", async ({ expect }) => {
		await busyCompany();
		const plans = await plansOf((db) =>
			listClients(db, { q: "+971 50 123", phone: { digits: "97150123" } }, page),
		);

		const found = planFor(plans, /from "clients" left join/).lines;
		expect(found).toContainEqual(expect.stringMatching(ftsMatch("clients_search")));
		expect(found).toContainEqual(expect.stringMatching(ftsMatch("phones_search")));
		expect(found).toContain("SEARCH clients USING INTEGER PRIMARY KEY (rowid=?)");
		expect(plans.flatMap(fullReads)).toEqual([]);
	});
});

describe("query plans of forward claims and counts", () => {
	const claim = { token: "plan", now: new Date(), leaseSeconds: 60 };
	const searches = (plan: Plan) => plan.lines.filter((line) => /^SEARCH f /.test(line));

	it("claim one company's due forwards by company and status", async ({ expect }) => {
		const companyId = await seedCompany();
		const [plan] = await plansOf((db) => claimDueForwards(db, { companyId }, claim, 10));

		expect(plan && searches(plan)).toEqual(
			Array(3).fill("SEARCH f USING INDEX forwards_company_status_idx (company_id=? AND status=?)"),
		);
	});

	it("claim the default connection's due forwards on forwards_due_idx, branch by branch", async ({
		expect,
	}) => {
		const [plan] = await plansOf((db) => claimDueForwards(db, { companyId: null }, claim, 10));

		expect(plan && searches(plan)).toEqual([
			"SEARCH f USING INDEX forwards_due_idx (status=? AND next_attempt_at=?)",
			"SEARCH f USING INDEX forwards_due_idx (status=? AND next_attempt_at<?)",
			"SEARCH f USING INDEX forwards_due_idx (status=?)",
		]);
	});

	it("claim new clients' forwards (every destination) by client id", async ({ expect }) => {
		const [plan] = await plansOf((db) => claimClientForwards(db, [1, 2], claim));

		expect(plan && searches(plan)).toEqual(
			Array(3).fill("SEARCH f USING INDEX forwards_client_destination_uq (client_id=?)"),
		);
	});

	it("count a company connection's forwards without reading other companies'", async ({
		expect,
	}) => {
		const companyId = await busyCompany();
		expect((await putConnection(companyId)).status).toBe(201);
		const connection = await getConnection(createDb(env.DB), `company:${companyId}`);
		if (!connection) throw new Error("no connection");
		const [plan, ...others] = await plansOf((db) => forwardCounts(db, connection));

		expect(others).toEqual([]);
		expect(plan?.lines).toEqual([
			"SEARCH forwards USING INDEX forwards_company_status_idx (company_id=?)",
		]);
	});
});

describe("query plans of the lists' counts", () => {
	const firstPage = { beforeId: undefined, limit: 25 };

	/** The count statement `work` sends: it reads at most COUNT_CAP + 1 rows (its LIMIT). */
	async function countPlan(work: (db: Db) => Promise<unknown>): Promise<Plan> {
		return planFor(
			await plansOf(work),
			/^select count\(\*\) from \(SELECT 1 FROM .* LIMIT \?\) AS matching$/,
		);
	}

	it("count a rep's leads on clients_assigned_idx and a company's on its own index", async ({
		expect,
	}) => {
		const rep = await countPlan((db) => listClients(db, { employeeId: 1 }, firstPage));
		expect(rep.lines).toContain(
			"SEARCH clients USING INDEX clients_assigned_idx (assigned_employee_id=?)",
		);
		const company = await countPlan((db) => listClients(db, { companyId: 1 }, firstPage));
		expect(company.lines.join("\n")).toMatch(
			/SEARCH clients USING INDEX clients_company\w*_idx \(company_id=\?\)/,
		);
	});

	it("count receipts and forwards by company, and failures awaiting replay on their partial index", async ({
		expect,
	}) => {
		const logs = await countPlan((db) => listLogs(db, { companyId: 1 }, firstPage));
		expect(logs.lines).toContain(
			"SEARCH integration_logs USING COVERING INDEX integration_logs_company_idx (company_id=?)",
		);
		const awaiting = await countPlan((db) => listLogs(db, { replayable: true }, firstPage));
		expect(awaiting.lines).toContain(
			"SCAN integration_logs USING INDEX integration_logs_awaiting_replay_idx",
		);
		const forwards = await countPlan((db) => listForwards(db, { companyId: 1 }, firstPage));
		expect(forwards.lines).toContain(
			"SEARCH forwards USING COVERING INDEX forwards_company_status_idx (company_id=?)",
		);
	});
});

describe("query plans of notifications and the SLA sweep", () => {
	const claim = { token: "plan", now: new Date(), leaseSeconds: 60 };

	it("write a delivery's notification and SLA rows from its own clients, reading none whole", async ({
		expect,
	}) => {
		new FakeNotifyWorld().install();
		const { companyId } = await notifyingCompany({ sla_minutes: 15 });
		await deliverOne(companyId);
		const plans = await plansOf((_db, d1) => deliverOne(companyId, d1));

		const notify = planFor(plans, /^INSERT INTO notifications/);
		expect(notify.lines).toEqual(
			expect.arrayContaining([
				"SEARCH c USING INDEX clients_receipt_idx (receipt_id=?)",
				"SEARCH ch USING COVERING INDEX notification_channels_owner_idx (company_id=? AND employee_id=? AND is_active=?)",
			]),
		);
		expect(planFor(plans, /^INSERT INTO lead_sla/).lines).toEqual(
			expect.arrayContaining([expect.stringMatching(/^SEARCH c USING INDEX clients_receipt_idx/)]),
		);
		expect(plans.flatMap((plan) => fullReads(plan).map((line) => `${line} ← ${plan.sql}`))).toEqual(
			[],
		);
	});

	it("claim due notifications on notifications_due_idx, and a lead's by its client id", async ({
		expect,
	}) => {
		const [due] = await plansOf((db) => claimDueNotifications(db, claim, 10));
		const [own] = await plansOf((db) => claimNotificationsOf(db, { clientIds: [1] }, claim));

		expect(due && fullReads(due)).toEqual([]);
		expect(due?.lines.filter((line) => /^SEARCH n /.test(line))).toEqual([
			"SEARCH n USING COVERING INDEX notifications_due_idx (status=? AND next_attempt_at=?)",
			"SEARCH n USING COVERING INDEX notifications_due_idx (status=? AND next_attempt_at<?)",
			"SEARCH n USING INDEX notifications_dead_idx (status=?)",
		]);
		expect(own && fullReads(own)).toEqual([]);
	});

	it("find due SLAs and reminders on their partial indexes", async ({ expect }) => {
		const [sla, reminders] = await plansOf((db) => dueLeads(db, new Date(), 10));

		expect(sla?.lines).toContain(
			"SEARCH s USING INDEX lead_sla_due_idx (sla_due_at>? AND sla_due_at<?)",
		);
		expect(reminders?.lines).toContain(
			"SEARCH s USING INDEX lead_sla_reminder_idx (reminder_due_at>? AND reminder_due_at<?)",
		);
		expect([sla, reminders].flatMap((plan) => (plan ? fullReads(plan) : []))).toEqual([]);
	});
});
