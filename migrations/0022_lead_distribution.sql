CREATE TABLE `rep_daily_leads` (
	`employee_id` integer NOT NULL,
	`day` text NOT NULL,
	`leads` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`employee_id`, `day`),
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `routing_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`conditions` text NOT NULL,
	`team_id` integer,
	`method` text,
	`rep_id` integer,
	`fallback` text DEFAULT 'next_rule' NOT NULL,
	`fallback_rep_id` integer,
	`turn` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `routing_teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rep_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`fallback_rep_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `routing_rules_company_idx` ON `routing_rules` (`company_id`,`position`);--> statement-breakpoint
CREATE INDEX `routing_rules_team_idx` ON `routing_rules` (`team_id`);--> statement-breakpoint
CREATE TABLE `routing_team_members` (
	`team_id` integer NOT NULL,
	`employee_id` integer NOT NULL,
	PRIMARY KEY(`team_id`, `employee_id`),
	FOREIGN KEY (`team_id`) REFERENCES `routing_teams`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `routing_teams` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `routing_teams_company_name_uq` ON `routing_teams` (`company_id`,`name`);--> statement-breakpoint
DROP INDEX `clients_receipt_idx`;--> statement-breakpoint
ALTER TABLE `clients` ADD `unassigned_reason` text;--> statement-breakpoint
CREATE INDEX `clients_unassigned_idx` ON `clients` (`company_id`,`id`) WHERE "clients"."unassigned_reason" IS NOT NULL AND "clients"."assigned_employee_id" IS NULL;--> statement-breakpoint
CREATE INDEX `clients_receipt_idx` ON `clients` (`receipt_id`,`external_id`);--> statement-breakpoint
ALTER TABLE `companies` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE `companies` ADD `distribution_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `employees` ADD `weight` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `employees` ADD `daily_cap` integer;--> statement-breakpoint
ALTER TABLE `employees` ADD `weekly_cap` integer;--> statement-breakpoint
ALTER TABLE `employees` ADD `time_zone` text;--> statement-breakpoint
ALTER TABLE `employees` ADD `working_hours` text;--> statement-breakpoint
ALTER TABLE `employees` ADD `away_until` text;--> statement-breakpoint
-- Hand-written (drizzle-kit has no triggers): lead distribution decides on a snapshot of the company's
-- rules, reps and open tasks, and the ingest batch writes only while companies.distribution_version
-- is what the snapshot read (storage/distribution.ts). So every change to a rep or to a task's
-- status or owner moves the version, whichever path made it (console, admin API, one-click links).
-- Task inserts outside the ingest batch move it explicitly (storage/form-submissions.ts), so the
-- ingest batch's own follow-up tasks do not cost a row write each; rules and teams are only written
-- by storage/routing-rules.ts, which moves it too.
CREATE TRIGGER `distribution_employee_insert` AFTER INSERT ON `employees`
BEGIN
	UPDATE `companies` SET `distribution_version` = `distribution_version` + 1 WHERE `id` = NEW.`company_id`;
END;--> statement-breakpoint
CREATE TRIGGER `distribution_employee_update` AFTER UPDATE ON `employees`
BEGIN
	UPDATE `companies` SET `distribution_version` = `distribution_version` + 1
	WHERE `id` IN (OLD.`company_id`, NEW.`company_id`);
END;--> statement-breakpoint
CREATE TRIGGER `distribution_task_update` AFTER UPDATE OF `status`, `employee_id` ON `tasks`
BEGIN
	UPDATE `companies` SET `distribution_version` = `distribution_version` + 1
	WHERE `id` = (SELECT `company_id` FROM `clients` WHERE `id` = NEW.`client_id`);
END;--> statement-breakpoint
CREATE TRIGGER `distribution_task_delete` AFTER DELETE ON `tasks`
BEGIN
	UPDATE `companies` SET `distribution_version` = `distribution_version` + 1
	WHERE `id` = (SELECT `company_id` FROM `clients` WHERE `id` = OLD.`client_id`);
END;
--> statement-breakpoint
-- D1 recommends PRAGMA optimize after creating indexes (as in 0010 and 0017).
PRAGMA optimize=0x10002;
