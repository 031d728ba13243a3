// Lead distribution's state in D1: one company's rules, teams, reps (settings, this week's counts, open
// follow-ups) read as one snapshot with its version, kept per isolate, and the statements the receipt's
// batch runs to record what leads/distribution.ts decided on that snapshot.
//
// Why a version guard (and not the decision in SQL): rules with conditions, working hours in each rep's
// zone, caps and weighted rotations are far clearer (and testable, and shared with the dry run) as one
// pure function than as SQL. The batch's first statement makes the version NULL when it moved since the
// snapshot, and NOT NULL aborts the whole batch: nothing is written, the caller re-reads and decides
// again (intake/distribute.ts). Everything the decision reads moves the version (triggers on employees
// and tasks, migration 0019; explicit bumps where rules and teams are written), and the batch leaves it
// at version + 1, so an isolate that wrote last decides its next delivery from memory, with no read.
import { type SQL, sql } from "drizzle-orm";
import { type BatchQuery, type Db, guarded, prepared, runBatch } from "./db";
import type {
	Condition,
	DistributionState,
	Fallback,
	Method,
	Rep,
	RoutingRule,
	Target,
	WorkingHours,
} from "./distribution-state";

/** Days of counts a snapshot carries: enough for any zone's week so far. */
const COUNT_DAYS = 8;

const companyId = sql.placeholder("companyId");

const readCompany = prepared(
	() => sql`SELECT id, time_zone AS timeZone, assignment_counter AS defaultTurn,
		distribution_version AS version FROM companies WHERE id = ${companyId}`,
);

const readRules = prepared(
	() => sql`SELECT id, name, conditions, team_id AS teamId, method, rep_id AS repId, fallback,
		fallback_rep_id AS fallbackRepId, turn
	FROM routing_rules WHERE company_id = ${companyId} ORDER BY position, id`,
);

const readTeams = prepared(
	() => sql`SELECT t.id, t.name, (SELECT json_group_array(m.employee_id) FROM routing_team_members AS m
			WHERE m.team_id = t.id) AS members
	FROM routing_teams AS t WHERE t.company_id = ${companyId} ORDER BY t.id`,
);

/** Each rep with its open follow-ups (tasks_employee_status_idx) and recent daily counts (primary key). */
const readReps = prepared(
	() => sql`SELECT e.id, e.name, e.is_active AS isActive, e.weight, e.daily_cap AS dailyCap,
		e.weekly_cap AS weeklyCap, e.time_zone AS timeZone, e.working_hours AS hours,
		e.away_until AS awayUntil,
		(SELECT count(*) FROM tasks AS t WHERE t.employee_id = e.id AND t.status = 'open') AS openTasks,
		(SELECT json_group_object(d.day, d.leads) FROM rep_daily_leads AS d
			WHERE d.employee_id = e.id AND d.day >= ${sql.placeholder("since")}) AS loads
	FROM employees AS e WHERE e.company_id = ${companyId} ORDER BY e.id`,
);

interface RuleRow {
	id: number;
	name: string;
	conditions: string;
	teamId: number | null;
	method: Method | null;
	repId: number | null;
	fallback: Fallback["kind"];
	fallbackRepId: number | null;
	turn: number;
}

interface RepRow extends Omit<Rep, "isActive" | "hours" | "leadsByDay"> {
	isActive: number;
	hours: string | null;
	loads: string;
}

/** The company's distribution state now (one round trip), kept for `cachedDistribution`; undefined: no company. */
export function loadDistribution(
	db: Db,
	id: number,
	now: Date,
): Promise<DistributionState | undefined> {
	const since = new Date(now.getTime() - COUNT_DAYS * 86_400_000).toISOString().slice(0, 10);
	return guarded(async () => {
		const [companies = [], rules = [], teams = [], reps = []] = (await runBatch(db, [
			readCompany({ companyId: id }),
			readRules({ companyId: id }),
			readTeams({ companyId: id }),
			readReps({ companyId: id, since }),
		])) as [
			{ id: number; timeZone: string; defaultTurn: number; version: number }[],
			RuleRow[],
			{ id: number; name: string; members: string }[],
			RepRow[],
		];
		const company = companies[0];
		if (!company) return undefined;
		const state: DistributionState = {
			companyId: company.id,
			version: company.version,
			timeZone: company.timeZone,
			defaultTurn: company.defaultTurn,
			rules: rules.map(ruleFrom),
			teams: teams.map((team) => ({
				id: team.id,
				name: team.name,
				memberIds: JSON.parse(team.members) as number[],
			})),
			reps: reps.map(({ loads, hours, isActive, ...rep }) => ({
				...rep,
				isActive: isActive === 1,
				hours: hours === null ? null : (JSON.parse(hours) as WorkingHours),
				leadsByDay: JSON.parse(loads) as Record<string, number>,
			})),
		};
		keep(db, state);
		return state;
	});
}

function ruleFrom(row: RuleRow): RoutingRule {
	const target: Target =
		row.repId !== null
			? { kind: "rep", repId: row.repId }
			: { kind: "team", teamId: row.teamId ?? 0, method: row.method ?? "round_robin" };
	const fallback: Fallback =
		row.fallback === "rep"
			? { kind: "rep", repId: row.fallbackRepId ?? 0 }
			: { kind: row.fallback };
	return {
		id: row.id,
		name: row.name,
		conditions: JSON.parse(row.conditions) as Condition[],
		target,
		fallback,
		turn: row.turn,
	};
}

// Snapshots per D1 binding and company. Safe to reuse: a write decided on one carries its version.
const MAX_CACHED_COMPANIES = 500;
const snapshots = new WeakMap<D1Database, Map<number, DistributionState>>();

/** Remembers the state (the one just read, or the one this isolate's batch just committed). */
export function keep(db: Db, state: DistributionState): void {
	let kept = snapshots.get(db.d1);
	if (!kept) {
		kept = new Map();
		snapshots.set(db.d1, kept);
	}
	if (kept.size >= MAX_CACHED_COMPANIES) kept.clear();
	kept.set(state.companyId, state);
}

export function cachedDistribution(db: Db, id: number): DistributionState | undefined {
	return snapshots.get(db.d1)?.get(id);
}

export function forgetDistribution(db: Db, id: number): void {
	snapshots.get(db.d1)?.delete(id);
}

/** What the batch records for one company: the snapshot's version, and each lead's decision. */
export interface DistributionWrite {
	companyId: number;
	version: number;
}

/** One assigned lead of the receipt, for the statements after the clients (matched by external id). */
export interface AssignedLead {
	externalId: string;
	ruleId: number | null;
	nextTurn: number | null;
	/** The rep's local day the lead counts on. */
	day: string;
}

/**
 * First statement of the batch: the version moves on by one, or becomes NULL (aborting the whole
 * batch: DistributionChangedError) when it is no longer the one the decision was made on.
 */
export const distributionGuard = prepared(
	() => sql`UPDATE companies SET distribution_version = CASE
			WHEN distribution_version = ${sql.placeholder("version")} THEN distribution_version + 1 END
		WHERE id = ${companyId}`,
);

/** The batch was aborted because the company's distribution state moved since it was read. */
export function isDistributionAbort(error: unknown): boolean {
	const message = error instanceof Error ? error.message : String(error);
	return /NOT NULL constraint failed: companies\.distribution_version/.test(message);
}

const receiptId = sql.placeholder("receiptId");
const assigned = sql.placeholder("assigned");

/** The receipt's assigned leads that it created (a duplicate moves no turn and counts for nobody). */
const createdAssigned = sql`json_each(${assigned}) AS d
	CROSS JOIN clients AS c ON c.receipt_id = ${receiptId} AND c.external_id = d.value ->> '$.externalId'
		AND c.assigned_employee_id IS NOT NULL`;

/**
 * The statements after the clients for one company: each rep's daily count, the rotations' turns
 * (the highest turn a created lead reached: turns only grow) and the version left at version + 1
 * (the snapshot the isolate keeps), whatever the batch's own follow-up tasks did to it.
 */
export function distributionWrites(
	write: DistributionWrite,
	receipt: string,
	leads: AssignedLead[],
): BatchQuery[] {
	const values = {
		companyId: write.companyId,
		receiptId: receipt,
		assigned: JSON.stringify(leads),
		version: write.version,
	};
	const statements: BatchQuery[] = [];
	if (leads.length > 0) statements.push(countDailyLeads(values));
	if (leads.some((lead) => lead.ruleId !== null && lead.nextTurn !== null)) {
		statements.push(turnRules(values));
	}
	statements.push(settleCompany(values));
	return statements;
}

const countDailyLeads = prepared(
	() => sql`INSERT INTO rep_daily_leads (employee_id, day, leads)
		SELECT c.assigned_employee_id, d.value ->> '$.day', count(*) FROM ${createdAssigned}
		GROUP BY 1, 2
		ON CONFLICT (employee_id, day) DO UPDATE SET leads = leads + excluded.leads`,
);

const turnRules = prepared(
	() => sql`UPDATE routing_rules SET turn = (SELECT max(d.value ->> '$.nextTurn') FROM ${createdAssigned}
			WHERE d.value ->> '$.ruleId' = routing_rules.id)
		WHERE company_id = ${companyId} AND id IN (SELECT d.value ->> '$.ruleId' FROM ${createdAssigned}
			WHERE d.value ->> '$.nextTurn' IS NOT NULL)`,
);

const settleCompany = prepared(
	() => sql`UPDATE companies SET distribution_version = ${sql.placeholder("version")} + 1,
			assignment_counter = coalesce((SELECT max(d.value ->> '$.nextTurn') FROM ${createdAssigned}
				WHERE d.value ->> '$.ruleId' IS NULL), assignment_counter)
		WHERE id = ${companyId}`,
);

/** Moves the company's version, for writes no trigger sees (rules, teams, a task added to a known client). */
export function bumpDistribution(id: number): SQL {
	return sql`UPDATE companies SET distribution_version = distribution_version + 1 WHERE id = ${id}`;
}
