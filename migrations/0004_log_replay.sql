ALTER TABLE `integration_logs` ADD `replayed_at` text;--> statement-breakpoint
ALTER TABLE `integration_logs` ADD `replay_outcome` text;--> statement-breakpoint
ALTER TABLE `integration_logs` ADD `replay_request_id` text;