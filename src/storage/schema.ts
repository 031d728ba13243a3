// D1 tables of the public contract (DESIGN.md). drizzle-kit turns this file into migrations/;
// column names are snake_case because operators query them directly.
import { sql } from "drizzle-orm";
import {
	index,
	integer,
	primaryKey,
	sqliteTable,
	text,
	uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { ROUTING_METHODS } from "./distribution-state";

const createdAt = () =>
	text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`);

export const LOG_STATUSES = ["success", "failure", "duplicate", "ignored"] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];

/**
 * What to fix for a failed receipt, kept on its log row and its unresolved lead: unmapped (no rule
 * names a company for the routing key), unknown_company (a rule names one that is gone),
 * inactive_account (the Page's integration was deactivated), no_token / lead_read_failed (Meta
 * could not be read), unparseable, invalid (a form the rules refuse), other.
 */
export const FAILURE_CAUSES = [
	"unmapped",
	"unknown_company",
	"inactive_account",
	"no_token",
	"lead_read_failed",
	"unparseable",
	"invalid",
	"other",
] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

export const companies = sqliteTable("companies", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	name: text("name").notNull(),
	autoAssign: integer("auto_assign", { mode: "boolean" }).notNull().default(false),
	/** ISO 3166 alpha-2 country for phone numbers given without a country code. */
	defaultCountry: text("default_country"),
	/** The company default's round-robin turn: how many turns it has taken (leads/distribution.ts). */
	assignmentCounter: integer("assignment_counter").notNull().default(0),
	/** IANA time zone of the company's routing time windows (and of reps without a zone of their own). */
	timeZone: text("time_zone").notNull().default("UTC"),
	/**
	 * Moves whenever anything lead distribution reads changes (rules, teams, reps, tasks, counts): an
	 * ingest batch decided on version V writes only while it is still V (storage/distribution.ts).
	 */
	distributionVersion: integer("distribution_version").notNull().default(0),
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
		/** Share in a weighted round robin (1–100). */
		weight: integer("weight").notNull().default(1),
		/** Most leads a day / a week (Monday first) in the rep's zone; null: no cap. */
		dailyCap: integer("daily_cap"),
		weeklyCap: integer("weekly_cap"),
		/** IANA zone of the rep's hours and days; null: the company's. */
		timeZone: text("time_zone"),
		/** JSON { "mon": { "from": "09:00", "to": "17:00" }, ... }; a day left out is off; null: any time. */
		workingHours: text("working_hours"),
		/** ISO instant: the rep takes no lead before it. */
		awayUntil: text("away_until"),
		createdAt: createdAt(),
	},
	(t) => [index("employees_company_active_idx").on(t.companyId, t.isActive, t.id)],
);

/** Named groups of reps that routing rules target. */
export const routingTeams = sqliteTable(
	"routing_teams",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		name: text("name").notNull(),
		createdAt: createdAt(),
	},
	(t) => [uniqueIndex("routing_teams_company_name_uq").on(t.companyId, t.name)],
);

export const routingTeamMembers = sqliteTable(
	"routing_team_members",
	{
		teamId: integer("team_id")
			.notNull()
			.references(() => routingTeams.id, { onDelete: "cascade" }),
		employeeId: integer("employee_id")
			.notNull()
			.references(() => employees.id),
	},
	(t) => [primaryKey({ columns: [t.teamId, t.employeeId] })],
);

export const ROUTING_FALLBACKS = ["next_rule", "rep", "unassigned"] as const;

/**
 * A company's ordered routing rules (leads/distribution.ts): conditions on the lead, a target (a team
 * with a method, or one rep) and what happens when nobody in it can take the lead.
 */
export const routingRules = sqliteTable(
	"routing_rules",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		/** Order of evaluation, 1 first. */
		position: integer("position").notNull(),
		name: text("name").notNull(),
		/** JSON array of conditions, all of which must hold. */
		conditions: text("conditions").notNull(),
		teamId: integer("team_id").references(() => routingTeams.id),
		method: text("method", { enum: ROUTING_METHODS }),
		/** The one rep the rule assigns to (instead of a team). */
		repId: integer("rep_id").references(() => employees.id),
		fallback: text("fallback", { enum: ROUTING_FALLBACKS }).notNull().default("next_rule"),
		fallbackRepId: integer("fallback_rep_id").references(() => employees.id),
		/** The rule's round-robin turn, moved by the ingest batch. */
		turn: integer("turn").notNull().default(0),
		createdAt: createdAt(),
	},
	(t) => [
		index("routing_rules_company_idx").on(t.companyId, t.position),
		index("routing_rules_team_idx").on(t.teamId),
	],
);

/** Leads assigned per rep and local day (YYYY-MM-DD in the rep's zone): daily and weekly caps read it. */
export const repDailyLeads = sqliteTable(
	"rep_daily_leads",
	{
		employeeId: integer("employee_id")
			.notNull()
			.references(() => employees.id),
		day: text("day").notNull(),
		leads: integer("leads").notNull().default(0),
	},
	(t) => [primaryKey({ columns: [t.employeeId, t.day] })],
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
		/** The Salesforce record id once the client has been forwarded. */
		salesforceId: text("salesforce_id"),
		/**
		 * The console's "Send a test lead": stored and forwarded like any lead, but given no rep and no
		 * turn, and left out of every lead count (overview, silence checks, the leads list's count).
		 */
		isTest: integer("is_test", { mode: "boolean" }).notNull().default(false),
		/**
		 * Where the lead came from, as the provider named it: JSON { form_name, campaign_id,
		 * campaign_name, ad_set_id, ad_set_name, ad_id, ad_name }, only the keys it sent; null when none.
		 */
		attribution: text("attribution"),
		/**
		 * When a rep first acted on the lead: the first of its follow-up tasks set done (console, API
		 * or a one-click "Contacted" link). Kept by the trigger `clients_first_response` (migration 0018).
		 */
		firstResponseAt: text("first_response_at"),
		/** Why an auto-assigned lead has no rep ("no eligible rep"): listed under Needs action. */
		unassignedReason: text("unassigned_reason"),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex("clients_account_external_uq").on(t.integrationAccountId, t.externalId),
		index("clients_company_idx").on(t.companyId, t.id),
		// A receipt's own clients, and each of them by lead id (lead distribution's counts and turns).
		index("clients_receipt_idx").on(t.receiptId, t.externalId),
		// Website forms find an existing client of the company by email (stored lower-cased).
		index("clients_company_email_idx").on(t.companyId, t.email),
		// The overview and the silence check read a window of recent real clients per company and
		// source (covering: the window never visits the table, and older clients are never read). Test
		// leads are not in it: those queries say `is_test = 0` literally so SQLite can use it.
		index("clients_created_idx").on(t.createdAt, t.companyId, t.source).where(sql`${t.isTest} = 0`),
		// The leads list filtered by assigned rep (newest first); also deleting a rep checks it.
		index("clients_assigned_idx").on(t.assignedEmployeeId, t.id),
		// Speed-to-lead figures (storage/speed-stats.ts) read the window's answered real leads only
		// (covering: created_at for the window, the groups and the first response). Unanswered leads
		// are not in it, so they cost nothing here: the rollup counts them.
		index("clients_responded_idx")
			.on(t.createdAt, t.companyId, t.source, t.assignedEmployeeId, t.firstResponseAt)
			.where(sql`${t.isTest} = 0 AND ${t.firstResponseAt} IS NOT NULL`),
		// The overview's Needs-action list: leads no rep could take, until someone is assigned.
		index("clients_unassigned_idx")
			.on(t.companyId, t.id)
			.where(sql`${t.unassignedReason} IS NOT NULL AND ${t.assignedEmployeeId} IS NULL`),
	],
);

/**
 * Real leads (not test leads) per hour, company and source, kept by triggers on `clients` in the
 * statement that writes the client (migration 0017_lead_counts). The overview's day and week counts
 * and the silence check read these (at most 24 × 8 rows per flow) instead of every client of the week.
 */
export const leadCounts = sqliteTable(
	"lead_counts",
	{
		/** The hour of the clients' created_at, 'YYYY-MM-DDTHH' (UTC): substr(created_at, 1, 13). */
		hour: text("hour").notNull(),
		companyId: integer("company_id").notNull(),
		source: text("source").notNull(),
		count: integer("count").notNull(),
	},
	(t) => [primaryKey({ columns: [t.hour, t.companyId, t.source] })],
);

export const clientPhoneNumbers = sqliteTable(
	"client_phone_numbers",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		clientId: integer("client_id")
			.notNull()
			.references(() => clients.id),
		/**
		 * E.164, e.g. +971501234567; a value that does not parse as a phone number is kept as typed
		 * (trimmed, at most 100 characters) with `is_valid` 0, so it is never mistaken for a number.
		 */
		phoneNumber: text("phone_number").notNull(),
		isValid: integer("is_valid", { mode: "boolean" }).notNull().default(true),
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
		/**
		 * When this failed receipt was first replayed (POST /api/admin/logs/:id/replay); every replay,
		 * the first included, is its own log_replays row.
		 */
		replayedAt: text("replayed_at"),
		/** What the first replay came to (never overwritten): created, updated, duplicate, failure, ignored. */
		replayOutcome: text("replay_outcome"),
		/** The first replay's receipt id: its own logs carry it as request_id. */
		replayRequestId: text("replay_request_id"),
		/**
		 * The `?company_id` the delivery's URL carried, kept only once it was trusted (signed with
		 * WEBHOOK_SIGNING_KEY, or no key set): a replay routes to it again (src/intake/replay.ts).
		 */
		urlCompanyId: integer("url_company_id"),
		/** A failure's cause (FAILURE_CAUSES); null on other rows. */
		cause: text("cause", { enum: FAILURE_CAUSES }),
		/** The routing key a failure could not route (TikTok advertiser, Meta Page, WhatsApp number). */
		routingKey: text("routing_key"),
	},
	(t) => [
		index("integration_logs_company_idx").on(t.companyId, t.id),
		index("integration_logs_status_idx").on(t.status, t.id),
		index("integration_logs_action_idx").on(t.action, t.id),
		// Only rows still holding a payload: the retention sweep finds the oldest without a scan.
		index("integration_logs_payload_age_idx").on(t.createdAt).where(sql`${t.payload} IS NOT NULL`),
		// A lead's page finds its logs by lead id and by the receipt that created it.
		index("integration_logs_external_idx").on(t.externalId),
		index("integration_logs_request_idx").on(t.requestId),
		// Only failures still awaiting a replay (AWAITING_REPLAY in log-queries.ts, whose terms must
		// stay literally these for SQLite to use it): the overview counts them without reading the rest.
		index("integration_logs_awaiting_replay_idx")
			.on(t.companyId, t.id)
			.where(sql`${t.status} = 'failure' AND ${t.payload} IS NOT NULL AND ${t.replayedAt} IS NULL`),
	],
);

/**
 * Every replay of a failed receipt, append-only: the original log row keeps its first outcome, each
 * attempt is a row here (its own logs carry request_id = this row's request_id).
 */
export const logReplays = sqliteTable(
	"log_replays",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		logId: integer("log_id")
			.notNull()
			.references(() => integrationLogs.id),
		requestId: text("request_id").notNull(),
		outcome: text("outcome").notNull(),
		message: text("message"),
		createdAt: createdAt(),
	},
	(t) => [index("log_replays_log_idx").on(t.logId, t.id)],
);

/**
 * A lead that failed and is not a client yet: one row per lead (provider + its lead id, or the
 * failed receipt when no id could be read), opened by its first failed receipt in that receipt's
 * batch, kept through every failed replay or redelivery, resolved by the batch that makes it a
 * client, or dismissed by an operator with a reason. What "needs action" counts.
 */
export const unresolvedLeads = sqliteTable(
	"unresolved_leads",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		/** `<provider>:<lead id>`, or `log:<first failed log id>` for a receipt without a lead id. */
		leadKey: text("lead_key").notNull(),
		provider: text("provider").notNull(),
		externalId: text("external_id"),
		action: text("action").notNull(),
		companyId: integer("company_id"),
		cause: text("cause", { enum: FAILURE_CAUSES }).notNull(),
		routingKey: text("routing_key"),
		/** The latest failure's reason, in plain words. */
		message: text("message"),
		firstLogId: integer("first_log_id").notNull(),
		lastLogId: integer("last_log_id").notNull(),
		/** Failed receipts that carried the lead (the first, redeliveries, replays). */
		attempts: integer("attempts").notNull().default(1),
		firstAt: text("first_at").notNull(),
		lastAt: text("last_at").notNull(),
		resolvedAt: text("resolved_at"),
		resolvedClientId: integer("resolved_client_id"),
		dismissedAt: text("dismissed_at"),
		dismissedReason: text("dismissed_reason"),
	},
	(t) => [
		uniqueIndex("unresolved_leads_key_idx").on(t.leadKey),
		// Only open leads: the overview, the list, the health run and "route and replay" read these.
		index("unresolved_leads_open_idx")
			.on(t.provider, t.cause, t.routingKey, t.id)
			.where(sql`${t.resolvedAt} IS NULL AND ${t.dismissedAt} IS NULL`),
		// A lead's page finds the failed receipts of the client it became.
		index("unresolved_leads_client_idx")
			.on(t.resolvedClientId)
			.where(sql`${t.resolvedClientId} IS NOT NULL`),
		index("unresolved_leads_first_log_idx").on(t.firstLogId),
	],
);

/**
 * pending → sending (claimed, with a lease) → succeeded | duplicate | retry | failed | dead.
 * Forwards of a connection that needs an admin stay pending/retry: they wait, they are not failed.
 */
export const FORWARD_STATUSES = [
	"pending",
	"sending",
	"succeeded",
	"duplicate",
	"retry",
	"failed",
	"dead",
] as const;
export type ForwardStatus = (typeof FORWARD_STATUSES)[number];

export const forwards = sqliteTable(
	"forwards",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		clientId: integer("client_id")
			.notNull()
			.references(() => clients.id),
		/** Copied from the client so the cron groups due forwards per connection without a join. */
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		destination: text("destination").notNull(),
		status: text("status", { enum: FORWARD_STATUSES }).notNull().default("pending"),
		attempts: integer("attempts").notNull().default(0),
		nextAttemptAt: text("next_attempt_at"),
		/** A claim is held until this time; an expired lease (crashed sender) is claimable again. */
		leaseUntil: text("lease_until"),
		/** Who holds the claim: results are written only by the claim that sent. */
		claimToken: text("claim_token"),
		lastErrorCode: text("last_error_code"),
		/** Error code and field names only: Salesforce messages can quote the lead's values. */
		lastError: text("last_error"),
		remoteId: text("remote_id"),
		createdAt: createdAt(),
		updatedAt: text("updated_at"),
	},
	(t) => [
		uniqueIndex("forwards_client_destination_uq").on(t.clientId, t.destination),
		index("forwards_due_idx").on(t.status, t.nextAttemptAt),
		index("forwards_company_status_idx").on(t.companyId, t.status, t.id),
	],
);

export const FORWARD_ATTEMPT_OUTCOMES = [
	"succeeded",
	"duplicate",
	"retry",
	"failed",
	"dead",
	"waiting",
] as const;
export type ForwardAttemptOutcome = (typeof FORWARD_ATTEMPT_OUTCOMES)[number];

/** One row per send of a forward (svix's message attempts): what came back and how long it took. */
export const forwardAttempts = sqliteTable(
	"forward_attempts",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		forwardId: integer("forward_id")
			.notNull()
			.references(() => forwards.id),
		attemptNumber: integer("attempt_number").notNull(),
		outcome: text("outcome", { enum: FORWARD_ATTEMPT_OUTCOMES }).notNull(),
		/** HTTP status of the Salesforce call; null for network errors and timeouts. */
		httpStatus: integer("http_status"),
		errorCode: text("error_code"),
		durationMs: integer("duration_ms").notNull(),
		/** "cron", "wait_until" or "queue". */
		trigger: text("trigger").notNull(),
		createdAt: createdAt(),
	},
	(t) => [index("forward_attempts_forward_idx").on(t.forwardId, t.id)],
);

export const CONNECTION_STATES = ["ok", "needs_reauth", "api_disabled"] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/**
 * A company's Salesforce org (providers.md §6). company_id NULL is the single-tenant default
 * connection configured through SALESFORCE_* secrets: its row holds state and a rotated refresh token.
 * Secrets are sealed with src/security/secret-box.ts.
 */
export const salesforceConnections = sqliteTable(
	"salesforce_connections",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		companyId: integer("company_id").references(() => companies.id),
		/** "company:<id>" or "default": unique, since NULL company ids would not collide in an index. */
		scope: text("scope").notNull(),
		loginUrl: text("login_url").notNull(),
		consumerKeySealed: text("consumer_key_sealed"),
		consumerSecretSealed: text("consumer_secret_sealed"),
		refreshTokenSealed: text("refresh_token_sealed"),
		apiVersion: text("api_version").notNull(),
		targetObject: text("target_object", { enum: ["Lead", "Case"] }).notNull(),
		/**
		 * JSON { "<Salesforce field>": "<lead field>" | "answer:<question>" | null (leave unset) };
		 * overrides the default mapping.
		 */
		fieldMapping: text("field_mapping", { mode: "json" }).$type<Record<string, string | null>>(),
		externalIdField: text("external_id_field"),
		/** Sforce-Auto-Assign: "TRUE", "FALSE" or an AssignmentRule id; null sends no header. */
		autoAssign: text("auto_assign"),
		/** Sforce-Duplicate-Rule-Header allowSave=true (saves through "alert" duplicate rules). */
		duplicateAllowSave: integer("duplicate_allow_save", { mode: "boolean" })
			.notNull()
			.default(false),
		state: text("state", { enum: CONNECTION_STATES }).notNull().default("ok"),
		stateReason: text("state_reason"),
		stateChangedAt: text("state_changed_at"),
		/** Last Sforce-Limit-Info api-usage seen (rolling 24 h org usage). */
		apiUsed: integer("api_used"),
		apiMax: integer("api_max"),
		/** SHA-256 of the secrets the default connection was seeded from; a change resets it. */
		secretsFingerprint: text("secrets_fingerprint"),
		createdAt: createdAt(),
		updatedAt: text("updated_at"),
	},
	(t) => [uniqueIndex("salesforce_connections_scope_uq").on(t.scope)],
);

/** on: sends; waiting: an admin must fix it (a refused credential), forwards wait; off: switched off. */
export const DESTINATION_STATES = ["on", "waiting", "off"] as const;
export type DestinationState = (typeof DESTINATION_STATES)[number];

/**
 * Where a company's leads are forwarded: one row per company and kind (Salesforce, HubSpot, Twenty,
 * a signed webhook), each client getting one forward per destination (forwards.destination = kind).
 * A Salesforce destination's settings and secrets live in its salesforce_connections row (session
 * cache, rotated refresh token, API usage); the other kinds keep theirs here, secrets sealed.
 */
export const destinations = sqliteTable(
	"destinations",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		kind: text("kind").notNull(),
		/** The kind's settings schema, in clear (URL, field mapping, pipeline...). */
		settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
		/** The kind's secrets schema as JSON, sealed with src/security/secret-box.ts. */
		secretsSealed: text("secrets_sealed"),
		state: text("state", { enum: DESTINATION_STATES }).notNull().default("on"),
		/** Why it is waiting or off: an error code (HTTP_410) or "switched off by an operator". */
		stateReason: text("state_reason"),
		stateChangedAt: text("state_changed_at"),
		createdAt: createdAt(),
		updatedAt: text("updated_at"),
	},
	(t) => [uniqueIndex("destinations_company_kind_uq").on(t.companyId, t.kind)],
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
	(t) => [
		uniqueIndex("form_submissions_company_key_uq").on(t.companyId, t.idempotencyKey),
		// A lead's page finds the client's submission keys; deleting or inserting a client checks
		// this foreign key without a scan.
		index("form_submissions_client_idx").on(t.clientId),
	],
);

/** A Page access token set by an operator for one integration account (sealed; never returned). */
export const integrationAccountTokens = sqliteTable("integration_account_tokens", {
	integrationAccountId: integer("integration_account_id")
		.primaryKey()
		.references(() => integrationAccounts.id),
	/** secret-box `v1.<iv>.<ciphertext>`: readable only with ENCRYPTION_KEY. */
	accessTokenSealed: text("access_token_sealed").notNull(),
	updatedAt: text("updated_at").notNull(),
});

/**
 * pending (due at next_attempt_at; a claim pushes it out by a lease) → succeeded | failed (permanent,
 * e.g. a revoked token; re-queued when a new token is set) | dead (retries spent).
 */
export const META_LEAD_FETCH_STATUSES = ["pending", "succeeded", "failed", "dead"] as const;
export type MetaLeadFetchStatus = (typeof META_LEAD_FETCH_STATUSES)[number];

/**
 * Meta Lead Ads leads recorded from the webhook (ids only) until Graph has given their answers:
 * the durable record behind the 200, one per leadgen id and integration account.
 */
export const metaLeadFetches = sqliteTable(
	"meta_lead_fetches",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		integrationAccountId: integer("integration_account_id")
			.notNull()
			.references(() => integrationAccounts.id),
		leadgenId: text("leadgen_id").notNull(),
		pageId: text("page_id").notNull(),
		formId: text("form_id"),
		status: text("status", { enum: META_LEAD_FETCH_STATUSES }).notNull().default("pending"),
		attempts: integer("attempts").notNull().default(0),
		nextAttemptAt: text("next_attempt_at").notNull(),
		/** Why the last attempt failed (Graph error code and type; never a token). */
		lastError: text("last_error"),
		clientId: integer("client_id").references(() => clients.id),
		/** The webhook change (ids only) as received: what a replay needs. */
		payload: text("payload").notNull(),
		requestId: text("request_id"),
		createdAt: createdAt(),
		updatedAt: text("updated_at"),
	},
	(t) => [
		uniqueIndex("meta_lead_fetches_account_leadgen_uq").on(t.integrationAccountId, t.leadgenId),
		index("meta_lead_fetches_due_idx").on(t.status, t.nextAttemptAt),
		// client_id references clients: SQLite's foreign-key check of a clients write (the ingest
		// INSERT's plan includes it) finds the rows here instead of scanning the table.
		index("meta_lead_fetches_client_idx").on(t.clientId),
	],
);

/**
 * WhatsApp contacts known to a company, by every key they arrived with ("wa:<wa_id>", "bsuid:<user
 * id>"), so a later message from the same person (with or without a phone) finds their client.
 */
export const whatsappContacts = sqliteTable(
	"whatsapp_contacts",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		contactKey: text("contact_key").notNull(),
		clientId: integer("client_id")
			.notNull()
			.references(() => clients.id),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex("whatsapp_contacts_company_key_uq").on(t.companyId, t.contactKey),
		// client_id references clients: SQLite's foreign-key check of a clients write (the ingest
		// INSERT's plan includes it) finds the rows here instead of scanning the table.
		index("whatsapp_contacts_client_idx").on(t.clientId),
	],
);

/** Inbound WhatsApp messages by wamid (the dedupe key, providers.md §5); ids and type only, no text. */
export const whatsappMessages = sqliteTable(
	"whatsapp_messages",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		wamid: text("wamid").notNull(),
		clientId: integer("client_id").references(() => clients.id),
		messageType: text("message_type"),
		requestId: text("request_id"),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex("whatsapp_messages_company_wamid_uq").on(t.companyId, t.wamid),
		// client_id references clients: SQLite's foreign-key check of a clients write (the ingest
		// INSERT's plan includes it) finds the rows here instead of scanning the table.
		index("whatsapp_messages_client_idx").on(t.clientId),
	],
);

export const FBE_INSTALL_STATUSES = ["installed", "uninstalled"] as const;

/** Facebook Business Extension installs, one per business id we chose (fbe_external_business_id). */
export const fbeInstalls = sqliteTable(
	"fbe_installs",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		businessId: text("business_id").notNull(),
		/** Null until a company is known (?company_id or an `fbe` integration account for the business). */
		companyId: integer("company_id").references(() => companies.id),
		businessManagerId: text("business_manager_id"),
		/** secret-box sealed; null after uninstall. */
		accessTokenSealed: text("access_token_sealed"),
		tokenType: text("token_type"),
		pixelId: text("pixel_id"),
		adAccountId: text("ad_account_id"),
		catalogId: text("catalog_id"),
		commerceMerchantSettingsId: text("commerce_merchant_settings_id"),
		/** JSON arrays of ids. */
		pageIds: text("page_ids").notNull().default("[]"),
		instagramProfileIds: text("instagram_profile_ids").notNull().default("[]"),
		profileIds: text("profile_ids").notNull().default("[]"),
		/** Installed features as sent (JSON). */
		features: text("features"),
		status: text("status", { enum: FBE_INSTALL_STATUSES }).notNull(),
		installedAt: text("installed_at"),
		uninstalledAt: text("uninstalled_at"),
		createdAt: createdAt(),
		updatedAt: text("updated_at"),
	},
	(t) => [uniqueIndex("fbe_installs_business_uq").on(t.businessId)],
);

/**
 * Refused webhook requests (bad or missing provider signature, bad signed-URL `sig`), counted per
 * hour, provider and reason instead of a log row each: a flood of forged POSTs grows one counter.
 * The first refusal of each (hour, provider, reason) also writes a sample integration log.
 */
export const rejectionCounts = sqliteTable(
	"rejection_counts",
	{
		/** Start of the UTC hour, e.g. 2026-12-04T14:00:00Z. */
		hour: text("hour").notNull(),
		provider: text("provider").notNull(),
		reason: text("reason").notNull(),
		count: integer("count").notNull().default(0),
		lastAt: text("last_at").notNull(),
	},
	(t) => [primaryKey({ columns: [t.hour, t.provider, t.reason] })],
);

export const HEALTH_STATUSES = ["ok", "warning", "failing"] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/**
 * One row per thing the health job watches (a Salesforce connection, a Meta Page's token or
 * subscription, an FBE install, a TikTok subscription, a company's lead flow): its latest status, the
 * reason in plain words (never a token), where an operator sees it, and when the status last changed.
 */
export const healthChecks = sqliteTable(
	"health_checks",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		/** Stable identity, e.g. "salesforce:company:3", "meta_token:109876543210987". */
		checkKey: text("check_key").notNull(),
		/** salesforce | meta_token | meta_subscription | fbe_install | tiktok_subscription | silence */
		kind: text("kind").notNull(),
		companyId: integer("company_id"),
		/** What is checked, in words: "Salesforce connection of company 3". */
		subject: text("subject").notNull(),
		status: text("status", { enum: HEALTH_STATUSES }).notNull(),
		reason: text("reason").notNull(),
		/** Console or operator API path that shows the problem. */
		link: text("link").notNull(),
		checkedAt: text("checked_at").notNull(),
		changedAt: text("changed_at").notNull(),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex("health_checks_key_uq").on(t.checkKey),
		index("health_checks_status_idx").on(t.status, t.id),
	],
);

/**
 * Alerts waiting for (or done with) the alert webhook: queued by the health job and the receipt and
 * forward scans, sent batched one message per run; unsent ones (the webhook failed) go out next run.
 * Rows are also the throttle: the same problem key and status is queued at most once per repeat window.
 */
export const alerts = sqliteTable(
	"alerts",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		problemKey: text("problem_key").notNull(),
		/** warning | failing | ok (a recovery) */
		status: text("status", { enum: HEALTH_STATUSES }).notNull(),
		/** One line of plain words: ids and counts only, never a phone, email, token or payload. */
		text: text("text").notNull(),
		link: text("link").notNull(),
		createdAt: createdAt(),
		sentAt: text("sent_at"),
		attempts: integer("attempts").notNull().default(0),
		/** Why the last send failed (HTTP status or network error code). */
		lastError: text("last_error"),
	},
	(t) => [
		index("alerts_problem_idx").on(t.problemKey, t.createdAt),
		index("alerts_unsent_idx").on(t.sentAt, t.id),
	],
);

/** Small named cursors of the monitor (last health run, last receipt scanned...). */
export const monitorState = sqliteTable("monitor_state", {
	key: text("key").primaryKey(),
	value: text("value").notNull(),
	updatedAt: text("updated_at").notNull(),
});

export const BACKFILL_STATUSES = ["running", "succeeded", "failed"] as const;
export type BackfillStatus = (typeof BACKFILL_STATUSES)[number];

/** One backfill of an integration account's leads over a window, manual or the daily automatic one. */
export const backfillRuns = sqliteTable(
	"backfill_runs",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		provider: text("provider").notNull(),
		integrationAccountId: integer("integration_account_id")
			.notNull()
			.references(() => integrationAccounts.id),
		companyId: integer("company_id").references(() => companies.id),
		/** "manual" (operator API) or "auto" (the daily 48 h run). */
		trigger: text("trigger").notNull(),
		windowStart: text("window_start").notNull(),
		windowEnd: text("window_end").notNull(),
		status: text("status", { enum: BACKFILL_STATUSES }).notNull().default("running"),
		found: integer("found").notNull().default(0),
		created: integer("created").notNull().default(0),
		duplicates: integer("duplicates").notNull().default(0),
		failures: integer("failures").notNull().default(0),
		/** Why the run stopped early (Graph error code, rate limit); never a token. */
		error: text("error"),
		startedAt: text("started_at").notNull(),
		finishedAt: text("finished_at"),
	},
	(t) => [index("backfill_runs_account_idx").on(t.integrationAccountId, t.id)],
);

/** Per integration account switches of the monitor (absent row: defaults). */
export const integrationAccountSettings = sqliteTable("integration_account_settings", {
	integrationAccountId: integer("integration_account_id")
		.primaryKey()
		.references(() => integrationAccounts.id),
	/** A daily backfill of the last 48 h runs for this account. */
	autoBackfill: integer("auto_backfill", { mode: "boolean" }).notNull().default(false),
	updatedAt: text("updated_at").notNull(),
});

/**
 * One row per console sign-in (the session cookie carries its id, signed): sign-out revokes the row,
 * so a copied cookie stops working at once. D1, not KV: a KV delete can take a minute to be seen.
 */
export const consoleSessions = sqliteTable(
	"console_sessions",
	{
		/** The session's random id; also binds the session's CSRF tokens. */
		id: text("id").primaryKey(),
		/** "token" (ADMIN_TOKEN); Cloudflare Access sign-ins re-assert every request and keep no row. */
		operator: text("operator").notNull(),
		expiresAt: text("expires_at").notNull(),
		revokedAt: text("revoked_at"),
		createdAt: createdAt(),
	},
	// The cron deletes expired sessions without reading the live ones.
	(t) => [index("console_sessions_expires_idx").on(t.expiresAt)],
);

/**
 * Console sign-in attempts per client and minute: the limit's counter when the SIGN_IN_LIMIT rate
 * limiting binding is unbound (tests, local dev). `client` is a SHA-256 of the IP, never the IP.
 */
export const signInAttempts = sqliteTable(
	"sign_in_attempts",
	{
		/** Start of the UTC minute, e.g. 2026-12-04T14:05:00Z. */
		window: text("window").notNull(),
		client: text("client").notNull(),
		count: integer("count").notNull().default(0),
	},
	(t) => [primaryKey({ columns: [t.window, t.client] })],
);

export const LEAD_BATCH_STATUSES = ["pending", "done"] as const;
export type LeadBatchStatus = (typeof LEAD_BATCH_STATUSES)[number];

/**
 * A big delivery (more leads than BIG_DELIVERY_LEADS) acknowledged once stored: its body lives in
 * lead_batch_chunks until each chunk is ingested; this row sums their outcomes for the operator.
 */
export const leadBatches = sqliteTable("lead_batches", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	provider: text("provider").notNull(),
	/** The delivery's request id; chunk n writes its clients and logs under `<request_id>:<n>`. */
	requestId: text("request_id").notNull().unique(),
	/** The delivery URL's trusted `?company_id`, routed by as the synchronous path would. */
	urlCompanyId: integer("url_company_id"),
	/** Where the body keeps its leads (TikTok: "entry" or "data.leads"): how a chunk is read. */
	leadList: text("lead_list").notNull(),
	leads: integer("leads").notNull(),
	chunks: integer("chunks").notNull(),
	chunksDone: integer("chunks_done").notNull().default(0),
	created: integer("created").notNull().default(0),
	duplicates: integer("duplicates").notNull().default(0),
	failed: integer("failed").notNull().default(0),
	status: text("status", { enum: LEAD_BATCH_STATUSES }).notNull().default("pending"),
	createdAt: createdAt(),
	finishedAt: text("finished_at"),
});

/**
 * One chunk of a big delivery: `body` is its exact slice of the raw body (the slices, in order, are
 * the body), its leads at [items_from, items_to) of it; cleared once the chunk is ingested.
 */
export const leadBatchChunks = sqliteTable(
	"lead_batch_chunks",
	{
		batchId: integer("batch_id")
			.notNull()
			.references(() => leadBatches.id),
		/** 1, 2, … in the delivery's order. */
		seq: integer("seq").notNull(),
		body: text("body"),
		itemsFrom: integer("items_from").notNull(),
		itemsTo: integer("items_to").notNull(),
		leads: integer("leads").notNull(),
		status: text("status", { enum: LEAD_BATCH_STATUSES }).notNull().default("pending"),
		/** Runs started (queue deliveries and cron picks); past the limit its leads become failure logs. */
		attempts: integer("attempts").notNull().default(0),
		lastError: text("last_error"),
		created: integer("created"),
		duplicates: integer("duplicates"),
		failed: integer("failed"),
		createdAt: createdAt(),
		doneAt: text("done_at"),
	},
	(t) => [
		primaryKey({ columns: [t.batchId, t.seq] }),
		// The cron's pick of pending chunks, fewest attempts first, reads only pending rows.
		index("lead_batch_chunks_pending_idx")
			.on(t.attempts, t.batchId, t.seq)
			.where(sql`status = 'pending'`),
	],
);

export const CHANNEL_KINDS = ["email", "slack", "webhook"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/**
 * Where notifications go (issue 22): a rep's own channels (employee_id set: their email, Slack
 * incoming webhook, signed JSON webhook) or the company's manager channels (employee_id NULL: told
 * of escalations, never of lead details). Secrets (a Slack webhook URL, a webhook signing secret)
 * are sealed with src/security/secret-box.ts.
 */
export const notificationChannels = sqliteTable(
	"notification_channels",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		employeeId: integer("employee_id").references(() => employees.id),
		kind: text("kind", { enum: CHANNEL_KINDS }).notNull(),
		/** The email address, the webhook URL, or a Slack webhook's shown form (host and last characters). */
		target: text("target").notNull(),
		/** Slack: the sealed webhook URL; webhook: the sealed `whsec_` signing secret; email: null. */
		secretSealed: text("secret_sealed"),
		isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
		createdAt: createdAt(),
	},
	(t) => [index("notification_channels_owner_idx").on(t.companyId, t.employeeId, t.isActive)],
);

/**
 * A company's speed-to-lead rules; a company without a row keeps today's behaviour (no SLA, no
 * reminders). Values an operator leaves out take NOTIFY_SLA_MINUTES, NOTIFY_ESCALATE_AFTER and
 * NOTIFY_REMINDER_HOURS when the row is written; 0 switches a rule off.
 */
export const companyNotificationSettings = sqliteTable("company_notification_settings", {
	companyId: integer("company_id")
		.primaryKey()
		.references(() => companies.id),
	slaMinutes: integer("sla_minutes").notNull(),
	escalateAfter: integer("escalate_after").notNull(),
	reminderHours: integer("reminder_hours").notNull(),
	updatedAt: text("updated_at"),
});

export const NOTIFICATION_KINDS = [
	"new_lead",
	"reassigned_to",
	"reassigned_from",
	"escalation",
	"reminder",
	"test",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_STATUSES = [
	"pending",
	"sending",
	"succeeded",
	"retry",
	"failed",
	"dead",
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * The notification outbox, beside forwards and run the same way: created in the batch that stores
 * or reassigns the lead, claimed with a lease, retried on FORWARD_SCHEDULE, dead and alerted after
 * the last step. One row per lead, channel, kind and assignment round (`round`), so a repeated run
 * never tells anyone twice.
 */
export const notifications = sqliteTable(
	"notifications",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		/** Null for a channel's test notification. */
		clientId: integer("client_id").references(() => clients.id),
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		channelId: integer("channel_id")
			.notNull()
			.references(() => notificationChannels.id),
		/** The rep the message is for (null: the manager channel). */
		employeeId: integer("employee_id").references(() => employees.id),
		kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
		/** The lead's assignment round (lead_sla.reassignments) the message belongs to. */
		round: integer("round").notNull().default(0),
		status: text("status", { enum: NOTIFICATION_STATUSES }).notNull().default("pending"),
		attempts: integer("attempts").notNull().default(0),
		nextAttemptAt: text("next_attempt_at"),
		leaseUntil: text("lease_until"),
		claimToken: text("claim_token"),
		/** HTTP status or the API's error name: never a message body (it can quote the lead). */
		lastErrorCode: text("last_error_code"),
		createdAt: createdAt(),
		updatedAt: text("updated_at"),
	},
	(t) => [
		uniqueIndex("notifications_once_uq").on(t.clientId, t.channelId, t.kind, t.round),
		index("notifications_due_idx").on(t.status, t.nextAttemptAt),
		index("notifications_dead_idx").on(t.status, t.updatedAt),
		index("notifications_channel_idx").on(t.channelId),
	],
);

/**
 * Each watched lead's speed-to-lead state: who has it, since when, how often it moved, and when the
 * SLA and the reminder fall due. `change_token` is the compare-and-set of a reassignment: a batch
 * writes its own token and every later statement of that batch runs only where the token is its.
 */
export const leadSla = sqliteTable(
	"lead_sla",
	{
		clientId: integer("client_id")
			.primaryKey()
			.references(() => clients.id),
		companyId: integer("company_id")
			.notNull()
			.references(() => companies.id),
		employeeId: integer("employee_id").references(() => employees.id),
		reassignments: integer("reassignments").notNull().default(0),
		assignedAt: text("assigned_at").notNull(),
		slaDueAt: text("sla_due_at"),
		reminderDueAt: text("reminder_due_at"),
		escalatedAt: text("escalated_at"),
		changeToken: text("change_token"),
	},
	(t) => [
		index("lead_sla_due_idx").on(t.slaDueAt).where(sql`${t.slaDueAt} IS NOT NULL`),
		index("lead_sla_reminder_idx").on(t.reminderDueAt).where(sql`${t.reminderDueAt} IS NOT NULL`),
	],
);

/** One-click links used (their nonce): a link works once, whoever opens it again gets "already used". */
export const actionLinkUses = sqliteTable("action_link_uses", {
	nonce: text("nonce").primaryKey(),
	action: text("action").notNull(),
	clientId: integer("client_id")
		.notNull()
		.references(() => clients.id),
	/** Random per use: the statements after the INSERT run only where it is theirs. */
	useToken: text("use_token").notNull(),
	usedAt: text("used_at").notNull(),
});
