CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`problem_key` text NOT NULL,
	`status` text NOT NULL,
	`text` text NOT NULL,
	`link` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`sent_at` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `alerts_problem_idx` ON `alerts` (`problem_key`,`created_at`);--> statement-breakpoint
CREATE INDEX `alerts_unsent_idx` ON `alerts` (`sent_at`,`id`);--> statement-breakpoint
CREATE TABLE `backfill_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`integration_account_id` integer NOT NULL,
	`company_id` integer,
	`trigger` text NOT NULL,
	`window_start` text NOT NULL,
	`window_end` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`found` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`duplicates` integer DEFAULT 0 NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`error` text,
	`started_at` text NOT NULL,
	`finished_at` text,
	FOREIGN KEY (`integration_account_id`) REFERENCES `integration_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `backfill_runs_account_idx` ON `backfill_runs` (`integration_account_id`,`id`);--> statement-breakpoint
CREATE TABLE `health_checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`check_key` text NOT NULL,
	`kind` text NOT NULL,
	`company_id` integer,
	`subject` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`link` text NOT NULL,
	`checked_at` text NOT NULL,
	`changed_at` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `health_checks_key_uq` ON `health_checks` (`check_key`);--> statement-breakpoint
CREATE INDEX `health_checks_status_idx` ON `health_checks` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `integration_account_settings` (
	`integration_account_id` integer PRIMARY KEY NOT NULL,
	`auto_backfill` integer DEFAULT false NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`integration_account_id`) REFERENCES `integration_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `monitor_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL
);
