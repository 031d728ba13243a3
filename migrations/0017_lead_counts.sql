CREATE TABLE `lead_counts` (
	`hour` text NOT NULL,
	`company_id` integer NOT NULL,
	`source` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`hour`, `company_id`, `source`)
);
--> statement-breakpoint
CREATE INDEX `console_sessions_expires_idx` ON `console_sessions` (`expires_at`);--> statement-breakpoint
-- Hand-written below: drizzle-kit cannot express triggers or a backfill. Triggers keep lead_counts
-- current in the very statement that writes a client (every path: receipts, forms, backfill, big
-- deliveries' chunks), so the overview and the silence check never lag behind a write. Test leads
-- (is_test = 1) are not counted, as in clients_created_idx. Nothing deletes or moves clients today;
-- the delete and update triggers keep the counts true if anything ever does (a count may reach 0,
-- and readers skip zero rows).
CREATE TRIGGER `lead_counts_insert` AFTER INSERT ON `clients` WHEN new.is_test = 0 BEGIN
	INSERT INTO lead_counts (hour, company_id, source, count)
	VALUES (substr(new.created_at, 1, 13), new.company_id, new.source, 1)
	ON CONFLICT (hour, company_id, source) DO UPDATE SET count = count + 1;
END;--> statement-breakpoint
CREATE TRIGGER `lead_counts_delete` AFTER DELETE ON `clients` WHEN old.is_test = 0 BEGIN
	UPDATE lead_counts SET count = count - 1
	WHERE hour = substr(old.created_at, 1, 13) AND company_id = old.company_id AND source = old.source;
END;--> statement-breakpoint
CREATE TRIGGER `lead_counts_update` AFTER UPDATE OF created_at, company_id, source, is_test ON `clients`
	WHEN old.created_at IS NOT new.created_at OR old.company_id IS NOT new.company_id
		OR old.source IS NOT new.source OR old.is_test IS NOT new.is_test BEGIN
	UPDATE lead_counts SET count = count - 1
	WHERE old.is_test = 0 AND hour = substr(old.created_at, 1, 13) AND company_id = old.company_id
		AND source = old.source;
	INSERT INTO lead_counts (hour, company_id, source, count)
	SELECT substr(new.created_at, 1, 13), new.company_id, new.source, 1 WHERE new.is_test = 0
	ON CONFLICT (hour, company_id, source) DO UPDATE SET count = count + 1;
END;--> statement-breakpoint
-- Clients stored before this migration.
INSERT INTO lead_counts (hour, company_id, source, count)
SELECT substr(created_at, 1, 13), company_id, source, count(*) FROM clients WHERE is_test = 0
GROUP BY 1, 2, 3;
--> statement-breakpoint
-- D1 recommends PRAGMA optimize after creating indexes; 0012–0017 created eleven (as in 0010:
-- 0x10002 reaches every table, since a migration's connection has used none).
PRAGMA optimize=0x10002;
