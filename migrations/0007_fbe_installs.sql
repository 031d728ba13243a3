CREATE TABLE `fbe_installs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`business_id` text NOT NULL,
	`company_id` integer,
	`business_manager_id` text,
	`access_token_sealed` text,
	`token_type` text,
	`pixel_id` text,
	`ad_account_id` text,
	`catalog_id` text,
	`commerce_merchant_settings_id` text,
	`page_ids` text DEFAULT '[]' NOT NULL,
	`instagram_profile_ids` text DEFAULT '[]' NOT NULL,
	`profile_ids` text DEFAULT '[]' NOT NULL,
	`features` text,
	`status` text NOT NULL,
	`installed_at` text,
	`uninstalled_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fbe_installs_business_uq` ON `fbe_installs` (`business_id`);