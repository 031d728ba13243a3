// Test-only bindings added by vitest.config.ts.
declare namespace Cloudflare {
	interface Env {
		TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
		TIKTOK_APP_SECRET: string;
		ADMIN_TOKEN: string;
		WEBHOOK_SIGNING_KEY: string;
	}
}
