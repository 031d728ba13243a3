// /api/admin/tasks through the Worker: filters by rep, status, company and client; completing a
// task sets completed_at once and the lead's first response; reopening clears it; 400/404s.
import { env } from "cloudflare:test";
import { describe, it } from "vitest";
import { allPages, call, type ListBody } from "../../support/admin-api";
import { rowById, seedClient, seedCompany, seedEmployee, seedTask } from "../../support/factories";
import type { TaskView } from "../../support/forms";

/** The API answers a task with the same snake_case fields as its D1 row. */
type TaskJson = TaskView;

describe("admin tasks", () => {
	it("lists tasks newest first, filtered by rep, status, company and client", async ({
		expect,
	}) => {
		const companyId = await seedCompany();
		const ana = await seedEmployee(companyId, "Ana");
		const ben = await seedEmployee(companyId, "Ben");
		const client = await seedClient(companyId);
		const other = await seedClient(await seedCompany());
		const anaOpen = await seedTask(client, { employeeId: ana });
		const anaDone = await seedTask(client, { employeeId: ana, status: "done" });
		const benOpen = await seedTask(client, { employeeId: ben });
		const elsewhere = await seedTask(other);

		const ids = async (query: string) =>
			(await call<ListBody<TaskJson>>(`/tasks${query}`)).body.data.map((task) => task.id);

		expect(await ids(`?employee_id=${ana}`)).toEqual([anaDone, anaOpen]);
		expect(await ids(`?employee_id=${ana}&status=open`)).toEqual([anaOpen]);
		expect(await ids(`?company_id=${companyId}&status=open`)).toEqual([benOpen, anaOpen]);
		expect(await ids(`?client_id=${other}`)).toEqual([elsewhere]);
		expect(await allPages(`/tasks?company_id=${companyId}`, 2)).toEqual([
			[benOpen, anaDone],
			[anaOpen],
		]);
		const { body } = await call<ListBody<TaskJson>>(`/tasks?client_id=${other}`);
		expect(body.data[0]).toEqual({
			id: elsewhere,
			client_id: other,
			employee_id: null,
			due_at: "2026-12-01T10:00:00.000Z",
			status: "open",
			note: null,
			created_at: expect.any(String),
			completed_at: null,
		});
	});

	it("completes a task once and reopens it", async ({ expect }) => {
		const client = await seedClient(await seedCompany());
		const task = await seedTask(client);

		const done = await call<TaskJson>(`/tasks/${task}`, {
			method: "PATCH",
			body: { status: "done" },
		});
		expect(done.status).toBe(200);
		expect(done.body).toMatchObject({ id: task, status: "done" });
		expect(done.body.completed_at).toMatch(/^\d{4}-\d\d-\d\dT/);
		const again = await call<TaskJson>(`/tasks/${task}`, {
			method: "PATCH",
			body: { status: "done" },
		});
		expect(again.body.completed_at).toBe(done.body.completed_at);
		expect(await rowById("tasks", task)).toMatchObject({
			status: "done",
			completed_at: done.body.completed_at,
		});

		const reopened = await call<TaskJson>(`/tasks/${task}`, {
			method: "PATCH",
			body: { status: "open" },
		});
		expect(reopened.body).toMatchObject({ status: "open", completed_at: null });
	});

	it("records the lead's first response when its first task is done, and keeps it", async ({
		expect,
	}) => {
		const client = await seedClient(await seedCompany());
		const first = await seedTask(client);
		const second = await seedTask(client);
		expect(await rowById("clients", client)).toMatchObject({ first_response_at: null });

		const done = await call<TaskJson>(`/tasks/${first}`, {
			method: "PATCH",
			body: { status: "done" },
		});
		expect(await rowById("clients", client)).toMatchObject({
			first_response_at: done.body.completed_at,
		});

		await call(`/tasks/${first}`, { method: "PATCH", body: { status: "open" } });
		await env.DB.prepare("UPDATE tasks SET completed_at = ? WHERE id = ?")
			.bind("2030-01-01T00:00:00.000Z", second)
			.run();
		await call(`/tasks/${second}`, { method: "PATCH", body: { status: "done" } });
		expect(await rowById("clients", client)).toMatchObject({
			first_response_at: done.body.completed_at,
		});
	});

	it("answers 400 for an unknown status and 404 for an unknown task", async ({ expect }) => {
		const client = await seedClient(await seedCompany());
		const task = await seedTask(client);
		expect(
			(await call(`/tasks/${task}`, { method: "PATCH", body: { status: "later" } })).status,
		).toBe(400);
		expect((await call("/tasks?status=later")).status).toBe(400);
		expect(
			(await call("/tasks/987654", { method: "PATCH", body: { status: "done" } })).status,
		).toBe(404);
		expect((await call("/tasks/987654")).status).toBe(404);
	});
});
