CREATE TABLE `rejection_counts` (
	`hour` text NOT NULL,
	`provider` text NOT NULL,
	`reason` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`last_at` text NOT NULL,
	PRIMARY KEY(`hour`, `provider`, `reason`)
);
--> statement-breakpoint
-- Hand-edited after drizzle-kit generate: D1 ignores PRAGMA foreign_keys inside its migration
-- transaction, so the rebuild defers the checks instead (forward_attempts points at forwards), and the
-- copy fills company_id from the forward's client for rows written before it was NOT NULL.
PRAGMA defer_foreign_keys = on;--> statement-breakpoint
CREATE TABLE `__new_forwards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`company_id` integer NOT NULL,
	`destination` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`lease_until` text,
	`claim_token` text,
	`last_error_code` text,
	`last_error` text,
	`remote_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_forwards`("id", "client_id", "company_id", "destination", "status", "attempts", "next_attempt_at", "lease_until", "claim_token", "last_error_code", "last_error", "remote_id", "created_at", "updated_at") SELECT "id", "client_id", coalesce("company_id", (SELECT c."company_id" FROM `clients` AS c WHERE c."id" = `forwards`."client_id")), "destination", "status", "attempts", "next_attempt_at", "lease_until", "claim_token", "last_error_code", "last_error", "remote_id", "created_at", "updated_at" FROM `forwards`;--> statement-breakpoint
DROP TABLE `forwards`;--> statement-breakpoint
ALTER TABLE `__new_forwards` RENAME TO `forwards`;--> statement-breakpoint
PRAGMA defer_foreign_keys = off;--> statement-breakpoint
CREATE UNIQUE INDEX `forwards_client_destination_uq` ON `forwards` (`client_id`,`destination`);--> statement-breakpoint
CREATE INDEX `forwards_due_idx` ON `forwards` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `forwards_company_status_idx` ON `forwards` (`company_id`,`status`,`id`);--> statement-breakpoint
ALTER TABLE `integration_logs` ADD `url_company_id` integer;