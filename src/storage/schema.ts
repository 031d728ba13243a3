// D1 tables of the public contract (DESIGN.md). drizzle-kit turns this file into migrations/;
// column names are snake_case because operators query them directly.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () =>
	text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`);

export const LOG_STATUSES = ["success", "failure", "duplicate", "ignored"] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];

export const companies = sqliteTable("companies", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	name: text("name").notNull(),
	autoAssign: integer("auto_assign", { mode: "boolean" }).notNull().default(false),
	/** ISO 3166 alpha-2 country for phone numbers given without a country code. */
	defaultCountry: text("default_country"),
	/** How many clients round-robin has assigned so far; the next rep is counter mod active reps. */
	assignmentCounter: integer("assignment_counter").notNull().default(0),
	createdAt: createdAt(),
});

export const employees = sqliteTable(
	"employees",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		name: text("name").notNull(),
		email: text("email"),
		isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
		createdAt: createdAt(),
	},
	(t) => [index("employees_company_active_idx").on(t.companyId, t.isActive, t.id)],
);

export const integrationAccounts = sqliteTable(
	"integration_accounts",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		provider: text("provider").notNull(),
		name: text("name").notNull(),
		/** The provider's routing key (TikTok advertiser id, Meta page id...); null for a company's default account. */
		externalId: text("external_id"),
		isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex("integration_accounts_provider_external_uq").on(t.provider, t.externalId),
		index("integration_accounts_company_idx").on(t.companyId, t.provider),
	],
);

export const clients = sqliteTable(
	"clients",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		integrationAccountId: integer("integration_account_id").references(
			() => integrationAccounts.id,
		),
		source: text("source").notNull(),
		externalId: text("external_id"),
		fullName: text("full_name"),
		email: text("email"),
		assignedEmployeeId: integer("assigned_employee_id").references(() => employees.id),
		formId: text("form_id"),
		/** Every answer the form asked, as JSON [{ "name", "values": [...] }], custom questions included. */
		answers: text("answers"),
		/** The delivery that created the row; lets one batch find the rows it inserted. */
		receiptId: text("receipt_id"),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex("clients_account_external_uq").on(t.integrationAccountId, t.externalId),
		index("clients_company_idx").on(t.companyId, t.id),
		index("clients_receipt_idx").on(t.receiptId),
		// Website forms find an existing client of the company by email (stored lower-cased).
		index("clients_company_email_idx").on(t.companyId, t.email),
	],
);

export const clientPhoneNumbers = sqliteTable(
	"client_phone_numbers",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		clientId: integer("client_id")
			.notNull()
			.references(() => clients.id),
		/** E.164, e.g. +971501234567. */
		phoneNumber: text("phone_number").notNull(),
	},
	(t) => [
		uniqueIndex("client_phone_numbers_client_phone_uq").on(t.clientId, t.phoneNumber),
		// Website forms find an existing client by E.164 phone.
		index("client_phone_numbers_phone_idx").on(t.phoneNumber),
	],
);

export const integrationLogs = sqliteTable(
	"integration_logs",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		companyId: integer("company_id"),
		provider: text("provider").notNull(),
		action: text("action").notNull(),
		status: text("status", { enum: LOG_STATUSES }).notNull(),
		message: text("message"),
		externalId: text("external_id"),
		/** Raw payload kept on failures so the receipt can be replayed; null otherwise. */
		payload: text("payload"),
		requestId: text("request_id"),
		createdAt: createdAt(),
		/** When an operator last replayed this failed receipt (POST /api/admin/logs/:id/replay). */
		replayedAt: text("replayed_at"),
		/** What the last replay came to: created, updated, duplicate, failure or ignored. */
		replayOutcome: text("replay_outcome"),
		/** The last replay's receipt id: its own logs carry it as request_id. */
		replayRequestId: text("replay_request_id"),
	},
	(t) => [
		index("integration_logs_company_idx").on(t.companyId, t.id),
		index("integration_logs_status_idx").on(t.status, t.id),
		index("integration_logs_action_idx").on(t.action, t.id),
		// Only rows still holding a payload: the retention sweep finds the oldest without a scan.
		index("integration_logs_payload_age_idx").on(t.createdAt).where(sql`${t.payload} IS NOT NULL`),
	],
);

export const FORWARD_STATUSES = [
	"pending",
	"sending",
	"succeeded",
	"retry",
	"failed",
	"dead",
] as const;

export const forwards = sqliteTable(
	"forwards",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		clientId: integer("client_id")
			.notNull()
			.references(() => clients.id),
		destination: text("destination").notNull(),
		status: text("status", { enum: FORWARD_STATUSES }).notNull().default("pending"),
		attempts: integer("attempts").notNull().default(0),
		nextAttemptAt: text("next_attempt_at"),
		lastErrorCode: text("last_error_code"),
		remoteId: text("remote_id"),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex("forwards_client_destination_uq").on(t.clientId, t.destination),
		index("forwards_due_idx").on(t.status, t.nextAttemptAt),
	],
);

export const TASK_STATUSES = ["open", "done"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Follow-up tasks for reps, e.g. "call back" after a website form (created in the ingest batch). */
export const tasks = sqliteTable(
	"tasks",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		clientId: integer("client_id")
			.notNull()
			.references(() => clients.id),
		/** The client's assigned rep when the task was created; null when nobody is assigned. */
		employeeId: integer("employee_id").references(() => employees.id),
		dueAt: text("due_at").notNull(),
		status: text("status", { enum: TASK_STATUSES }).notNull().default("open"),
		note: text("note"),
		createdAt: createdAt(),
		completedAt: text("completed_at"),
	},
	(t) => [
		index("tasks_employee_status_idx").on(t.employeeId, t.status, t.dueAt),
		index("tasks_client_idx").on(t.clientId),
	],
);

/**
 * Website form submissions by idempotency key (the `Idempotency-Key` header, the `submission_id`
 * field, or the request id): a resubmit with a known key is a duplicate.
 */
export const formSubmissions = sqliteTable(
	"form_submissions",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		idempotencyKey: text("idempotency_key").notNull(),
		/** The receipt that recorded the submission first. */
		requestId: text("request_id").notNull(),
		clientId: integer("client_id").references(() => clients.id),
		createdAt: createdAt(),
	},
	(t) => [uniqueIndex("form_submissions_company_key_uq").on(t.companyId, t.idempotencyKey)],
);
