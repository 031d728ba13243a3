CREATE TABLE `integration_account_tokens` (
	`integration_account_id` integer PRIMARY KEY NOT NULL,
	`access_token_sealed` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`integration_account_id`) REFERENCES `integration_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meta_lead_fetches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`integration_account_id` integer NOT NULL,
	`leadgen_id` text NOT NULL,
	`page_id` text NOT NULL,
	`form_id` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`last_error` text,
	`client_id` integer,
	`payload` text NOT NULL,
	`request_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`integration_account_id`) REFERENCES `integration_accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `meta_lead_fetches_account_leadgen_uq` ON `meta_lead_fetches` (`integration_account_id`,`leadgen_id`);--> statement-breakpoint
CREATE INDEX `meta_lead_fetches_due_idx` ON `meta_lead_fetches` (`status`,`next_attempt_at`);