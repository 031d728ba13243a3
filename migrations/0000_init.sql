CREATE TABLE `client_phone_numbers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`phone_number` text NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `client_phone_numbers_client_phone_uq` ON `client_phone_numbers` (`client_id`,`phone_number`);--> statement-breakpoint
CREATE TABLE `clients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`integration_account_id` integer,
	`source` text NOT NULL,
	`external_id` text,
	`full_name` text,
	`email` text,
	`assigned_employee_id` integer,
	`form_id` text,
	`answers` text,
	`receipt_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`integration_account_id`) REFERENCES `integration_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clients_account_external_uq` ON `clients` (`integration_account_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `clients_company_idx` ON `clients` (`company_id`,`id`);--> statement-breakpoint
CREATE INDEX `clients_receipt_idx` ON `clients` (`receipt_id`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`auto_assign` integer DEFAULT false NOT NULL,
	`default_country` text,
	`assignment_counter` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `employees` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `employees_company_active_idx` ON `employees` (`company_id`,`is_active`,`id`);--> statement-breakpoint
CREATE TABLE `forwards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`destination` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_error_code` text,
	`remote_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forwards_client_destination_uq` ON `forwards` (`client_id`,`destination`);--> statement-breakpoint
CREATE INDEX `forwards_due_idx` ON `forwards` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `integration_accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`provider` text NOT NULL,
	`name` text NOT NULL,
	`external_id` text,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `integration_accounts_provider_external_uq` ON `integration_accounts` (`provider`,`external_id`);--> statement-breakpoint
CREATE INDEX `integration_accounts_company_idx` ON `integration_accounts` (`company_id`,`provider`);--> statement-breakpoint
CREATE TABLE `integration_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer,
	`provider` text NOT NULL,
	`action` text NOT NULL,
	`status` text NOT NULL,
	`message` text,
	`external_id` text,
	`payload` text,
	`request_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `integration_logs_company_idx` ON `integration_logs` (`company_id`,`id`);--> statement-breakpoint
CREATE INDEX `integration_logs_status_idx` ON `integration_logs` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `integration_logs_action_idx` ON `integration_logs` (`action`,`id`);