// Employees (sales reps) for the operator API: create, list, read and update rows of `employees`.
import { asc, eq } from "drizzle-orm";
import { type Db, guarded } from "./db";
import { insertedRow } from "./orm-results";
import { employees } from "./schema";

export interface Employee {
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

export type EmployeePatch = Partial<Pick<EmployeeInput, "name" | "email" | "isActive">>;

const columns = {
	id: employees.id,
	companyId: employees.companyId,
	name: employees.name,
	email: employees.email,
	isActive: employees.isActive,
	createdAt: employees.createdAt,
};

export function createEmployee(db: Db, input: EmployeeInput): Promise<Employee> {
	return guarded(async () =>
		insertedRow(await db.orm.insert(employees).values(input).returning(columns)),
	);
}

/** Every employee, or one company's, oldest first (the round-robin order). */
export function listEmployees(db: Db, filter: { companyId?: number }): Promise<Employee[]> {
	const where =
		filter.companyId === undefined ? undefined : eq(employees.companyId, filter.companyId);
	return guarded(() =>
		db.orm.select(columns).from(employees).where(where).orderBy(asc(employees.id)),
	);
}

export function getEmployee(db: Db, id: number): Promise<Employee | undefined> {
	return guarded(() => db.orm.select(columns).from(employees).where(eq(employees.id, id)).get());
}

/** The updated employee, or undefined when no employee has this id. */
export function updateEmployee(
	db: Db,
	id: number,
	patch: EmployeePatch,
): Promise<Employee | undefined> {
	return guarded(() =>
		db.orm.update(employees).set(patch).where(eq(employees.id, id)).returning(columns).get(),
	);
}
