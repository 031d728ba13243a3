ALTER TABLE `clients` ADD `first_response_at` text;--> statement-breakpoint
-- Hand-written (drizzle-kit has no triggers): a task set done records the lead's first response,
-- whichever path set it (console, admin API, a one-click link), and later completions keep the first.
CREATE TRIGGER `clients_first_response` AFTER UPDATE OF `status` ON `tasks`
WHEN NEW.`status` = 'done' AND NEW.`completed_at` IS NOT NULL
BEGIN
	UPDATE `clients` SET `first_response_at` = NEW.`completed_at`
	WHERE `id` = NEW.`client_id` AND `first_response_at` IS NULL;
END;
