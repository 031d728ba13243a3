// Follow-up tasks for the operator API: pages filtered by rep, status, company or client (newest
// first), and completing or reopening one task.
import { and, desc, eq, inArray, lt, type SQL, sql } from "drizzle-orm";
import { type Db, guarded } from "./db";
import { type Page, type PageRequest, toPage } from "./pages";
import { clients, type TaskStatus, tasks } from "./schema";

export type TaskRecord = typeof tasks.$inferSelect;

export interface TaskFilter {
	employeeId?: number;
	status?: TaskStatus;
	companyId?: number;
	clientId?: number;
}

export async function listTasks(
	db: Db,
	filter: TaskFilter,
	page: PageRequest,
): Promise<Page<TaskRecord>> {
	const conditions: SQL[] = [];
	if (filter.employeeId !== undefined) conditions.push(eq(tasks.employeeId, filter.employeeId));
	if (filter.status !== undefined) conditions.push(eq(tasks.status, filter.status));
	if (filter.clientId !== undefined) conditions.push(eq(tasks.clientId, filter.clientId));
	if (filter.companyId !== undefined) {
		const ofCompany = db.orm
			.select({ id: clients.id })
			.from(clients)
			.where(eq(clients.companyId, filter.companyId));
		conditions.push(inArray(tasks.clientId, ofCompany));
	}
	if (page.beforeId !== undefined) conditions.push(lt(tasks.id, page.beforeId));
	const rows = await guarded(() =>
		db.orm
			.select()
			.from(tasks)
			.where(and(...conditions))
			.orderBy(desc(tasks.id))
			.limit(page.limit + 1),
	);
	return toPage(rows, page.limit);
}

export function getTask(db: Db, id: number): Promise<TaskRecord | undefined> {
	return guarded(() => db.orm.select().from(tasks).where(eq(tasks.id, id)).get());
}

/**
 * Sets a task done (keeping the first completion time when it is done already) or open again;
 * undefined when there is no such task.
 */
export async function setTaskStatus(
	db: Db,
	id: number,
	status: TaskStatus,
): Promise<TaskRecord | undefined> {
	const completedAt =
		status === "done"
			? sql`coalesce(${tasks.completedAt}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`
			: null;
	const [row] = await guarded(() =>
		db.orm.update(tasks).set({ status, completedAt }).where(eq(tasks.id, id)).returning(),
	);
	return row;
}
