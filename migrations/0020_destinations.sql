CREATE TABLE `destinations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`kind` text NOT NULL,
	`settings` text NOT NULL,
	`secrets_sealed` text,
	`state` text DEFAULT 'on' NOT NULL,
	`state_reason` text,
	`state_changed_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `destinations_company_kind_uq` ON `destinations` (`company_id`,`kind`);--> statement-breakpoint
-- Hand-written (data, not schema): every company's Salesforce connection becomes its Salesforce
-- destination, so it is listed, checked and switched off beside the company's other destinations.
-- Its settings and sealed secrets stay in salesforce_connections (the default connection, which
-- serves companies without their own, has no company and no row here).
INSERT INTO `destinations` (`company_id`, `kind`, `settings`, `state`, `created_at`, `updated_at`)
SELECT `company_id`, 'salesforce', '{}', 'on', `created_at`, `updated_at`
FROM `salesforce_connections` WHERE `company_id` IS NOT NULL;
