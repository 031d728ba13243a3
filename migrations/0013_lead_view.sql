DROP INDEX `clients_created_idx`;--> statement-breakpoint
ALTER TABLE `clients` ADD `is_test` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `clients` ADD `attribution` text;--> statement-breakpoint
CREATE INDEX `clients_assigned_idx` ON `clients` (`assigned_employee_id`,`id`);--> statement-breakpoint
CREATE INDEX `clients_created_idx` ON `clients` (`created_at`,`company_id`,`source`) WHERE "clients"."is_test" = 0;