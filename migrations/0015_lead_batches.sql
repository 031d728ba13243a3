CREATE TABLE `lead_batch_chunks` (
	`batch_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`body` text,
	`items_from` integer NOT NULL,
	`items_to` integer NOT NULL,
	`leads` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created` integer,
	`duplicates` integer,
	`failed` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`done_at` text,
	PRIMARY KEY(`batch_id`, `seq`),
	FOREIGN KEY (`batch_id`) REFERENCES `lead_batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lead_batch_chunks_pending_idx` ON `lead_batch_chunks` (`attempts`,`batch_id`,`seq`) WHERE status = 'pending';--> statement-breakpoint
CREATE TABLE `lead_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`request_id` text NOT NULL,
	`url_company_id` integer,
	`lead_list` text NOT NULL,
	`leads` integer NOT NULL,
	`chunks` integer NOT NULL,
	`chunks_done` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`duplicates` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`finished_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lead_batches_request_id_unique` ON `lead_batches` (`request_id`);