CREATE INDEX `clients_created_idx` ON `clients` (`created_at`,`company_id`,`source`);--> statement-breakpoint
CREATE INDEX `form_submissions_client_idx` ON `form_submissions` (`client_id`);--> statement-breakpoint
CREATE INDEX `integration_logs_external_idx` ON `integration_logs` (`external_id`);--> statement-breakpoint
CREATE INDEX `integration_logs_request_idx` ON `integration_logs` (`request_id`);--> statement-breakpoint
CREATE INDEX `integration_logs_awaiting_replay_idx` ON `integration_logs` (`company_id`,`id`) WHERE "integration_logs"."status" = 'failure' AND "integration_logs"."payload" IS NOT NULL AND "integration_logs"."replayed_at" IS NULL;--> statement-breakpoint
CREATE INDEX `meta_lead_fetches_client_idx` ON `meta_lead_fetches` (`client_id`);--> statement-breakpoint
CREATE INDEX `whatsapp_contacts_client_idx` ON `whatsapp_contacts` (`client_id`);--> statement-breakpoint
CREATE INDEX `whatsapp_messages_client_idx` ON `whatsapp_messages` (`client_id`);--> statement-breakpoint
-- D1 recommends PRAGMA optimize after creating indexes (ANALYZE where statistics help the planner).
-- 0x10002: every table, not only the ones this connection has used (a migration has used none).
PRAGMA optimize=0x10002;
