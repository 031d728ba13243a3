// Test-only bindings added by vitest.config.ts.
declare namespace Cloudflare {
	interface Env {
		TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
		/** Empty D1 for migration tests: apply some migrations, write rows, apply the rest. */
		MIGRATION_DB: D1Database;
		TIKTOK_APP_SECRET: string;
		ADMIN_TOKEN: string;
		ENCRYPTION_KEY: string;
		SALESFORCE_CONSUMER_KEY: string;
		SALESFORCE_CONSUMER_SECRET: string;
		SALESFORCE_REFRESH_TOKEN: string;
		META_APP_SECRET: string;
		META_VERIFY_TOKEN: string;
		META_PAGE_ACCESS_TOKEN: string;
		WEBHOOK_SIGNING_KEY: string;
		ALERT_WEBHOOK_URL: string;
	}
}
