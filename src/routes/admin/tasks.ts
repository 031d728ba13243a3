// /api/admin/tasks — reps' follow-up tasks (opened by website forms): list by rep, status, company
// or client, newest first; PATCH one to `done` (or back to `open`).
import { Hono } from "hono";
import { z } from "zod";
import { orNotFound } from "../../errors";
import type { AppEnv } from "../../http/app-env";
import { pageBody, pageQueryShape, pageRequest } from "../../http/pagination";
import { idParam, idSchema, validate } from "../../http/validate";
import { TASK_STATUSES } from "../../storage/schema";
import type { TaskRecord } from "../../storage/task-queries";
import { getTask, listTasks, setTaskStatus } from "../../storage/task-queries";

const listQuery = z.object({
	employee_id: idSchema.optional(),
	status: z.enum(TASK_STATUSES).optional(),
	company_id: idSchema.optional(),
	client_id: idSchema.optional(),
	...pageQueryShape,
});

const patchBody = z.strictObject({ status: z.enum(TASK_STATUSES) });

export function taskJson(task: TaskRecord) {
	return {
		id: task.id,
		client_id: task.clientId,
		employee_id: task.employeeId,
		due_at: task.dueAt,
		status: task.status,
		note: task.note,
		created_at: task.createdAt,
		completed_at: task.completedAt,
	};
}

export const taskRoutes = new Hono<AppEnv>()
	.get("/", validate("query", listQuery), async (c) => {
		const query = c.req.valid("query");
		const filter = {
			employeeId: query.employee_id,
			status: query.status,
			companyId: query.company_id,
			clientId: query.client_id,
		};
		const page = await listTasks(c.var.db, filter, pageRequest(query));
		return c.json(pageBody(page, taskJson));
	})
	.get("/:id", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		return c.json(taskJson(orNotFound(await getTask(c.var.db, id), "task", id)));
	})
	.patch("/:id", validate("param", idParam), validate("json", patchBody), async (c) => {
		const { id } = c.req.valid("param");
		const { status } = c.req.valid("json");
		return c.json(taskJson(orNotFound(await setTaskStatus(c.var.db, id, status), "task", id)));
	});
