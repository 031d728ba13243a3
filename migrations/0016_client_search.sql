-- Lead search through an index (issue 20): FTS5 tables with the trigram tokenizer, so any part of
-- three characters or more of a name, an email or a phone's digits is found without reading every
-- client. Hand-written: drizzle-kit cannot express virtual tables or triggers.
-- clients_search: rowid = clients.id; name and email (any case, accents ignored).
CREATE VIRTUAL TABLE `clients_search` USING fts5(full_name, email, tokenize = 'trigram remove_diacritics 1');--> statement-breakpoint
-- phones_search: rowid = client_phone_numbers.id; the E.164 digits without "+". A separate table so
-- a phone's row is one INSERT of its own (no UPDATE of the client's search row per phone).
CREATE VIRTUAL TABLE `phones_search` USING fts5(digits, client_id UNINDEXED, tokenize = 'trigram');--> statement-breakpoint
-- Merging the index's segments is the cron's work (src/jobs/search-index.ts), not every write's: with
-- FTS5's automerge on, a single-lead delivery cost about 1 ms more workerd CPU at 1,000,000 clients
-- than on an empty database (bench/full-db.mjs); without it, about 0.1 ms.
INSERT INTO clients_search (clients_search, rank) VALUES ('automerge', 0);--> statement-breakpoint
INSERT INTO phones_search (phones_search, rank) VALUES ('automerge', 0);--> statement-breakpoint
-- Triggers keep both current in the very statement that writes a client or a phone (the receipt's
-- batch, a website form's update, anything else), so search never lags behind a write.
CREATE TRIGGER `clients_search_insert` AFTER INSERT ON `clients` BEGIN
	INSERT INTO clients_search (rowid, full_name, email) VALUES (new.id, new.full_name, new.email);
END;--> statement-breakpoint
CREATE TRIGGER `clients_search_update` AFTER UPDATE OF full_name, email ON `clients`
	WHEN old.full_name IS NOT new.full_name OR old.email IS NOT new.email BEGIN
	UPDATE clients_search SET full_name = new.full_name, email = new.email WHERE rowid = new.id;
END;--> statement-breakpoint
CREATE TRIGGER `clients_search_delete` AFTER DELETE ON `clients` BEGIN
	DELETE FROM clients_search WHERE rowid = old.id;
END;--> statement-breakpoint
CREATE TRIGGER `phones_search_insert` AFTER INSERT ON `client_phone_numbers` BEGIN
	INSERT INTO phones_search (rowid, digits, client_id)
	VALUES (new.id, ltrim(new.phone_number, '+'), new.client_id);
END;--> statement-breakpoint
CREATE TRIGGER `phones_search_update` AFTER UPDATE OF phone_number, client_id ON `client_phone_numbers` BEGIN
	UPDATE phones_search SET digits = ltrim(new.phone_number, '+'), client_id = new.client_id
	WHERE rowid = new.id;
END;--> statement-breakpoint
CREATE TRIGGER `phones_search_delete` AFTER DELETE ON `client_phone_numbers` BEGIN
	DELETE FROM phones_search WHERE rowid = old.id;
END;--> statement-breakpoint
-- Clients and phones stored before this migration.
INSERT INTO clients_search (rowid, full_name, email) SELECT id, full_name, email FROM clients;--> statement-breakpoint
INSERT INTO phones_search (rowid, digits, client_id)
SELECT id, ltrim(phone_number, '+'), client_id FROM client_phone_numbers;
