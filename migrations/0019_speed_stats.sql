CREATE INDEX `clients_responded_idx` ON `clients` (`created_at`,`company_id`,`source`,`assigned_employee_id`,`first_response_at`) WHERE "clients"."is_test" = 0 AND "clients"."first_response_at" IS NOT NULL;--> statement-breakpoint
-- Hand-written: D1 recommends PRAGMA optimize after creating an index (as 0010 and 0017 end).
PRAGMA optimize=0x10002;
