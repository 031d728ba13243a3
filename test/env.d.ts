// Test-only bindings added by vitest.config.ts.
declare namespace Cloudflare {
	interface Env {
		TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
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
