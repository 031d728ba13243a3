CREATE TABLE `action_link_uses` (
	`nonce` text PRIMARY KEY NOT NULL,
	`action` text NOT NULL,
	`client_id` integer NOT NULL,
	`use_token` text NOT NULL,
	`used_at` text NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `company_notification_settings` (
	`company_id` integer PRIMARY KEY NOT NULL,
	`sla_minutes` integer NOT NULL,
	`escalate_after` integer NOT NULL,
	`reminder_hours` integer NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `lead_sla` (
	`client_id` integer PRIMARY KEY NOT NULL,
	`company_id` integer NOT NULL,
	`employee_id` integer,
	`reassignments` integer DEFAULT 0 NOT NULL,
	`assigned_at` text NOT NULL,
	`sla_due_at` text,
	`reminder_due_at` text,
	`escalated_at` text,
	`change_token` text,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lead_sla_due_idx` ON `lead_sla` (`sla_due_at`) WHERE "lead_sla"."sla_due_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `lead_sla_reminder_idx` ON `lead_sla` (`reminder_due_at`) WHERE "lead_sla"."reminder_due_at" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `notification_channels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`employee_id` integer,
	`kind` text NOT NULL,
	`target` text NOT NULL,
	`secret_sealed` text,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notification_channels_owner_idx` ON `notification_channels` (`company_id`,`employee_id`,`is_active`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer,
	`company_id` integer NOT NULL,
	`channel_id` integer NOT NULL,
	`employee_id` integer,
	`kind` text NOT NULL,
	`round` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`lease_until` text,
	`claim_token` text,
	`last_error_code` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`channel_id`) REFERENCES `notification_channels`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`employee_id`) REFERENCES `employees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_once_uq` ON `notifications` (`client_id`,`channel_id`,`kind`,`round`);--> statement-breakpoint
CREATE INDEX `notifications_due_idx` ON `notifications` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `notifications_dead_idx` ON `notifications` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `notifications_channel_idx` ON `notifications` (`channel_id`);