// /api/admin/clients — the leads stored in D1, newest first, with phones, assigned rep and answers;
// `?q=` searches name, email and phone, `?employee_id=` filters by assigned rep; one client comes with
// its tasks, logs, forwards and notifications.
import { Hono } from "hono";
import { orNotFound } from "../../errors";
import type { AppEnv } from "../../http/app-env";
import { clientFilter } from "../../http/client-search";
import { pageBody, pageRequest } from "../../http/pagination";
import { clientListQuery } from "../../http/schemas/clients";
import { idParam, validate } from "../../http/validate";
import { getClientRelated } from "../../storage/client-detail";
import { type ClientRecord, getClient, listClients } from "../../storage/client-queries";
import { clientNotifications } from "../../storage/notifications";
import { forwardJson } from "./forwards";
import { logJson } from "./logs";
import { notificationJson } from "./notifications";
import { taskJson } from "./tasks";

export function clientJson(client: ClientRecord) {
	return {
		id: client.id,
		company_id: client.companyId,
		integration_account_id: client.integrationAccountId,
		source: client.source,
		external_id: client.externalId,
		full_name: client.fullName,
		email: client.email,
		form_id: client.formId,
		phones: client.phones,
		// Non-empty flags the lead "invalid phone": the values that did not parse, as typed.
		invalid_phones: client.invalidPhones,
		assigned_employee: client.assignedEmployee,
		answers: client.answers,
		attribution: client.attribution,
		is_test: client.isTest,
		created_at: client.createdAt,
		// Speed to lead: when a rep first set one of its follow-up tasks done; null while waiting.
		first_response_at: client.firstResponseAt,
		first_response_seconds: client.firstResponseSeconds,
	};
}

export const clientRoutes = new Hono<AppEnv>()
	.get("/", validate("query", clientListQuery), async (c) => {
		const query = c.req.valid("query");
		const filter = await clientFilter(c.var.db, query);
		const page = await listClients(c.var.db, filter, pageRequest(query));
		return c.json(pageBody(page, clientJson));
	})
	.get("/:id", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		const client = orNotFound(await getClient(c.var.db, id), "client", id);
		const [related, notifications] = await Promise.all([
			getClientRelated(c.var.db, id),
			clientNotifications(c.var.db, id),
		]);
		return c.json({
			...clientJson(client),
			// When the lead first arrived: its first failed receipt, else when it became a client.
			received_at: related.firstFailedAt ?? client.createdAt,
			tasks: related.tasks.map(taskJson),
			logs: related.logs.map(logJson),
			forwards: related.forwards.map(forwardJson),
			notifications: notifications.map(notificationJson),
		});
	});
