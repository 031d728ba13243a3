CREATE TABLE `forward_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`forward_id` integer NOT NULL,
	`attempt_number` integer NOT NULL,
	`outcome` text NOT NULL,
	`http_status` integer,
	`error_code` text,
	`duration_ms` integer NOT NULL,
	`trigger` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`forward_id`) REFERENCES `forwards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `forward_attempts_forward_idx` ON `forward_attempts` (`forward_id`,`id`);--> statement-breakpoint
CREATE TABLE `salesforce_connections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer,
	`scope` text NOT NULL,
	`login_url` text NOT NULL,
	`consumer_key_sealed` text,
	`consumer_secret_sealed` text,
	`refresh_token_sealed` text,
	`api_version` text NOT NULL,
	`target_object` text NOT NULL,
	`field_mapping` text,
	`external_id_field` text,
	`auto_assign` text,
	`duplicate_allow_save` integer DEFAULT false NOT NULL,
	`state` text DEFAULT 'ok' NOT NULL,
	`state_reason` text,
	`state_changed_at` text,
	`api_used` integer,
	`api_max` integer,
	`secrets_fingerprint` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `salesforce_connections_scope_uq` ON `salesforce_connections` (`scope`);--> statement-breakpoint
ALTER TABLE `clients` ADD `salesforce_id` text;--> statement-breakpoint
ALTER TABLE `forwards` ADD `company_id` integer REFERENCES companies(id);--> statement-breakpoint
ALTER TABLE `forwards` ADD `lease_until` text;--> statement-breakpoint
ALTER TABLE `forwards` ADD `claim_token` text;--> statement-breakpoint
ALTER TABLE `forwards` ADD `last_error` text;--> statement-breakpoint
ALTER TABLE `forwards` ADD `updated_at` text;--> statement-breakpoint
CREATE INDEX `forwards_company_status_idx` ON `forwards` (`company_id`,`status`,`id`);