// Employees (sales reps) for the operator API: create, list, read and update rows of `employees`.
import { asc, eq } from "drizzle-orm";
import { type Db, guarded } from "./db";
import type { WorkingHours } from "./distribution-state";
import { insertedRow } from "./orm-results";
import { employees } from "./schema";

/** A rep's lead-distribution settings (leads/distribution.ts reads them). */
export interface RepRouting {
	weight: number;
	dailyCap: number | null;
	weeklyCap: number | null;
	timeZone: string | null;
	workingHours: WorkingHours | null;
	awayUntil: string | null;
}

export interface Employee extends RepRouting {
	id: number;
	companyId: number;
	name: string;
	email: string | null;
	isActive: boolean;
	createdAt: string;
}

export interface EmployeeInput {
	companyId: number;
	name: string;
	email?: string | null;
	isActive?: boolean;
}

export type EmployeePatch = Partial<
	Pick<EmployeeInput, "name" | "email" | "isActive"> & RepRouting
>;

const columns = {
	id: employees.id,
	companyId: employees.companyId,
	name: employees.name,
	email: employees.email,
	isActive: employees.isActive,
	weight: employees.weight,
	dailyCap: employees.dailyCap,
	weeklyCap: employees.weeklyCap,
	timeZone: employees.timeZone,
	workingHours: employees.workingHours,
	awayUntil: employees.awayUntil,
	createdAt: employees.createdAt,
};

type EmployeeRow = Omit<Employee, "workingHours"> & { workingHours: string | null };

function employeeFrom({ workingHours, ...row }: EmployeeRow): Employee {
	return {
		...row,
		workingHours: workingHours === null ? null : (JSON.parse(workingHours) as WorkingHours),
	};
}

export function createEmployee(db: Db, input: EmployeeInput): Promise<Employee> {
	return guarded(async () =>
		employeeFrom(insertedRow(await db.orm.insert(employees).values(input).returning(columns))),
	);
}

/** Every employee, or one company's, oldest first (the round-robin order). */
export function listEmployees(db: Db, filter: { companyId?: number }): Promise<Employee[]> {
	const where =
		filter.companyId === undefined ? undefined : eq(employees.companyId, filter.companyId);
	return guarded(async () =>
		(await db.orm.select(columns).from(employees).where(where).orderBy(asc(employees.id))).map(
			employeeFrom,
		),
	);
}

export function getEmployee(db: Db, id: number): Promise<Employee | undefined> {
	return guarded(async () => {
		const row = await db.orm.select(columns).from(employees).where(eq(employees.id, id)).get();
		return row && employeeFrom(row);
	});
}

/** The updated employee, or undefined when no employee has this id. */
export function updateEmployee(
	db: Db,
	id: number,
	patch: EmployeePatch,
): Promise<Employee | undefined> {
	const { workingHours, ...rest } = patch;
	const set = {
		...rest,
		...(workingHours === undefined
			? {}
			: { workingHours: workingHours === null ? null : JSON.stringify(workingHours) }),
	};
	return guarded(async () => {
		const row = await db.orm
			.update(employees)
			.set(set)
			.where(eq(employees.id, id))
			.returning(columns)
			.get();
		return row && employeeFrom(row);
	});
}
