// Writes a company's routing rules and teams (the console and the admin API edit them through
// operator/routing.ts). Every write moves the company's distribution version in the same batch, so
// an ingest decided on the old rules is decided again (storage/distribution.ts).
import { sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";
import { bumpDistribution } from "./distribution";
import type { Condition, Method } from "./distribution-state";
import type { ROUTING_FALLBACKS } from "./schema";

export interface RuleWrite {
	name: string;
	conditions: Condition[];
	teamId: number | null;
	method: Method | null;
	repId: number | null;
	fallback: (typeof ROUTING_FALLBACKS)[number];
	fallbackRepId: number | null;
}

/** Renumbers the company's rules 1..n in the order of `ruleIds`. */
function reorder(companyId: number, ruleIds: number[]) {
	return sql`UPDATE routing_rules SET position = (SELECT j.key + 1 FROM json_each(${JSON.stringify(ruleIds)}) AS j
			WHERE j.value = routing_rules.id)
		WHERE company_id = ${companyId}`;
}

/** Adds the rule and puts the company's rules in `order` (0 standing for the new rule); its id. */
export function createRule(
	db: Db,
	companyId: number,
	rule: RuleWrite,
	order: number[],
): Promise<number> {
	return guarded(async () => {
		const results = await runBatch(db, [
			sql`INSERT INTO routing_rules (company_id, position, name, conditions, team_id, method, rep_id,
					fallback, fallback_rep_id)
				VALUES (${companyId}, 0, ${rule.name}, ${JSON.stringify(rule.conditions)}, ${rule.teamId},
					${rule.method}, ${rule.repId}, ${rule.fallback}, ${rule.fallbackRepId})
				RETURNING id`,
			sql`UPDATE routing_rules SET position = (SELECT j.key + 1 FROM json_each(${JSON.stringify(order)}) AS j
					WHERE j.value = routing_rules.id OR (j.value = 0 AND routing_rules.position = 0))
				WHERE company_id = ${companyId}`,
			bumpDistribution(companyId),
		]);
		const [row] = (results[0] ?? []) as { id: number }[];
		if (!row) throw new Error("routing rule not inserted");
		return row.id;
	});
}

/** Replaces the rule's fields and puts the company's rules in `order`. */
export function updateRule(
	db: Db,
	companyId: number,
	ruleId: number,
	rule: RuleWrite,
	order: number[],
): Promise<void> {
	return guarded(async () => {
		await runBatch(db, [
			sql`UPDATE routing_rules SET name = ${rule.name}, conditions = ${JSON.stringify(rule.conditions)},
					team_id = ${rule.teamId}, method = ${rule.method}, rep_id = ${rule.repId},
					fallback = ${rule.fallback}, fallback_rep_id = ${rule.fallbackRepId}
				WHERE id = ${ruleId} AND company_id = ${companyId}`,
			reorder(companyId, order),
			bumpDistribution(companyId),
		]);
	});
}

export function deleteRule(
	db: Db,
	companyId: number,
	ruleId: number,
	order: number[],
): Promise<void> {
	return guarded(async () => {
		await runBatch(db, [
			sql`DELETE FROM routing_rules WHERE id = ${ruleId} AND company_id = ${companyId}`,
			reorder(companyId, order),
			bumpDistribution(companyId),
		]);
	});
}

/** Creates the team with its members; its id. */
export function createTeam(
	db: Db,
	companyId: number,
	team: { name: string; memberIds: number[] },
): Promise<number> {
	return guarded(async () => {
		const results = await runBatch(db, [
			sql`INSERT INTO routing_teams (company_id, name) VALUES (${companyId}, ${team.name}) RETURNING id`,
			sql`INSERT INTO routing_team_members (team_id, employee_id)
				SELECT t.id, j.value FROM routing_teams AS t, json_each(${JSON.stringify(team.memberIds)}) AS j
				WHERE t.company_id = ${companyId} AND t.name = ${team.name}`,
			bumpDistribution(companyId),
		]);
		const [row] = (results[0] ?? []) as { id: number }[];
		if (!row) throw new Error("team not inserted");
		return row.id;
	});
}

export function updateTeam(
	db: Db,
	companyId: number,
	teamId: number,
	team: { name?: string; memberIds?: number[] },
): Promise<void> {
	return guarded(async () => {
		await runBatch(db, [
			...(team.name === undefined
				? []
				: [sql`UPDATE routing_teams SET name = ${team.name} WHERE id = ${teamId}`]),
			...(team.memberIds === undefined
				? []
				: [
						sql`DELETE FROM routing_team_members WHERE team_id = ${teamId}`,
						sql`INSERT INTO routing_team_members (team_id, employee_id)
							SELECT ${teamId}, j.value FROM json_each(${JSON.stringify(team.memberIds)}) AS j`,
					]),
			bumpDistribution(companyId),
		]);
	});
}

/** Deletes the team (its members with it); the caller checked that no rule targets it. */
export function deleteTeam(db: Db, companyId: number, teamId: number): Promise<void> {
	return guarded(async () => {
		await runBatch(db, [
			sql`DELETE FROM routing_team_members WHERE team_id = ${teamId}`,
			sql`DELETE FROM routing_teams WHERE id = ${teamId} AND company_id = ${companyId}`,
			bumpDistribution(companyId),
		]);
	});
}

/** Whether a team of this name exists in the company (other than `exceptId`). */
export async function teamNameTaken(
	db: Db,
	companyId: number,
	name: string,
	exceptId = 0,
): Promise<boolean> {
	const [rows = []] = await guarded(() =>
		runBatch(db, [
			sql`SELECT 1 FROM routing_teams WHERE company_id = ${companyId} AND name = ${name}
				AND id <> ${exceptId}`,
		]),
	);
	return rows.length > 0;
}
